"""Tests for nnlib.metrics, against counts done by hand."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import metrics
from nnlib.metrics import (
    accuracy,
    confusion_matrix,
    f1_score,
    mae,
    mse,
    precision,
    recall,
    rmse,
)

# ---------------------------------------------------------------------------
# regression
# ---------------------------------------------------------------------------


def test_regression_metrics_by_hand():
    # errors: 0, -2, 1 -> squared 0, 4, 1 (mean 5/3); absolute 0, 2, 1 (mean 1)
    y_true, y_pred = [1.0, 2.0, 3.0], [1.0, 4.0, 2.0]
    assert mse(y_true, y_pred) == pytest.approx(5 / 3)
    assert mae(y_true, y_pred) == pytest.approx(1.0)
    assert rmse(y_true, y_pred) == pytest.approx(np.sqrt(5 / 3))
    assert isinstance(mse(y_true, y_pred), float)


def test_regression_metrics_average_over_all_entries_of_a_matrix():
    # errors [[1, -1], [3, 0]]: squared sum 11 over 4 entries; absolute sum 5
    y_true = np.array([[1.0, 1.0], [0.0, 2.0]])
    y_pred = np.array([[0.0, 2.0], [-3.0, 2.0]])
    assert mse(y_true, y_pred) == pytest.approx(11 / 4)
    assert mae(y_true, y_pred) == pytest.approx(5 / 4)


def test_regression_errors():
    with pytest.raises(ValueError, match=r"y_pred: expected the same shape as y_true \(3,\), got shape \(3, 1\)"):
        mse(np.zeros(3), np.zeros((3, 1)))
    with pytest.raises(ValueError, match=r"y_pred: expected finite values, got 1 NaN"):
        mae([1.0, 2.0], [np.nan, 2.0])
    with pytest.raises(ValueError, match=r"y_true: expected a non-empty array"):
        rmse([], [])


# ---------------------------------------------------------------------------
# binary classification, counted by hand
# ---------------------------------------------------------------------------

# i:       0  1  2  3  4  5  6  7
Y_TRUE = [1, 1, 1, 0, 0, 0, 1, 0]
Y_PRED = [1, 0, 1, 0, 1, 1, 1, 0]
# pairs (true, pred): TP at 0, 2, 6 -> 3;  FN at 1 -> 1;  FP at 4, 5 -> 2;  TN at 3, 7 -> 2


def test_binary_confusion_matrix_by_hand():
    np.testing.assert_array_equal(confusion_matrix(Y_TRUE, Y_PRED), [[2, 2], [1, 3]])
    assert confusion_matrix(Y_TRUE, Y_PRED).dtype == np.int64


def test_binary_metrics_by_hand():
    assert accuracy(Y_TRUE, Y_PRED) == pytest.approx(5 / 8)  # (TP + TN) / n
    assert precision(Y_TRUE, Y_PRED) == pytest.approx(3 / 5)  # TP / (TP + FP)
    assert recall(Y_TRUE, Y_PRED) == pytest.approx(3 / 4)  # TP / (TP + FN)
    assert f1_score(Y_TRUE, Y_PRED) == pytest.approx(2 * 3 / (2 * 3 + 2 + 1))  # 2/3


def test_binary_metrics_with_pos_label_zero():
    # class 0 as positive: TP0 = 2 (TN above), FP0 = 1 (FN above), FN0 = 2 (FP above)
    assert precision(Y_TRUE, Y_PRED, pos_label=0) == pytest.approx(2 / 3)
    assert recall(Y_TRUE, Y_PRED, pos_label=0) == pytest.approx(2 / 4)
    assert f1_score(Y_TRUE, Y_PRED, pos_label=0) == pytest.approx(4 / 7)


def test_zero_division_is_zero_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # never predicts 1 and there is no true 1: TP = FP = FN = 0
        assert precision([0, 0, 0], [0, 0, 0]) == 0.0
        assert recall([0, 0, 0], [0, 0, 0]) == 0.0
        assert f1_score([0, 0, 0], [0, 0, 0]) == 0.0
        # never predicts 1 but there are true 1s: precision 0/0 -> 0, recall 0/2 -> 0
        assert precision([1, 1, 0], [0, 0, 0]) == 0.0
        per_class = precision([0, 1], [0, 1], average=None, n_classes=3)
    np.testing.assert_array_equal(per_class, [1.0, 1.0, 0.0])


# ---------------------------------------------------------------------------
# multi-class, counted by hand
# ---------------------------------------------------------------------------

# i:        0  1  2  3  4  5  6  7  8  9
YT = [0, 0, 0, 1, 1, 2, 2, 2, 2, 1]
YP = [0, 1, 0, 1, 2, 2, 2, 0, 1, 1]
# true 0 (i=0,1,2):      predicted 0, 1, 0      -> row [2, 1, 0]
# true 1 (i=3,4,9):      predicted 1, 2, 1      -> row [0, 2, 1]
# true 2 (i=5,6,7,8):    predicted 2, 2, 0, 1   -> row [1, 1, 2]
M_HAND = [[2, 1, 0], [0, 2, 1], [1, 1, 2]]
# TP = (2, 2, 2); column sums (3, 4, 3) -> FP = (1, 2, 1); row sums (3, 3, 4) -> FN = (1, 1, 2)


def test_multiclass_confusion_matrix_by_hand():
    np.testing.assert_array_equal(confusion_matrix(YT, YP), M_HAND)
    M5 = confusion_matrix(YT, YP, n_classes=5)
    assert M5.shape == (5, 5)
    np.testing.assert_array_equal(M5[:3, :3], M_HAND)
    assert M5[3:].sum() == 0 and M5[:, 3:].sum() == 0


def test_multiclass_per_class_scores_by_hand():
    np.testing.assert_allclose(precision(YT, YP, average=None), [2 / 3, 2 / 4, 2 / 3])
    np.testing.assert_allclose(recall(YT, YP, average=None), [2 / 3, 2 / 3, 2 / 4])
    np.testing.assert_allclose(f1_score(YT, YP, average=None), [4 / 6, 4 / 7, 4 / 7])


def test_multiclass_macro_and_micro_by_hand():
    assert precision(YT, YP, average="macro") == pytest.approx((2 / 3 + 1 / 2 + 2 / 3) / 3)
    assert recall(YT, YP, average="macro") == pytest.approx((2 / 3 + 2 / 3 + 1 / 2) / 3)
    assert f1_score(YT, YP, average="macro") == pytest.approx((4 / 6 + 4 / 7 + 4 / 7) / 3)
    # micro: sum TP = 6, sum FP = 4, sum FN = 4 -> 6/10 for all three = accuracy
    for f in (precision, recall, f1_score):
        assert f(YT, YP, average="micro") == pytest.approx(0.6)
    assert accuracy(YT, YP) == pytest.approx(0.6)


def test_macro_counts_absent_classes_as_zero():
    # with n_classes=4, class 3 never appears: its scores are 0 and pull the mean down
    assert precision(YT, YP, average="macro", n_classes=4) == pytest.approx(
        (2 / 3 + 1 / 2 + 2 / 3 + 0) / 4
    )


# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------


def test_classification_errors():
    with pytest.raises(ValueError, match=r"y_pred: expected 3 labels \(as many as y_true\), got 2"):
        accuracy([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match=r"y_true: expected a 1-D array, got shape \(2, 1\)"):
        confusion_matrix([[0], [1]], [0, 1])
    with pytest.raises(ValueError, match=r"y_pred: expected labels in >= 0, got \[-1\]"):
        accuracy([0, 1], [0, -1])
    with pytest.raises(ValueError, match=r"y_true: expected labels in \[0, 1\], got \[2\]"):
        confusion_matrix([0, 2], [0, 1], n_classes=2)
    with pytest.raises(TypeError, match=r"y_pred: expected integer labels, got non-integer floats"):
        accuracy([0, 1], [0.2, 0.9])
    with pytest.raises(ValueError, match=r"y_true: average='binary' needs labels in \{0, 1\}, got \[2\]"):
        precision([0, 1, 2], [0, 1, 1])
    with pytest.raises(ValueError, match=r"n_classes: average='binary' needs n_classes=2, got 3"):
        recall([0, 1], [0, 1], n_classes=3)
    with pytest.raises(ValueError, match=r"average: expected one of .*got 'weighted'"):
        f1_score([0, 1], [0, 1], average="weighted")
    with pytest.raises(ValueError, match=r"pos_label: expected a value in \[0, 1\], got 2"):
        f1_score([0, 1], [0, 1], pos_label=2)


# ---------------------------------------------------------------------------
# properties against brute-force counting
# ---------------------------------------------------------------------------

label_pairs = st.integers(1, 6).flatmap(
    lambda C: st.integers(1, 40).flatmap(
        lambda n: st.tuples(
            st.just(C),
            st.lists(st.integers(0, C - 1), min_size=n, max_size=n),
            st.lists(st.integers(0, C - 1), min_size=n, max_size=n),
        )
    )
)


def brute_force_counts(y_true, y_pred, C):
    tp, fp, fn = [0] * C, [0] * C, [0] * C
    for t, p in zip(y_true, y_pred):
        if t == p:
            tp[t] += 1
        else:
            fp[p] += 1
            fn[t] += 1
    return tp, fp, fn


@settings(max_examples=100, deadline=None)
@given(label_pairs)
def test_metrics_match_brute_force_counts(case):
    C, y_true, y_pred = case
    tp, fp, fn = brute_force_counts(y_true, y_pred, C)
    expected_p = [t / (t + f) if t + f else 0.0 for t, f in zip(tp, fp)]
    expected_r = [t / (t + f) if t + f else 0.0 for t, f in zip(tp, fn)]
    expected_f1 = [2 * t / (2 * t + a + b) if t + a + b else 0.0 for t, a, b in zip(tp, fp, fn)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(precision(y_true, y_pred, average=None, n_classes=C), expected_p)
        np.testing.assert_allclose(recall(y_true, y_pred, average=None, n_classes=C), expected_r)
        np.testing.assert_allclose(f1_score(y_true, y_pred, average=None, n_classes=C), expected_f1)
        assert f1_score(y_true, y_pred, average="macro", n_classes=C) == pytest.approx(np.mean(expected_f1))
        M = confusion_matrix(y_true, y_pred, n_classes=C)
    assert M.sum() == len(y_true)
    np.testing.assert_array_equal(M.sum(axis=1), np.bincount(y_true, minlength=C))
    np.testing.assert_array_equal(M.sum(axis=0), np.bincount(y_pred, minlength=C))
    acc = accuracy(y_true, y_pred)
    assert acc == pytest.approx(np.trace(M) / len(y_true))
    assert f1_score(y_true, y_pred, average="micro", n_classes=C) == pytest.approx(acc)
    assert precision(y_true, y_pred, average="micro", n_classes=C) == pytest.approx(acc)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3)), min_size=1, max_size=30))
def test_regression_metric_properties(pairs):
    y_true = np.array([a for a, _ in pairs])
    y_pred = np.array([b for _, b in pairs])
    m, a, r = mse(y_true, y_pred), mae(y_true, y_pred), rmse(y_true, y_pred)
    assert m >= 0 and a >= 0
    assert r == pytest.approx(np.sqrt(m))
    assert a <= r * (1 + 1e-12) + 1e-12  # mean |e| <= sqrt(mean e^2)
    assert mse(y_true, y_pred) == mse(y_pred, y_true)


def test_all_lists_public_names():
    for name in metrics.__all__:
        assert hasattr(metrics, name)
