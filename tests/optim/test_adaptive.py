"""Tests for nnlib.optim.adaptive: AdaGrad, RMSprop, Adam and AdamW against hand-computed numbers."""

import numpy as np
import pytest

from nnlib.models import mlp
from nnlib.optim import AdaGrad, Adam, AdamW, RMSprop

from .helpers import run


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


def test_adagrad_two_steps():
    # lr = 0.1, eps = 1e-10, theta0 = 1, g = 2 then 1
    # s1 = 4        theta1 = 1 - 0.1 * 2 / (2 + 1e-10)                = 0.900000000005
    # s2 = 4 + 1    theta2 = theta1 - 0.1 * 1 / (sqrt(5) + 1e-10)     = 0.855278640457...
    (t1, t2), opt = run(AdaGrad, [1.0], [[2.0], [1.0]], lr=0.1)
    np.testing.assert_allclose(t1, [0.900000000005], rtol=1e-14)
    np.testing.assert_allclose(t2, [0.8552786404570042], rtol=1e-14)
    np.testing.assert_allclose(opt.state["w"]["s"], [5.0], rtol=0)


def test_adagrad_initial_accumulator():
    # s0 = 0.5: s1 = 4.5, theta1 = 1 - 0.1 * 2 / sqrt(4.5) = 1 - 0.0942809... = 0.9057190958...
    (t1,), _ = run(AdaGrad, [1.0], [[2.0]], lr=0.1, initial_accumulator=0.5)
    np.testing.assert_allclose(t1, [0.9057190958462381], rtol=1e-14)


def test_adagrad_steps_shrink_like_one_over_root_t():
    # a constant gradient g: s_t = t g^2, so step t is lr / sqrt(t), whatever g is
    for g in (1e-3, 7.0):
        history, _ = run(AdaGrad, [0.0], [[g]] * 16, lr=0.1)
        steps = -np.diff(np.concatenate([[0.0], np.ravel(history)]))
        np.testing.assert_allclose(steps, 0.1 / np.sqrt(np.arange(1, 17)), rtol=1e-6)


def test_adamw_two_steps():
    # Adam's numbers (test_adam_two_steps) with lr = 0.1 and weight_decay = 0.1: shrink by 1 - 0.01 = 0.99 first
    # t=1: theta = 0.99 * 1 - 0.1 * 2 / (2 + 1e-8)                          = 0.8900000005
    # t=2: theta = 0.99 * 0.8900000005 - 0.1 * 0.42105263 / (1.58090152 + 1e-8) = 0.8544662967
    (t1, t2), opt = run(AdamW, [1.0], [[2.0], [-1.0]], lr=0.1, weight_decay=0.1)
    np.testing.assert_allclose(t1, [0.8900000005], rtol=1e-12)
    np.testing.assert_allclose(t2, [0.8544662966974315], rtol=1e-12)
    np.testing.assert_allclose(opt.state["w"]["m"], [0.08], rtol=1e-12)  # moments of the loss gradient alone


def test_adamw_without_decay_is_adam():
    grads = np.random.default_rng(0).normal(size=(4, 3))
    adam, _ = run(Adam, [1.0, -2.0, 0.5], grads, lr=0.05)
    adamw, _ = run(AdamW, [1.0, -2.0, 0.5], grads, lr=0.05, weight_decay=0.0)
    np.testing.assert_allclose(adamw, adam, rtol=0, atol=0)


def test_adamw_decays_every_weight_by_the_same_factor_but_l2_under_adam_does_not():
    # two weights at 1.0 whose loss gradients differ 1000-fold, lambda = 0.1, lr = 0.01, one step
    w_adamw, w_l2 = np.ones(2), np.ones(2)
    g_loss = np.array([1e-3, 1.0])
    AdamW({"w": w_adamw}, lr=0.01, weight_decay=0.1).step({"w": g_loss})
    Adam({"w": w_l2}, lr=0.01).step({"w": g_loss + 0.1 * w_l2})  # L2 penalty 0.05 |w|^2 in the loss
    # AdamW: (1 - 0.001) * 1 - 0.01 * sign(g) = 0.989 for both: the same decay factor for both weights
    np.testing.assert_allclose(w_adamw, [0.989, 0.989], rtol=1e-6)
    # Adam + L2: the first step is lr * sign(g + lambda w) = 0.01 for both; the penalty did not scale with w at all
    np.testing.assert_allclose(w_l2, [0.99, 0.99], rtol=1e-6)


def test_adamw_decays_only_the_declared_parameters():
    model = mlp([3, 4, 2], "tanh", rng=0)
    params = model.parameters()
    before = {k: v.copy() for k, v in params.items()}
    opt = AdamW(params, lr=0.1, weight_decay=0.5, decayed=model.regularized_parameters())
    assert set(opt.decayed) == {"0.W", "2.W"}
    opt.step({k: np.zeros_like(v) for k, v in params.items()})  # no gradient: only the decay acts
    for name, value in params.items():
        factor = 0.95 if name.endswith("W") else 1.0
        np.testing.assert_allclose(value, factor * before[name], rtol=1e-15, err_msg=name)


def test_adamw_bad_arguments_raise_and_change_nothing():
    w, b = np.ones(2), np.ones(2)
    with pytest.raises(ValueError, match=r"decayed: \['c'\] are not among"):
        AdamW({"W": w, "b": b}, decayed=["W", "c"])
    with pytest.raises(ValueError, match="are not the optimizer's arrays"):
        AdamW({"W": w, "b": b}, decayed={"W": np.ones(2)})
    with pytest.raises(TypeError, match="decayed: expected a dict"):
        AdamW({"W": w, "b": b}, decayed="W")
    with pytest.raises(ValueError, match="weight_decay"):
        AdamW({"W": w}, weight_decay=-0.1)
    with pytest.raises(ValueError, match=r"lr \* weight_decay: expected at most 1"):
        AdamW({"W": w}, lr=2.0, weight_decay=1.0)
    opt = AdamW({"W": w, "b": b}, lr=0.1, weight_decay=1.0)
    opt.lr = 5.0
    with pytest.raises(ValueError, match=r"lr \* weight_decay"):
        opt.step({"W": np.ones(2), "b": np.ones(2)})
    with pytest.raises(ValueError, match="missing"):
        opt.step({"W": np.ones(2)})
    assert np.all(w == 1) and np.all(b == 1) and opt.t == 0
