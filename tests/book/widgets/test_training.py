"""TrainingWidget, driven headlessly through its methods and its buttons' callbacks."""

import asyncio
import io

import numpy as np
import pytest

widgets = pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nnlib.book.widgets import TrainingWidget  # noqa: E402
from nnlib.book.widgets.controls import Number  # noqa: E402

JPEG_SIGNATURE = b"\xff\xd8\xff"
HEADLINE = 24  # pixels at the top of a frame that hold the headline


class Descent(TrainingWidget):
    """Gradient descent on f(x) = x^2 with a learning-rate control; `fault` makes it misbehave."""

    headless_frames = 3
    fault = None  # None | "nan" | "raise" | "python overflow" | "overflow" | "stop" | "bug"

    def controls(self):
        return {
            "lr": Number(0.1, 0.01, 3.0, "learning rate"),
            "x0": widgets.FloatSlider(value=3.0, min=-5, max=5),  # a ready-made ipywidgets control works too
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


def pixels(widget) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(widget.image.value)).convert("RGB"), dtype=int)


def same_picture_below_the_headline(a: np.ndarray, b: np.ndarray) -> bool:
    return np.abs(a[HEADLINE:] - b[HEADLINE:]).max() <= 8  # JPEG: equal up to rounding


@pytest.fixture
def widget():
    return Descent()


def test_builds_at_step_zero(widget):
    assert widget.n_steps == 0 and widget.state_metrics == {}
    assert widget.image.format == "jpeg" and bytes(widget.image.value).startswith(JPEG_SIGNATURE)
    assert widget.status_text() == "step 0" and "ready" in widget.status.value
    assert set(widget.buttons) == {"play", "pause", "step", "reset"}
    assert widget.control_widgets["x0"].description == "x0"  # unnamed control named after its key
    assert widget.control_widgets["lr"].continuous_update is False
    assert isinstance(widget.ui, widgets.VBox)
    bundle = widget._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "nnlib-widget-snapshot" in bundle["text/html"] and "learning rate: <b>0.1</b>" in bundle["text/html"]


def test_the_image_is_shown_at_its_pixel_size(widget):
    width, height = widget.figure.canvas.get_width_height()
    layout = widget.image.layout
    assert layout.width == f"{width}px" and layout.height == "auto" and layout.max_width == "100%"


class Quiet(Descent):
    """Only control models: nothing of ipywidgets exists before the widget is shown."""

    def controls(self):
        return {"lr": Number(0.1, 0.01, 3.0, "learning rate"), "x0": Number(3.0, -5.0, 5.0, "x0")}


def test_no_ipywidgets_until_shown(monkeypatch):
    opened = []
    monkeypatch.setattr(widgets.Widget, "open", lambda self: opened.append(type(self).__name__))
    quiet = Quiet()
    quiet.step()
    quiet.film(n_frames=2)
    assert opened == []  # a film or a headless run opens no comm (and leaves no widget state in a notebook)
    quiet.control_widgets  # showing it builds the user interface
    assert "FloatSlider" in opened and "Image" in opened and "Button" in opened


def test_step_method_and_button_advance_and_redraw(widget):
    first_image = bytes(widget.image.value)
    metrics = widget.step()
    assert widget.n_steps == 1 and metrics["loss"] == pytest.approx((3.0 * 0.8) ** 2)
    assert bytes(widget.image.value) != first_image
    widget.buttons["step"].click()
    assert widget.n_steps == 2
    assert "step 2" in widget.status_text() and "loss 3.686" in widget.status_text()
    headline = widget.figure.texts[0].get_text()
    assert headline == widget.status_text() and "paused" in widget.status.value


def test_steps_per_frame():
    w = Descent(steps_per_frame=5)
    w.step()
    assert w.n_steps == 5 and len(w.losses) == 5
    assert w.calls["draw"] == 1  # no picture before it was needed, then one per frame
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
    assert widget.status_text() == "step 0"


def test_changing_a_control_resets_the_run(widget):
    widget.step()
    widget.control_widgets["lr"].value = 0.5
    assert widget.n_steps == 0 and widget.lr == 0.5
    assert widget.values == {"lr": 0.5, "x0": 3.0}
    widget.step()
    assert widget.x == 0.0


def test_set_values_checks_and_resets_without_a_user_interface():
    w = Descent()
    w.step()
    w.set_values(lr=0.5)
    assert w.n_steps == 0 and w.lr == 0.5 and w._ui is None
    with pytest.raises(ValueError, match=r"^lr: expected a value in \[0.01, 3\], got 9.0"):
        w.set_values(lr=9.0)
    with pytest.raises(KeyError, match="unknown control"):
        w.set_values(momentum=0.9)
    assert w.values["lr"] == 0.5  # nothing lost


