"""Max and average pooling, flatten: gradient checks, fast paths against the loop twins, ties, NaN, errors."""

import itertools

import numpy as np
import pytest

from nnlib import functional as F
from nnlib.gradcheck import check_function_gradient

TOL = 1e-6
POOLS = {
    "max": (F.max_pool2d_forward, F.max_pool2d_backward, F.max_pool2d_forward_loops, F.max_pool2d_backward_loops),
    "avg": (F.avg_pool2d_forward, F.avg_pool2d_backward, F.avg_pool2d_forward_loops, F.avg_pool2d_backward_loops),
}
# (H, W, kernel, stride): non-overlapping (the reshape path, with and without uncovered rows/columns),
# overlapping and gapped windows (the offset loop)
GEOMETRIES = [(4, 4, 2, None), (7, 9, 2, None), (6, 6, 3, None), (6, 8, (2, 4), None), (5, 5, 1, None),
              (7, 7, 3, 2), (6, 6, 2, 1), (7, 8, (3, 2), (1, 2)), (8, 8, 2, 3)]


def separated(rng, shape):
    """Distinct values at least 0.01 apart: no ties, and centred differences never change the argmax."""
    return rng.permutation(np.arange(np.prod(shape)) * 0.01).reshape(shape) - 0.5


def geometry_id(g):
    return "{}x{}-k{}-s{}".format(*g)


@pytest.mark.parametrize("op", sorted(POOLS))
@pytest.mark.parametrize("geometry", GEOMETRIES, ids=geometry_id)
def test_gradients(op, geometry):
    H, W, kernel, stride = geometry
    forward, backward = POOLS[op][:2]
    x = separated(np.random.default_rng(0), (2, 3, H, W))
    errors = check_function_gradient(lambda x: forward(x, kernel, stride), backward, x, rng=1, tol=TOL)
    assert list(errors) == ["x"] and errors["x"] < TOL


@pytest.mark.parametrize("op", sorted(POOLS))
@pytest.mark.parametrize("geometry", GEOMETRIES, ids=geometry_id)
@pytest.mark.parametrize("values", ["normal", "ties", "nan"])
def test_fast_path_equals_loops(op, geometry, values):
    H, W, kernel, stride = geometry
    forward, backward, forward_loops, backward_loops = POOLS[op]
    rng = np.random.default_rng(2)
    if values == "normal":
        x = rng.normal(size=(3, 2, H, W))
    else:  # few distinct values: many ties
        x = rng.integers(0, 3, size=(3, 2, H, W)).astype(float)
        if values == "nan":
            x[rng.random(x.shape) < 0.1] = np.nan
    y, cache = forward(x, kernel, stride)
    y_loops, cache_loops = forward_loops(x, kernel, stride)
    np.testing.assert_allclose(y, y_loops, rtol=1e-14, atol=1e-14)  # NaN where the loops have NaN
    dy = rng.normal(size=y.shape)
    dx, grads = backward(dy, cache)
    dx_loops, _ = backward_loops(dy, cache_loops)
    np.testing.assert_allclose(dx, dx_loops, rtol=1e-14, atol=1e-14)
    np.testing.assert_allclose(backward(dy, cache_loops)[0], dx, rtol=1e-14, atol=1e-14)  # caches interchange
    assert grads == {}
    if op == "max":
        np.testing.assert_array_equal(cache["argmax"], cache_loops["argmax"])


@pytest.mark.parametrize("op", sorted(POOLS))
def test_output_shape_follows_the_formula(op):
    forward = POOLS[op][0]
    for H, W, k, s in itertools.product([4, 5, 7], [3, 6], [1, 2, 3], [None, 1, 2]):
        if k > min(H, W):
            continue
        y, _ = forward(np.zeros((1, 2, H, W)), k, s)
        step = k if s is None else s
        assert y.shape == (1, 2, F.conv_output_size(H, k, 0, step), F.conv_output_size(W, k, 0, step))


# ------------------------------------------------------------------------- by hand


def test_max_pool_by_hand_with_ties():
    x = np.array([[[[1.0, 3.0, 2.0, 2.0],
                    [3.0, 0.0, 2.0, 2.0],
                    [0.0, 0.0, -1.0, 5.0],
                    [0.0, 0.0, 4.0, 1.0]]]])
    y, cache = F.max_pool2d_forward(x)
    np.testing.assert_array_equal(y, [[[[3.0, 2.0], [0.0, 5.0]]]])
    np.testing.assert_array_equal(cache["argmax"], [[[[1, 2], [8, 11]]]])  # first maximum, as r * W + q
    dx, _ = F.max_pool2d_backward(np.array([[[[10.0, 20.0], [30.0, 40.0]]]]), cache)
    np.testing.assert_array_equal(dx, [[[[0.0, 10.0, 20.0, 0.0],
                                         [0.0, 0.0, 0.0, 0.0],
                                         [30.0, 0.0, 0.0, 40.0],
                                         [0.0, 0.0, 0.0, 0.0]]]])


def test_max_pool_nan_wins_and_the_last_nan_gets_the_gradient():
    x = np.array([[[[1.0, np.nan], [np.nan, 5.0]]]])
    y, cache = F.max_pool2d_forward(x)
    assert np.isnan(y).all() and cache["argmax"][0, 0, 0, 0] == 2
    dx, _ = F.max_pool2d_backward(np.ones((1, 1, 1, 1)), cache)
    np.testing.assert_array_equal(dx, [[[[0.0, 0.0], [1.0, 0.0]]]])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_max_pool_of_infinities_and_extremes(dtype):
    """Ties of infinities and differences that overflow pick the same winners as the loops (and warn nothing)."""
    big = np.finfo(dtype).max
    x = np.array([[[[np.inf, np.inf, -big, big], [1.0, -np.inf, 0.0, big]],
                   [[-np.inf, -np.inf, big, -big], [-np.inf, -np.inf, -big, -big]]]], dtype=dtype)
    for kernel, stride in ((2, None), (2, 1)):
        y, cache = F.max_pool2d_forward(x, kernel, stride)
        y_loops, cache_loops = F.max_pool2d_forward_loops(x, kernel, stride)
        np.testing.assert_array_equal(y, y_loops)
        np.testing.assert_array_equal(cache["argmax"], cache_loops["argmax"])


