"""conv2d: gradient checks, the fast path against its loop twin, sizes, conventions and errors."""

import itertools

import numpy as np
import pytest

from nnlib import functional as F
from nnlib.functional import _im2col
from nnlib.gradcheck import check_function_gradient

TOL = 1e-6

# (N, C_in, H, W, C_out, kernel (kH, kW), stride, padding)
CASES = [
    (2, 3, 5, 6, 4, (3, 3), 1, 1),
    (2, 2, 6, 5, 3, (3, 3), 1, 0),
    (1, 2, 7, 7, 2, (3, 3), 2, 1),
    (2, 1, 6, 7, 2, (2, 3), (2, 1), (0, 1)),
    (3, 2, 4, 4, 2, (1, 1), 1, 0),
    (1, 2, 5, 5, 2, (3, 3), 1, 3),  # padding wider than the kernel
    (2, 2, 8, 6, 1, (5, 3), 3, 2),
]


def make(case, rng, dtype=np.float64):
    N, C, H, W, C_out, (kH, kW), stride, padding = case
    x = rng.normal(size=(N, C, H, W)).astype(dtype)
    w = rng.normal(size=(C_out, C, kH, kW)).astype(dtype)
    b = rng.normal(size=C_out).astype(dtype)
    return x, w, b, stride, padding


def case_id(case):
    return "N{}C{}-{}x{}-to{}-k{}-s{}-p{}".format(*case[:5], *case[5:])


@pytest.fixture
def small_chunks(monkeypatch):
    """Make the fast path cut the batch into chunks of one or two images (and a partial last chunk)."""
    monkeypatch.setattr(_im2col, "CHUNK_BYTES", 1500)


# ------------------------------------------------------------------------- sizes


@pytest.mark.parametrize("n,k,p,s,expected", [(14, 3, 1, 1, 14), (14, 2, 0, 2, 7), (32, 5, 0, 1, 28),
                                               (7, 3, 1, 2, 4), (5, 5, 0, 1, 1), (1, 3, 1, 1, 1), (10, 3, 0, 3, 3)])
def test_conv_output_size_by_hand(n, k, p, s, expected):
    assert F.conv_output_size(n, k, p, s) == expected


def test_conv_output_size_counts_the_window_positions():
    for n, k, p, s in itertools.product(range(1, 9), range(1, 6), range(0, 4), range(1, 4)):
        if k > n + 2 * p:
            with pytest.raises(ValueError, match="k: expected a kernel no longer than"):
                F.conv_output_size(n, k, p, s)
        else:
            assert F.conv_output_size(n, k, p, s) == len(range(0, n + 2 * p - k + 1, s))


@pytest.mark.parametrize("H,W,k,p,s", list(itertools.product([5, 6, 7], [4, 7], [1, 2, 3], [0, 1, 2], [1, 2, 3])))
def test_output_shape_follows_the_formula(H, W, k, p, s):
    rng = np.random.default_rng(0)
    y, _ = F.conv2d_forward(rng.normal(size=(2, 2, H, W)), rng.normal(size=(3, 2, k, k)), np.zeros(3),
                            stride=s, padding=p)
    assert y.shape == (2, 3, F.conv_output_size(H, k, p, s), F.conv_output_size(W, k, p, s))


@pytest.mark.parametrize("args,error,message", [
    ((0, 3, 0, 1), ValueError, "n: expected a value in"),
    ((5, 3, -1, 1), ValueError, "p: expected a value in"),
    ((5, 3, 0, 0), ValueError, "s: expected a value in"),
    ((5, 2.5, 0, 1), TypeError, "k: expected an integer"),
    ((5, True, 0, 1), TypeError, "k: expected an integer"),
])
def test_conv_output_size_rejects_bad_sizes(args, error, message):
    with pytest.raises(error, match=message):
        F.conv_output_size(*args)


# ------------------------------------------------------------------------- gradients


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_gradients(case):
    x, w, b, stride, padding = make(case, np.random.default_rng(1))
    errors = check_function_gradient(lambda x, w, b: F.conv2d_forward(x, w, b, stride, padding),
                                     F.conv2d_backward, x, w, b, names=("x", "W", "b"), rng=2, tol=TOL)
    assert set(errors) == {"x", "W", "b"} and max(errors.values()) < TOL


