"""The formulas of nnlib.functional.activation: values, derivatives, kink conventions, stability.

Gradient checks, purity, dtypes and bad caches/upstreams of every op are in test_ops_generic.py.
"""

import warnings

import numpy as np
import pytest

from nnlib import activations as A
from nnlib import functional as F
from nnlib.gradcheck import check_function_gradient

TOL = 1e-6

ELEMENTWISE_OPS = {
    "identity": (F.identity_forward, F.identity_backward),
    "step": (F.step_forward, F.step_backward),
    "sigmoid": (F.sigmoid_forward, F.sigmoid_backward),
    "tanh": (F.tanh_forward, F.tanh_backward),
    "relu": (F.relu_forward, F.relu_backward),
    "leaky_relu": (F.leaky_relu_forward, F.leaky_relu_backward),
    "softplus": (F.softplus_forward, F.softplus_backward),
}


def away_from_zero(rng, shape, low=0.1, high=3.0):
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(low, high, size=shape)


@pytest.mark.parametrize("name", sorted(ELEMENTWISE_OPS))
@pytest.mark.parametrize("shape", [(6, 4), (3,), (1, 1, 1, 2)])
def test_elementwise_ops_take_any_shape(name, shape):
    forward, backward = ELEMENTWISE_OPS[name]
    x = away_from_zero(np.random.default_rng(2), shape)
    errors = check_function_gradient(forward, backward, x, rng=3, tol=TOL)
    assert list(errors) == ["x"] and errors["x"] < TOL


@pytest.mark.parametrize("alpha", [0.0, 0.01, 0.2, 1.5])
def test_leaky_relu_gradients_for_several_alphas(alpha):
    x = away_from_zero(np.random.default_rng(4), (5, 4))
    check_function_gradient(lambda v: F.leaky_relu_forward(v, alpha=alpha), F.leaky_relu_backward, x, rng=5)


@pytest.mark.parametrize("name", ["step", "sigmoid", "tanh", "relu", "leaky_relu", "softplus"])
def test_forward_matches_activations(name):
    x = np.linspace(-4, 4, 12).reshape(3, 4)
    y, _ = ELEMENTWISE_OPS[name][0](x)
    np.testing.assert_array_equal(y, A.ACTIVATIONS[name][0](x))


@pytest.mark.parametrize("name", ["step", "sigmoid", "tanh", "relu", "leaky_relu", "softplus"])
def test_backward_is_dy_times_derivative(name):
    rng = np.random.default_rng(10)
    x, dy = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    forward, backward = ELEMENTWISE_OPS[name]
    dx, grads = backward(dy, forward(x)[1])
    np.testing.assert_allclose(dx, dy * A.ACTIVATIONS[name][1](x), rtol=1e-12, atol=1e-15)
    assert grads == {}


def test_kink_conventions_in_backward():
    x = np.array([[-1.0, 0.0, 2.0]])
    dy = np.ones_like(x)
    np.testing.assert_array_equal(F.relu_backward(dy, F.relu_forward(x)[1])[0], [[0.0, 0.0, 1.0]])
    np.testing.assert_array_equal(
        F.leaky_relu_backward(dy, F.leaky_relu_forward(x, alpha=0.1)[1])[0], [[0.1, 0.1, 1.0]]
    )
    np.testing.assert_array_equal(F.step_backward(dy, F.step_forward(x)[1])[0], [[0.0, 0.0, 0.0]])


def test_cache_keeps_what_backward_needs():
    x = np.array([[0.3, -0.2]])
    y, cache = F.sigmoid_forward(x)
    assert cache["op"] == "sigmoid" and cache["y"] is y
    y, cache = F.tanh_forward(x)
    assert cache["y"] is y


def test_integer_input_becomes_float64():
    y, _ = F.relu_forward([[1, -2]])
    assert y.dtype == np.float64


def test_nan_propagates_instead_of_raising():
    """Ops do not reject NaN: the training loop detects divergence through the loss."""
    y, cache = F.tanh_forward(np.array([np.nan, 1.0]))
    assert np.isnan(y[0]) and np.isfinite(y[1])


def test_stable_at_plus_minus_1000():
    x = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 1000.0]])
    dy = np.random.default_rng(14).normal(size=x.shape)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, (forward, backward) in ELEMENTWISE_OPS.items():
            y, cache = forward(x)
            dx, _ = backward(dy, cache)
            assert np.all(np.isfinite(y)) and np.all(np.isfinite(dx)), name


def test_bad_alpha():
    with pytest.raises(ValueError, match=r"alpha: expected a value in \[0, inf\), got -0.5"):
        F.leaky_relu_forward(np.ones(3), alpha=-0.5)
    with pytest.raises(ValueError, match=r"axis: expected an integer in \[-2, 1\] for a 2-D array, got 5"):
        F.softmax_forward(np.ones((2, 3)), axis=5)
    with pytest.raises(ValueError, match="at least 1 dimension"):
        F.log_softmax_forward(3.0)
