r"""Gradient descent and momentum on a quadratic: predicted rates, and the rates runs measure.

On :math:`J(w) = \tfrac12 w^\top H w` with :math:`H` symmetric positive definite
(eigenvalues :math:`\lambda_i`), gradient descent is the linear iteration
:math:`w_{t+1} = (I - \eta H) w_t`; along eigenvector :math:`i` the error is
multiplied by :math:`1 - \eta\lambda_i` at every step, so the rate is

.. math::

    \rho_\text{GD}(\eta) = \max_i |1 - \eta\lambda_i| .

Heavy-ball momentum (classical form, :math:`u_t = \beta u_{t-1} + g_t`,
:math:`w_t = w_{t-1} - \eta u_t`) is, along eigenvector :math:`i`, the linear
iteration of the pair :math:`(w_t, w_{t-1})` with the 2 x 2 matrix

.. math::

    M_i = \begin{pmatrix} 1 + \beta - \eta\lambda_i & -\beta \\ 1 & 0 \end{pmatrix},

and Nesterov's method with
:math:`\begin{pmatrix} (1 + \beta)(1 - \eta\lambda_i) & -\beta(1 - \eta\lambda_i) \\ 1 & 0 \end{pmatrix}`;
the rate is the largest spectral radius. The chapter derives these; this module
computes them and measures them on runs of :mod:`nnlib.optim`.
"""

from __future__ import annotations

import numpy as np

from nnlib._validation import check_number

__all__ = [
    "rotated_quadratic",
    "gd_rate",
    "best_gd_step",
    "momentum_matrix",
    "momentum_rate",
    "polyak_parameters",
    "descend",
    "measured_rate",
]


def rotated_quadratic(eigenvalues, angle: float = 0.0) -> np.ndarray:
    r"""The Hessian :math:`H = R\,\operatorname{diag}(\lambda)\,R^\top` of a 2-D quadratic, eigenvectors turned by ``angle``.

    Parameters
    ----------
    eigenvalues : pair of float, > 0
    angle : float, default 0
        Radians.

    Returns
    -------
    ndarray of shape (2, 2)
    """
    lam = np.asarray(eigenvalues, dtype=np.float64)
    if lam.shape != (2,) or not np.all(lam > 0):
        raise ValueError(f"eigenvalues: expected two positive numbers, got {eigenvalues!r}")
    c, s = np.cos(angle), np.sin(angle)
    rotation = np.array([[c, -s], [s, c]])
    return rotation @ np.diag(lam) @ rotation.T


def _eigenvalues(eigenvalues) -> np.ndarray:
    lam = np.asarray(eigenvalues, dtype=np.float64).ravel()
    if lam.size == 0 or not np.all(lam > 0):
        raise ValueError(f"eigenvalues: expected positive numbers (a positive definite H), got {eigenvalues!r}")
    return lam


def gd_rate(eta: float, eigenvalues) -> float:
    r"""The predicted rate of gradient descent, :math:`\max_i |1 - \eta\lambda_i|` (below 1: it converges).

    Parameters
    ----------
    eta : float, >= 0
    eigenvalues : array_like of float, > 0
    """
    eta = check_number(eta, "eta", low=0.0)
    return float(np.max(np.abs(1.0 - eta * _eigenvalues(eigenvalues))))


def best_gd_step(eigenvalues) -> float:
    r"""The fixed step with the smallest rate, :math:`2 / (\lambda_\text{min} + \lambda_\text{max})`."""
    lam = _eigenvalues(eigenvalues)
    return 2.0 / (lam.min() + lam.max())


def momentum_matrix(eta: float, beta: float, lam: float, nesterov: bool = False) -> np.ndarray:
    r"""The 2 x 2 matrix that maps :math:`(w_t, w_{t-1})` to :math:`(w_{t+1}, w_t)` along one eigenvector.

    Parameters
    ----------
    eta, beta : float
        Learning rate and momentum of the classical (heavy-ball) form.
    lam : float
        The eigenvalue :math:`\lambda`.
    nesterov : bool, default False
    """
    if nesterov:
        a = 1.0 - eta * lam
        return np.array([[(1.0 + beta) * a, -beta * a], [1.0, 0.0]])
    return np.array([[1.0 + beta - eta * lam, -beta], [1.0, 0.0]])


