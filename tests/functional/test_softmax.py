"""The formulas of nnlib.functional.softmax: any axis, the Jacobian, stability, bad axes.

Gradient checks, purity, dtypes and bad caches/upstreams of every op are in test_ops_generic.py.
"""

import warnings

import numpy as np
import pytest

from nnlib import activations as A
from nnlib import functional as F
from nnlib.gradcheck import check_function_gradient

OPS = {"softmax": (F.softmax_forward, F.softmax_backward), "log_softmax": (F.log_softmax_forward, F.log_softmax_backward)}


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
@pytest.mark.parametrize("axis", [0, 1, -1, -3])
def test_softmax_gradients_along_any_axis(op, axis):
    forward, backward = OPS[op]
    x = np.random.default_rng(6).normal(size=(3, 4, 5))
    check_function_gradient(lambda v: forward(v, axis=axis), backward, x, rng=7)


def test_softmax_backward_matches_jacobian():
    rng = np.random.default_rng(11)
    x, dy = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    dx, _ = F.softmax_backward(dy, F.softmax_forward(x)[1])
    J = A.softmax_jacobian(x)  # J[i, a, b] = dp_a / dx_b
    np.testing.assert_allclose(dx, np.einsum("ia,iab->ib", dy, J), rtol=1e-12, atol=1e-15)


def test_stable_at_plus_minus_1000():
    x = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 1000.0]])
    dy = np.random.default_rng(14).normal(size=x.shape)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, (forward, backward) in OPS.items():
            y, cache = forward(x)
            dx, _ = backward(dy, cache)
            assert np.all(np.isfinite(y)) and np.all(np.isfinite(dx)), name
    y, _ = F.log_softmax_forward(x)
    np.testing.assert_array_equal(y[0], [0.0, -2000.0, -1000.0])


def test_cache_holds_the_normalised_axis():
    _, cache = F.softmax_forward(np.ones((2, 3, 4)), axis=-2)
    assert cache["axis"] == 1


@pytest.mark.parametrize("op", sorted(OPS))
def test_bad_axes(op):
    forward = OPS[op][0]
    with pytest.raises(ValueError, match=r"axis: expected an integer in \[-2, 1\] for a 2-D array, got 5"):
        forward(np.ones((2, 3)), axis=5)
    with pytest.raises(TypeError, match=r"axis: expected an integer, got 1.5"):
        forward(np.ones((2, 3)), axis=1.5)
    with pytest.raises(ValueError, match="at least 1 dimension"):
        forward(3.0)


@pytest.mark.parametrize("fn", [A.softmax, A.log_softmax, lambda x: F.softmax_forward(x)[0]])
def test_an_empty_axis_is_refused_clearly(fn):
    """Bug: softmax over an axis of length 0 escaped as NumPy's 'zero-size array to reduction operation'."""
    with pytest.raises(ValueError, match=r"x: expected at least one entry along axis 1 to normalise over, "
                                         r"got shape \(2, 0\)|x: expected a non-empty array, got shape \(2, 0\)"):
        fn(np.zeros((2, 0)))
