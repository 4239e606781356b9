"""Tests for nnlib.book.widgets, driven headlessly through methods and button callbacks."""

import asyncio

import numpy as np
import pytest

widgets = pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nnlib.book.widgets import InteractivePlot, TrainingWidget  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Descent(TrainingWidget):
    """Gradient descent on f(x) = x^2 with a learning-rate slider; `fault` makes it misbehave."""

    headless_frames = 3
    fault = None  # None | "nan" | "raise" | "python overflow" | "overflow" | "stop" | "bug"

    def controls(self):
        return {
            "lr": widgets.FloatSlider(value=0.1, min=0.01, max=3.0, description="learning rate"),
            "x0": widgets.FloatSlider(value=3.0, min=-5, max=5),
        }

    def reset_state(self, values):
        self.lr, self.x, self.losses = values["lr"], values["x0"], []
        self.calls = {"reset_state": getattr(self, "calls", {}).get("reset_state", 0) + 1, "draw": 0}

    def train_step(self):
        if self.fault == "raise" and len(self.losses) == 2:
            raise FloatingPointError("loss is inf at epoch 1, batch 3")
        if self.fault == "python overflow" and len(self.losses) == 2:
            return {"loss": 10.0**400}  # Python floats raise OverflowError
        if self.fault == "stop" and len(self.losses) == 4:
            raise StopIteration
        if self.fault == "bug" and len(self.losses) == 2:
            raise KeyError("oops")
        self.x -= self.lr * 2 * self.x
        loss = self.x**2
        if self.fault == "nan" and len(self.losses) == 3:
            loss = float("nan")
        if self.fault == "overflow" and len(self.losses) == 3:
            loss = float(np.exp(np.float64(1000.0)))  # overflow warning must not escape
        self.losses.append(loss)
        return {"loss": loss, "x": self.x}

    def draw(self, fig):
        self.calls["draw"] += 1
        ax = fig.subplots()
        ax.plot(self.losses or [0.0], "o-")
        ax.set_title(f"x = {self.x:.3f}")


@pytest.fixture
def widget():
    return Descent()


def test_builds_at_step_zero(widget):
    assert widget.n_steps == 0 and widget.state_metrics == {}
    assert bytes(widget.image.value).startswith(PNG_SIGNATURE)
    assert "step 0" in widget.status.value
    assert set(widget.buttons) == {"play", "pause", "step", "reset"}
    assert widget.control_widgets["x0"].description == "x0"  # unnamed control named after its key
    assert widget.control_widgets["lr"].continuous_update is False
    assert isinstance(widget.ui, widgets.VBox)
    bundle = widget._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_step_method_and_button_advance_and_redraw(widget):
    first_image = bytes(widget.image.value)
    metrics = widget.step()
    assert widget.n_steps == 1 and metrics["loss"] == pytest.approx((3.0 * 0.8) ** 2)
    assert bytes(widget.image.value) != first_image
    widget.buttons["step"].click()
    assert widget.n_steps == 2
    assert "step 2" in widget.status.value and "loss 3.686" in widget.status.value


def test_steps_per_frame():
    w = Descent(steps_per_frame=5)
    w.step()
    assert w.n_steps == 5 and len(w.losses) == 5
    assert w.calls["draw"] == 2  # one at reset, one per frame
    with pytest.raises(ValueError, match="steps_per_frame"):
        Descent(steps_per_frame=0)


def test_play_without_event_loop_runs_a_bounded_number_of_frames(widget):
    widget.buttons["play"].click()
    assert widget.n_steps == Descent.headless_frames
    assert not widget.playing
    widget.play(max_frames=2)
    assert widget.n_steps == Descent.headless_frames + 2


def test_reset_button_restores_step_zero(widget):
    initial = bytes(widget.image.value)
    for _ in range(3):
        widget.step()
    widget.buttons["reset"].click()
    assert widget.n_steps == 0 and widget.state_metrics == {}
    assert widget.x == 3.0 and widget.losses == []
    assert bytes(widget.image.value) == initial  # same picture: the run is deterministic
    assert "step 0" in widget.status.value


def test_changing_a_control_resets_the_run(widget):
    widget.step()
    widget.control_widgets["lr"].value = 0.5
    assert widget.n_steps == 0 and widget.lr == 0.5
    assert widget.values == {"lr": 0.5, "x0": 3.0}
    widget.step()
    assert widget.x == 0.0


@pytest.mark.parametrize("fault", ["nan", "overflow"])
def test_non_finite_loss_stops_with_a_message_and_keeps_the_last_frame(fault):
    w = Descent()
    w.fault = fault
    for _ in range(3):
        w.step()
    last_good = bytes(w.image.value)
    w.step()
    value = "nan" if fault == "nan" else "inf"
    assert f"diverged: loss became {value} at step 4 — lower the learning rate" in w.status.value
    assert w.diverged and bytes(w.image.value) == last_good
    w.step()
    w.play()
    assert w.n_steps == 4  # nothing runs until a reset
    w.reset()
    assert w.diverged is None and "diverged" not in w.status.value


