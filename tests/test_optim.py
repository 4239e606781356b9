"""Tests for nnlib.optim: every update rule against hand-computed numbers, validation, clipping."""

import math

import numpy as np
import pytest

from nnlib.layers import mlp
from nnlib.optim import SGD, Adam, Momentum, Optimizer, RMSprop, clip_grad_norm, global_norm


def run(opt_cls, theta0, grads, **kw):
    """Apply the gradients one step at a time; return the parameter after each step."""
    theta = np.array(theta0, dtype=float)
    opt = opt_cls({"w": theta}, **kw)
    history = []
    for g in grads:
        opt.step({"w": np.array(g, dtype=float)})
        history.append(theta.copy())
    return history, opt


# ------------------------------------------------------------- hand-computed updates


def test_sgd_two_steps():
    # theta1 = [1, -2] - 0.1 * [0.5, -1] = [0.95, -1.9]
    # theta2 = [0.95, -1.9] - 0.1 * [1, 2] = [0.85, -2.1]
    (t1, t2), _ = run(SGD, [1.0, -2.0], [[0.5, -1.0], [1.0, 2.0]], lr=0.1)
    np.testing.assert_allclose(t1, [0.95, -1.9], rtol=0, atol=1e-15)
    np.testing.assert_allclose(t2, [0.85, -2.1], rtol=0, atol=1e-15)


def test_momentum_ema_form_two_steps():
    # notes' form, beta = 0.9, lr = 0.1, theta0 = 1, g = 2 then -1
    # v1 = 0.9*0 + 0.1*2 = 0.2          theta1 = 1 - 0.1*0.2 = 0.98
    # v2 = 0.9*0.2 + 0.1*(-1) = 0.08    theta2 = 0.98 - 0.1*0.08 = 0.972
    (t1, t2), opt = run(Momentum, [1.0], [[2.0], [-1.0]], lr=0.1, beta=0.9)
    assert opt.form == "ema"  # the default is the notes' form
    np.testing.assert_allclose(t1, [0.98], rtol=1e-14)
    np.testing.assert_allclose(t2, [0.972], rtol=1e-14)
    np.testing.assert_allclose(opt.state["w"]["v"], [0.08], rtol=1e-13)


def test_momentum_classical_form_two_steps():
    # classical / PyTorch form, beta = 0.9, lr = 0.1, theta0 = 1, g = 2 then -1
    # v1 = 0.9*0 + 2 = 2                theta1 = 1 - 0.1*2 = 0.8
    # v2 = 0.9*2 + (-1) = 0.8           theta2 = 0.8 - 0.1*0.8 = 0.72
    (t1, t2), opt = run(Momentum, [1.0], [[2.0], [-1.0]], lr=0.1, beta=0.9, form="classical")
    np.testing.assert_allclose(t1, [0.8], rtol=1e-14)
    np.testing.assert_allclose(t2, [0.72], rtol=1e-14)


def test_momentum_ema_equals_classical_with_scaled_lr():
    # v_ema = (1 - beta) v_classical, so lr_classical = lr_ema * (1 - beta) gives the same steps
    rng = np.random.default_rng(0)
    grads = rng.normal(size=(6, 3))
    ema, _ = run(Momentum, [0.5, -1.0, 2.0], grads, lr=0.3, beta=0.8)
    classical, _ = run(Momentum, [0.5, -1.0, 2.0], grads, lr=0.3 * 0.2, beta=0.8, form="classical")
    np.testing.assert_allclose(ema, classical, rtol=1e-12)


def test_momentum_beta_zero_is_sgd():
    grads = [[1.0, -3.0], [0.5, 2.0]]
    sgd, _ = run(SGD, [0.0, 1.0], grads, lr=0.2)
    for form in ("ema", "classical"):
        mom, _ = run(Momentum, [0.0, 1.0], grads, lr=0.2, beta=0.0, form=form)
        np.testing.assert_allclose(mom, sgd, rtol=1e-15)


def test_rmsprop_two_steps():
    # beta = 0.9, lr = 0.01, eps = 1e-8, theta0 = 1, g = 2 then 1
    # s1 = 0.1 * 4 = 0.4                 theta1 = 1 - 0.01 * 2 / (sqrt(0.4) + 1e-8)
    #                                           = 1 - 0.02 / 0.63245553...  = 0.96837722390
    # s2 = 0.9*0.4 + 0.1*1 = 0.46        theta2 = theta1 - 0.01 * 1 / (sqrt(0.46) + 1e-8)
    #                                           = theta1 - 0.01 / 0.67823299... = 0.95363302850
    (t1, t2), opt = run(RMSprop, [1.0], [[2.0], [1.0]], lr=0.01, beta=0.9, eps=1e-8)
    np.testing.assert_allclose(t1, [0.9683772238983162], rtol=1e-12)
    np.testing.assert_allclose(t2, [0.9536330285002177], rtol=1e-12)
    np.testing.assert_allclose(opt.state["w"]["s"], [0.46], rtol=1e-12)


