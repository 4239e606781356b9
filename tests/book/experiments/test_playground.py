"""The Playground's experiment: configuration, one run, and the code that reproduces it."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from nnlib import data
from nnlib.book.experiments.playground import (
    DEFAULT_NOISE,
    MAX_LAYERS,
    MAX_UNITS,
    PlaygroundConfig,
    PlaygroundRun,
    feature_map,
    generate_code,
)
from nnlib.training import fit


def test_experiments_import_no_user_interface():
    code = ("import sys, nnlib.book.experiments; "
            "print(sorted(m for m in ('ipywidgets', 'matplotlib', 'IPython') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_feature_map_columns():
    X = np.array([[1.0, 2.0], [-0.5, 0.25]])
    F = feature_map(X, ["sin(x2)", "x1", "x1*x2", "x2^2"])  # canonical order: x1, x2^2, x1*x2, sin(x2)
    expected = np.column_stack([X[:, 0], X[:, 1] ** 2, X[:, 0] * X[:, 1], np.sin(X[:, 1])])
    np.testing.assert_allclose(F, expected)


def test_xor_labels_are_the_xor_of_the_signs():
    X, y = data.make_xor(400, noise=0.0, rng=1)
    np.testing.assert_array_equal(y, ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(int))
    assert np.abs(X).min() >= 0.1 and set(np.unique(y)) == {0, 1}


@pytest.mark.parametrize(
    "kwargs, name, error",
    [
        ({"dataset": "swiss roll"}, "dataset", ValueError),
        ({"n_classes": 7}, "n_classes", ValueError),
        ({"dataset": "xor", "n_classes": 3}, "n_classes", ValueError),
        ({"noise": -0.1}, "noise", ValueError),
        ({"features": ()}, "features", ValueError),
        ({"features": ("x1", "x3")}, "features", ValueError),
        ({"features": "x1"}, "features", ValueError),
        ({"hidden": (4,) * (MAX_LAYERS + 1)}, "hidden", ValueError),
        ({"hidden": (MAX_UNITS + 1,)}, "hidden", ValueError),
        ({"hidden": (0,)}, "hidden", ValueError),
        ({"activation": "softmax"}, "activation", ValueError),
        ({"lr": 0}, "lr", ValueError),
        ({"lr": "fast"}, "lr", TypeError),
        ({"batch_size": 0}, "batch_size", ValueError),
        ({"regularization": "l3"}, "regularization", ValueError),
        ({"reg_rate": -1}, "reg_rate", ValueError),
        ({"optimizer": "rmsprop"}, "optimizer", ValueError),
        ({"train_ratio": 0.95}, "train_ratio", ValueError),
        ({"seed": -1}, "seed", ValueError),
        ({"n": 5}, "n", ValueError),
    ],
)
def test_invalid_arguments_raise_naming_the_argument(kwargs, name, error):
    with pytest.raises(error, match=rf"^{name}: expected"):
        PlaygroundConfig(**kwargs)


def test_error_lists_the_allowed_values_in_order():
    with pytest.raises(ValueError, match="'tanh'.*'relu'.*'linear'"):
        PlaygroundConfig(activation="gelu")


def test_config_defaults_and_derived_values():
    config = PlaygroundConfig(dataset="moons", regularization="l2", reg_rate=0.01, train_ratio=0.7)
    assert config.noise == DEFAULT_NOISE["moons"] and config.test_size == 0.3
    assert config.penalties == {"l2": 0.01} and config.loss == "softmax_cross_entropy" and config.n_outputs == 2
    regression = config.replace(dataset="regression")
    assert regression.loss == "mse" and regression.n_outputs == 1


def test_an_epoch_is_fit_for_one_epoch():
    """run_epoch does what fit(..., epochs=1) does with the same generator: the same weights, bit for bit."""
    config = PlaygroundConfig(dataset="spiral", optimizer="adam", regularization="l1", reg_rate=0.001)
    run, twin = PlaygroundRun(config), PlaygroundRun(config)
    for _ in range(3):
        run.run_epoch()
        fit(twin.model, twin.F_train, twin.y_train, loss=config.loss, optimizer=twin.optimizer, epochs=1,
            batch_size=twin.batch_size, rng=twin.rng, l1=0.001)
    for name, value in run.model.parameters().items():
        np.testing.assert_array_equal(twin.model.parameters()[name], value, err_msg=name)
    assert run.epochs == 3 and len(run.curves["loss"]) == 4


def test_loss_decreases_on_circle():
    run = PlaygroundRun(PlaygroundConfig(dataset="circle", lr=0.1))
    for _ in range(40):
        metrics = run.run_epoch()
    assert run.curves["loss"][-1] < 0.6 * run.curves["loss"][0]
    assert run.curves["test_loss"][-1] < 0.6 * run.curves["test_loss"][0]
    assert metrics["test_accuracy"] > 0.8


def test_generate_code_for_a_config_without_a_widget():
    source = generate_code(PlaygroundConfig(dataset="moons", n=40), epochs=2)
    namespace = {}
    exec(source, namespace)
    assert namespace["history"].epochs == [1, 2]
    with pytest.raises(TypeError, match="config"):
        PlaygroundRun({"dataset": "moons"})