def test_floating_point_error_from_train_step_is_reported(widget):
    widget.fault = "raise"
    widget.step()
    widget.step()
    last_good = bytes(widget.image.value)
    widget.step()  # raises inside: caught
    assert widget.n_steps == 2  # the failed step is not counted
    assert "diverged at step 3: FloatingPointError: loss is inf at epoch 1, batch 3" in widget.status.value
    assert "lower the learning rate" in widget.status.value
    assert bytes(widget.image.value) == last_good


def test_python_overflow_error_is_divergence_too(widget):
    widget.fault = "python overflow"
    widget.play(max_frames=5)
    assert widget.n_steps == 2
    assert "diverged at step 3: OverflowError" in widget.status.value


def test_val_loss_is_watched_too():
    class ValLoss(Descent):
        def train_step(self):
            metrics = super().train_step()
            return {**metrics, "val_loss": float("inf")}

    w = ValLoss()
    w.step()
    assert "diverged: val_loss became inf at step 1" in w.status.value


def test_stop_iteration_finishes_the_run(widget):
    widget.fault = "stop"
    widget.play(max_frames=10)
    assert widget.n_steps == 4 and widget.finished
    assert "finished" in widget.status.value


def test_film_is_an_animation_of_the_same_run(widget):
    widget.step()
    steps_before = len(widget.losses)
    html = widget.film(n_frames=5, steps_per_frame=2).data
    assert "<script" in html and "anim" in html
    assert html.count("data:image/png;base64,") == 5
    assert widget.n_steps == 0  # reset afterwards
    assert steps_before == 1


def test_film_and_fps_validate_their_arguments(widget):
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="n_frames"):
            widget.film(n_frames=bad)
    with pytest.raises(ValueError, match="steps_per_frame"):
        widget.film(steps_per_frame=0)
    with pytest.raises(ValueError, match="n: expected"):
        widget.frames_per_second(0)


def test_colorbar_and_frozen_layout():
    class WithColorbar(Descent):
        def draw(self, fig):
            ax = fig.subplots()
            image = ax.imshow(np.full((4, 4), self.x))
            fig.colorbar(image, ax=ax)

    w = WithColorbar()
    positions = [tuple(ax.get_position().bounds) for ax in w.figure.axes]
    w.step()
    w.step()
    after = [tuple(ax.get_position().bounds) for ax in w.figure.axes]
    np.testing.assert_allclose(after, positions, atol=1e-12)  # frozen (up to float rounding in old matplotlib)
    assert w.film(n_frames=3).data.count("data:image/png;base64,") == 3


def test_film_runs_draw_and_train_step_like_the_live_widget(widget):
    seen = []
    original = widget.train_step

    def recording_step():
        metrics = original()
        seen.append(metrics["loss"])
        return metrics

    widget.train_step = recording_step
    widget.film(n_frames=4, steps_per_frame=3)
    assert len(seen) == 9  # frames 1..3 each advance three steps from a reset
    assert seen[0] == pytest.approx((3.0 * 0.8) ** 2)


def test_film_does_not_touch_pyplot(widget):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    widget.film(n_frames=3)
    assert plt.get_fignums() == before


def test_film_after_divergence_keeps_the_last_good_picture():
    w = Descent()
    w.fault = "nan"
    html = w.film(n_frames=6).data
    assert html.count("data:image/png;base64,") == 6


def test_update_figure_fast_path():
    class Fast(Descent):
        def draw(self, fig):
            super().draw(fig)
            self.line = fig.axes[0].lines[0]

        def update_figure(self, fig):
            self.calls["update"] = self.calls.get("update", 0) + 1
            self.line.set_data(range(len(self.losses)), self.losses)

    w = Fast()
    first = bytes(w.image.value)
    w.step()
    w.step()
    assert w.calls["draw"] == 1 and w.calls["update"] == 2
    assert bytes(w.image.value) != first
    html = w.film(n_frames=3).data
    assert html.count("data:image/png;base64,") == 3


class Blitted(Descent):
    """A toy widget whose frames are blitted: a marker moves over a static curve, and a text changes."""

    def draw(self, fig):
        self.calls["draw"] += 1
        ax = fig.subplots()
        grid = np.linspace(-5, 5, 50)
        ax.plot(grid, grid**2, color="0.6")
        (self.marker,) = ax.plot([self.x], [self.x**2], "o", color="C1")
        self.label = ax.text(0.5, 0.9, "", transform=ax.transAxes, ha="center")
        self._show(fig)

    def update_figure(self, fig):
        self._show(fig)

    def _show(self, fig):
        self.marker.set_data([self.x], [self.x**2])
        self.label.set_text(f"x = {self.x:.3f}")
        limits = (-max(6.0, 2 * abs(self.x)), max(6.0, 2 * abs(self.x))), (-1.0, max(26.0, 1.2 * self.x**2))
        if limits != (fig.axes[0].get_xlim(), fig.axes[0].get_ylim()):  # rescaled: the (static) ticks change
            fig.axes[0].set(xlim=limits[0], ylim=limits[1])
            self.invalidate_background()

    def changing_artists(self):
        return [self.marker, self.label]


