"""Tests for nnlib.data.utils: train_test_split, one_hot, standardize, minibatches."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import data
from nnlib.data import minibatches, one_hot, standardize, train_test_split


# ---------------------------------------------------------------------------
# train_test_split
# ---------------------------------------------------------------------------


def test_train_test_split_is_a_partition_with_aligned_rows():
    X = np.arange(40, dtype=float).reshape(20, 2)
    y = np.arange(20) * 10
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, rng=0)
    assert X_tr.shape == (15, 2) and X_te.shape == (5, 2)
    assert y_tr.shape == (15,) and y_te.shape == (5,)
    rows = np.concatenate([X_tr[:, 0], X_te[:, 0]]) // 2
    assert sorted(rows.tolist()) == list(range(20))
    np.testing.assert_array_equal(y_tr, X_tr[:, 0] // 2 * 10)
    np.testing.assert_array_equal(y_te, X_te[:, 0] // 2 * 10)


def test_train_test_split_deterministic_and_shuffled():
    X = np.arange(100, dtype=float)[:, None]
    y = np.arange(100)
    a = train_test_split(X, y, 0.3, rng=7)
    b = train_test_split(X, y, 0.3, rng=7)
    c = train_test_split(X, y, 0.3, rng=8)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[1], c[1])
    assert not np.array_equal(a[0][:, 0], np.sort(a[0][:, 0]))


def test_train_test_split_stratified_by_hand():
    # 8 zeros, 4 ones, test_size 0.25 -> 3 test examples: exactly 2 zeros and 1 one.
    y = np.array([0] * 8 + [1] * 4)
    X = np.arange(12, dtype=float)[:, None]
    for seed in range(10):
        _, _, y_tr, y_te = train_test_split(X, y, 0.25, rng=seed, stratify=True)
        assert np.bincount(y_te).tolist() == [2, 1]
        assert np.bincount(y_tr).tolist() == [6, 3]
    # counts (5, 3, 2), n_test = 3: exact shares 1.5, 0.9, 0.6 -> floors (1, 0, 0);
    # the 2 left over go to the largest fractional parts (0.9, 0.6) -> (1, 1, 1).
    y = np.array([0] * 5 + [1] * 3 + [2] * 2)
    _, _, _, y_te = train_test_split(np.zeros((10, 1)), y, 0.3, rng=0, stratify=True)
    assert np.bincount(y_te, minlength=3).tolist() == [1, 1, 1]


@settings(max_examples=50, deadline=None)
@given(
    counts=st.lists(st.integers(1, 30), min_size=2, max_size=5),
    test_size=st.floats(0.1, 0.9),
    seed=st.integers(0, 1000),
)
def test_train_test_split_stratified_keeps_ratios(counts, test_size, seed):
    y = np.repeat(np.arange(len(counts)), counts)
    n = len(y)
    n_test = int(round(test_size * n))
    if not 0 < n_test < n:
        return
    X = np.arange(n)[:, None]
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size, rng=seed, stratify=True)
    assert len(y_te) == n_test
    share = n_test * np.array(counts) / n
    got = np.bincount(y_te, minlength=len(counts))
    assert np.all(got >= np.floor(share) - 1e-9) and np.all(got <= np.ceil(share) + 1e-9)
    np.testing.assert_array_equal(y[X_te[:, 0]], y_te)
    np.testing.assert_array_equal(y[X_tr[:, 0]], y_tr)


def test_train_test_split_errors():
    X, y = np.zeros((10, 2)), np.zeros(10, dtype=int)
    with pytest.raises(ValueError, match=r"test_size: expected a value in \(0, 1\), got 1.0"):
        train_test_split(X, y, 1.0)
    with pytest.raises(ValueError, match=r"test_size: expected a value in \(0, 1\), got 0.0"):
        train_test_split(X, y, 0.0)
    with pytest.raises(ValueError, match=r"y: expected 10 rows \(one per row of X\), got 9"):
        train_test_split(X, y[:9], 0.2)
    with pytest.raises(ValueError, match=r"gives a test set of 0"):
        train_test_split(X, y, 0.01)
    with pytest.raises(TypeError, match=r"y: expected integer labels"):
        train_test_split(X, np.linspace(0, 1, 10), 0.2, stratify=True)


# ---------------------------------------------------------------------------
# one_hot
# ---------------------------------------------------------------------------


def test_one_hot_by_hand():
    Y = one_hot([2, 0, 1, 2])
    assert Y.dtype == np.float64
    np.testing.assert_array_equal(Y, [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    Y5 = one_hot(np.array([1, 0]), n_classes=5, dtype=np.float32)
    assert Y5.shape == (2, 5) and Y5.dtype == np.float32
    np.testing.assert_array_equal(Y5, [[0, 1, 0, 0, 0], [1, 0, 0, 0, 0]])


def test_one_hot_errors():
    with pytest.raises(ValueError, match=r"y: expected labels in \[0, 2\], got \[3\]"):
        one_hot([0, 3, 1], n_classes=3)
    with pytest.raises(ValueError, match=r"y: expected labels in >= 0, got \[-1\]"):
        one_hot([0, -1])
    with pytest.raises(TypeError, match=r"y: expected integer labels, got non-integer floats"):
        one_hot([0.5, 1.0])
    with pytest.raises(ValueError, match=r"y: expected a 1-D array, got shape \(2, 1\)"):
        one_hot([[0], [1]])
    with pytest.raises(TypeError, match=r"dtype: expected np.float32 or np.float64, got 'bogus'"):
        one_hot([0, 1], dtype="bogus")  # bug: escaped as NumPy's "data type 'bogus' not understood"
    with pytest.raises(TypeError, match=r"dtype: expected np.float32 or np.float64, got int64"):
        one_hot([0, 1], dtype=np.int64)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=1, max_size=50))
def test_one_hot_roundtrip(labels):
    Y = one_hot(labels, n_classes=10)
    np.testing.assert_array_equal(Y.argmax(axis=1), labels)
    np.testing.assert_array_equal(Y.sum(axis=1), 1.0)


# ---------------------------------------------------------------------------
# standardize
# ---------------------------------------------------------------------------


def test_standardize_by_hand_and_constant_column():
    X = np.array([[1.0, 0.1, 10.0], [3.0, 0.1, 20.0], [5.0, 0.1, 60.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Z, mean, std = standardize(X)
    np.testing.assert_allclose(mean, [3.0, 0.1, 30.0])
    # column 0: deviations -2, 0, 2 -> population std sqrt(8/3); column 1 constant -> 1
    np.testing.assert_allclose(std, [np.sqrt(8 / 3), 1.0, np.sqrt(1400 / 3)])
    np.testing.assert_allclose(Z[:, 0], np.array([-2.0, 0.0, 2.0]) / np.sqrt(8 / 3))
    np.testing.assert_allclose(Z[:, 1], 0.0, atol=1e-15)
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z[:, [0, 2]].std(axis=0), 1.0)


def test_standardize_reuses_training_statistics_and_keeps_float32():
    rng = np.random.default_rng(0)
    X_train = rng.normal(5.0, 2.0, size=(100, 3))
    X_test = rng.normal(5.0, 2.0, size=(10, 3))
    _, mean, std = standardize(X_train)
    Z_test, m2, s2 = standardize(X_test, mean, std)
    np.testing.assert_allclose(Z_test, (X_test - mean) / std)
    np.testing.assert_array_equal(m2, mean)
    Z32, m32, s32 = standardize(X_train.astype(np.float32))
    assert Z32.dtype == np.float32 and m32.dtype == np.float32 and s32.dtype == np.float32


def test_standardize_errors():
    X = np.ones((4, 2))
    with pytest.raises(ValueError, match=r"mean, std: expected both"):
        standardize(X, mean=np.zeros(2))
    with pytest.raises(ValueError, match=r"std: expected every entry > 0, got \[0.0\]"):
        standardize(X, np.zeros(2), np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match=r"mean: expected shape \(2,\), got shape \(3,\)"):
        standardize(X, np.zeros(3), np.ones(3))
    with pytest.raises(ValueError, match=r"X: expected a 2-D array, got shape \(4,\)"):
        standardize(np.ones(4))


# ---------------------------------------------------------------------------
# minibatches
# ---------------------------------------------------------------------------


def test_minibatches_sizes_and_order_without_shuffle():
    X = np.arange(20, dtype=float).reshape(10, 2)
    y = np.arange(10)
    batches = list(minibatches(X, y, 4, shuffle=False))
    assert [len(yb) for _, yb in batches] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate([yb for _, yb in batches]), y)
    np.testing.assert_array_equal(batches[2][0], X[8:])


def test_minibatches_shuffle_covers_everything_once_deterministically():
    X = np.arange(30, dtype=float)[:, None]
    y = np.arange(30)
    seen = np.concatenate([yb for _, yb in minibatches(X, y, 7, shuffle=True, rng=3)])
    assert sorted(seen.tolist()) == list(range(30)) and not np.array_equal(seen, y)
    again = np.concatenate([yb for _, yb in minibatches(X, y, 7, shuffle=True, rng=3)])
    np.testing.assert_array_equal(seen, again)
    for xb, yb in minibatches(X, y, 7, shuffle=True, rng=3):
        np.testing.assert_array_equal(xb[:, 0], yb)


def test_minibatches_errors_are_raised_at_call_time():
    with pytest.raises(ValueError, match=r"y: expected 5 rows \(one per row of X\), got 4"):
        minibatches(np.zeros((5, 2)), np.zeros(4), 2)
    with pytest.raises(ValueError, match=r"batch_size: expected a value in \[1, inf\), got 0"):
        minibatches(np.zeros((5, 2)), np.zeros(5), 0)


@settings(max_examples=50, deadline=None)
@given(n=st.integers(1, 60), batch_size=st.integers(1, 70), shuffle=st.booleans())
def test_minibatches_property(n, batch_size, shuffle):
    X = np.arange(n, dtype=float)[:, None]
    y = np.arange(n)
    batches = list(minibatches(X, y, batch_size, shuffle=shuffle, rng=0))
    assert len(batches) == -(-n // batch_size)
    assert all(len(yb) == batch_size for _, yb in batches[:-1])
    assert 1 <= len(batches[-1][1]) <= batch_size
    assert sorted(np.concatenate([yb for _, yb in batches]).tolist()) == list(range(n))


def test_all_lists_public_names():
    for name in data.__all__:
        assert hasattr(data, name)


def test_make_xor_labels_are_the_xor_of_the_signs():
    X, y = data.make_xor(n=101, noise=0.0, rng=3)
    assert X.shape == (101, 2) and y.dtype == np.int64
    assert np.bincount(y).tolist() == [51, 50]
    assert np.all(np.abs(X) >= 0.1 - 1e-12)  # the margin around the axes
    np.testing.assert_array_equal(y, ((X[:, 0] > 0) ^ (X[:, 1] > 0)).astype(int))


def test_make_xor_refuses_more_than_two_classes():
    with pytest.raises(ValueError, match="XOR has exactly 2 classes, got 3"):
        data.make_xor(n=10, n_classes=3)
