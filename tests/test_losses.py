"""Tests for nnlib.losses: values, gradients of the mean, stability, dtypes, input errors."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnlib import activations as A
from nnlib import losses as L
from nnlib.gradcheck import check_loss_gradient

TOL = 1e-6


def rng_(seed=0):
    return np.random.default_rng(seed)


# ---------------------------------------------------------------- gradient checks


@pytest.mark.parametrize("shape", [(8,), (8, 1), (5, 3)])
def test_mse_gradient(shape):
    rng = rng_(1)
    assert check_loss_gradient(L.mse_loss, rng.normal(size=shape), rng.normal(size=shape), tol=TOL) < TOL


@pytest.mark.parametrize("shape", [(8,), (8, 1), (5, 3)])
def test_mae_gradient_away_from_the_kink(shape):
    rng = rng_(2)
    y = rng.normal(size=shape)
    y_pred = y + rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.1, 1.0, size=shape)
    assert check_loss_gradient(L.mae_loss, y_pred, y, tol=TOL) < TOL


@pytest.mark.parametrize("shape", [(8,), (8, 1), (4, 3)])
def test_bce_gradient(shape):
    rng = rng_(3)
    p = rng.uniform(0.05, 0.95, size=shape)
    y = rng.integers(0, 2, size=shape).astype(float)
    assert check_loss_gradient(L.bce_loss, p, y, tol=TOL) < TOL
    assert check_loss_gradient(L.bce_loss, p, rng.uniform(size=shape), tol=TOL) < TOL  # soft targets


@pytest.mark.parametrize("shape", [(8,), (8, 1), (4, 3)])
def test_bce_with_logits_gradient(shape):
    rng = rng_(4)
    z = 3 * rng.normal(size=shape)
    assert check_loss_gradient(L.bce_with_logits_loss, z, rng.integers(0, 2, size=shape), tol=TOL) < TOL
    assert check_loss_gradient(L.bce_with_logits_loss, z, rng.uniform(size=shape), tol=TOL) < TOL


@pytest.mark.parametrize("n, C", [(6, 3), (1, 2), (10, 7)])
def test_softmax_cross_entropy_gradient_labels_onehot_and_soft(n, C):
    rng = rng_(5)
    z = 2 * rng.normal(size=(n, C))
    labels = rng.integers(0, C, size=n)
    soft = rng.dirichlet(np.ones(C), size=n)
    for y in (labels, np.eye(C)[labels], soft):
        assert check_loss_gradient(L.softmax_cross_entropy_loss, z, y, tol=TOL) < TOL


# ------------------------------------------------------------------ known values


def test_mse_and_mae_by_hand():
    loss, grad = L.mse_loss([[1.0], [3.0]], [[0.0], [1.0]])
    assert loss == 2.5 and isinstance(loss, float)
    np.testing.assert_array_equal(grad, [[1.0], [2.0]])  # 2/N (y_pred - y) with N = 2
    loss, grad = L.mae_loss([1.0, 3.0, 2.0, 5.0], [0.0, 4.0, 2.0, 5.0])
    assert loss == 0.5
    np.testing.assert_array_equal(grad, [0.25, -0.25, 0.0, 0.0])  # sign(0) = 0 at the kink


def test_mse_averages_over_all_entries():
    """For (n, k) outputs the mean runs over n*k entries (like PyTorch's reduction='mean')."""
    y_pred, y = np.ones((4, 3)), np.zeros((4, 3))
    loss, grad = L.mse_loss(y_pred, y)
    assert loss == 1.0
    np.testing.assert_allclose(grad, np.full((4, 3), 2 / 12))


def test_notes_mse_derivative_matches_for_one_output():
    """Notes: dL/dy_hat = -2/n (y - y_hat); same as ours for shape (n,)."""
    rng = rng_(6)
    y_hat, y = rng.normal(size=7), rng.normal(size=7)
    np.testing.assert_allclose(L.mse_loss(y_hat, y)[1], -2 * (y - y_hat) / len(y))


def test_bce_by_hand_and_notes_gradient():
    p, y = np.array([0.8, 0.3, 0.5]), np.array([1.0, 0.0, 1.0])
    loss, grad = L.bce_loss(p, y)
    assert loss == pytest.approx(-(np.log(0.8) + np.log(0.7) + np.log(0.5)) / 3, rel=1e-14)
    notes_grad = -y / p + (1 - y) / (1 - p)  # math-foundations.md, per example
    np.testing.assert_allclose(grad, notes_grad / 3, rtol=1e-14)
    np.testing.assert_allclose(grad, (p - y) / (p * (1 - p)) / 3, rtol=1e-12)  # mlp-cnn-rnn.md form


def test_bce_clipping_keeps_saturated_probabilities_finite():
    loss, grad = L.bce_loss(np.array([0.0, 1.0]), np.array([1.0, 0.0]))
    assert loss == pytest.approx(-np.log(1e-12), rel=1e-3)
    assert np.all(np.isfinite(grad)) and grad[0] < 0 < grad[1]
    loss, grad = L.bce_loss(np.array([0.0, 1.0]), np.array([0.0, 1.0]))
    assert 0 <= loss < 1e-11


def test_bce_with_logits_equals_bce_of_sigmoid():
    rng = rng_(7)
    z = 4 * rng.normal(size=(9, 1))
    y = rng.integers(0, 2, size=(9, 1)).astype(float)
    loss_logits, grad_logits = L.bce_with_logits_loss(z, y)
    p = A.sigmoid(z)
    loss_p, grad_p = L.bce_loss(p, y)
    assert loss_logits == pytest.approx(loss_p, rel=1e-12)
    np.testing.assert_allclose(grad_logits, grad_p * p * (1 - p), rtol=1e-9)  # chain rule through sigma
    np.testing.assert_allclose(grad_logits, (p - y) / 9, rtol=1e-14)


def test_softmax_cross_entropy_by_hand():
    loss, grad = L.softmax_cross_entropy_loss([[0.0, 0.0], [0.0, np.log(3.0)]], [1, 1])
    assert loss == pytest.approx((np.log(2) + np.log(4 / 3)) / 2, rel=1e-14)
    np.testing.assert_allclose(grad, [[0.25, -0.25], [0.125, -0.125]], rtol=1e-14)


def test_labels_and_one_hot_agree_and_grad_is_p_minus_y_over_n():
    rng = rng_(8)
    z, labels = rng.normal(size=(6, 4)), rng.integers(0, 4, size=6)
    Y = np.eye(4)[labels]
    loss_a, grad_a = L.softmax_cross_entropy_loss(z, labels)
    loss_b, grad_b = L.softmax_cross_entropy_loss(z, Y)
    loss_c, _ = L.softmax_cross_entropy_loss(z, Y.astype(np.int64))
    assert loss_a == pytest.approx(loss_b, rel=1e-14) and loss_b == loss_c
    np.testing.assert_allclose(grad_a, grad_b, atol=1e-16)
    np.testing.assert_allclose(grad_a, (A.softmax(z) - Y) / 6, atol=1e-16)
    assert loss_a == pytest.approx(-np.mean(np.log(A.softmax(z)[np.arange(6), labels])), rel=1e-13)


def test_float_labels_that_are_whole_numbers_are_accepted():
    z = np.zeros((2, 3))
    assert L.softmax_cross_entropy_loss(z, np.array([0.0, 2.0]))[0] == pytest.approx(np.log(3))


# ------------------------------------------------------------------- stability


def test_losses_on_logits_are_stable_at_plus_minus_1000():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grad = L.bce_with_logits_loss(np.array([1000.0, -1000.0, 1000.0, -1000.0]), np.array([1.0, 0.0, 0.0, 1.0]))
        ce_loss, ce_grad = L.softmax_cross_entropy_loss(
            np.array([[1000.0, -1000.0], [1000.0, -1000.0]]), np.array([0, 1])
        )
        p_loss, p_grad = L.bce_loss(np.array([0.0, 1.0, 1.0]), np.array([1.0, 1.0, 0.0]))
    assert loss == pytest.approx(500.0) and np.all(np.isfinite(grad))
    np.testing.assert_array_equal(grad, [0.0, 0.0, 0.25, -0.25])
    assert ce_loss == pytest.approx(1000.0)  # (0 + 2000) / 2
    np.testing.assert_array_equal(ce_grad, [[0.0, 0.0], [0.5, -0.5]])
    assert np.isfinite(p_loss) and np.all(np.isfinite(p_grad))


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(2, 5)), elements=st.floats(-1000, 1000)),
    st.integers(0, 2**32 - 1),
)
def test_property_softmax_ce_finite_nonnegative(z, seed):
    labels = np.random.default_rng(seed).integers(0, z.shape[1], size=z.shape[0])
    loss, grad = L.softmax_cross_entropy_loss(z, labels)
    assert np.isfinite(loss) and loss >= 0
    assert grad.shape == z.shape and np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-12)  # rows of P - Y sum to 0


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, st.integers(1, 8), elements=st.floats(-1000, 1000)), st.integers(0, 2**32 - 1))
def test_property_bce_with_logits_finite_nonnegative(z, seed):
    y = np.random.default_rng(seed).integers(0, 2, size=z.shape)
    loss, grad = L.bce_with_logits_loss(z, y)
    assert np.isfinite(loss) and loss >= 0
    assert np.all(np.abs(grad) <= 1 / z.size + 1e-15)


