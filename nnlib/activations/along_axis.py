r"""Softmax and log-softmax along an axis, and the softmax Jacobian.

Their derivative is a Jacobian (:func:`softmax_jacobian`); backpropagation
uses the vector-Jacobian product instead (:func:`nnlib.functional.softmax_backward`).
"""

from __future__ import annotations

import numpy as np

from nnlib._validation import check_axis
from nnlib.activations.elementwise import as_float

__all__ = ["softmax", "log_softmax", "softmax_jacobian"]


def _reduction_axis(x: np.ndarray, axis) -> int:
    """Validate the axis softmax normalises along: in range, and not empty (a softmax of nothing is undefined)."""
    axis = check_axis(axis, x.ndim)
    if x.shape[axis] == 0:
        raise ValueError(
            f"x: expected at least one entry along axis {axis} to normalise over, got shape {x.shape}"
        )
    return axis


# -------------------------------------------------------------- softmax / log-softmax


def softmax(x, axis: int = -1):
    r"""Softmax along ``axis``, stabilised by subtracting the maximum.

    .. math::

        \operatorname{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}
        = \frac{e^{x_i - m}}{\sum_j e^{x_j - m}}, \qquad m = \max_j x_j

    Subtracting :math:`m` changes nothing mathematically but makes every
    exponent :math:`\le 0`, so nothing overflows (logits of ±1000 are fine).

    Parameters
    ----------
    x : array_like, shape (..., C)
        Logits; with the default ``axis=-1`` a batch ``(n, C)`` gets one
        distribution per row.
    axis : int, default -1
        Axis along which the outputs sum to 1.

    Returns
    -------
    ndarray, same shape and float dtype as ``x``
        Non-negative, summing to 1 along ``axis``.

    Raises
    ------
    ValueError
        If ``x`` is a scalar, ``axis`` is out of range or ``x`` has no entry along it.

    See Also
    --------
    softmax_jacobian : its derivative.
    """
    x = as_float(x)
    axis = _reduction_axis(x, axis)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x, axis: int = -1):
    r"""Logarithm of the softmax along ``axis`` (log-sum-exp stable).

    .. math::

        \log \operatorname{softmax}(x)_i = x_i - \operatorname{LSE}(x), \qquad
        \operatorname{LSE}(x) = m + \log \sum_j e^{x_j - m}, \quad m = \max_j x_j

    Computing it this way (instead of ``np.log(softmax(x))``) never takes the
    log of an underflowed 0: ``log_softmax([0, -1000])`` is ``[0, -1000]``.

    Parameters
    ----------
    x : array_like, shape (..., C)
    axis : int, default -1

    Returns
    -------
    ndarray, same shape and float dtype as ``x``
        Values :math:`\le 0`; ``exp`` of them sums to 1 along ``axis``.

    Raises
    ------
    ValueError
        If ``x`` is a scalar, ``axis`` is out of range or ``x`` has no entry along it.
    """
    x = as_float(x)
    axis = _reduction_axis(x, axis)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax_jacobian(x):
    r"""Jacobian of :func:`softmax` along the last axis.

    .. math::

        \frac{\partial p_i}{\partial x_j} = p_i\,(\delta_{ij} - p_j),
        \qquad J = \operatorname{diag}(p) - p\,p^\top

    In backpropagation nobody builds this :math:`C \times C` matrix: the
    vector-Jacobian product :math:`J^\top \delta = p \odot (\delta - p^\top \delta)`
    is what :func:`nnlib.functional.softmax_backward` computes.

    Parameters
    ----------
    x : array_like, shape (C,) or (n, C)

    Returns
    -------
    ndarray, shape (C, C) or (n, C, C), float dtype of ``x``
        ``J[..., i, j] = d p_i / d x_j``.
    """
    x = as_float(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"x: expected a 1-D array (C,) or a 2-D array (n, C), got shape {x.shape}")
    p = softmax(x, axis=-1)
    return p[..., :, None] * np.eye(p.shape[-1], dtype=p.dtype) - p[..., :, None] * p[..., None, :]
