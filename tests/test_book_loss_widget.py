"""The loss race widget of chapter 3, driven headlessly."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nnlib import losses  # noqa: E402
from nnlib.activations import sigmoid  # noqa: E402
from nnlib.book.loss_widget import LogisticRun, LossRace, make_1d_data  # noqa: E402


def test_make_1d_data_is_balanced_and_seeded():
    x, y = make_1d_data(40, rng=0)
    assert x.shape == (40, 1) and y.shape == (40, 1)
    assert y.sum() == 20
    x2, _ = make_1d_data(40, rng=0)
    assert np.array_equal(x, x2)
    assert x[y[:, 0] == 1].mean() > 0 > x[y[:, 0] == 0].mean()
    with pytest.raises(ValueError, match="even"):
        make_1d_data(41)


@pytest.mark.parametrize("loss", ["ce", "mse", "mae"])
def test_one_step_is_gradient_descent_on_the_stated_loss(loss):
    x, y = make_1d_data(20, rng=3)
    run = LogisticRun(x, y, loss, lr=0.3, w0=0.7, b0=-0.2)
    z = 0.7 * x - 0.2
    if loss == "ce":
        _, dz = losses.bce_with_logits_loss(z, y)
    else:
        fn = losses.mse_loss if loss == "mse" else losses.mae_loss
        _, dp = fn(sigmoid(z), y)
        dz = dp * sigmoid(z) * (1 - sigmoid(z))
    dw, db = float(np.sum(dz * x)), float(np.sum(dz))
    metrics = run.step()
    assert run.weight == pytest.approx(0.7 - 0.3 * dw, abs=1e-12)
    assert run.bias == pytest.approx(-0.2 - 0.3 * db, abs=1e-12)
    assert metrics["grad_w"] == pytest.approx(abs(dw), abs=1e-12)
    assert metrics["ce"] == pytest.approx(losses.bce_with_logits_loss(z, y)[0])


def test_widget_steps_and_cross_entropy_wins_from_a_confidently_wrong_start():
    widget = LossRace()
    assert widget.n_steps == 0
    image_before = widget.image.value
    for _ in range(4):
        widget.step()
    assert widget.n_steps == 4 * widget.steps_per_frame
    assert widget.image.value != image_before
    assert set(widget.state_metrics) == {"loss", "CE of rival", "rival loss"}
    # the default start w0 = -4 is confidently wrong: cross-entropy escapes, MSE on the sigmoid lags
    assert widget.ce_run.weight > 0
    assert widget.rival_run.weight < 0
    assert widget.state_metrics["loss"] < 0.2 < widget.state_metrics["CE of rival"]


def test_changing_a_control_restarts_the_run():
    widget = LossRace()
    widget.step()
    widget.control_widgets["rival"].value = "mae"
    assert widget.n_steps == 0
    assert widget.rival_run.loss_name == "mae"
    widget.control_widgets["w0"].value = 2.0
    assert widget.ce_run.weight == widget.rival_run.weight == 2.0
    widget.step()
    assert widget.n_steps == widget.steps_per_frame


def test_film_is_small_and_resets_the_widget():
    widget = LossRace()
    film = widget.film(n_frames=3, steps_per_frame=2)
    assert "<script" in film.data and film.data.count("data:image/png;base64") >= 1
    assert widget.n_steps == 0


def _artist_state(fig):
    """The data of everything drawn: curves, legend texts and visibility, axes limits."""
    state = []
    for ax in fig.axes:
        state.append((ax.get_xlim(), ax.get_ylim()))
        state.extend((np.asarray(line.get_xdata()).tolist(), np.asarray(line.get_ydata()).tolist()) for line in ax.lines)
        legend = ax.get_legend()
        state.append((legend.get_visible(), [text.get_text() for text in legend.get_texts()]))
    return state


@pytest.mark.parametrize("settings", [{}, {"rival": "mae", "lr": 10.0, "w0": 3.0}])
def test_update_figure_gives_the_state_of_a_full_redraw(settings):
    from nnlib.book.widgets import new_figure

    widget = LossRace()
    for name, value in settings.items():
        widget.control_widgets[name].value = value
    for _ in range(12):  # 60 steps: past the first 50 steps of the loss axis
        widget.step()
        redrawn = new_figure(widget.figsize, widget.dpi)
        widget.draw(redrawn)
        assert _artist_state(widget.figure) == _artist_state(redrawn)


def test_blitted_frames_are_the_pixels_of_full_redraws():
    import io

    from PIL import Image

    from nnlib.book.widgets import TrainingWidget

    class FullRedraw(LossRace):  # the base class's path: draw() from scratch for every frame
        update_figure = TrainingWidget.update_figure
        render = TrainingWidget.render

    def pixels(widget):
        return np.asarray(Image.open(io.BytesIO(widget.image.value)).convert("RGBA"))

    fast, full = LossRace(), FullRedraw()
    for frame in range(12):
        assert np.array_equal(pixels(fast), pixels(full)), f"frame {frame}"
        fast.step()
        full.step()
    fast.reset()
    full.reset()
    fast.step()
    full.step()
    assert np.array_equal(pixels(fast), pixels(full))
