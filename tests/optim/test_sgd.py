"""Tests for nnlib.optim.sgd: SGD and Momentum (both forms) against hand-computed numbers."""

import numpy as np
import pytest

from nnlib.optim import SGD, Momentum

from .helpers import run


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


def test_nesterov_classical_two_steps():
    # PyTorch's SGD(momentum=0.9, nesterov=True): v = beta v + g, theta -= lr (g + beta v); lr = 0.1, theta0 = 1
    # v1 = 2                     theta1 = 1 - 0.1 * (2 + 0.9*2)      = 1 - 0.38  = 0.62
    # v2 = 0.9*2 - 1 = 0.8       theta2 = 0.62 - 0.1 * (-1 + 0.9*0.8) = 0.62 + 0.028 = 0.648
    (t1, t2), opt = run(Momentum, [1.0], [[2.0], [-1.0]], lr=0.1, beta=0.9, form="classical", nesterov=True)
    np.testing.assert_allclose(t1, [0.62], rtol=1e-14)
    np.testing.assert_allclose(t2, [0.648], rtol=1e-14)
    np.testing.assert_allclose(opt.state["w"]["v"], [0.8], rtol=1e-14)


def test_nesterov_ema_two_steps():
    # the notes' scaling: v = beta v + (1 - beta) g, theta -= lr ((1 - beta) g + beta v); lr = 0.1, theta0 = 1
    # v1 = 0.2                   theta1 = 1 - 0.1 * (0.2 + 0.18)       = 0.962
    # v2 = 0.18 - 0.1 = 0.08     theta2 = 0.962 - 0.1 * (-0.1 + 0.072) = 0.9648
    (t1, t2), _ = run(Momentum, [1.0], [[2.0], [-1.0]], lr=0.1, beta=0.9, nesterov=True)
    np.testing.assert_allclose(t1, [0.962], rtol=1e-14)
    np.testing.assert_allclose(t2, [0.9648], rtol=1e-14)


def test_nesterov_ema_equals_classical_with_scaled_lr_and_differs_from_heavy_ball():
    rng = np.random.default_rng(1)
    grads = rng.normal(size=(5, 2))
    ema, _ = run(Momentum, [0.5, -1.0], grads, lr=0.3, beta=0.8, nesterov=True)
    classical, _ = run(Momentum, [0.5, -1.0], grads, lr=0.3 * 0.2, beta=0.8, form="classical", nesterov=True)
    heavy_ball, _ = run(Momentum, [0.5, -1.0], grads, lr=0.3, beta=0.8)
    np.testing.assert_allclose(ema, classical, rtol=1e-12)
    assert not np.allclose(ema, heavy_ball)


def test_nesterov_is_heavy_ball_at_the_look_ahead_point():
    # Sutskever et al.'s form: u = beta u - lr grad(phi + beta u), phi += u. PyTorch's parameter is the
    # look-ahead point theta = phi + beta u. On f(w) = 0.5 h w^2 (gradient h w) the two must agree.
    h, lr, beta = 3.0, 0.05, 0.9
    phi, u = 2.0, 0.0
    theta = np.array([phi])
    opt = Momentum({"w": theta}, lr=lr, beta=beta, form="classical", nesterov=True)
    for _ in range(6):
        u = beta * u - lr * h * (phi + beta * u)
        phi += u
        opt.step({"w": h * theta})
        np.testing.assert_allclose(theta, [phi + beta * u], rtol=1e-12)


def test_nesterov_must_be_a_bool():
    with pytest.raises(TypeError, match="nesterov: expected True or False"):
        Momentum({"w": np.zeros(1)}, lr=0.1, nesterov="yes")
