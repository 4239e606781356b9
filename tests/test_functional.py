"""Tests for nnlib.functional: every backward is gradient-checked with a random upstream gradient."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import activations as A
from nnlib import functional as F
from nnlib.gradcheck import check_function_gradient

TOL = 1e-6


def away_from_zero(rng, shape, low=0.1, high=3.0):
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(low, high, size=shape)


# (forward, backward, input maker); kinked ops get inputs away from 0
ELEMENTWISE_OPS = {
    "identity": (F.identity_forward, F.identity_backward),
    "step": (F.step_forward, F.step_backward),
    "sigmoid": (F.sigmoid_forward, F.sigmoid_backward),
    "tanh": (F.tanh_forward, F.tanh_backward),
    "relu": (F.relu_forward, F.relu_backward),
    "leaky_relu": (F.leaky_relu_forward, F.leaky_relu_backward),
    "softplus": (F.softplus_forward, F.softplus_backward),
    "softmax": (F.softmax_forward, F.softmax_backward),
    "log_softmax": (F.log_softmax_forward, F.log_softmax_backward),
}


# ---------------------------------------------------------------- gradient checks


@pytest.mark.parametrize("shape", [(5, 3, 4), (1, 1, 1), (7, 1, 2)])
def test_linear_gradients(shape):
    n, d_in, d_out = shape
    rng = np.random.default_rng(0)
    x, W, b = rng.normal(size=(n, d_in)), rng.normal(size=(d_in, d_out)), rng.normal(size=d_out)
    errors = check_function_gradient(F.linear_forward, F.linear_backward, x, W, b, rng=1, tol=TOL)
    assert set(errors) == {"x", "W", "b"}
    assert max(errors.values()) < TOL


@pytest.mark.parametrize("name", sorted(ELEMENTWISE_OPS))
@pytest.mark.parametrize("shape", [(6, 4), (3,), (2, 3, 4)])
def test_activation_gradients(name, shape):
    forward, backward = ELEMENTWISE_OPS[name]
    x = away_from_zero(np.random.default_rng(2), shape)
    errors = check_function_gradient(forward, backward, x, rng=3, tol=TOL)
    assert list(errors) == ["x"] and errors["x"] < TOL


@pytest.mark.parametrize("alpha", [0.0, 0.01, 0.2, 1.5])
def test_leaky_relu_gradients_for_several_alphas(alpha):
    x = away_from_zero(np.random.default_rng(4), (5, 4))
    check_function_gradient(lambda v: F.leaky_relu_forward(v, alpha=alpha), F.leaky_relu_backward, x, rng=5)


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
@pytest.mark.parametrize("axis", [0, 1, -1, -3])
def test_softmax_gradients_along_any_axis(op, axis):
    forward, backward = ELEMENTWISE_OPS[op]
    x = np.random.default_rng(6).normal(size=(3, 4, 5))
    check_function_gradient(lambda v: forward(v, axis=axis), backward, x, rng=7)


def test_two_layer_chain_gradient():
    """linear -> tanh -> linear -> log_softmax composed by hand, checked end to end."""
    rng = np.random.default_rng(8)
    x, W1, b1 = rng.normal(size=(4, 3)), rng.normal(size=(3, 5)), rng.normal(size=5)
    W2, b2 = rng.normal(size=(5, 2)), rng.normal(size=2)

    def forward(x, W1, b1, W2, b2):
        z1, c1 = F.linear_forward(x, W1, b1)
        a1, c2 = F.tanh_forward(z1)
        z2, c3 = F.linear_forward(a1, W2, b2)
        y, c4 = F.log_softmax_forward(z2)
        return y, (c1, c2, c3, c4)

    def backward(dy, caches):
        c1, c2, c3, c4 = caches
        dz2, _ = F.log_softmax_backward(dy, c4)
        da1, g2 = F.linear_backward(dz2, c3)
        dz1, _ = F.tanh_backward(da1, c2)
        dx, g1 = F.linear_backward(dz1, c1)
        return dx, {"W1": g1["W"], "b1": g1["b"], "W2": g2["W"], "b2": g2["b"]}

    errors = check_function_gradient(forward, backward, x, W1, b1, W2, b2, rng=9)
    assert list(errors) == ["x", "W1", "b1", "W2", "b2"]


# ------------------------------------------------------------- values and conventions


def test_linear_forward_by_hand():
    z, cache = F.linear_forward([[1.0, 2.0], [0.0, -1.0]], [[1.0, 0.0, 2.0], [3.0, 1.0, 0.0]], [0.5, 0.0, -1.0])
    np.testing.assert_array_equal(z, [[7.5, 2.0, 1.0], [-2.5, -1.0, -1.0]])
    dx, grads = F.linear_backward(np.ones((2, 3)), cache)
    np.testing.assert_array_equal(dx, [[3.0, 4.0], [3.0, 4.0]])
    np.testing.assert_array_equal(grads["W"], [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]])
    np.testing.assert_array_equal(grads["b"], [2.0, 2.0, 2.0])


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


def test_softmax_backward_matches_jacobian():
    rng = np.random.default_rng(11)
    x, dy = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    dx, _ = F.softmax_backward(dy, F.softmax_forward(x)[1])
    J = A.softmax_jacobian(x)  # J[i, a, b] = dp_a / dx_b
    np.testing.assert_allclose(dx, np.einsum("ia,iab->ib", dy, J), rtol=1e-12, atol=1e-15)


def test_cache_keeps_what_backward_needs():
    x = np.array([[0.3, -0.2]])
    y, cache = F.sigmoid_forward(x)
    assert cache["op"] == "sigmoid" and cache["y"] is y
    y, cache = F.tanh_forward(x)
    assert cache["y"] is y


# ------------------------------------------------------------- purity and dtypes


@pytest.mark.parametrize("name", sorted(ELEMENTWISE_OPS))
def test_backward_mutates_neither_dy_nor_cache(name):
    rng = np.random.default_rng(12)
    x, dy = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    forward, backward = ELEMENTWISE_OPS[name]
    _, cache = forward(x)
    cache_before = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in cache.items()}
    dy_before = dy.copy()
    dx, _ = backward(dy, cache)
    np.testing.assert_array_equal(dy, dy_before)
    for k, v in cache_before.items():
        np.testing.assert_array_equal(cache[k], v)
    assert dx is not dy


def test_linear_backward_mutates_nothing():
    rng = np.random.default_rng(13)
    x, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    copies = [a.copy() for a in (x, W, b)]
    _, cache = F.linear_forward(x, W, b)
    dz = rng.normal(size=(4, 2))
    dz_before = dz.copy()
    F.linear_backward(dz, cache)
    for a, c in zip((x, W, b), copies):
        np.testing.assert_array_equal(a, c)
    np.testing.assert_array_equal(dz, dz_before)


@pytest.mark.parametrize("name", sorted(ELEMENTWISE_OPS))
def test_float32_stays_float32(name):
    forward, backward = ELEMENTWISE_OPS[name]
    x = np.linspace(-2, 2, 12, dtype=np.float32).reshape(3, 4)
    y, cache = forward(x)
    dx, _ = backward(np.ones_like(y), cache)
    assert y.dtype == np.float32 and dx.dtype == np.float32


def test_linear_float32():
    x, W, b = (np.ones(s, dtype=np.float32) for s in [(2, 3), (3, 4), (4,)])
    z, cache = F.linear_forward(x, W, b)
    dx, grads = F.linear_backward(np.ones_like(z), cache)
    assert {z.dtype, dx.dtype, grads["W"].dtype, grads["b"].dtype} == {np.dtype(np.float32)}


def test_integer_input_becomes_float64():
    y, _ = F.relu_forward([[1, -2]])
    assert y.dtype == np.float64


# ------------------------------------------------------------------- stability


def test_stable_at_plus_minus_1000():
    x = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 1000.0]])
    dy = np.random.default_rng(14).normal(size=x.shape)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, (forward, backward) in ELEMENTWISE_OPS.items():
            y, cache = forward(x)
            dx, _ = backward(dy, cache)
            assert np.all(np.isfinite(y)) and np.all(np.isfinite(dx)), name
    y, _ = F.log_softmax_forward(x)
    np.testing.assert_array_equal(y[0], [0.0, -2000.0, -1000.0])


def test_nan_propagates_instead_of_raising():
    """Ops do not reject NaN: the training loop detects divergence through the loss."""
    y, cache = F.tanh_forward(np.array([np.nan, 1.0]))
    assert np.isnan(y[0]) and np.isfinite(y[1])


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 6), st.integers(1, 6), st.integers(1, 6),
    st.sampled_from([np.float32, np.float64]), st.integers(0, 2**32 - 1),
)
def test_property_linear_shapes_and_dtypes(n, d_in, d_out, dtype, seed):
    rng = np.random.default_rng(seed)
    x, W, b = (rng.normal(size=s).astype(dtype) for s in [(n, d_in), (d_in, d_out), (d_out,)])
    z, cache = F.linear_forward(x, W, b)
    dx, grads = F.linear_backward(rng.normal(size=z.shape).astype(dtype), cache)
    assert z.shape == (n, d_out) and dx.shape == x.shape
    assert grads["W"].shape == W.shape and grads["b"].shape == b.shape
    assert z.dtype == dx.dtype == grads["W"].dtype == dtype


# ---------------------------------------------------------------------- errors


def test_linear_shape_errors():
    x, W, b = np.ones((5, 3)), np.ones((3, 2)), np.ones(2)
    with pytest.raises(ValueError, match=r"x: expected shape \(n, 4\), got shape \(5, 3\)"):
        F.linear_forward(x, np.ones((4, 2)), b)
    with pytest.raises(ValueError, match=r"x: expected a 2-D array of shape \(n, 3\), got shape \(3,\)"):
        F.linear_forward(np.ones(3), W, b)
    with pytest.raises(ValueError, match=r"b: expected shape \(2,\), got shape \(3,\)"):
        F.linear_forward(x, W, np.ones(3))
    with pytest.raises(ValueError, match=r"b: expected a 1-D array of shape \(2,\), got shape \(1, 2\)"):
        F.linear_forward(x, W, np.ones((1, 2)))
    with pytest.raises(ValueError, match=r"W: expected a 2-D array, got shape \(3,\)"):
        F.linear_forward(x, np.ones(3), b)


def test_linear_dtype_mismatch():
    x, W, b = np.ones((5, 3)), np.ones((3, 2), dtype=np.float32), np.ones(2)
    with pytest.raises(TypeError, match="W: expected dtype float64 \\(the dtype of x\\), got float32"):
        F.linear_forward(x, W, b)
    with pytest.raises(TypeError, match="b: expected dtype float32 \\(the dtype of x\\), got float64"):
        F.linear_forward(x.astype(np.float32), W, b)
    with pytest.raises(TypeError, match="x: expected a real numeric array, got dtype complex128"):
        F.linear_forward(x + 1j, W, b)


@pytest.mark.parametrize("name", sorted(ELEMENTWISE_OPS))
def test_backward_rejects_wrong_dy_shape(name):
    forward, backward = ELEMENTWISE_OPS[name]
    _, cache = forward(np.ones((3, 4)))
    with pytest.raises(ValueError, match=r"dy: expected the shape of the forward output \(3, 4\), got shape \(4, 3\)"):
        backward(np.ones((4, 3)), cache)
    with pytest.raises(ValueError, match=r"dy: expected the shape of the forward output \(3, 4\), got shape \(3, 1\)"):
        backward(np.ones((3, 1)), cache)  # would broadcast silently without the check


def test_linear_backward_rejects_wrong_dz_shape():
    _, cache = F.linear_forward(np.ones((5, 3)), np.ones((3, 2)), np.ones(2))
    with pytest.raises(ValueError, match=r"dy: expected the shape of the forward output \(5, 2\), got shape \(5, 3\)"):
        F.linear_backward(np.ones((5, 3)), cache)


def test_backward_rejects_wrong_dtype_and_wrong_cache():
    _, cache = F.sigmoid_forward(np.ones((2, 2), dtype=np.float32))
    with pytest.raises(TypeError, match="dy: expected dtype float32 \\(the dtype of the forward output\\), got float64"):
        F.sigmoid_backward(np.ones((2, 2)), cache)
    with pytest.raises(ValueError, match="cache: expected a cache from tanh_forward, got one from sigmoid_forward"):
        F.tanh_backward(np.ones((2, 2), dtype=np.float32), cache)
    with pytest.raises(TypeError, match="cache: expected the cache dict returned by relu_forward, got tuple"):
        F.relu_backward(np.ones((2, 2)), (np.ones((2, 2)),))


def test_bad_hyperparameters():
    with pytest.raises(ValueError, match=r"alpha: expected a value in \[0, inf\), got -0.5"):
        F.leaky_relu_forward(np.ones(3), alpha=-0.5)
    with pytest.raises(ValueError, match=r"axis: expected an integer in \[-2, 1\] for a 2-D array, got 5"):
        F.softmax_forward(np.ones((2, 3)), axis=5)
    with pytest.raises(ValueError, match="at least 1 dimension"):
        F.log_softmax_forward(3.0)


def test_linear_backward_can_skip_the_input_gradient():
    rng = np.random.default_rng(0)
    x, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    _, cache = F.linear_forward(x, W, b)
    dz = rng.normal(size=(4, 2))
    dx_full, grads_full = F.linear_backward(dz, cache)
    dx, grads = F.linear_backward(dz, cache, input_grad=False)
    assert dx is None and dx_full.shape == (4, 3)
    np.testing.assert_array_equal(grads["W"], grads_full["W"])
    np.testing.assert_array_equal(grads["b"], grads_full["b"])
