"""Tests for nnlib.optim.sgd: SGD and Momentum (both forms) against hand-computed numbers."""

import numpy as np

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
