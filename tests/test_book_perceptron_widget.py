"""Tests of the perceptron widget (chapter "The perceptron"), driven headlessly."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nnlib.book.perceptron_widget import (  # noqa: E402
    DATASETS,
    PerceptronWidget,
    _line_in_box,
    make_dataset,
)
from nnlib.book.widgets import TrainingWidget  # noqa: E402
from nnlib.data import logic_gate  # noqa: E402
from nnlib.perceptron import Perceptron  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


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
    assert w.n_steps == 0 and w.mistakes == 0 and w.last is None
    assert png(w).startswith(PNG_SIGNATURE)
    assert w.X.shape[1] == 2 and w.X.shape[0] == w.y.shape[0]
    assert (w.bound is not None) == (dataset == "separable")


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError, match="dataset"):
        PerceptronWidget(dataset="moons")
    with pytest.raises(ValueError, match="init"):
        PerceptronWidget(init="ones")
    with pytest.raises(ValueError, match="dataset"):
        make_dataset("xor")  # the names are the dropdown's, upper case


def test_gate_datasets_are_the_truth_tables():
    for name in ("AND", "OR", "XOR"):
        X, y, boundary = make_dataset(name)
        X_ref, y_ref = logic_gate(name.lower())
        np.testing.assert_array_equal(X, X_ref)
        np.testing.assert_array_equal(y, y_ref)
        assert boundary is None


# ----------------------------------------------------------------------------- stepping


def test_one_step_is_one_example_and_updates_the_state():
    w = PerceptronWidget(dataset="separable", seed=0)
    before = png(w)
    w.step()
    assert w.n_steps == 1
    assert w.last is not None and w.last.epoch == 0 and w.last.index == 0
    assert w.state_metrics["epoch"] == 1
    assert w.state_metrics["mistakes"] == int(w.last.mistake)
    assert png(w) != before  # the current example is ringed now
    # Keep stepping until a mistake happens: the weights change and the counter goes up.
    weights = (w.perceptron.w.copy(), w.perceptron.b)
    mistakes = w.mistakes
    while not w.last.mistake:
        weights, mistakes = (w.perceptron.w.copy(), w.perceptron.b), w.mistakes
        w.step()
    assert w.mistakes == mistakes + 1
    assert w.state_metrics["mistakes"] == w.mistakes
    changed = not np.array_equal(weights[0], w.perceptron.w) or weights[1] != w.perceptron.b
    assert changed
    # The rule, exactly: the change is eta (y - y_hat) (x, 1).
    error = w.last.y - w.last.y_hat
    np.testing.assert_allclose(w.perceptron.w - weights[0], w.perceptron.lr * error * w.last.x)
    assert w.perceptron.b - weights[1] == pytest.approx(w.perceptron.lr * error)


def test_counters_agree_with_the_records():
    w = PerceptronWidget(dataset="noisy", epochs=3, seed=4, n_points=10, dpi=30)
    records_mistakes = 0
    for _ in range(2 * len(w.y) + 5):  # into the third epoch
        w.step()
        records_mistakes += int(w.last.mistake)
    assert w.mistakes == records_mistakes == sum(w.mistakes_per_epoch)
    assert len(w.mistakes_per_epoch) == 3 == w.state_metrics["epoch"]
    assert w.state_metrics["epoch_mistakes"] == w.mistakes_per_epoch[-1]
    accuracy = np.mean(w.perceptron.predict(w.X) == w.y)
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
    assert w.finished and w.converged
    assert w.state_metrics["converged"] == "yes"
    assert w.mistakes_per_epoch[-1] == 0
    assert np.all(w.perceptron.predict(w.X) == w.y)
    reference = Perceptron(2).fit(w.X, w.y, epochs=100)
    assert w.mistakes_per_epoch == reference.mistakes_per_epoch
    np.testing.assert_array_equal(w.perceptron.w, reference.w)
    assert w.mistakes <= w.bound


def test_xor_never_has_an_epoch_without_mistakes():
    epochs = 15
    w = PerceptronWidget(dataset="XOR", epochs=epochs)
    steps = run_to_end(w)
    assert steps == 4 * epochs  # ran out of epochs instead of converging
    assert w.finished and not w.converged
    assert len(w.mistakes_per_epoch) == epochs
    assert min(w.mistakes_per_epoch) >= 1
    assert "converged" not in w.state_metrics
    w.step()  # after the end, stepping does nothing
    assert w.n_steps == steps


def test_and_and_or_converge():
    for name in ("AND", "OR"):
        w = PerceptronWidget(dataset=name, epochs=50)
        run_to_end(w)
        assert w.converged, name


# ----------------------------------------------------------------------------- controls


def test_changing_a_control_resets_the_run():
    w = PerceptronWidget(dataset="separable")
    for _ in range(5):
        w.step()
    assert w.n_steps == 5
    w.control_widgets["dataset"].value = "XOR"
    assert w.n_steps == 0 and w.mistakes == 0 and w.last is None
    assert w.X.shape == (4, 2)
    np.testing.assert_array_equal(w.perceptron.w, [0.0, 0.0])
    w.control_widgets["seed"].value = 7
    w.control_widgets["dataset"].value = "noisy"
    X_seed7 = w.X.copy()
    w.control_widgets["seed"].value = 8
    assert not np.array_equal(w.X, X_seed7)


def test_learning_rate_only_scales_the_weights_from_zero():
    runs = {}
    for lr in (1.0, 0.25):
        w = PerceptronWidget(dataset="separable", seed=3)
        w.control_widgets["lr"].value = lr
        assert w.perceptron.lr == lr
        run_to_end(w)
        runs[lr] = (list(w.mistakes_per_epoch), w.perceptron.w.copy(), w.perceptron.b)
    assert runs[1.0][0] == runs[0.25][0]
    np.testing.assert_array_equal(runs[1.0][1], 4 * runs[0.25][1])
    assert runs[1.0][2] == 4 * runs[0.25][2]


def test_normal_init_starts_from_nonzero_weights():
    w = PerceptronWidget(dataset="OR")
    w.control_widgets["init"].value = "normal"
    assert np.all(w.perceptron.w != 0)


def test_epochs_control_limits_training():
    w = PerceptronWidget(dataset="XOR")
    w.control_widgets["epochs"].value = 2
    assert run_to_end(w) == 8


# ----------------------------------------------------------------------------- drawing


def test_drawing_marks_updates_and_misclassified_points():
    w = PerceptronWidget(dataset="XOR")
    w.step()  # (0, 0) with label 0 and z = 0: predicted 1, a mistake
    assert w.last.mistake
    labels = w.figure.axes[1].get_legend_handles_labels()[1] or [
        t.get_text() for t in w.figure.axes[1].get_legend().get_texts()
    ]
    assert "update" in labels
    assert "misclassified" in labels  # w = (0, 0), b = -1: the class-1 points are wrong


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


def test_line_in_box():
    box = (-1.0, 1.0, -1.0, 1.0)
    np.testing.assert_allclose(sorted(_line_in_box([1.0, 0.0], 0.0, box)[:, 1]), [-1.0, 1.0])  # x1 = 0
    np.testing.assert_allclose(_line_in_box([0.0, 1.0], -0.5, box)[:, 1], [0.5, 0.5])  # x2 = 0.5
    assert _line_in_box([1.0, 0.0], -5.0, box) is None  # x1 = 5, outside
    assert _line_in_box([0.0, 0.0], 1.0, box) is None  # no line at all
    ends = _line_in_box([1.0, -1.0], 0.0, box)  # the diagonal through two corners
    assert np.linalg.norm(ends[0] - ends[1]) == pytest.approx(2 * np.sqrt(2))


def test_film_returns_html_with_the_requested_frames():
    w = PerceptronWidget(dataset="XOR")
    film = w.film(n_frames=6, steps_per_frame=2)
    html = film.data
    assert "<script" in html and "frames[5]" in html and "frames[6]" not in html
    assert w.n_steps == 0  # the widget is reset after filming