def test_adam_two_steps():
    # lr = 0.1, beta1 = 0.9, beta2 = 0.999, eps = 1e-8; two coordinates, g = [2, 0] then [-1, 0]
    # t=1: m = 0.2, v = 0.004, m_hat = 0.2/0.1 = 2, v_hat = 0.004/0.001 = 4
    #      theta = 1 - 0.1 * 2 / (2 + 1e-8) = 0.9000000005
    # t=2: m = 0.9*0.2 - 0.1 = 0.08, v = 0.999*0.004 + 0.001 = 0.004996
    #      m_hat = 0.08/0.19 = 0.42105263..., v_hat = 0.004996/0.001999 = 2.49924962...
    #      theta = 0.9000000005 - 0.1 * 0.42105263 / (1.58090152 + 1e-8) = 0.8733662967
    # The second coordinate has g = 0: m = v = 0, the update is 0 / (0 + eps) = 0.
    (t1, t2), opt = run(Adam, [1.0, 0.5], [[2.0, 0.0], [-1.0, 0.0]], lr=0.1)
    np.testing.assert_allclose(t1, [0.9000000005, 0.5], rtol=1e-12)
    np.testing.assert_allclose(t2, [0.8733662967024315, 0.5], rtol=1e-12)
    np.testing.assert_allclose(opt.state["w"]["m"], [0.08, 0.0], rtol=1e-12)
    np.testing.assert_allclose(opt.state["w"]["v"], [0.004996, 0.0], rtol=1e-12)
    assert opt.t == 2


def test_adam_first_step_moves_by_lr_times_sign():
    # m_hat_1 = g, v_hat_1 = g^2  =>  step = lr * g / (|g| + eps) ~ lr * sign(g), whatever |g| is
    theta = np.zeros(4)
    Adam({"w": theta}, lr=0.01).step({"w": np.array([1e-3, -5.0, 300.0, -2e-2])})
    np.testing.assert_allclose(theta, [-0.01, 0.01, -0.01, 0.01], rtol=1e-4)


# ------------------------------------------------------------------------ behaviour


@pytest.mark.parametrize("cls", [SGD, Momentum, RMSprop, Adam])
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


@pytest.mark.parametrize("cls", [SGD, Momentum, RMSprop, Adam])
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
    with pytest.raises(ValueError, match="lr"):
        opt.lr = 0.0


@pytest.mark.parametrize(
    "cls, kwargs, error",
    [
        (SGD, {"lr": 0.0}, ValueError),
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


# ------------------------------------------------------------------------- clipping


def test_clip_grad_norm_scales_to_max_norm():
    # global norm = sqrt(3^2 + 0^2 + 4^2) = 5; scaled by 1/5
    g = {"W": np.array([3.0, 0.0]), "b": np.array([4.0])}
    assert clip_grad_norm(g, 1.0) == 5.0
    np.testing.assert_allclose(g["W"], [0.6, 0.0])
    np.testing.assert_allclose(g["b"], [0.8])
    assert math.isclose(global_norm(g), 1.0)


def test_clip_grad_norm_leaves_small_gradients_alone():
    g = {"W": np.array([[3.0, 0.0]]), "b": np.array([4.0])}
    assert clip_grad_norm(g, 10.0) == 5.0
    np.testing.assert_array_equal(g["W"], [[3.0, 0.0]])
    np.testing.assert_array_equal(g["b"], [4.0])


def test_clip_grad_norm_non_finite_returns_it_and_leaves_grads():
    g = {"W": np.array([np.nan, 1.0])}
    assert math.isnan(clip_grad_norm(g, 1.0))
    assert g["W"][1] == 1.0


def test_clip_grad_norm_validates():
    with pytest.raises(ValueError, match="max_norm"):
        clip_grad_norm({"W": np.ones(2)}, 0.0)
    with pytest.raises(TypeError):
        clip_grad_norm([np.ones(2)], 1.0)


def test_repr_lists_hyperparameters():
    text = repr(Momentum({"w": np.zeros(1)}, lr=0.5, beta=0.5, form="classical"))
    assert "Momentum(1 parameters" in text and "form='classical'" in text


def test_base_optimizer_has_no_update_rule():
    opt = Optimizer({"w": np.zeros(1)}, lr=0.1)
    with pytest.raises(NotImplementedError):
        opt.step({"w": np.zeros(1)})