def momentum_rate(eta: float, beta: float, eigenvalues, nesterov: bool = False) -> float:
    r"""The predicted rate of heavy-ball (or Nesterov) momentum: the largest spectral radius of the :math:`M_i`.

    Parameters
    ----------
    eta : float, >= 0
    beta : float in [0, 1)
    eigenvalues : array_like of float, > 0
    nesterov : bool, default False
    """
    eta = check_number(eta, "eta", low=0.0)
    beta = check_number(beta, "beta", low=0.0, high=1.0, high_inclusive=False)
    radii = [np.max(np.abs(np.linalg.eigvals(momentum_matrix(eta, beta, lam, nesterov))))
             for lam in _eigenvalues(eigenvalues)]
    return float(max(radii))


def polyak_parameters(eigenvalues) -> tuple[float, float]:
    r"""Polyak's best heavy-ball pair, :math:`\eta = 4/(\sqrt{\lambda_\text{max}} + \sqrt{\lambda_\text{min}})^2`, :math:`\beta = \bigl(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\bigr)^2`.

    Returns
    -------
    (eta, beta) : tuple of float
    """
    lam = _eigenvalues(eigenvalues)
    a, b = np.sqrt(lam.min()), np.sqrt(lam.max())
    return float(4.0 / (a + b) ** 2), float(((b - a) / (b + a)) ** 2)


def descend(make_optimizer, H, w0, steps: int) -> np.ndarray:
    r"""Run an nnlib optimizer on :math:`J(w) = \tfrac12 w^\top H w` (gradient :math:`Hw`); return every iterate.

    Parameters
    ----------
    make_optimizer : callable
        ``make_optimizer(params)`` -> an :class:`nnlib.optim.Optimizer` on ``params = {"w": w}``.
    H : ndarray of shape (n, n)
    w0 : array_like of shape (n,)
    steps : int

    Returns
    -------
    ndarray of shape (steps + 1, n)
        :math:`w_0, w_1, \dots`; rows after the first non-finite one stay non-finite.
    """
    steps = check_number(steps, "steps", low=1, integer=True)
    w = np.array(w0, dtype=np.float64)
    optimizer = make_optimizer({"w": w})
    path = np.empty((steps + 1, w.size))
    path[0] = w
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            if np.all(np.isfinite(w)):
                optimizer.step({"w": H @ w})
            path[t] = w
    return path


def measured_rate(path, skip: int = 50, window: int = 25) -> float:
    r"""The rate a run shows: :math:`e^{s}`, with :math:`s` the fitted slope of :math:`\log \|(w_t, w_{t-1})\|`.

    The norm of the pair is taken through a running maximum over ``window``
    steps, so that the oscillation of complex eigenvalues (momentum) does not
    bias the slope; the first ``skip`` steps (the transient of the slower
    eigenvalues' mixture) are left out, and so is everything below
    :math:`10^{-250}` (underflow).

    Parameters
    ----------
    path : ndarray of shape (T + 1, n)
        Iterates, e.g. from :func:`descend`.
    skip, window : int

    Returns
    -------
    float
        Above 1 for a run that diverges.
    """
    norms = np.linalg.norm(np.asarray(path, dtype=np.float64), axis=1)
    pairs = np.hypot(norms[1:], norms[:-1])
    if window > 1:
        pairs = np.array([pairs[i:i + window].max() for i in range(len(pairs) - window + 1)])
    t = np.arange(len(pairs))[skip:]
    pairs = pairs[skip:]
    keep = np.isfinite(pairs) & (pairs > 1e-250) & (pairs < 1e250)
    if keep.sum() < 2:
        raise ValueError("path: too few usable steps after skip (too short, or it under/overflowed at once)")
    slope = np.polyfit(t[keep], np.log(pairs[keep]), 1)[0]
    return float(np.exp(slope))
