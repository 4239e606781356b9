"""Tests for nnlib.activations: values, derivatives, kinks, stability, dtypes, errors."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnlib import activations as A

ELEMENTWISE = ["step", "sigmoid", "tanh", "relu", "leaky_relu", "softplus"]


def away_from_zero(rng, shape, low=0.1, high=4.0):
    """Random values with |x| in [low, high]: clear of the kinks of relu/step."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(low, high, size=shape)


def centred_derivative(f, x, h=1e-6):
    """Elementwise centred difference (f acts elementwise, so this is f'(x))."""
    return (f(x + h) - f(x - h)) / (2 * h)


# ------------------------------------------------------------------ derivatives


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_finite_differences(name):
    f, df = A.ACTIVATIONS[name]
    x = away_from_zero(np.random.default_rng(0), (200,))
    numeric = centred_derivative(f, x)
    analytic = df(x)
    scale = np.max(np.abs(numeric)) + np.max(np.abs(analytic))
    # step: both are exactly 0 away from 0
    assert np.max(np.abs(analytic - numeric)) <= 1e-7 * max(scale, 1e-300)


@pytest.mark.parametrize("alpha", [0.0, 0.01, 0.3, 2.0])
def test_leaky_relu_derivative_for_several_alphas(alpha):
    x = away_from_zero(np.random.default_rng(1), (100,))
    numeric = centred_derivative(lambda v: A.leaky_relu(v, alpha), x)
    np.testing.assert_allclose(A.leaky_relu_derivative(x, alpha), numeric, rtol=1e-6, atol=1e-9)


def test_softplus_derivative_is_sigmoid():
    x = np.linspace(-20, 20, 81)
    np.testing.assert_array_equal(A.softplus_derivative(x), A.sigmoid(x))


def test_softmax_jacobian_matches_finite_differences():
    rng = np.random.default_rng(2)
    x = rng.normal(size=5)
    J = A.softmax_jacobian(x)
    h = 1e-6
    numeric = np.empty((5, 5))
    for j in range(5):
        e = np.zeros(5)
        e[j] = h
        numeric[:, j] = (A.softmax(x + e) - A.softmax(x - e)) / (2 * h)
    np.testing.assert_allclose(J, numeric, atol=1e-9)
    batch = A.softmax_jacobian(rng.normal(size=(3, 4)))
    assert batch.shape == (3, 4, 4)
    np.testing.assert_allclose(batch.sum(axis=1), 0.0, atol=1e-15)  # columns of J sum to 0


# ------------------------------------------------------------------ known values


def test_known_values_and_kink_conventions():
    assert A.sigmoid(0.0) == 0.5
    np.testing.assert_array_equal(A.step([-2.0, -1e-300, 0.0, 3.0]), [0.0, 0.0, 1.0, 1.0])
    np.testing.assert_array_equal(A.step_derivative([-1.0, 0.0, 1.0]), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(A.relu([-2.0, 0.0, 3.0]), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(A.relu_derivative([-2.0, 0.0, 3.0]), [0.0, 0.0, 1.0])
    np.testing.assert_allclose(A.leaky_relu([-2.0, 0.0, 3.0], alpha=0.1), [-0.2, 0.0, 3.0])
    np.testing.assert_allclose(A.leaky_relu_derivative([-2.0, 0.0, 3.0], alpha=0.1), [0.1, 0.1, 1.0])
    assert A.sigmoid_derivative(0.0) == 0.25
    assert A.tanh_derivative(0.0) == 1.0
    assert A.softplus(0.0) == pytest.approx(np.log(2.0), rel=1e-15)


def test_match_textbook_formulas_in_a_safe_range():
    x = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(A.sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-14)
    # sigma(1 - sigma) loses digits to cancellation for x >> 0; compare where it is accurate,
    # and check that the derivative is even.
    neg = x[x <= 0]
    np.testing.assert_allclose(A.sigmoid_derivative(neg), A.sigmoid(neg) * (1 - A.sigmoid(neg)), rtol=1e-13)
    np.testing.assert_array_equal(A.sigmoid_derivative(x), A.sigmoid_derivative(-x))
    np.testing.assert_allclose(A.tanh(x), (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x)), rtol=1e-14)
    np.testing.assert_allclose(A.softplus(x), np.log1p(np.exp(x)), rtol=1e-14)
    z = np.random.default_rng(3).normal(size=(4, 6))
    naive = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(A.softmax(z), naive, rtol=1e-14)
    np.testing.assert_allclose(A.log_softmax(z), np.log(naive), rtol=1e-13)


def test_sigmoid_symmetry():
    x = np.linspace(-50, 50, 1001)
    np.testing.assert_allclose(A.sigmoid(-x) + A.sigmoid(x), 1.0, rtol=0, atol=2.3e-16)


def test_softmax_axis_and_shift_invariance():
    z = np.random.default_rng(4).normal(size=(3, 4, 5))
    for axis in (0, 1, 2, -1):
        p = A.softmax(z, axis=axis)
        np.testing.assert_allclose(p.sum(axis=axis), 1.0, rtol=1e-15)
        np.testing.assert_allclose(A.softmax(z + 100.0, axis=axis), p, rtol=1e-12)
        np.testing.assert_allclose(np.exp(A.log_softmax(z, axis=axis)), p, rtol=1e-12)


# ------------------------------------------------------------------- stability


def test_no_overflow_at_plus_minus_1000():
    x = np.array([-1000.0, -700.0, 0.0, 700.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outs = {name: (f(x), df(x)) for name, (f, df) in A.ACTIVATIONS.items()}
        z = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0]])
        p, log_p = A.softmax(z), A.log_softmax(z)
        J = A.softmax_jacobian(z)
    for name, (y, dy) in outs.items():
        assert np.all(np.isfinite(y)) and np.all(np.isfinite(dy)), name
    np.testing.assert_array_equal(outs["sigmoid"][0][[0, -1]], [0.0, 1.0])
    np.testing.assert_array_equal(outs["softplus"][0][[0, -1]], [0.0, 1000.0])
    np.testing.assert_array_equal(p[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(p[1], [1 / 3] * 3)
    np.testing.assert_array_equal(log_p[0], [0.0, -2000.0, -1000.0])
    assert np.all(np.isfinite(J))


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=3, max_side=6),
        elements=st.floats(-1000, 1000, allow_nan=False),
    )
)
def test_property_stable_and_in_range(x):
    s, sp = A.sigmoid(x), A.softplus(x)
    p, log_p = A.softmax(x), A.log_softmax(x)
    assert np.all((s >= 0) & (s <= 1))
    assert np.all(sp >= 0) and np.all(sp >= x)
    assert np.all(np.isfinite(log_p)) and np.all(log_p <= 0)
    assert np.all((p >= 0) & (p <= 1))
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)
    assert p.shape == log_p.shape == x.shape


