r"""Gradient clipping, separate from the optimizers (clip, then step): by global norm, or by value.

:func:`clip_grad_norm` rescales all gradients together: the update keeps its
direction and only gets shorter. :func:`clip_grad_value` clamps every entry to
:math:`[-c, c]` on its own: large entries shrink, small ones stay, so the
direction changes.
"""

from __future__ import annotations

import math

import numpy as np

from nnlib._validation import check_named_arrays, check_number

__all__ = ["clip_grad_norm", "clip_grad_value", "global_norm"]


def clip_grad_norm(grads, max_norm: float) -> float:
    r"""Rescale gradients in place so that their *global* L2 norm is at most ``max_norm``.

    .. math::

        \|g\| = \sqrt{\sum_{k} \sum_{i} g_{k,i}^2}, \qquad
        g_k \leftarrow g_k \cdot \frac{c}{\|g\|} \quad \text{if } \|g\| > c

    where :math:`k` runs over all arrays in ``grads`` and :math:`c` is
    ``max_norm``. The direction of the full gradient is kept; only its length
    changes. Gradients already within the bound are left untouched.

    Parameters
    ----------
    grads : dict of str -> ndarray
        Gradient arrays (e.g. ``model.gradients()``), modified in place.
    max_norm : float
        :math:`c > 0`.

    Returns
    -------
    total_norm : float
        :math:`\|g\|` *before* clipping. If it is NaN or inf the gradients are
        left unchanged (scaling cannot repair them); callers such as
        :func:`nnlib.training.fit` check it and stop.

    Raises
    ------
    TypeError
        If ``grads`` is not a dict of float arrays.
    ValueError
        If ``max_norm <= 0``.

    Examples
    --------
    >>> g = {"W": np.array([3.0, 0.0]), "b": np.array([4.0])}
    >>> clip_grad_norm(g, 1.0)
    5.0
    >>> g["W"], g["b"]
    (array([0.6, 0. ]), array([0.8]))
    """
    max_norm = check_number(max_norm, "max_norm", low=0.0, low_inclusive=False)
    total_norm = global_norm(grads)
    if math.isfinite(total_norm) and total_norm > max_norm:
        scale = max_norm / total_norm
        for g in grads.values():
            g *= scale
    return total_norm


def clip_grad_value(grads, clip_value: float) -> float:
    r"""Clamp every gradient entry in place to :math:`[-c, c]`, ``c = clip_value``.

    .. math::

        g_{k,i} \leftarrow \min\bigl(\max(g_{k,i}, -c),\ c\bigr)

    Each entry is treated on its own: entries with :math:`|g_{k,i}| \le c` are
    untouched and larger ones are cut to :math:`\pm c`, so unlike
    :func:`clip_grad_norm` the direction of the gradient changes whenever some
    entries are cut and others are not.

    Parameters
    ----------
    grads : dict of str -> ndarray
        Gradient arrays (e.g. ``model.gradients()``), modified in place.
    clip_value : float
        :math:`c > 0`.

    Returns
    -------
    largest : float
        :math:`\max_{k,i} |g_{k,i}|` *before* clipping. If it is NaN or inf the
        gradients are left unchanged (an infinite entry clamped to :math:`c`
        would hide the divergence); callers such as :class:`nnlib.training.Trainer`
        check it and stop.

    Raises
    ------
    TypeError
        If ``grads`` is not a dict of float arrays.
    ValueError
        If ``clip_value <= 0``.

    Examples
    --------
    >>> g = {"W": np.array([3.0, -0.5]), "b": np.array([-4.0])}
    >>> clip_grad_value(g, 1.0)
    4.0
    >>> g["W"], g["b"]
    (array([ 1. , -0.5]), array([-1.]))
    """
    clip_value = check_number(clip_value, "clip_value", low=0.0, low_inclusive=False)
    grads = check_named_arrays(grads, "grads")
    largest_each = [np.max(np.abs(g), initial=0.0) for g in grads.values()]
    largest = float(np.max(largest_each))  # NaN if an entry is NaN
    if not math.isfinite(largest):
        return largest
    if largest > clip_value:
        for g in grads.values():
            np.clip(g, -clip_value, clip_value, out=g)
    return largest


def global_norm(grads) -> float:
    r"""The global L2 norm of a dict of gradient arrays (what :func:`clip_grad_norm` bounds).

    .. math::

        \|g\| = \sqrt{\sum_{k} \sum_{i} g_{k,i}^2}

    Parameters
    ----------
    grads : dict of str -> ndarray

    Returns
    -------
    float
        NaN or inf if an entry is, or if the sum of squares overflows.
    """
    grads = check_named_arrays(grads, "grads")
    squares = 0.0
    for g in grads.values():
        flat = g.reshape(-1)
        squares += float(np.dot(flat, flat))
    return math.sqrt(squares)
