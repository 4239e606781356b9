"""Tests for nnlib.optim.adaptive: RMSprop and Adam against hand-computed numbers."""

import numpy as np

from nnlib.optim import Adam, RMSprop

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
