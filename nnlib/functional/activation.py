r"""Elementwise activations as forward/backward pairs.

Each backward pass is the chain rule for an elementwise function,
:math:`\partial L/\partial x = \delta \odot f'(x)`, written with whatever the
forward pass cached: the output :math:`y` where :math:`f'` is a function of it
(sigmoid, tanh), the input :math:`x` otherwise (ReLU, leaky ReLU, softplus).
The functions themselves live in :mod:`nnlib.activations`; here they become
operations with a cache.
"""

from __future__ import annotations

import numpy as np

from nnlib import activations as A
from nnlib._validation import check_number
from nnlib.functional._common import cached_and_upstream, float_input

__all__ = [
    "identity_forward",
    "identity_backward",
    "step_forward",
    "step_backward",
    "sigmoid_forward",
    "sigmoid_backward",
    "tanh_forward",
    "tanh_backward",
    "relu_forward",
    "relu_backward",
    "leaky_relu_forward",
    "leaky_relu_backward",
    "softplus_forward",
    "softplus_backward",
]


def identity_forward(x):
    r"""Identity map (a "linear" activation), useful as a placeholder.

    .. math::

        y = x, \qquad \frac{\partial L}{\partial x} = \delta

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    y : ndarray, same shape and dtype as ``x`` (a copy)
    cache : dict
        ``{"op": "identity", "y": y}``: backward needs only its shape and dtype.
    """
    x = float_input(x)
    y = x.copy()
    return y, {"op": "identity", "y": y}


def identity_backward(dy, cache):
    r"""Backward pass of :func:`identity_forward`: :math:`\partial L/\partial x = \delta`.

    Parameters
    ----------
    dy : array_like, same shape as the forward output
    cache : dict
        From :func:`identity_forward`.

    Returns
    -------
    dx : ndarray, same shape as ``dy`` (a copy)
    grads : dict
        ``{}``.
    """
    _, dy = cached_and_upstream(dy, cache, "identity", "y")
    return dy.copy(), {}


def step_forward(x):
    r"""Heaviside step, :math:`y = \mathbb{1}[x \ge 0]` (see :func:`nnlib.activations.step`).

    .. math::

        y = \begin{cases} 1 & x \ge 0 \\ 0 & x < 0 \end{cases},
        \qquad \frac{\partial L}{\partial x} = 0

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    y : ndarray, same shape and dtype as ``x``
    cache : dict
        ``{"op": "step", "y": y}``: backward needs only its shape and dtype.
    """
    x = float_input(x)
    y = A.step(x)
    return y, {"op": "step", "y": y}


def step_backward(dy, cache):
    r"""Backward pass of :func:`step_forward`: zero everywhere.

    .. math::

        \frac{\partial L}{\partial x} = \delta \cdot \operatorname{step}'(x) = 0

    The step is flat almost everywhere, so no gradient passes through it; this
    is why perceptrons are trained with their own rule, not backpropagation.

    Parameters
    ----------
    dy : array_like, same shape as the forward output
    cache : dict
        From :func:`step_forward`.

    Returns
    -------
    dx : ndarray of zeros, same shape as ``dy``
    grads : dict
        ``{}``.
    """
    _, dy = cached_and_upstream(dy, cache, "step", "y")
    return np.zeros_like(dy), {}


def sigmoid_forward(x):
    r"""Logistic sigmoid (stable; see :func:`nnlib.activations.sigmoid`).

    .. math::

        y = \sigma(x) = \frac{1}{1 + e^{-x}}

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    y : ndarray, same shape and dtype as ``x``
    cache : dict
        ``{"op": "sigmoid", "y": y}``: backward needs only the output.
    """
    y = np.asarray(A.sigmoid(float_input(x)))
    return y, {"op": "sigmoid", "y": y}


def sigmoid_backward(dy, cache):
    r"""Backward pass of :func:`sigmoid_forward`, from the cached output :math:`y`.

    .. math::

        \frac{\partial L}{\partial x} = \delta \odot y \odot (1 - y)

    Parameters
    ----------
    dy : array_like, same shape as ``y``
    cache : dict
        From :func:`sigmoid_forward`.

    Returns
    -------
    dx : ndarray, same shape as ``dy``
    grads : dict
        ``{}``.
    """
    y, dy = cached_and_upstream(dy, cache, "sigmoid", "y")
    return dy * y * (1 - y), {}


