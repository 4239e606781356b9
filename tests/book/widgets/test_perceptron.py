"""Tests of the perceptron widget (chapter "The perceptron"), driven headlessly."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nnlib.book.experiments.perceptron import PERCEPTRON_DATASETS as DATASETS  # noqa: E402
from nnlib.book.widgets import PerceptronWidget, TrainingWidget  # noqa: E402
from nnlib.perceptron import Perceptron  # noqa: E402

JPEG_SIGNATURE = b"\xff\xd8\xff"


def png(widget) -> bytes:
    return bytes(widget.image.value)


def run_to_end(widget, max_steps=10_000):
    """Train until the run finishes (converged or out of epochs), in one frame; return the steps taken."""
    widget.steps_per_frame = max_steps  # one redraw at the end instead of one per step: fast
    widget.step()
    assert widget.finished, "the run did not finish within max_steps"
    return widget.n_steps


# ----------------------------------------------------------------------------- construction


@pytest.mark.parametrize("dataset", DATASETS)
def test_widget_builds_for_every_dataset(dataset):
    w = PerceptronWidget(dataset=dataset)
    assert set(w.control_widgets) == {"dataset", "lr", "epochs", "init", "seed"}
    assert w.control_widgets["dataset"].value == dataset
    assert w.n_steps == 0 and w.run.mistakes == 0 and w.run.last is None
    assert png(w).startswith(JPEG_SIGNATURE)
    assert w.run.X.shape[1] == 2 and w.run.X.shape[0] == w.run.y.shape[0]
    assert (w.run.bound is not None) == (dataset == "separable")


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError, match="dataset"):
        PerceptronWidget(dataset="moons")
    with pytest.raises(ValueError, match="init"):
        PerceptronWidget(init="ones")


# ----------------------------------------------------------------------------- stepping


def test_one_step_is_one_example_and_updates_the_state():
    w = PerceptronWidget(dataset="separable", seed=0)
    before = png(w)
    w.step()
    assert w.n_steps == 1
    assert w.run.last is not None and w.run.last.epoch == 0 and w.run.last.index == 0
    assert w.state_metrics["epoch"] == 1
    assert w.state_metrics["mistakes"] == int(w.run.last.mistake)
    assert png(w) != before  # the current example is ringed now
    # Keep stepping until a mistake happens: the weights change and the counter goes up.
    weights = (w.run.perceptron.w.copy(), w.run.perceptron.b)
    mistakes = w.run.mistakes
    while not w.run.last.mistake:
        weights, mistakes = (w.run.perceptron.w.copy(), w.run.perceptron.b), w.run.mistakes
        w.step()
    assert w.run.mistakes == mistakes + 1
    assert w.state_metrics["mistakes"] == w.run.mistakes
    changed = not np.array_equal(weights[0], w.run.perceptron.w) or weights[1] != w.run.perceptron.b
    assert changed
    # The rule, exactly: the change is eta (y - y_hat) (x, 1).
    error = w.run.last.y - w.run.last.y_hat
    np.testing.assert_allclose(w.run.perceptron.w - weights[0], w.run.perceptron.lr * error * w.run.last.x)
    assert w.run.perceptron.b - weights[1] == pytest.approx(w.run.perceptron.lr * error)


def test_counters_agree_with_the_records():
    w = PerceptronWidget(dataset="noisy", epochs=3, seed=4, n_points=10, dpi=30)
    records_mistakes = 0
    for _ in range(2 * len(w.run.y) + 5):  # into the third epoch
        w.step()
        records_mistakes += int(w.run.last.mistake)
    assert w.run.mistakes == records_mistakes == sum(w.run.mistakes_per_epoch)
    assert len(w.run.mistakes_per_epoch) == 3 == w.state_metrics["epoch"]
    assert w.state_metrics["epoch_mistakes"] == w.run.mistakes_per_epoch[-1]
    accuracy = np.mean(w.run.perceptron.predict(w.run.X) == w.run.y)
    assert w.state_metrics["accuracy"] == pytest.approx(accuracy)
    assert "mistakes" in w.status_text()


def test_steps_per_frame_and_headless_play():
    w = PerceptronWidget(dataset="XOR", steps_per_frame=4)
    w.step()
    assert w.n_steps == 4 and w.state_metrics["epoch"] == 1
    w.play(max_frames=2)  # no event loop here: runs synchronously
    assert w.n_steps == 12


def test_separable_run_converges_like_fit_and_within_the_bound():
    w = PerceptronWidget(dataset="separable", epochs=100, seed=1)
    run_to_end(w)
    assert w.finished and w.run.converged
    assert w.state_metrics["converged"] == "yes"
    assert w.run.mistakes_per_epoch[-1] == 0
    assert np.all(w.run.perceptron.predict(w.run.X) == w.run.y)
    reference = Perceptron(2).fit(w.run.X, w.run.y, epochs=100)
    assert w.run.mistakes_per_epoch == reference.mistakes_per_epoch
    np.testing.assert_array_equal(w.run.perceptron.w, reference.w)
    assert w.run.mistakes <= w.run.bound


def test_xor_never_has_an_epoch_without_mistakes():
    epochs = 15
    w = PerceptronWidget(dataset="XOR", epochs=epochs)
    steps = run_to_end(w)
    assert steps == 4 * epochs  # ran out of epochs instead of converging
    assert w.finished and not w.run.converged
    assert len(w.run.mistakes_per_epoch) == epochs
    assert min(w.run.mistakes_per_epoch) >= 1
    assert "converged" not in w.state_metrics
    w.step()  # after the end, stepping does nothing
    assert w.n_steps == steps


def test_and_and_or_converge():
    for name in ("AND", "OR"):
        w = PerceptronWidget(dataset=name, epochs=50)
        run_to_end(w)
        assert w.run.converged, name


# ----------------------------------------------------------------------------- controls


def test_changing_a_control_resets_the_run():
    w = PerceptronWidget(dataset="separable")
    for _ in range(5):
        w.step()
    assert w.n_steps == 5
    w.control_widgets["dataset"].value = "XOR"
    assert w.n_steps == 0 and w.run.mistakes == 0 and w.run.last is None
    assert w.run.X.shape == (4, 2)
    np.testing.assert_array_equal(w.run.perceptron.w, [0.0, 0.0])
    w.control_widgets["seed"].value = 7
    w.control_widgets["dataset"].value = "noisy"
    X_seed7 = w.run.X.copy()
    w.control_widgets["seed"].value = 8
    assert not np.array_equal(w.run.X, X_seed7)


def test_learning_rate_only_scales_the_weights_from_zero():
    runs = {}
    for lr in (1.0, 0.25):
        w = PerceptronWidget(dataset="separable", seed=3)
        w.control_widgets["lr"].value = lr
        assert w.run.perceptron.lr == lr
        run_to_end(w)
        runs[lr] = (list(w.run.mistakes_per_epoch), w.run.perceptron.w.copy(), w.run.perceptron.b)
    assert runs[1.0][0] == runs[0.25][0]
    np.testing.assert_array_equal(runs[1.0][1], 4 * runs[0.25][1])
    assert runs[1.0][2] == 4 * runs[0.25][2]


def test_normal_init_starts_from_nonzero_weights():
    w = PerceptronWidget(dataset="OR")
    w.control_widgets["init"].value = "normal"
    assert np.all(w.run.perceptron.w != 0)


def test_epochs_control_limits_training():
    w = PerceptronWidget(dataset="XOR")
    w.control_widgets["epochs"].value = 2
    assert run_to_end(w) == 8


# ----------------------------------------------------------------------------- drawing


def test_drawing_marks_updates_and_misclassified_points():
    w = PerceptronWidget(dataset="XOR")
    w.step()  # (0, 0) with label 0 and z = 0: predicted 1, a mistake
    assert w.run.last.mistake
    artists = w.drawn()
    assert artists["ring"].get_visible() and tuple(artists["ring"].get_edgecolor()[0][:3]) == (0.0, 0.0, 0.0)
    wrong = w.run.perceptron.predict(w.run.X) != w.run.y  # w = (0, 0), b = -1: the class-1 points are wrong
    assert wrong.any() and np.array_equal(artists["wrong"].get_offsets(), w.run.X[wrong])
    legend = [t.get_text() for t in w.figure.legends[0].get_texts()]
    assert {"class 0", "class 1", "predicted 0", "predicted 1", "misclassified", "update (mistake)"} <= set(legend)
    assert artists["counts_title"].get_text() == "mistakes per epoch (total 1)"


def test_text_is_at_least_ten_pixels():
    w = PerceptronWidget(dataset="separable")
    w.step()
    sizes = [t.get_fontsize() for t in w.figure.findobj(lambda a: hasattr(a, "get_fontsize")) if t.get_text()]
    assert min(sizes) * w.figure.dpi / 72 >= 10


class _RedrawnEveryFrame(PerceptronWidget):
    update_figure = TrainingWidget.update_figure  # not overridden: the base class redraws every frame


@pytest.mark.parametrize(
    "kwargs",
    [
        {"dataset": "XOR", "epochs": 3},  # runs to the end
        {"dataset": "separable", "seed": 2},
        {"dataset": "noisy", "init": "normal", "lr": 0.01, "seed": 5},  # tiny w: the boundary starts outside
    ],
)
def test_updating_in_place_gives_the_same_picture_as_redrawing(kwargs):
    fast, slow = PerceptronWidget(dpi=40, **kwargs), _RedrawnEveryFrame(dpi=40, **kwargs)
    assert png(fast) == png(slow)
    for frame in range(15):
        fast.steps_per_frame = slow.steps_per_frame = 1 + frame % 4  # across epochs, so new bars appear
        fast.step()
        slow.step()
        assert fast.n_steps == slow.n_steps
        assert png(fast) == png(slow), f"frame {frame + 1} differs"


def test_film_returns_html_with_the_requested_frames():
    w = PerceptronWidget(dataset="XOR")
    film = w.film(n_frames=6, steps_per_frame=2)
    html = film.data
    assert "<script" in html and "frames[5]" in html and "frames[6]" not in html and film.n_frames == 6
    assert w.n_steps == 0  # the widget is reset after filming