def test_max_pool_backward_keeps_inf_and_nan_where_they_belong():
    """Non-winners get exactly 0 even when the upstream gradient is inf or NaN."""
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    _, cache = F.max_pool2d_forward(x)
    dx, _ = F.max_pool2d_backward(np.array([[[[np.inf, -np.inf], [np.nan, 1.0]]]]), cache)
    assert np.count_nonzero(dx) == 4 and np.isnan(dx).sum() == 1 and np.isinf(dx).sum() == 2


def test_avg_pool_by_hand():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    y, cache = F.avg_pool2d_forward(x)
    np.testing.assert_array_equal(y, [[[[2.5, 4.5], [10.5, 12.5]]]])
    dx, _ = F.avg_pool2d_backward(np.array([[[[4.0, 8.0], [0.0, -4.0]]]]), cache)
    np.testing.assert_array_equal(dx, np.kron([[1.0, 2.0], [0.0, -1.0]], np.ones((2, 2)))[None, None])


def test_uncovered_rows_and_columns_get_zero_gradient():
    x = np.random.default_rng(3).normal(size=(1, 1, 5, 5))
    for forward, backward in (POOLS["max"][:2], POOLS["avg"][:2]):
        y, cache = forward(x)
        dx, _ = backward(np.ones_like(y), cache)
        assert not dx[:, :, 4, :].any() and not dx[:, :, :, 4].any()


# ------------------------------------------------------------------------- conventions and errors


@pytest.mark.parametrize("op", sorted(POOLS))
def test_float32_kept_and_nothing_mutated(op):
    forward, backward = POOLS[op][:2]
    x = np.random.default_rng(4).normal(size=(2, 3, 6, 6)).astype(np.float32)
    x_copy = x.copy()
    y, cache = forward(x)
    dy = np.ones_like(y)
    dx, _ = backward(dy, cache)
    assert y.dtype == dx.dtype == np.float32
    np.testing.assert_array_equal(x, x_copy)
    np.testing.assert_array_equal(dy, np.ones_like(y))
    np.testing.assert_allclose(y, forward(x.astype(np.float64))[0], rtol=1e-6)


@pytest.mark.parametrize("op", sorted(POOLS))
def test_bad_inputs_are_named(op):
    forward, backward = POOLS[op][:2]
    with pytest.raises(ValueError, match=r"x: expected a 4-D array, got shape \(4, 4\)"):
        forward(np.zeros((4, 4)))
    with pytest.raises(ValueError, match=r"x: expected images of width >= 3 .* got shape \(1, 1, 4, 2\)"):
        forward(np.zeros((1, 1, 4, 2)), 3)
    with pytest.raises(ValueError, match="kernel_size: expected a value in"):
        forward(np.zeros((1, 1, 4, 4)), 0)
    with pytest.raises(ValueError, match="stride: expected a value in"):
        forward(np.zeros((1, 1, 4, 4)), 2, 0)
    y, cache = forward(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match=r"dy: expected the shape of the forward output \(1, 1, 2, 2\)"):
        backward(np.zeros((1, 1, 4, 4)), cache)
    with pytest.raises(TypeError, match="dy: expected dtype float64"):
        backward(y.astype(np.float32), cache)
    other = "avg_pool2d" if op == "max" else "max_pool2d"
    with pytest.raises(ValueError, match=f"expected a cache from {op}_pool2d_forward, got one from {other}_forward"):
        backward(y, POOLS["avg" if op == "max" else "max"][0](np.zeros((1, 1, 4, 4)))[1])


# ------------------------------------------------------------------------- flatten


def test_flatten_round_trip_and_gradient():
    x = np.random.default_rng(5).normal(size=(3, 2, 4, 5))
    y, cache = F.flatten_forward(x)
    assert y.shape == (3, 40)
    np.testing.assert_array_equal(y[1], x[1].ravel())
    dx, grads = F.flatten_backward(y * 2, cache)
    np.testing.assert_array_equal(dx, x * 2)
    check_function_gradient(F.flatten_forward, F.flatten_backward, x, rng=6)


def test_flatten_errors():
    with pytest.raises(ValueError, match=r"x: expected an array of at least 2 dimensions \(N, ...\), got shape \(5,\)"):
        F.flatten_forward(np.zeros(5))
    _, cache = F.flatten_forward(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match=r"dy: expected the shape of the forward output \(2, 12\)"):
        F.flatten_backward(np.zeros((2, 3, 4)), cache)


def test_max_pool_on_very_wide_images():
    """Offsets of winners that need more than 16 bits (W = 70,000) take the wide-integer path."""
    x = np.random.default_rng(7).normal(size=(1, 1, 2, 70_000))
    y, cache = F.max_pool2d_forward(x)
    windows = x.reshape(1, 1, 1, 2, 35_000, 2).transpose(0, 1, 2, 4, 3, 5).reshape(35_000, 4)
    np.testing.assert_array_equal(y.ravel(), windows.max(axis=1))
    first = windows.argmax(axis=1)
    np.testing.assert_array_equal(cache["argmax"].ravel(), (first // 2) * 70_000 + 2 * np.arange(35_000) + first % 2)
