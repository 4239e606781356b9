"""Tests for nnlib.data.regression."""


import numpy as np
import pytest

from nnlib.data import make_regression_1d, make_regression_2d


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
