"""The formulas of nnlib.functional.norm: batch and layer statistics, the compact backward against the
step-by-step one, evaluation mode, constant features, bad input.

Gradient checks, purity, dtypes and bad caches/upstreams of every op are in test_ops_generic.py.
"""

import numpy as np
import pytest

from nnlib import functional as F
from nnlib.gradcheck import check_function_gradient


def staged_batch_norm_backward(dy, x, gamma, eps):
    """The backward pass node by node through the graph mean -> centre -> variance -> 1/std -> x_hat -> y
    (rows are examples): the oracle for the compact formula."""
    m = x.shape[0]
    mu = x.mean(axis=0)
    xc = x - mu
    var = (xc ** 2).mean(axis=0)
    inv = 1 / np.sqrt(var + eps)
    dxhat = dy * gamma
    dinv = np.sum(dxhat * xc, axis=0)
    dvar = dinv * -0.5 * (var + eps) ** -1.5
    dxc = dxhat * inv + dvar * 2 * xc / m
    dmu = -dxc.sum(axis=0)
    return dxc + dmu / m


def test_training_mode_standardises_each_feature_then_scales_and_shifts():
    rng = np.random.default_rng(0)
    x = rng.normal(3.0, 5.0, size=(64, 3))
    gamma, beta = np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 4.0])
    y, cache = F.batch_norm_forward(x, gamma, beta)
    np.testing.assert_allclose(y.mean(axis=0), beta, atol=1e-12)
    np.testing.assert_allclose(y.std(axis=0), gamma * np.sqrt(x.var(axis=0) / (x.var(axis=0) + 1e-5)), rtol=1e-12)
    np.testing.assert_allclose(cache["mean"], x.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(cache["var"], x.var(axis=0), rtol=1e-12)  # biased: divided by m
    assert cache["count"] == 64 and cache["mode"] == "batch"


def test_images_share_statistics_over_batch_height_and_width():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 4, 5, 2))
    gamma, beta = rng.normal(size=4), rng.normal(size=4)
    y, cache = F.batch_norm_forward(x, gamma, beta)
    rows = x.transpose(0, 2, 3, 1).reshape(-1, 4)  # every (n, h, w) is one example of 4 features
    y_rows, rows_cache = F.batch_norm_forward(rows, gamma, beta)
    np.testing.assert_allclose(y, y_rows.reshape(3, 5, 2, 4).transpose(0, 3, 1, 2), rtol=1e-12)
    assert cache["count"] == 3 * 5 * 2
    dy = rng.normal(size=y.shape)
    dx, grads = F.batch_norm_backward(dy, cache)
    dx_rows, grads_rows = F.batch_norm_backward(dy.transpose(0, 2, 3, 1).reshape(-1, 4), rows_cache)
    np.testing.assert_allclose(dx, dx_rows.reshape(3, 5, 2, 4).transpose(0, 3, 1, 2), rtol=1e-10, atol=1e-12)
    for name in ("gamma", "beta"):
        np.testing.assert_allclose(grads[name], grads_rows[name], rtol=1e-12)


def test_the_compact_backward_equals_the_step_by_step_backward():
    rng = np.random.default_rng(2)
    x, gamma, beta, dy = rng.normal(size=(7, 3)), rng.normal(size=3), rng.normal(size=3), rng.normal(size=(7, 3))
    dx, grads = F.batch_norm_backward(dy, F.batch_norm_forward(x, gamma, beta)[1])
    np.testing.assert_allclose(dx, staged_batch_norm_backward(dy, x, gamma, 1e-5), rtol=1e-9, atol=1e-12)
    x_hat = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5)
    np.testing.assert_allclose(grads["gamma"], np.sum(dy * x_hat, axis=0), rtol=1e-12)
    np.testing.assert_allclose(grads["beta"], dy.sum(axis=0), rtol=1e-12)


def test_the_loss_of_a_sum_has_zero_input_gradient_so_tests_use_random_upstream_gradients():
    """sum(y) = m * sum(beta) whatever x is: a test with dy = 1 would pass with dx = 0."""
    x = np.random.default_rng(3).normal(size=(5, 2))
    dx, _ = F.batch_norm_backward(np.ones((5, 2)), F.batch_norm_forward(x, np.ones(2), np.zeros(2))[1])
    np.testing.assert_allclose(dx, 0, atol=1e-12)


def test_in_training_mode_an_examples_output_depends_on_its_batch_and_in_evaluation_mode_not():
    rng = np.random.default_rng(4)
    x, other = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    g, b = np.ones(3), np.zeros(3)
    mixed = np.vstack([x[:2], other[2:]])
    assert not np.allclose(F.batch_norm_forward(x, g, b)[0][:2], F.batch_norm_forward(mixed, g, b)[0][:2])
    mean, var = np.array([0.1, 0.2, 0.3]), np.array([1.0, 2.0, 3.0])
    y_eval, _ = F.batch_norm_forward(x, g, b, mean=mean, var=var)
    np.testing.assert_array_equal(y_eval[:2], F.batch_norm_forward(mixed, g, b, mean=mean, var=var)[0][:2])
    np.testing.assert_allclose(y_eval, (x - mean) / np.sqrt(var + 1e-5), rtol=1e-12)