@pytest.mark.parametrize("fault", ["nan", "overflow"])
def test_non_finite_loss_stops_with_a_message_and_keeps_the_last_picture(fault):
    w = Descent()
    w.fault = fault
    for _ in range(3):
        w.step()
    last_good, draws = pixels(w), w.calls["draw"]
    w.step()
    value = "nan" if fault == "nan" else "inf"
    assert f"diverged: loss became {value} at step 4 — lower the learning rate" in w.status.value
    assert w.figure.texts[0].get_text() == w.diverged  # the headline says so
    assert w.diverged and same_picture_below_the_headline(pixels(w), last_good) and w.calls["draw"] == draws
    w.step()
    w.play()
    assert w.n_steps == 4  # nothing runs until a reset
    w.reset()
    assert w.diverged is None and "diverged" not in w.status.value


def test_floating_point_error_from_train_step_is_reported(widget):
    widget.fault = "raise"
    widget.step()
    widget.step()
    last_good = pixels(widget)
    widget.step()  # raises inside: caught
    assert widget.n_steps == 2  # the failed step is not counted
    assert "diverged at step 3: FloatingPointError: loss is inf at epoch 1, batch 3" in widget.status.value
    assert "lower the learning rate" in widget.status.value
    assert same_picture_below_the_headline(pixels(widget), last_good)


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
    assert "finished" in widget.status_text() and "finished" in widget.status.value


class Thrashing(Descent):
    """A loss that jumps up and down, as with too large a learning rate."""

    def train_step(self):
        self.losses.append(3.0 if len(self.losses) % 2 else 1.0)
        return {"loss": self.losses[-1]}


def test_a_loss_that_does_not_go_down_is_reported():
    w = Thrashing()
    w.steps_per_frame = 2 * w.watch_window
    w.step()
    assert "not going down" in w.status.value and "smaller" in w.status.value
    assert w.progress_message and not w.diverged
    w.reset()
    assert w.progress_message is None and "not going down" not in w.status.value
    healthy = Descent()
    healthy.steps_per_frame = 40
    healthy.step()
    assert healthy.progress_message is None


def test_metric_labels_name_the_metrics_in_the_headline():
    class Labelled(Descent):
        metric_labels = {"loss": "squared distance"}
        step_name = "move"

    w = Labelled()
    w.step()
    assert w.status_text().startswith("move 1 · squared distance 5.76 · x 2.4")


def test_film_is_an_animation_of_the_same_run(widget):
    widget.step()
    steps_before = len(widget.losses)
    film = widget.film(n_frames=5, steps_per_frame=2)
    assert "<script" in film.data and "_anim_img" in film.data and film.n_frames == 5
    assert film.data.count("data:image/png;base64,") == 5
    assert widget.n_steps == 0  # reset afterwards
    assert steps_before == 1
    assert "5 frames" in repr(film)


def test_film_and_fps_validate_their_arguments(widget):
    for bad in (0, -1, 2.5, True):
        with pytest.raises((ValueError, TypeError), match="n_frames"):
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


def test_film_runs_the_live_widget_s_steps_and_starts_after_the_first_frame_s_steps(widget):
    seen = []
    original = widget.train_step

    def recording_step():
        metrics = original()
        seen.append(metrics["loss"])
        return metrics

    widget.train_step = recording_step
    widget.film(n_frames=4, steps_per_frame=3)
    assert len(seen) == 12  # frame i shows the state after (i + 1) * 3 steps
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
            return {"line": fig.axes[0].lines[0]}

        def update_figure(self, fig):
            self.calls["update"] = self.calls.get("update", 0) + 1
            self.drawn(fig)["line"].set_data(range(len(self.losses)), self.losses)

    w = Fast()
    first = bytes(w.image.value)
    w.step()
    w.step()
    assert w.calls["draw"] == 1 and w.calls["update"] == 2
    assert bytes(w.image.value) != first
    html = w.film(n_frames=3).data
    assert html.count("data:image/png;base64,") == 3


def test_frame_format_png():
    class Png(Descent):
        frame_format = "png"

    w = Png()
    w.step()
    assert w.image.format == "png" and bytes(w.image.value[:8]) == b"\x89PNG\r\n\x1a\n"


def test_frames_per_second(widget):
    rate = widget.frames_per_second(n=3)
    assert rate > 0
    assert widget.n_steps == 0


def test_play_in_an_event_loop_yields_and_pause_stops_it():
    async def scenario():
        w = Descent()
        w.frame_interval = w._player.frame_interval = 0.0
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
        await w._player.wait()
        assert w.n_steps == stopped_at + 3

    asyncio.run(scenario())


def test_control_change_while_playing_restarts_and_keeps_playing():
    async def scenario():
        w = Descent()
        w._player.frame_interval = 0.0
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
        w._player.frame_interval = 0.0
        w.play()
        await w._player.wait()
        return w

    w = asyncio.run(scenario())
    assert not w.playing
    assert "error: KeyError: &#x27;oops&#x27;" in w.status.value
    assert "KeyError" in capsys.readouterr().err