# ---------------------------------------------------------------------- dtypes


@pytest.mark.parametrize(
    "fn, y_pred, y",
    [
        (L.mse_loss, np.ones((3, 1)), np.zeros((3, 1))),
        (L.mae_loss, np.ones(3), np.zeros(3)),
        (L.bce_loss, np.full(3, 0.3), np.array([0.0, 1.0, 1.0])),
        (L.bce_with_logits_loss, np.ones(3), np.array([0.0, 1.0, 1.0])),
        (L.softmax_cross_entropy_loss, np.ones((3, 2)), np.array([0, 1, 1])),
    ],
)
def test_grad_dtype_follows_prediction_and_loss_is_float(fn, y_pred, y):
    loss32, grad32 = fn(y_pred.astype(np.float32), y)
    loss64, grad64 = fn(y_pred, y)
    assert type(loss32) is float and type(loss64) is float
    assert grad32.dtype == np.float32 and grad64.dtype == np.float64
    assert loss32 == pytest.approx(loss64, rel=1e-6)


def test_inputs_not_modified():
    p, y = np.array([0.0, 0.5, 1.0]), np.array([1.0, 0.0, 1.0])
    p0, y0 = p.copy(), y.copy()
    L.bce_loss(p, y)
    np.testing.assert_array_equal(p, p0)
    np.testing.assert_array_equal(y, y0)


