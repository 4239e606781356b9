r"""Softmax and log-softmax as forward/backward pairs: normalisation along an axis.

Unlike the elementwise activations, every output depends on every input along
``axis``; the backward passes are vector-Jacobian products that never form the
:math:`C \times C` Jacobian.
"""

from __future__ import annotations

import numpy as np

from nnlib import activations as A
from nnlib._validation import check_axis
from nnlib.functional._common import cached_and_upstream, float_input

__all__ = ["softmax_forward", "softmax_backward", "log_softmax_forward", "log_softmax_backward"]


def _along_axis(op: str, fn, x, axis):
    """Forward of a normalisation along ``axis``: ``y = fn(x, axis)`` and the cache ``{op, y, axis}``."""
    x = float_input(x)
    axis = check_axis(axis, x.ndim)
    y = fn(x, axis=axis)
    return y, {"op": op, "y": y, "axis": axis}


def softmax_forward(x, axis: int = -1):
    r"""Softmax along ``axis`` (stable; see :func:`nnlib.activations.softmax`).

    .. math::

        y_i = \frac{e^{x_i - m}}{\sum_j e^{x_j - m}}, \qquad m = \max_j x_j

    Parameters
    ----------
    x : array_like, shape (..., C)
        Logits, e.g. ``(n, C)``: one distribution per row.
    axis : int, default -1

    Returns
    -------
    y : ndarray, same shape and dtype as ``x``
    cache : dict
        ``{"op": "softmax", "y": y, "axis": axis}``.

    Raises
    ------
    ValueError
        If ``x`` is a scalar or empty, or ``axis`` is out of range.
    """
    return _along_axis("softmax", A.softmax, x, axis)


def softmax_backward(dy, cache):
    r"""Backward pass of :func:`softmax_forward`: the vector-Jacobian product.

    With :math:`\partial y_i / \partial x_j = y_i(\delta_{ij} - y_j)`:

    .. math::

        \frac{\partial L}{\partial x_j} = \sum_i \delta_i\, y_i (\delta_{ij} - y_j)
        = y_j \Bigl(\delta_j - \sum_i \delta_i y_i\Bigr),
        \qquad \frac{\partial L}{\partial x} = y \odot \bigl(\delta - \langle \delta, y \rangle\bigr)

    (the inner product taken along ``axis``). No :math:`C \times C` Jacobian is
    formed. For a classifier prefer
    :func:`nnlib.losses.softmax_cross_entropy_loss` on the logits, which fuses
    softmax and cross-entropy into :math:`(p - y)/n`.

    Parameters
    ----------
    dy : array_like, same shape as ``y``
    cache : dict
        From :func:`softmax_forward`.

    Returns
    -------
    dx : ndarray, same shape as ``dy``
    grads : dict
        ``{}``.
    """
    y, dy = cached_and_upstream(dy, cache, "softmax", "y")
    axis = cache["axis"]
    return y * (dy - np.sum(dy * y, axis=axis, keepdims=True)), {}


def log_softmax_forward(x, axis: int = -1):
    r"""Log-softmax along ``axis`` (log-sum-exp stable).

    .. math::

        y_i = x_i - \operatorname{LSE}(x), \qquad
        \operatorname{LSE}(x) = m + \log \sum_j e^{x_j - m}, \quad m = \max_j x_j

    Parameters
    ----------
    x : array_like, shape (..., C)
    axis : int, default -1

    Returns
    -------
    y : ndarray, same shape and dtype as ``x``
    cache : dict
        ``{"op": "log_softmax", "y": y, "axis": axis}``.

    Raises
    ------
    ValueError
        If ``x`` is a scalar or empty, or ``axis`` is out of range.
    """
    return _along_axis("log_softmax", A.log_softmax, x, axis)


def log_softmax_backward(dy, cache):
    r"""Backward pass of :func:`log_softmax_forward`.

    With :math:`\partial y_i / \partial x_j = \delta_{ij} - p_j` and
    :math:`p = e^{y} = \operatorname{softmax}(x)`:

    .. math::

        \frac{\partial L}{\partial x_j} = \delta_j - p_j \sum_i \delta_i

    Parameters
    ----------
    dy : array_like, same shape as ``y``
    cache : dict
        From :func:`log_softmax_forward`.

    Returns
    -------
    dx : ndarray, same shape as ``dy``
    grads : dict
        ``{}``.
    """
    y, dy = cached_and_upstream(dy, cache, "log_softmax", "y")
    axis = cache["axis"]
    return dy - np.exp(y) * np.sum(dy, axis=axis, keepdims=True), {}