def _pixels(widget):
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(widget.image.value)).convert("RGBA"))


@pytest.mark.parametrize("lr", [0.1, 1.3])  # 1.3: |x| grows, so the axes get rescaled
def test_blitted_frames_are_the_pixels_of_full_redraws(lr):
    class FullRedraw(Blitted):
        update_figure = TrainingWidget.update_figure  # no update_figure: no blitting, draw() every frame

    fast, full = Blitted(), FullRedraw()
    for w in (fast, full):
        w.control_widgets["lr"].value = lr
    for frame in range(6):
        assert np.array_equal(_pixels(fast), _pixels(full)), f"frame {frame}"
        fast.step()
        full.step()
    assert fast.calls["draw"] == 1 and full.calls["draw"] == 7  # fast drew once, then blitted
    fast.figure.set_dpi(60)  # a resized figure: a new background
    full.figure.set_dpi(60)
    fast.step()
    full.step()
    assert np.array_equal(_pixels(fast), _pixels(full))


def test_frame_format_jpeg():
    class Jpeg(Blitted):
        frame_format = "jpeg"

    w = Jpeg()
    w.step()
    assert w.image.format == "jpeg" and bytes(w.image.value[:3]) == b"\xff\xd8\xff"


def test_frames_per_second(widget):
    rate = widget.frames_per_second(n=3)
    assert rate > 0
    assert widget.n_steps == 0


def test_play_in_an_event_loop_yields_and_pause_stops_it():
    async def scenario():
        w = Descent()
        w.frame_interval = 0.0
        w.play()
        assert w.playing and w.buttons["pause"].disabled is False
        assert w.n_steps == 0  # play returns at once; frames run in a task
        for _ in range(5):
            await asyncio.sleep(0)  # the loop runs other work between frames
        assert 1 <= w.n_steps <= 6
        w.buttons["pause"].click()
        stopped_at = w.n_steps
        await asyncio.sleep(0.01)
        assert w.n_steps == stopped_at and not w.playing
        assert w.buttons["play"].disabled is False
        # max_frames stops a run by itself
        w.play(max_frames=3)
        await w._task
        assert w.n_steps == stopped_at + 3

    asyncio.run(scenario())


def test_control_change_while_playing_restarts_and_keeps_playing():
    async def scenario():
        w = Descent()
        w.frame_interval = 0.0
        w.play()
        for _ in range(4):
            await asyncio.sleep(0)
        w.control_widgets["x0"].value = 1.0
        assert w.playing
        for _ in range(3):
            await asyncio.sleep(0)
        assert 1 <= w.n_steps <= 4 and w.losses[0] == pytest.approx(0.64)
        w.pause()

    asyncio.run(scenario())


def test_bug_in_train_step_while_playing_is_shown_not_lost(capsys):
    async def scenario():
        w = Descent()
        w.fault = "bug"
        w.frame_interval = 0.0
        w.play()
        await w._task
        return w

    w = asyncio.run(scenario())
    assert not w.playing
    assert "error: KeyError: &#x27;oops&#x27;" in w.status.value
    assert "KeyError" in capsys.readouterr().err


# ----------------------------------------------------------------------------- InteractivePlot


def draw_wave(fig, values):
    ax = fig.subplots()
    x = np.linspace(-3, 3, 50)
    ax.plot(x, np.tanh(values["a"] * x) + values["shift"])


def make_plot():
    return InteractivePlot(
        {"a": widgets.FloatSlider(value=1.0, min=0.1, max=5.0), "shift": widgets.Dropdown(options=[0, 1], value=0)},
        draw_wave,
    )


def test_interactive_plot_redraws_on_value_change():
    plot = make_plot()
    assert plot.n_draws == 1 and bytes(plot.image.value).startswith(PNG_SIGNATURE)
    before = bytes(plot.image.value)
    plot.control_widgets["a"].value = 3.0
    assert plot.n_draws == 2 and bytes(plot.image.value) != before
    assert plot.values == {"a": 3.0, "shift": 0}
    assert "application/vnd.jupyter.widget-view+json" in plot._repr_mimebundle_()


def test_interactive_plot_film():
    plot = make_plot()
    html = plot.film([{"a": 0.5}, {"a": 2.0}, {"a": 2.0, "shift": 1}]).data
    assert "<script" in html and html.count("data:image/png;base64,") == 3
    with pytest.raises(KeyError, match="unknown control"):
        plot.film([{"b": 1}])
    with pytest.raises(ValueError, match="at least one frame"):
        plot.film([])
    with pytest.raises(TypeError, match="draw"):
        InteractivePlot({}, draw="not callable")


def test_animate_needs_no_cdn():
    """Films must play offline: matplotlib's player links Font Awesome from a CDN; animate drops it."""
    from nnlib.book.widgets import FILM_DPI, animate, new_figure

    figure = new_figure((2, 1), FILM_DPI)
    ax = figure.add_subplot()
    film = animate(figure, lambda i: ax.plot([0, 1], [0, i]), n_frames=3, interval=100)
    assert "_anim_slider" in film.data
    assert "https://" not in film.data