# ---------------------------------------------------------------------- dtypes


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_float32_stays_float32(name):
    f, df = A.ACTIVATIONS[name]
    x = np.linspace(-3, 3, 7, dtype=np.float32)
    assert f(x).dtype == np.float32
    assert df(x).dtype == np.float32


def test_float32_softmax_and_int_input():
    x32 = np.ones((2, 3), dtype=np.float32)
    assert A.softmax(x32).dtype == np.float32
    assert A.log_softmax(x32).dtype == np.float32
    assert A.softmax_jacobian(x32).dtype == np.float32
    assert A.relu([1, -2, 3]).dtype == np.float64
    assert A.sigmoid(np.array([1, 2])).dtype == np.float64


def test_scalar_in_scalar_out():
    assert np.ndim(A.sigmoid(1.0)) == 0 and np.ndim(A.relu(-1.0)) == 0


# ---------------------------------------------------------------------- errors


def test_negative_alpha_rejected():
    with pytest.raises(ValueError, match=r"alpha: expected a value in \[0, inf\), got -0.1"):
        A.leaky_relu([1.0], alpha=-0.1)
    with pytest.raises(ValueError, match="alpha"):
        A.leaky_relu_derivative([1.0], alpha=-1)
    with pytest.raises(TypeError, match="alpha: expected a number, got str"):
        A.leaky_relu([1.0], alpha="0.1")


def test_softmax_bad_axis_and_scalar():
    with pytest.raises(ValueError, match=r"axis: expected an integer in \[-2, 1\] for a 2-D array, got 2"):
        A.softmax(np.zeros((2, 3)), axis=2)
    with pytest.raises(ValueError, match="at least 1 dimension, got a scalar"):
        A.log_softmax(1.0)
    with pytest.raises(TypeError, match="axis: expected an integer"):
        A.softmax(np.zeros((2, 3)), axis=0.5)


def test_non_numeric_input_rejected():
    with pytest.raises(TypeError, match="x: expected a real numeric array, got dtype <U"):
        A.sigmoid(["a", "b"])
    with pytest.raises(TypeError, match="complex"):
        A.tanh(np.array([1j]))
    with pytest.raises(ValueError, match=r"x: expected a 1-D array \(C,\) or a 2-D array \(n, C\), got shape \(1, 2, 3\)"):
        A.softmax_jacobian(np.zeros((1, 2, 3)))


def test_input_not_modified():
    x = np.array([-1.0, 0.5, 2.0])
    before = x.copy()
    for f, df in A.ACTIVATIONS.values():
        f(x), df(x)
    A.softmax(x), A.log_softmax(x)
    np.testing.assert_array_equal(x, before)
