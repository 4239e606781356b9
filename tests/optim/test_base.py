"""Tests for nnlib.optim.base (through every optimizer): in-place updates, dtypes, state, validation."""

import numpy as np
import pytest

from nnlib.models import mlp
from nnlib.optim import SGD, AdaGrad, Adam, AdamW, Momentum, Optimizer, RMSprop


@pytest.mark.parametrize("cls", [SGD, Momentum, AdaGrad, RMSprop, Adam, AdamW])
def test_updates_in_place_and_reach_the_model(cls):
    model = mlp([3, 4, 2], "tanh", rng=0)
    params = model.parameters()
    W_before = params["0.W"].copy()
    W_object = model[0].params["W"]
    opt = cls(params, lr=0.1)
    grads = {k: np.ones_like(v) for k, v in params.items()}
    opt.step(grads)
    assert model[0].params["W"] is W_object
    assert not np.allclose(model[0].params["W"], W_before)
    assert np.all(grads["0.W"] == 1.0)  # gradients are not modified


@pytest.mark.parametrize("cls", [SGD, Momentum, AdaGrad, RMSprop, Adam, AdamW])
def test_float32_parameters_stay_float32(cls):
    w = np.ones(3, dtype=np.float32)
    opt = cls({"w": w}, lr=0.1)
    opt.step({"w": np.full(3, 0.5, dtype=np.float32)})
    opt.step({"w": np.full(3, 0.5, dtype=np.float32)})
    assert w.dtype == np.float32
    assert np.all(w < 1)
    assert all(buf.dtype == np.float32 for buf in opt.state["w"].values())


def test_state_is_per_parameter_and_reset_clears_it():
    a, b = np.zeros(2), np.zeros(3)
    opt = Adam({"a": a, "b": b}, lr=0.1)
    opt.step({"a": np.ones(2), "b": -np.ones(3)})
    assert opt.state["a"]["m"].shape == (2,) and opt.state["b"]["m"].shape == (3,)
    np.testing.assert_allclose(opt.state["b"]["m"], -0.1)
    opt.reset()
    assert opt.t == 0 and opt.state == {"a": {}, "b": {}}


def test_lr_can_be_changed_and_is_validated():
    w = np.zeros(1)
    opt = SGD({"w": w}, lr=0.1)
    opt.lr = 1.0
    opt.step({"w": np.array([1.0])})
    assert w[0] == -1.0
    with pytest.raises(ValueError, match=r"lr: expected a value in \[0, inf\), got -0.5"):
        opt.lr = -0.5
    assert opt.lr == 1.0  # the refused value left the rate as it was
    opt.lr = 0.0  # allowed, as in PyTorch: a schedule may end at zero; the step changes nothing
    opt.step({"w": np.array([1.0])})
    assert w[0] == -1.0


@pytest.mark.parametrize(
    "cls, kwargs, error",
    [
        (SGD, {"lr": -0.1}, ValueError),
        (SGD, {"lr": float("nan")}, ValueError),
        (SGD, {"lr": "0.1"}, TypeError),
        (Momentum, {"beta": 1.0}, ValueError),
        (Momentum, {"beta": -0.1}, ValueError),
        (Momentum, {"form": "nesterov"}, ValueError),
        (RMSprop, {"beta": 1.5}, ValueError),
        (RMSprop, {"eps": 0.0}, ValueError),
        (Adam, {"beta1": 1.0}, ValueError),
        (Adam, {"beta2": -0.5}, ValueError),
        (Adam, {"eps": -1e-8}, ValueError),
        (Momentum, {"nesterov": 1}, TypeError),
        (AdaGrad, {"eps": 0.0}, ValueError),
        (AdaGrad, {"initial_accumulator": -1.0}, ValueError),
        (AdaGrad, {"lr": -1.0}, ValueError),
        (AdamW, {"beta1": 1.0}, ValueError),
        (AdamW, {"weight_decay": float("inf")}, ValueError),
        (AdamW, {"weight_decay": "0.1"}, TypeError),
    ],
)
def test_bad_hyperparameters_raise(cls, kwargs, error):
    with pytest.raises(error):
        cls({"w": np.zeros(2)}, **kwargs)


def test_bad_params_raise():
    with pytest.raises(TypeError, match="model.parameters"):
        SGD(mlp([2, 2], rng=0), lr=0.1)
    with pytest.raises(TypeError, match="dict"):
        SGD([np.zeros(2)], lr=0.1)
    with pytest.raises(ValueError, match="empty"):
        SGD({}, lr=0.1)
    with pytest.raises(TypeError, match="float32 or float64"):
        SGD({"w": np.zeros(2, dtype=int)}, lr=0.1)
    with pytest.raises(TypeError, match="NumPy array"):
        SGD({"w": [0.0, 1.0]}, lr=0.1)


def test_step_checks_names_and_shapes_and_changes_nothing_on_error():
    w, b = np.ones((2, 3)), np.ones(3)
    opt = Adam({"W": w, "b": b}, lr=0.1)
    with pytest.raises(ValueError, match=r"missing \['b'\], unexpected \['c'\]"):
        opt.step({"W": np.ones((2, 3)), "c": np.ones(3)})
    with pytest.raises(ValueError, match=r"grads\['W'\]: expected shape \(2, 3\).*got shape \(3, 2\)"):
        opt.step({"W": np.ones((3, 2)), "b": np.ones(3)})
    assert np.all(w == 1) and np.all(b == 1) and opt.t == 0


def test_repr_lists_hyperparameters():
    text = repr(Momentum({"w": np.zeros(1)}, lr=0.5, beta=0.5, form="classical"))
    assert "Momentum(1 parameters" in text and "form='classical'" in text


def test_base_optimizer_has_no_update_rule():
    opt = Optimizer({"w": np.zeros(1)}, lr=0.1)
    with pytest.raises(NotImplementedError):
        opt.step({"w": np.zeros(1)})
