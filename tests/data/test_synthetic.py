"""Tests for the 2-D classification generators (nnlib.data.synthetic, and make_xor): the common contract
and the shapes of each."""


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib.data import (
    MAX_CLASSES,
    make_circles,
    make_gaussian_clusters,
    make_linearly_separable,
    make_moons,
    make_spirals,
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
