"""The formula of nnlib.functional.dense (linear): values by hand, shapes, errors, a composed chain.

Gradient checks, purity, dtypes and bad caches/upstreams of every op are in test_ops_generic.py.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import functional as F
from nnlib.gradcheck import check_function_gradient

TOL = 1e-6


@pytest.mark.parametrize("shape", [(5, 3, 4), (1, 1, 1), (7, 1, 2)])
def test_linear_gradients(shape):
    n, d_in, d_out = shape
    rng = np.random.default_rng(0)
    x, W, b = rng.normal(size=(n, d_in)), rng.normal(size=(d_in, d_out)), rng.normal(size=d_out)
    errors = check_function_gradient(F.linear_forward, F.linear_backward, x, W, b, rng=1, tol=TOL)
    assert set(errors) == {"x", "W", "b"}
    assert max(errors.values()) < TOL


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


def test_linear_forward_by_hand():
    z, cache = F.linear_forward([[1.0, 2.0], [0.0, -1.0]], [[1.0, 0.0, 2.0], [3.0, 1.0, 0.0]], [0.5, 0.0, -1.0])
    np.testing.assert_array_equal(z, [[7.5, 2.0, 1.0], [-2.5, -1.0, -1.0]])
    dx, grads = F.linear_backward(np.ones((2, 3)), cache)
    np.testing.assert_array_equal(dx, [[3.0, 4.0], [3.0, 4.0]])
    np.testing.assert_array_equal(grads["W"], [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]])
    np.testing.assert_array_equal(grads["b"], [2.0, 2.0, 2.0])


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
