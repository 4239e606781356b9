"""The layer protocol, checked on every built-in layer: backward never mutates dy nor updates parameters,
refuses to run before forward, keeps float32; a wrong backward is caught by the gradient check."""

import numpy as np
import pytest

from nnlib.gradcheck import check_layer_gradients
from nnlib.layers import (BatchNorm, Dense, Dropout, Identity, LayerNorm, LeakyReLU, ReLU, Sequential, Sigmoid, Softmax,
                          Step, Tanh, mlp)


@pytest.mark.parametrize("make", [lambda: Dense(4, 4, rng=0), Sigmoid, Tanh, ReLU, lambda: LeakyReLU(0.1),
                                  Softmax, Step, Identity, lambda: mlp([4, 3, 4], "relu", rng=0),
                                  lambda: Dropout(0.5, rng=0), lambda: BatchNorm(4), lambda: LayerNorm(4),
                                  lambda: mlp([4, 5, 4], "relu", rng=0, batch_norm=True, dropout=0.3),
                                  lambda: Sequential(mlp([4, 3], rng=0), Sequential(Tanh(), Dense(3, 4, rng=1)))])
def test_backward_never_mutates_dy_nor_updates_params(make):
    rng = np.random.default_rng(1)
    layer = make()
    before = {k: v.copy() for k, v in layer.parameters().items()}
    y = layer.forward(rng.normal(size=(3, 4)))
    dy = rng.normal(size=y.shape)
    dy_copy = dy.copy()
    dx = layer.backward(dy)
    np.testing.assert_array_equal(dy, dy_copy)
    assert dx is not dy
    for k, v in layer.parameters().items():
        np.testing.assert_array_equal(v, before[k])


@pytest.mark.parametrize("make", [lambda: Dense(2, 3), Sigmoid, ReLU, lambda: mlp([2, 3], rng=0), Dropout,
                                  lambda: BatchNorm(3), lambda: LayerNorm(3)])
def test_backward_before_forward_raises(make):
    with pytest.raises(RuntimeError, match=r"backward\(\) was called before forward\(\)"):
        make().backward(np.ones((1, 3)))


def test_float32_stays_float32():
    rng = np.random.default_rng(0)
    model = mlp([3, 5, 2], "sigmoid", rng=0, dtype=np.float32)
    assert all(p.dtype == np.float32 for p in model.parameters().values())
    x = rng.normal(size=(4, 3)).astype(np.float32)
    y = model.forward(x)
    assert y.dtype == np.float32
    dx = model.backward(np.ones_like(y))
    assert dx.dtype == np.float32
    assert all(g.dtype == np.float32 for g in model.gradients().values())
    for make in (Sigmoid, Tanh, ReLU, LeakyReLU, Softmax, Step, Identity, Dropout,
                 lambda: BatchNorm(3, dtype=np.float32), lambda: LayerNorm(3, dtype=np.float32)):
        assert make().forward(x).dtype == np.float32


def test_a_wrong_backward_is_caught():
    """The gradient check used above can fail: a Dense with a wrong bias gradient does."""

    class BrokenDense(Dense):
        def backward(self, dy, input_grad=True):
            dx = super().backward(dy, input_grad)
            self.grads["b"] *= 2.0
            return dx

    with pytest.raises(AssertionError):
        check_layer_gradients(BrokenDense(3, 2, rng=0), np.ones((4, 3)), rng=0)
