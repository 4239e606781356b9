"""Regression sets: noisy samples of a function of one or two inputs; ``y`` is a column ``(n, 1)``."""

from __future__ import annotations

from typing import Callable

import numpy as np

from nnlib._validation import as_rng, check_array, check_choice, check_number

__all__ = ["make_regression_1d", "make_regression_2d"]


_TARGETS_1D: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sin": np.sin,
    "abs": np.abs,
    "step": lambda x: (x >= 0).astype(np.float64),
    "cubic": lambda x: x**3 / 9.0,
}

_TARGETS_2D: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sincos": lambda X: np.sin(X[:, 0]) * np.cos(X[:, 1]),
    "plane": lambda X: 0.5 * X[:, 0] + 0.25 * X[:, 1],
    "bump": lambda X: np.exp(-0.5 * (X[:, 0] ** 2 + X[:, 1] ** 2)),
}


def _check_range(x_range, name: str) -> tuple[float, float]:
    if not isinstance(x_range, (tuple, list)) or len(x_range) != 2:
        raise TypeError(f"{name}: expected a pair (low, high), got {x_range!r}")
    low = check_number(x_range[0], f"{name}[0]")
    high = check_number(x_range[1], f"{name}[1]")
    if not low < high:
        raise ValueError(f"{name}: expected low < high, got ({low}, {high})")
    return low, high


def _target_column(fn, targets: dict, X: np.ndarray) -> np.ndarray:
    """Evaluate a named or callable target on X and return it as an (n, 1) column."""
    if isinstance(fn, str):
        f = targets[check_choice(fn, "fn", targets)]
    elif callable(fn):
        f = fn
    else:
        raise TypeError(f"fn: expected one of {sorted(targets)} or a callable, got {fn!r}")
    n = X.shape[0]
    values = check_array(f(X), "fn(X)", ndim=(1, 2))
    if values.shape not in ((n,), (n, 1)):
        raise ValueError(f"fn(X): expected shape ({n},) or ({n}, 1), got shape {values.shape}")
    return values.astype(np.float64).reshape(n, 1)


def _noisy_samples(n, d: int, noise, rng, fn, targets: dict, x_range):
    """``X ~ U[a, b]^d`` of shape (n, d) and ``y = f(X) + noise * N(0, 1)`` of shape (n, 1), arguments checked."""
    n = check_number(n, "n", low=1, integer=True)
    noise = check_number(noise, "noise", low=0)
    low, high = _check_range(x_range, "x_range")
    rng = as_rng(rng)
    X = rng.uniform(low, high, size=(n, d))
    y = _target_column(fn, targets, X)
    return X, y + noise * rng.standard_normal((n, 1))


def make_regression_1d(
    n: int = 100,
    noise: float = 0.1,
    rng=None,
    *,
    fn="sin",
    x_range: tuple[float, float] = (-3.0, 3.0),
):
    """Noisy samples of a 1-D function, for universal-approximation demos.

    .. math::

        x_i \\sim \\mathcal{U}[a, b], \\qquad y_i = f(x_i) + \\sigma\\,\\varepsilon_i,
        \\qquad \\varepsilon_i \\sim \\mathcal{N}(0, 1).

    Named targets: ``"sin"`` :math:`\\sin x`, ``"abs"`` :math:`|x|`, ``"step"``
    :math:`\\mathbb{1}[x \\ge 0]`, ``"cubic"`` :math:`x^3 / 9`.

    Parameters
    ----------
    n : int
        Number of examples, ``>= 1``.
    noise : float
        Standard deviation :math:`\\sigma` of the noise added to ``y``, ``>= 0``.
    rng : numpy.random.Generator, int or None
    fn : str or callable
        A named target or a function mapping ``X`` of shape (n, 1) to an array of shape
        (n,) or (n, 1) (returned as a column).
    x_range : (float, float)
        The interval :math:`[a, b]` the inputs are drawn from (unsorted).

    Returns
    -------
    X : ndarray of shape (n, 1), float64
    y : ndarray of shape (n, 1), float64

    Raises
    ------
    ValueError
        For ``n < 1``, negative noise, an unknown target name, ``low >= high`` or a
        target returning the wrong shape or non-finite values.
    """
    return _noisy_samples(n, 1, noise, rng, fn, _TARGETS_1D, x_range)


def make_regression_2d(
    n: int = 200,
    noise: float = 0.1,
    rng=None,
    *,
    fn="sincos",
    x_range: tuple[float, float] = (-3.0, 3.0),
):
    """Noisy samples of a function of two inputs (the Playground's regression task).

    .. math::

        \\mathbf{x}_i \\sim \\mathcal{U}[a, b]^2, \\qquad
        y_i = f(\\mathbf{x}_i) + \\sigma\\,\\varepsilon_i,
        \\qquad \\varepsilon_i \\sim \\mathcal{N}(0, 1).

    Named targets: ``"sincos"`` :math:`\\sin x_1 \\cos x_2`, ``"plane"``
    :math:`0.5 x_1 + 0.25 x_2`, ``"bump"`` :math:`\\exp(-\\lVert\\mathbf{x}\\rVert^2 / 2)`.

    Parameters
    ----------
    n : int
        Number of examples, ``>= 1``.
    noise : float
        Standard deviation :math:`\\sigma` of the noise added to ``y``, ``>= 0``.
    rng : numpy.random.Generator, int or None
    fn : str or callable
        A named target or a function mapping ``X`` of shape (n, 2) to an array of shape
        (n,) or (n, 1) (returned as a column).
    x_range : (float, float)
        The interval :math:`[a, b]` both coordinates are drawn from.

    Returns
    -------
    X : ndarray of shape (n, 2), float64
    y : ndarray of shape (n, 1), float64

    Raises
    ------
    ValueError
        For ``n < 1``, negative noise, an unknown target name, ``low >= high`` or a
        target returning the wrong shape or non-finite values.
    """
    return _noisy_samples(n, 2, noise, rng, fn, _TARGETS_2D, x_range)