def tanh_forward(x):
    r"""Hyperbolic tangent.

    .. math::

        y = \tanh(x)

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    y : ndarray, same shape and dtype as ``x``
    cache : dict
        ``{"op": "tanh", "y": y}``.
    """
    y = np.tanh(float_input(x))
    return y, {"op": "tanh", "y": y}


def tanh_backward(dy, cache):
    r"""Backward pass of :func:`tanh_forward`, from the cached output :math:`y`.

    .. math::

        \frac{\partial L}{\partial x} = \delta \odot (1 - y^2)

    Parameters
    ----------
    dy : array_like, same shape as ``y``
    cache : dict
        From :func:`tanh_forward`.

    Returns
    -------
    dx : ndarray, same shape as ``dy``
    grads : dict
        ``{}``.
    """
    y, dy = cached_and_upstream(dy, cache, "tanh", "y")
    return dy * (1 - y * y), {}


def relu_forward(x):
    r"""Rectified linear unit.

    .. math::

        y = \max(0, x)

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    y : ndarray, same shape and dtype as ``x``
    cache : dict
        ``{"op": "relu", "x": x}``.
    """
    x = float_input(x)
    return np.maximum(x, 0), {"op": "relu", "x": x}


def relu_backward(dy, cache):
    r"""Backward pass of :func:`relu_forward` (convention :math:`\operatorname{ReLU}'(0) = 0`).

    .. math::

        \frac{\partial L}{\partial x} = \delta \odot \mathbb{1}[x > 0]

    Parameters
    ----------
    dy : array_like, same shape as ``x``
    cache : dict
        From :func:`relu_forward`.

    Returns
    -------
    dx : ndarray, same shape as ``dy``
    grads : dict
        ``{}``.
    """
    x, dy = cached_and_upstream(dy, cache, "relu", "x")
    return np.where(x > 0, dy, 0).astype(x.dtype, copy=False), {}


def leaky_relu_forward(x, alpha: float = 0.01):
    r"""Leaky ReLU with slope ``alpha`` for :math:`x \le 0`.

    .. math::

        y = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}

    Parameters
    ----------
    x : array_like, any shape
    alpha : float, default 0.01
        Negative-side slope, :math:`\ge 0`.

    Returns
    -------
    y : ndarray, same shape and dtype as ``x``
    cache : dict
        ``{"op": "leaky_relu", "x": x, "alpha": alpha}``.

    Raises
    ------
    ValueError
        If ``alpha < 0``.
    """
    x = float_input(x)
    alpha = check_number(alpha, "alpha", low=0.0)
    return np.where(x > 0, x, alpha * x), {"op": "leaky_relu", "x": x, "alpha": alpha}


def leaky_relu_backward(dy, cache):
    r"""Backward pass of :func:`leaky_relu_forward` (convention :math:`f'(0) = \alpha`).

    .. math::

        \frac{\partial L}{\partial x} = \delta \odot
        \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}

    Parameters
    ----------
    dy : array_like, same shape as ``x``
    cache : dict
        From :func:`leaky_relu_forward`.

    Returns
    -------
    dx : ndarray, same shape as ``dy``
    grads : dict
        ``{}``.
    """
    x, dy = cached_and_upstream(dy, cache, "leaky_relu", "x")
    return np.where(x > 0, dy, cache["alpha"] * dy), {}


def softplus_forward(x):
    r"""Softplus (stable; see :func:`nnlib.activations.softplus`).

    .. math::

        y = \log(1 + e^{x}) = \max(x, 0) + \log(1 + e^{-|x|})

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    y : ndarray, same shape and dtype as ``x``
    cache : dict
        ``{"op": "softplus", "x": x}``.
    """
    x = float_input(x)
    return np.asarray(A.softplus(x)), {"op": "softplus", "x": x}


def softplus_backward(dy, cache):
    r"""Backward pass of :func:`softplus_forward`.

    .. math::

        \frac{\partial L}{\partial x} = \delta \odot \sigma(x)

    Parameters
    ----------
    dy : array_like, same shape as ``x``
    cache : dict
        From :func:`softplus_forward`.

    Returns
    -------
    dx : ndarray, same shape as ``dy``
    grads : dict
        ``{}``.
    """
    x, dy = cached_and_upstream(dy, cache, "softplus", "x")
    return dy * A.sigmoid(x), {}