def test_registry():
    assert L.LOSSES == {
        "mse": L.mse_loss,
        "mae": L.mae_loss,
        "bce": L.bce_loss,
        "bce_with_logits": L.bce_with_logits_loss,
        "softmax_cross_entropy": L.softmax_cross_entropy_loss,
    }


# ---------------------------------------------------------------------- errors


@pytest.mark.parametrize("fn, first", [(L.mse_loss, "y_pred"), (L.mae_loss, "y_pred"), (L.bce_loss, "p"), (L.bce_with_logits_loss, "logits")])
def test_column_vs_flat_shape_mismatch_is_an_error(fn, first):
    second = "y_true" if first == "y_pred" else "y"
    with pytest.raises(ValueError, match=rf"{second}: expected the same shape as {first} \(4, 1\), got shape \(4,\) \(losses do not broadcast"):
        fn(np.full((4, 1), 0.5), np.zeros(4))


def test_labels_out_of_range():
    z = np.zeros((4, 3))
    with pytest.raises(ValueError, match=r"y: expected labels in \[0, 2\], got \[3, -1\]"):
        L.softmax_cross_entropy_loss(z, [0, 3, 1, -1])


def test_label_count_and_type_errors():
    z = np.zeros((4, 3))
    with pytest.raises(ValueError, match=r"y: expected 4 labels \(one per example\), got 3"):
        L.softmax_cross_entropy_loss(z, [0, 1, 2])
    with pytest.raises(TypeError, match="y: expected integer labels, got non-integer floats"):
        L.softmax_cross_entropy_loss(z, [0.5, 1, 2, 0])
    with pytest.raises(ValueError, match=r"y: expected integer labels of shape \(4,\) or target rows of the same shape as logits \(4, 3\), got shape \(4, 1\)"):
        L.softmax_cross_entropy_loss(z, np.zeros((4, 1), dtype=int))
    with pytest.raises(ValueError, match=r"y: expected integer labels of shape \(4,\) or target rows of shape \(4, 3\), got shape \(4, 3, 1\)"):
        L.softmax_cross_entropy_loss(z, np.zeros((4, 3, 1)))
    with pytest.raises(ValueError, match=r"logits: expected a 2-D array, got shape \(3,\)"):
        L.softmax_cross_entropy_loss(np.zeros(3), [0, 1, 2])


def test_target_rows_must_be_distributions():
    z = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"y: expected each row to sum to 1 \(a target distribution\), got row sums in \[1, 2\]"):
        L.softmax_cross_entropy_loss(z, [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]])
    with pytest.raises(ValueError, match=r"y: expected values in \[0, 1\], got values in \[-0.5, 1.5\]"):
        L.softmax_cross_entropy_loss(z, [[1.5, -0.5, 0.0], [1.0, 0.0, 0.0]])


def test_bce_range_errors():
    with pytest.raises(ValueError, match=r"p: expected values in \[0, 1\], got values in \[-2, 3\]; for logits use bce_with_logits_loss"):
        L.bce_loss([-2.0, 3.0], [0.0, 1.0])
    with pytest.raises(ValueError, match=r"y: expected values in \[0, 1\], got values in \[0, 2\]"):
        L.bce_loss([0.5, 0.5], [0.0, 2.0])
    with pytest.raises(ValueError, match=r"y: expected values in \[0, 1\], got values in \[-1, 1\]"):
        L.bce_with_logits_loss([0.5, 0.5], [-1.0, 1.0])  # {-1, 1} labels are a common mistake
    with pytest.raises(ValueError, match=r"eps: expected a value in \(0, 0.5\), got 0.0"):
        L.bce_loss([0.5], [1.0], eps=0.0)


def test_non_finite_targets_rejected_but_predictions_propagate():
    with pytest.raises(ValueError, match="y_true: expected finite values, got 1 NaN and 0 inf among 2 entries"):
        L.mse_loss([1.0, 2.0], [np.nan, 1.0])
    loss, _ = L.mse_loss([np.inf, 2.0], [1.0, 1.0])
    assert loss == np.inf  # fit() turns a non-finite loss into TrainingDivergedError


def test_non_numeric_and_empty_inputs():
    with pytest.raises(TypeError, match="y_pred: expected a real numeric array, got dtype <U1"):
        L.mse_loss(["a"], [1.0])
    with pytest.raises(ValueError, match=r"y_pred: expected a non-empty array, got shape \(0,\)"):
        L.mse_loss(np.zeros(0), np.zeros(0))