@pytest.mark.parametrize("case", CASES[:3], ids=case_id)
def test_gradients_of_the_loop_twin(case):
    x, w, b, stride, padding = make(case, np.random.default_rng(3))
    check_function_gradient(lambda x, w, b: F.conv2d_forward_loops(x, w, b, stride, padding),
                            F.conv2d_backward_loops, x, w, b, names=("x", "W", "b"), rng=4, tol=TOL)


# ------------------------------------------------------------------------- fast path == loops


def assert_fast_equals_loops(x, w, b, stride, padding, rng):
    y, cache = F.conv2d_forward(x, w, b, stride, padding)
    y_loops, cache_loops = F.conv2d_forward_loops(x, w, b, stride, padding)
    np.testing.assert_allclose(y, y_loops, rtol=1e-12, atol=1e-12)
    dy = rng.normal(size=y.shape)
    dx, grads = F.conv2d_backward(dy, cache)
    dx_loops, grads_loops = F.conv2d_backward_loops(dy, cache_loops)
    np.testing.assert_allclose(dx, dx_loops, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grads["W"], grads_loops["W"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grads["b"], grads_loops["b"], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("k,p,s", list(itertools.product([(1, 1), (2, 2), (3, 3), (2, 3)], [0, 1, 2, (2, 0)],
                                                         [1, 2, (1, 3)])))
def test_fast_path_equals_loops(k, p, s):
    rng = np.random.default_rng(5)
    for H, W in [(5, 5), (6, 7)]:
        case = (2, 3, H, W, 2, k, s, p)
        assert_fast_equals_loops(*make(case, rng), rng)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_standard_layout_equals_loops(case, monkeypatch):
    """Stride-1 convolutions of non-finite inputs use the standard padded layout: check it on finite ones."""
    monkeypatch.setattr(F.conv, "_finite", lambda x, w: False)
    rng = np.random.default_rng(15)
    assert_fast_equals_loops(*make(case, rng), rng)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_fast_path_equals_loops_in_chunks(case, small_chunks):
    rng = np.random.default_rng(6)
    N, *rest = case
    assert_fast_equals_loops(*make((5, *rest), rng), rng)  # 5 images: several chunks, the last one partial


def test_chunking_leaves_no_trace_between_calls(small_chunks):
    """A smaller batch after a larger one (and NaN in an earlier call) must not read stale buffers."""
    rng = np.random.default_rng(7)
    x, w, b, stride, padding = make((5, 2, 6, 6, 3, (3, 3), 1, 1), rng)
    poisoned = x.copy()
    poisoned[:] = np.nan
    F.conv2d_backward(np.ones((5, 3, 6, 6)), F.conv2d_forward(poisoned, w, b, stride, padding)[1])
    assert_fast_equals_loops(x[:3], w, b, stride, padding, rng)


def test_caches_are_interchangeable():
    rng = np.random.default_rng(8)
    x, w, b, stride, padding = make(CASES[2], rng)
    y, cache = F.conv2d_forward(x, w, b, stride, padding)
    _, cache_loops = F.conv2d_forward_loops(x, w, b, stride, padding)
    dy = rng.normal(size=y.shape)
    dx1, g1 = F.conv2d_backward(dy, cache_loops)
    dx2, g2 = F.conv2d_backward_loops(dy, cache)
    np.testing.assert_allclose(dx1, dx2, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(g1["W"], g2["W"], rtol=1e-12, atol=1e-12)


def test_interleaved_layers_keep_their_own_caches():
    """forward A, forward B, backward A, backward B: the work buffers shared by same-shape convs do not mix."""
    rng = np.random.default_rng(9)
    xa, w, b, stride, padding = make(CASES[0], rng)
    xb = rng.normal(size=xa.shape)
    dy = rng.normal(size=F.conv2d_forward(xa, w, b, stride, padding)[0].shape)
    expected_a = F.conv2d_backward(dy, F.conv2d_forward(xa, w, b, stride, padding)[1])
    expected_b = F.conv2d_backward(dy, F.conv2d_forward(xb, w, b, stride, padding)[1])
    cache_a, cache_b = F.conv2d_forward(xa, w, b, stride, padding)[1], F.conv2d_forward(xb, w, b, stride, padding)[1]
    for cache, (dx, grads) in ((cache_a, expected_a), (cache_b, expected_b)):
        got_dx, got = F.conv2d_backward(dy, cache)
        np.testing.assert_array_equal(got_dx, dx)
        np.testing.assert_array_equal(got["W"], grads["W"])


def test_input_grad_false_skips_dx_only():
    rng = np.random.default_rng(10)
    x, w, b, stride, padding = make(CASES[0], rng)
    y, cache = F.conv2d_forward(x, w, b, stride, padding)
    dy = rng.normal(size=y.shape)
    dx, grads = F.conv2d_backward(dy, cache)
    none, grads_only = F.conv2d_backward(dy, cache, input_grad=False)
    assert none is None
    np.testing.assert_array_equal(grads_only["W"], grads["W"])
    np.testing.assert_array_equal(grads_only["b"], grads["b"])


# ------------------------------------------------------------------------- conventions


def test_docstring_example_by_hand():
    y, _ = F.conv2d_forward(np.arange(16.0).reshape(1, 1, 4, 4), np.ones((1, 1, 2, 2)), np.zeros(1), stride=2)
    np.testing.assert_array_equal(y, [[[[10.0, 18.0], [42.0, 50.0]]]])


def test_cross_correlation_does_not_flip_the_kernel():
    """On a single bright pixel, a cross-correlation writes the kernel upside down and mirrored around it."""
    x = np.zeros((1, 1, 5, 5))
    x[0, 0, 2, 2] = 1.0
    kernel = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    y, _ = F.conv2d_forward(x, kernel, np.zeros(1), padding=1)
    np.testing.assert_array_equal(y[0, 0, 1:4, 1:4], kernel[0, 0, ::-1, ::-1])
    y_loops, _ = F.conv2d_forward_loops(x, kernel, np.zeros(1), padding=1)
    np.testing.assert_array_equal(y_loops, y)


def test_nan_reaches_exactly_the_outputs_whose_window_holds_it():
    """The shared-border layout computes extra outputs at the borders; none of them may leak into y."""
    rng = np.random.default_rng(11)
    x, w, b, stride, padding = make((3, 2, 6, 6, 2, (3, 3), 1, 1), rng)
    x[1, 0, 0, 5] = np.nan  # a corner pixel, next to the next row's and the next image's borders
    y, _ = F.conv2d_forward(x, w, b, stride, padding)
    y_loops, _ = F.conv2d_forward_loops(x, w, b, stride, padding)
    np.testing.assert_array_equal(np.isnan(y), np.isnan(y_loops))
    assert np.isnan(y).sum() == 2 * 4  # 2 output channels x the 2x2 outputs whose window covers (0, 5)


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
@pytest.mark.parametrize("where", ["x", "W"])
def test_non_finite_values_spread_exactly_as_in_the_loops(bad, where):
    """inf and NaN reach the same outputs and gradients as in the loop twin (no extra NaN from border outputs)."""
    rng = np.random.default_rng(14)
    x, w, b, stride, padding = make((2, 2, 5, 5, 2, (3, 3), 1, 1), rng)
    (x if where == "x" else w)[0, 0, 0, -1] = bad
    dy = rng.normal(size=(2, 2, 5, 5))
    with np.errstate(invalid="ignore"):
        y, cache = F.conv2d_forward(x, w, b, stride, padding)
        y_loops, cache_loops = F.conv2d_forward_loops(x, w, b, stride, padding)
        results = F.conv2d_backward(dy, cache), F.conv2d_backward_loops(dy, cache_loops)
    for ours, loops in [(y, y_loops), *zip(*[(dx, g["W"]) for dx, g in results])]:
        np.testing.assert_array_equal(np.isnan(ours), np.isnan(loops))
        np.testing.assert_allclose(ours, loops, rtol=1e-12, atol=1e-12)  # equal infinities, close finite values


def test_nothing_is_mutated():
    rng = np.random.default_rng(12)
    x, w, b, stride, padding = make(CASES[0], rng)
    originals = [a.copy() for a in (x, w, b)]
    y, cache = F.conv2d_forward(x, w, b, stride, padding)
    dy = rng.normal(size=y.shape)
    dy_copy, image = dy.copy(), cache["image"].copy()
    F.conv2d_backward(dy, cache)
    for a, original in zip((x, w, b), originals):
        np.testing.assert_array_equal(a, original)
    np.testing.assert_array_equal(dy, dy_copy)
    np.testing.assert_array_equal(cache["image"], image)


def test_float32_stays_float32():
    rng = np.random.default_rng(13)
    x, w, b, stride, padding = make(CASES[0], rng)
    y64, cache64 = F.conv2d_forward(x, w, b, stride, padding)
    x32, w32, b32 = (a.astype(np.float32) for a in (x, w, b))
    y32, cache32 = F.conv2d_forward(x32, w32, b32, stride, padding)
    dy = rng.normal(size=y64.shape)
    dx32, g32 = F.conv2d_backward(dy.astype(np.float32), cache32)
    dx64, g64 = F.conv2d_backward(dy, cache64)
    assert y32.dtype == dx32.dtype == g32["W"].dtype == g32["b"].dtype == np.float32
    np.testing.assert_allclose(y32, y64, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(dx32, dx64, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(g32["W"], g64["W"], rtol=1e-4, atol=1e-4)


def test_integer_input_becomes_float64():
    y, _ = F.conv2d_forward(np.ones((1, 1, 3, 3), dtype=int), np.ones((1, 1, 2, 2)), np.zeros(1))
    assert y.dtype == np.float64 and np.all(y == 4.0)


# ------------------------------------------------------------------------- errors


def good():
    return np.zeros((2, 3, 5, 5)), np.zeros((4, 3, 3, 3)), np.zeros(4)


@pytest.mark.parametrize("change,error,message", [
    (lambda x, w, b: (x[0], w, b), ValueError, r"x: expected a 4-D array, got shape \(3, 5, 5\)"),
    (lambda x, w, b: (x, w[:, :2], b), ValueError, r"W: expected shape \(C_out, 3, kH, kW\) .* got shape \(4, 2, 3, 3\)"),
    (lambda x, w, b: (x, w[0], b), ValueError, r"W: expected a 4-D array, got shape \(3, 3, 3\)"),
    (lambda x, w, b: (x, w, b[:3]), ValueError, r"b: expected shape \(4,\), got shape \(3,\)"),
    (lambda x, w, b: (x, w.astype(np.float32), b), TypeError, "W: expected dtype float64 .* got float32"),
    (lambda x, w, b: (x.astype(np.float32), w, b), TypeError, "W: expected dtype float32 .* got float64"),
    (lambda x, w, b: (x.astype(complex), w, b), TypeError, "x: expected a real numeric array"),
    (lambda x, w, b: (x[:, :, :2, :2], w, b), ValueError, r"x: expected images of height >= 3 .* got shape \(2, 3, 2, 2\)"),
])
def test_bad_inputs_are_named(change, error, message):
    with pytest.raises(error, match=message):
        F.conv2d_forward(*change(*good()))


@pytest.mark.parametrize("kwargs,error,message", [
    ({"stride": 0}, ValueError, "stride: expected a value in"),
    ({"stride": 1.5}, TypeError, "stride: expected an integer"),
    ({"stride": (1, 2, 3)}, ValueError, r"stride: expected an int or a pair"),
    ({"padding": -1}, ValueError, "padding: expected a value in"),
    ({"padding": (1, "a")}, TypeError, "padding: expected an integer"),
])
def test_bad_stride_and_padding_are_named(kwargs, error, message):
    with pytest.raises(error, match=message):
        F.conv2d_forward(*good(), **kwargs)


def test_bad_upstream_and_cache_are_named():
    y, cache = F.conv2d_forward(*good(), padding=1)
    with pytest.raises(ValueError, match=r"dy: expected the shape of the forward output \(2, 4, 5, 5\), got shape"):
        F.conv2d_backward(np.zeros((2, 4, 3, 3)), cache)
    with pytest.raises(TypeError, match="dy: expected dtype float64"):
        F.conv2d_backward(y.astype(np.float32), cache)
    with pytest.raises(ValueError, match="cache: expected a cache from conv2d_forward, got one from relu_forward"):
        F.conv2d_backward(y, F.relu_forward(y)[1])
    with pytest.raises(TypeError, match="cache: expected the cache dict"):
        F.conv2d_backward(y, (1, 2))