def test_evaluation_mode_gradient_is_the_affine_maps():
    rng = np.random.default_rng(5)
    x, gamma, beta, dy = rng.normal(size=(4, 2)), rng.normal(size=2), rng.normal(size=2), rng.normal(size=(4, 2))
    mean, var = np.array([1.0, -1.0]), np.array([0.5, 2.0])
    _, cache = F.batch_norm_forward(x, gamma, beta, mean=mean, var=var)
    dx, _ = F.batch_norm_backward(dy, cache)
    np.testing.assert_allclose(dx, dy * gamma / np.sqrt(var + 1e-5), rtol=1e-12)
    assert cache["mode"] == "fixed" and "count" not in cache
    check_function_gradient(lambda v, g, b: F.batch_norm_forward(v, g, b, mean=mean, var=var), F.batch_norm_backward,
                            x, gamma, beta, rng=6)


def test_a_feature_constant_over_the_batch_gives_beta_not_nan():
    x = np.column_stack([np.full(5, 3.0), np.arange(5.0)])
    y, cache = F.batch_norm_forward(x, np.ones(2), np.array([0.7, 0.0]))
    np.testing.assert_allclose(y[:, 0], 0.7)
    dx, _ = F.batch_norm_backward(np.ones_like(y), cache)
    assert np.all(np.isfinite(dx))


def test_layer_norm_standardises_each_row_and_is_batch_norm_of_the_transpose():
    rng = np.random.default_rng(7)
    x = rng.normal(2.0, 3.0, size=(5, 8))
    y, cache = F.layer_norm_forward(x, np.ones(8), np.zeros(8))
    np.testing.assert_allclose(y.mean(axis=1), 0, atol=1e-12)
    y_t, cache_t = F.batch_norm_forward(x.T, np.ones(5), np.zeros(5))
    np.testing.assert_allclose(y, y_t.T, rtol=1e-12)
    dy = rng.normal(size=x.shape)
    np.testing.assert_allclose(F.layer_norm_backward(dy, cache)[0], F.batch_norm_backward(dy.T, cache_t)[0].T,
                               rtol=1e-10, atol=1e-12)


def test_layer_norm_of_sequences_normalises_each_position():
    rng = np.random.default_rng(8)
    x, gamma, beta = rng.normal(size=(2, 3, 4)), rng.normal(size=4), rng.normal(size=4)
    y, _ = F.layer_norm_forward(x, gamma, beta)
    y_rows, _ = F.layer_norm_forward(x.reshape(6, 4), gamma, beta)
    np.testing.assert_allclose(y, y_rows.reshape(2, 3, 4), rtol=1e-12)
    for n in range(2):  # an example's output never depends on the other examples
        np.testing.assert_allclose(F.layer_norm_forward(x[n:n + 1], gamma, beta)[0][0], y[n], rtol=1e-12)


@pytest.mark.parametrize("call,error,message", [
    (lambda: F.batch_norm_forward(np.ones((1, 3)), np.ones(3), np.zeros(3)), ValueError,
     r"batch statistics need more than one value per feature, got shape \(1, 3\)"),
    (lambda: F.batch_norm_forward(np.ones(3), np.ones(3), np.zeros(3)), ValueError, r"x: expected a 2-D or 3-D or 4-D"),
    (lambda: F.batch_norm_forward(np.ones((4, 3)), np.ones(2), np.zeros(3)), ValueError,
     r"gamma: expected shape \(3,\), got shape \(2,\)"),
    (lambda: F.batch_norm_forward(np.ones((4, 3)), np.ones(3), np.zeros(3), eps=0), ValueError,
     r"eps: expected a value in \(0, inf\)"),
    (lambda: F.batch_norm_forward(np.ones((4, 3)), np.ones(3), np.zeros(3), mean=np.zeros(3)), ValueError,
     r"mean, var: expected both"),
    (lambda: F.batch_norm_forward(np.ones((4, 3)), np.ones(3), np.zeros(3), mean=np.zeros(3), var=-np.ones(3)),
     ValueError, r"var: expected variances >= 0"),
    (lambda: F.batch_norm_forward(np.ones((4, 3)), np.ones(3, np.float32), np.zeros(3)), TypeError,
     r"gamma: expected dtype float64 \(the dtype of x\), got float32"),
    (lambda: F.layer_norm_forward(np.ones((4, 3)), np.ones(4), np.zeros(4)), ValueError,
     r"gamma: expected shape \(3,\), got shape \(4,\)"),
    (lambda: F.layer_norm_forward(np.float64(1.0), np.ones(1), np.zeros(1)), ValueError, r"x: expected an array with"),
])
def test_bad_input_is_refused(call, error, message):
    with pytest.raises(error, match=message):
        call()
