"""Tests for nnlib.data: toy data generators and data utilities."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import data
from nnlib.data import (
    MAX_CLASSES,
    logic_gate,
    make_circles,
    make_gaussian_clusters,
    make_linearly_separable,
    make_moons,
    make_regression_1d,
    make_regression_2d,
    make_spirals,
    minibatches,
    one_hot,
    standardize,
    train_test_split,
)

GENERATORS = [
    make_linearly_separable,
    make_moons,
    make_circles,
    make_spirals,
    make_gaussian_clusters,
]
gen_ids = [g.__name__ for g in GENERATORS]


def call(gen, n, n_classes=2, noise=0.1, rng=0, **kw):
    return gen(n=n, n_classes=n_classes, noise=noise, rng=rng, **kw)


# ---------------------------------------------------------------------------
# common generator contract
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("gen", GENERATORS, ids=gen_ids)
@pytest.mark.parametrize("n_classes", [2, 3, 5, MAX_CLASSES])
def test_generator_shapes_dtypes_labels(gen, n_classes):
    X, y = call(gen, 60, n_classes)
    assert X.shape == (60, 2) and X.dtype == np.float64
    assert y.shape == (60,) and y.dtype == np.int64
    assert set(np.unique(y).tolist()) == set(range(n_classes))
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("gen", GENERATORS, ids=gen_ids)
@pytest.mark.parametrize(
    "n, n_classes, sizes",
    [(10, 3, [4, 3, 3]), (11, 3, [4, 4, 3]), (12, 3, [4, 4, 4]), (7, 2, [4, 3]), (5, 5, [1] * 5)],
)
def test_generator_balance_and_remainder(gen, n, n_classes, sizes):
    _, y = call(gen, n, n_classes)
    assert np.bincount(y, minlength=n_classes).tolist() == sizes


@pytest.mark.parametrize("gen", GENERATORS, ids=gen_ids)
def test_generator_deterministic_with_seed_and_generator(gen):
    X1, y1 = call(gen, 50, 3, rng=123)
    X2, y2 = call(gen, 50, 3, rng=123)
    X3, y3 = call(gen, 50, 3, rng=np.random.default_rng(123))
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    np.testing.assert_array_equal(X1, X3)
    np.testing.assert_array_equal(y1, y3)


@pytest.mark.parametrize("gen", GENERATORS, ids=gen_ids)
def test_generator_differs_with_different_seeds(gen):
    X1, _ = call(gen, 50, 3, rng=1)
    X2, _ = call(gen, 50, 3, rng=2)
    assert not np.allclose(X1, X2)


@pytest.mark.parametrize("gen", GENERATORS, ids=gen_ids)
def test_generator_does_not_touch_global_random_state(gen):
    state = np.random.get_state()[1].copy()
    call(gen, 30, 2, rng=None)
    np.testing.assert_array_equal(np.random.get_state()[1], state)


@pytest.mark.parametrize("gen", GENERATORS, ids=gen_ids)
def test_generator_shuffle_flag(gen):
    _, y_sorted = call(gen, 100, 3, shuffle=False)
    assert np.all(np.diff(y_sorted) >= 0)
    _, y_shuffled = call(gen, 100, 3, shuffle=True)
    assert np.any(np.diff(y_shuffled) < 0)


@pytest.mark.parametrize("gen", GENERATORS, ids=gen_ids)
def test_generator_noise_moves_points(gen):
    X0, y0 = call(gen, 40, 2, noise=0.0, rng=5, shuffle=False)
    X1, y1 = call(gen, 40, 2, noise=0.3, rng=5, shuffle=False)
    np.testing.assert_array_equal(y0, y1)
    diff = X1 - X0
    assert 0.15 < diff.std() < 0.5  # the noise has about the stated standard deviation


@pytest.mark.parametrize("gen", GENERATORS, ids=gen_ids)
def test_generator_bad_arguments(gen):
    with pytest.raises(ValueError, match=r"n: expected at least n_classes=3"):
        call(gen, 2, 3)
    with pytest.raises(ValueError, match=r"n_classes: expected a value in \[2, 10\], got 1"):
        call(gen, 10, 1)
    with pytest.raises(ValueError, match=r"n_classes: expected a value in \[2, 10\], got 11"):
        call(gen, 100, MAX_CLASSES + 1)
    with pytest.raises(ValueError, match=r"noise: expected a value in \[0, inf\), got -0.1"):
        call(gen, 10, 2, noise=-0.1)
    with pytest.raises(ValueError, match=r"noise: expected a finite number"):
        call(gen, 10, 2, noise=float("nan"))
    with pytest.raises(TypeError, match=r"n: expected an integer, got 10.5"):
        call(gen, 10.5, 2)
    with pytest.raises(TypeError, match=r"rng: expected a numpy.random.Generator"):
        call(gen, 10, 2, rng="seed")


# ---------------------------------------------------------------------------
# shapes of the individual generators (noise = 0)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("n_classes", [2, 3, 7])
def test_circles_are_concentric_rings(n_classes):
    X, y = make_circles(90, n_classes, noise=0.0, rng=0)
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), (y + 1) / n_classes, rtol=1e-12)


@pytest.mark.parametrize("n_classes", [2, 3, 6, MAX_CLASSES])
def test_moons_are_unit_arcs_that_never_touch(n_classes):
    X, y = make_moons(40 * n_classes, n_classes, noise=0.0, rng=0)
    centre = np.column_stack([1.25 * y, 0.5 * (y % 2)])
    rel = X - centre
    np.testing.assert_allclose(np.linalg.norm(rel, axis=1), 1.0, rtol=1e-12)
    # even arcs are the upper halves, odd arcs the lower halves of their circles
    assert np.all(rel[y % 2 == 0, 1] >= -1e-12) and np.all(rel[y % 2 == 1, 1] <= 1e-12)
    dist = np.linalg.norm(X[:, None, :] - X[None, :, :], axis=-1)
    different = y[:, None] != y[None, :]
    assert dist[different].min() > 0.43


def test_spirals_radius_and_arm_angle():
    n_classes = 3
    X, y = make_spirals(150, n_classes, noise=0.0, rng=0, turns=1.0)
    r = np.linalg.norm(X, axis=1)
    assert r.min() >= 0.1 - 1e-12 and r.max() <= 1.0 + 1e-12
    s = (r - 0.1) / 0.9
    expected = 2 * np.pi * y / n_classes + 2 * np.pi * s
    angle_error = np.angle(np.exp(1j * (np.arctan2(X[:, 1], X[:, 0]) - expected)))
    np.testing.assert_allclose(angle_error, 0.0, atol=1e-9)


def test_spirals_bad_turns():
    with pytest.raises(ValueError, match=r"turns: expected a value in \(0, 5\]"):
        make_spirals(10, 2, rng=0, turns=0)


def test_gaussian_clusters_centres_on_circle():
    X, y = make_gaussian_clusters(40, 4, noise=0.0, rng=0, radius=3.0)
    centres = 3.0 * np.array([[1, 0], [0, 1], [-1, 0], [0, -1]], dtype=float)
    np.testing.assert_allclose(X, centres[y], atol=1e-12)
    Xn, yn = make_gaussian_clusters(4000, 4, noise=0.5, rng=0, radius=3.0)
    for c in range(4):
        np.testing.assert_allclose(Xn[yn == c].mean(axis=0), centres[c], atol=0.06)
        np.testing.assert_allclose(Xn[yn == c].std(axis=0), 0.5, atol=0.05)
    with pytest.raises(ValueError, match=r"radius: expected a value in \(0, inf\)"):
        make_gaussian_clusters(10, 2, rng=0, radius=0.0)


# ---------------------------------------------------------------------------
# linearly separable data with a margin
# ---------------------------------------------------------------------------


def assert_margin(X, y, w, b, margin, n_classes):
    assert np.isclose(np.linalg.norm(w), 1.0)
    b = np.atleast_1d(b)
    assert b.shape == (n_classes - 1,)
    signed = X @ w  # (n,)
    for j, b_j in enumerate(b, start=1):  # line j separates classes < j from classes >= j
        dist = signed + b_j
        assert np.all(dist[y >= j] >= margin - 1e-12)
        assert np.all(dist[y < j] <= -margin + 1e-12)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 300),
    margin=st.floats(0.0, 2.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_linearly_separable_two_classes_has_stated_margin(n, margin, seed):
    X, y, w, b = make_linearly_separable(n, 2, margin=margin, noise=0.0, rng=seed,
                                         return_boundary=True)
    assert isinstance(b, float)
    assert_margin(X, y, w, b, margin, 2)
    # the margin is attained up to the band width: some point is within 1 + margin
    assert np.min(np.abs(X @ w + b)) < margin + 1.0


@settings(max_examples=40, deadline=None)
@given(
    n_classes=st.integers(3, MAX_CLASSES),
    margin=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_linearly_separable_bands_have_stated_margin(n_classes, margin, seed):
    X, y, w, b = make_linearly_separable(20 * n_classes, n_classes, margin=margin,
                                         rng=seed, return_boundary=True)
    assert isinstance(b, np.ndarray)
    assert np.all(np.diff(b) < 0)  # parallel lines, in order
    assert_margin(X, y, w, b, margin, n_classes)


def test_linearly_separable_default_returns_pair_and_validates_margin():
    out = make_linearly_separable(20, rng=0)
    assert len(out) == 2
    with pytest.raises(ValueError, match=r"margin: expected a value in \[0, inf\), got -1"):
        make_linearly_separable(20, margin=-1.0, rng=0)


def test_linearly_separable_noise_breaks_only_the_guarantee():
    X0, y0, w, b = make_linearly_separable(400, 2, margin=0.05, noise=0.0, rng=3,
                                           return_boundary=True, shuffle=False)
    X1, y1, w1, b1 = make_linearly_separable(400, 2, margin=0.05, noise=0.3, rng=3,
                                             return_boundary=True, shuffle=False)
    np.testing.assert_array_equal(w, w1)
    assert b == b1
    assert np.any((2 * y1 - 1) * (X1 @ w1 + b1) < 0.05)


# ---------------------------------------------------------------------------
# logic gates
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, table",
    [
        ("and", [0, 0, 0, 1]),
        ("or", [0, 1, 1, 1]),
        ("xor", [0, 1, 1, 0]),
        ("nand", [1, 1, 1, 0]),
        ("nor", [1, 0, 0, 0]),
        ("xnor", [1, 0, 0, 1]),
    ],
)
def test_logic_gate_truth_tables(name, table):
    X, y = logic_gate(name)
    assert X.dtype == np.float64 and y.dtype == np.int64
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    assert y.tolist() == table


def test_logic_gate_returns_fresh_arrays_and_rejects_unknown_names():
    X, y = logic_gate("and")
    X[:] = 7
    y[:] = 7
    X2, y2 = logic_gate("and")
    assert X2.max() == 1 and y2.tolist() == [0, 0, 0, 1]
    with pytest.raises(ValueError, match=r"name: expected one of .*'xor'.*got 'xorr'"):
        logic_gate("xorr")


# ---------------------------------------------------------------------------
# regression generators
# ---------------------------------------------------------------------------


def test_regression_1d_shapes_and_noise_free_target():
    X, y = make_regression_1d(50, noise=0.0, rng=0)
    assert X.shape == (50, 1) and y.shape == (50, 1)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert X.min() >= -3 and X.max() <= 3
    np.testing.assert_allclose(y, np.sin(X))
    _, y_abs = make_regression_1d(20, noise=0.0, rng=1, fn="abs")
    _, y_step = make_regression_1d(20, noise=0.0, rng=1, fn="step")
    X1, _ = make_regression_1d(20, noise=0.0, rng=1)
    np.testing.assert_allclose(y_abs, np.abs(X1))
    np.testing.assert_array_equal(y_step, (X1 >= 0).astype(float))


def test_regression_1d_callable_range_noise_and_errors():
    X, y = make_regression_1d(500, noise=0.0, rng=0, fn=lambda x: 2 * x[:, 0], x_range=(0, 1))
    assert X.min() >= 0 and X.max() <= 1
    np.testing.assert_allclose(y[:, 0], 2 * X[:, 0])
    X0, y0 = make_regression_1d(2000, noise=0.0, rng=4)
    X1, y1 = make_regression_1d(2000, noise=0.2, rng=4)
    np.testing.assert_array_equal(X0, X1)
    assert abs((y1 - y0).std() - 0.2) < 0.02
    with pytest.raises(ValueError, match=r"fn: expected one of .*got 'tan'"):
        make_regression_1d(10, rng=0, fn="tan")
    with pytest.raises(ValueError, match=r"fn\(X\): expected shape \(10,\) or \(10, 1\), got shape \(10, 2\)"):
        make_regression_1d(10, rng=0, fn=lambda x: np.hstack([x, x]))
    with pytest.raises(ValueError, match=r"x_range: expected low < high, got \(1.0, 0.0\)"):
        make_regression_1d(10, rng=0, x_range=(1, 0))
    with pytest.raises(ValueError, match=r"fn\(X\): expected finite values"):
        make_regression_1d(10, rng=0, fn=lambda x: np.full_like(x, np.inf))


def test_regression_2d_shapes_and_target():
    X, y = make_regression_2d(80, noise=0.0, rng=0)
    assert X.shape == (80, 2) and y.shape == (80, 1)
    np.testing.assert_allclose(y[:, 0], np.sin(X[:, 0]) * np.cos(X[:, 1]))
    Xp, yp = make_regression_2d(10, noise=0.0, rng=0, fn="plane")
    np.testing.assert_allclose(yp[:, 0], 0.5 * Xp[:, 0] + 0.25 * Xp[:, 1])
    X1, y1 = make_regression_2d(80, noise=0.0, rng=0)
    X2, y2 = make_regression_2d(80, noise=0.0, rng=1)
    np.testing.assert_array_equal(X, X1)
    assert not np.allclose(X1, X2)
    with pytest.raises(ValueError, match=r"n: expected a value in \[1, inf\), got 0"):
        make_regression_2d(0, rng=0)


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
    with pytest.raises(TypeError, match=r"dtype: expected float32 or float64, got int64"):
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
