"""The perceptron chapter's run and data sets."""

import numpy as np
import pytest

from nnlib.book.experiments import PERCEPTRON_DATASETS, PerceptronRun, line_in_box, make_perceptron_dataset
from nnlib.data import logic_gate
from nnlib.perceptron import Perceptron


def test_gate_datasets_are_the_truth_tables():
    for name in ("AND", "OR", "XOR"):
        X, y, boundary = make_perceptron_dataset(name)
        X_ref, y_ref = logic_gate(name.lower())
        np.testing.assert_array_equal(X, X_ref)
        np.testing.assert_array_equal(y, y_ref)
        assert boundary is None


def test_generated_datasets():
    X, y, (w_star, b_star) = make_perceptron_dataset("separable", 30, seed=1)
    assert X.shape == (30, 2) and np.all((X @ w_star + b_star > 0) == (y == 1))
    X, y, boundary = make_perceptron_dataset("noisy", 30, seed=1)
    assert X.shape == (30, 2) and boundary is None
    with pytest.raises(ValueError, match="dataset"):
        make_perceptron_dataset("xor")  # the names are the dropdown's, upper case


def test_line_in_box():
    box = (-1.0, 1.0, -1.0, 1.0)
    np.testing.assert_allclose(sorted(line_in_box([1.0, 0.0], 0.0, box)[:, 1]), [-1.0, 1.0])  # x1 = 0
    np.testing.assert_allclose(line_in_box([0.0, 1.0], -0.5, box)[:, 1], [0.5, 0.5])  # x2 = 0.5
    assert line_in_box([1.0, 0.0], -5.0, box) is None  # x1 = 5, outside
    assert line_in_box([0.0, 0.0], 1.0, box) is None  # no line at all
    ends = line_in_box([1.0, -1.0], 0.0, box)  # the diagonal through two corners
    assert np.linalg.norm(ends[0] - ends[1]) == pytest.approx(2 * np.sqrt(2))


def test_a_run_counts_mistakes_and_ends_like_fit():
    run = PerceptronRun("separable", seed=1, epochs=100)
    steps = 0
    with pytest.raises(StopIteration):
        while True:
            metrics = run.step()
            steps += 1
    assert run.converged and metrics["converged"] == "yes" and run.epoch_done
    assert run.mistakes == sum(run.mistakes_per_epoch) == metrics["mistakes"]
    reference = Perceptron(2).fit(run.X, run.y, epochs=100)
    assert run.mistakes_per_epoch == reference.mistakes_per_epoch and run.mistakes <= run.bound
    assert steps == len(run.y) * len(run.mistakes_per_epoch)


@pytest.mark.parametrize("kwargs, name", [({"dataset": "moons"}, "dataset"), ({"init": "ones"}, "init"),
                                          ({"lr": 0.0}, "lr"), ({"epochs": 0}, "epochs")])
def test_bad_settings_name_themselves(kwargs, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        PerceptronRun(**kwargs)
    assert set(PERCEPTRON_DATASETS) == {"separable", "AND", "OR", "XOR", "noisy"}
