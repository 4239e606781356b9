r"""The loop twins of the image operations: one output at a time, as the equations read.

Each function here computes exactly what its fast counterpart in
:mod:`nnlib.functional.conv` or :mod:`nnlib.functional.pool` computes, and makes
and accepts the same caches, with plain Python loops over the outputs. They are
the definitions a chapter shows next to the derivation, and the oracles the
tests compare the fast paths with. They are about a thousand times slower:
use them to learn and to test, never to train.
"""

from __future__ import annotations

import numpy as np

from nnlib.functional._common import check_upstream
from nnlib.functional.conv import _conv_cache, _conv_inputs, _output_hw
from nnlib.functional.pool import _pool_cache, _pool_inputs

__all__ = [
    "conv2d_forward_loops",
    "conv2d_backward_loops",
    "max_pool2d_forward_loops",
    "max_pool2d_backward_loops",
    "avg_pool2d_forward_loops",
    "avg_pool2d_backward_loops",
]


# --------------------------------------------------------------------------- conv2d, by loops


def conv2d_forward_loops(x, W, b, stride=1, padding=0):
    r"""The same convolution as :func:`conv2d_forward`, one output at a time.

    .. math::

        y_{n,o,h,w} = b_o + \sum_{c,i,j} W_{o,c,i,j}\; \tilde x_{n,\,c,\; s_H h + i,\; s_W w + j}

    Each output is the sum of a window of the padded input times the kernel.
    Readable, and about a thousand times slower than the fast path: use it to
    learn and to test, not to train.

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W)
    W : array_like, shape (C_out, C_in, kH, kW)
    b : array_like, shape (C_out,)
    stride : int or (int, int), default 1
    padding : int or (int, int), default 0
        Zeros on each side.

    Returns
    -------
    y : ndarray, shape (N, C_out, H_out, W_out)
    cache : dict
        The same cache as :func:`conv2d_forward` makes.
    """
    x, W, b, (sH, sW), (pH, pW), (H_out, W_out) = _conv_inputs(x, W, b, stride, padding)
    N, (C_out, _, kH, kW) = x.shape[0], W.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)))
    y = np.empty((N, C_out, H_out, W_out), x.dtype)
    for n in range(N):
        for o in range(C_out):
            for h in range(H_out):
                for w in range(W_out):
                    window = xp[n, :, h * sH:h * sH + kH, w * sW:w * sW + kW]
                    y[n, o, h, w] = np.sum(window * W[o]) + b[o]
    return y, {"op": "conv2d", "x": x, "W": W, "stride": (sH, sW), "padding": (pH, pW)}


def conv2d_backward_loops(dy, cache):
    r"""Backward pass of the convolution, one output at a time (the oracle of :func:`conv2d_backward`).

    Each output :math:`y_{n,o,h,w}` used one window of :math:`\tilde x` and the
    kernel :math:`W_o`; its gradient :math:`\delta_{n,o,h,w}` flows back to both:

    .. math::

        \partial W_o \mathrel{+}= \delta_{n,o,h,w}\, \tilde x_{\text{window}}, \qquad
        \partial \tilde x_{\text{window}} \mathrel{+}= \delta_{n,o,h,w}\, W_o, \qquad
        \partial b_o \mathrel{+}= \delta_{n,o,h,w}

    Parameters
    ----------
    dy : array_like, shape (N, C_out, H_out, W_out)
    cache : dict
        From :func:`conv2d_forward_loops` or :func:`conv2d_forward`.

    Returns
    -------
    dx : ndarray, shape (N, C_in, H, W)
    grads : dict
        ``{"W": dW, "b": db}``.
    """
    x, W, (sH, sW), (pH, pW), y_shape = _conv_cache(cache)
    dy = check_upstream(dy, y_shape, x.dtype)
    N, C_out, H_out, W_out = y_shape
    kH, kW = W.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)))
    dxp, dW, db = np.zeros_like(xp), np.zeros_like(W), np.zeros(C_out, x.dtype)
    for n in range(N):
        for o in range(C_out):
            for h in range(H_out):
                for w in range(W_out):
                    rows, cols = slice(h * sH, h * sH + kH), slice(w * sW, w * sW + kW)
                    g = dy[n, o, h, w]
                    dW[o] += g * xp[n, :, rows, cols]
                    dxp[n, :, rows, cols] += g * W[o]
                    db[o] += g
    dx = dxp[:, :, pH:pH + x.shape[2], pW:pW + x.shape[3]].copy()
    return dx, {"W": dW, "b": db}


# --------------------------------------------------------------------------- pooling, by loops


def max_pool2d_forward_loops(x, kernel_size=2, stride=None):
    r"""The same max pooling as :func:`max_pool2d_forward`, one window at a time.

    .. math::

        y_{n,c,h,w} = \max_{i,j}\; x_{n,c,\,s_H h + i,\,s_W w + j}

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
    kernel_size : int or (int, int), default 2
    stride : int or (int, int), optional

    Returns
    -------
    y : ndarray, shape (N, C, H_out, W_out)
    cache : dict
        The same cache as :func:`max_pool2d_forward` makes.
    """
    x, (kH, kW), (sH, sW), y_shape = _pool_inputs(x, kernel_size, stride)
    y, argmax = np.empty(y_shape, x.dtype), np.empty(y_shape, np.intp)
    W = x.shape[3]
    for n, c, h, w in np.ndindex(*y_shape):
        window = x[n, c, h * sH:h * sH + kH, w * sW:w * sW + kW].ravel()  # row-major
        nans = np.flatnonzero(np.isnan(window))
        i, j = divmod(nans[-1] if nans.size else np.argmax(window), kW)  # first maximum (or last NaN)
        y[n, c, h, w] = window[i * kW + j]
        argmax[n, c, h, w] = (h * sH + i) * W + (w * sW + j)  # the winner's index in the flattened image
    return y, {"op": "max_pool2d", "x_shape": x.shape, "dtype": x.dtype, "kernel": (kH, kW), "stride": (sH, sW),
               "argmax": argmax}


def max_pool2d_backward_loops(dy, cache):
    r"""Backward pass of max pooling, one window at a time: the gradient goes to the argmax.

    .. math::

        \frac{\partial L}{\partial x_{n,c,\,s_H h + i^*,\,s_W w + j^*}} \mathrel{+}= \delta_{n,c,h,w}

    Parameters
    ----------
    dy : array_like, shape (N, C, H_out, W_out)
    cache : dict
        From :func:`max_pool2d_forward_loops` or :func:`max_pool2d_forward`.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)
    grads : dict
        ``{}``.
    """
    cache, x_shape, (kH, kW), (sH, sW) = _pool_cache(cache, "max_pool2d")
    argmax = cache["argmax"]
    dy = check_upstream(dy, argmax.shape, cache["dtype"])
    dx = np.zeros(x_shape, dy.dtype)
    for n, c, h, w in np.ndindex(*dy.shape):
        r, q = divmod(int(argmax[n, c, h, w]), x_shape[3])
        dx[n, c, r, q] += dy[n, c, h, w]
    return dx, {}


def avg_pool2d_forward_loops(x, kernel_size=2, stride=None):
    r"""The same average pooling as :func:`avg_pool2d_forward`, one window at a time.

    .. math::

        y_{n,c,h,w} = \frac{1}{k_H k_W} \sum_{i,j} x_{n,c,\,s_H h + i,\,s_W w + j}

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
    kernel_size : int or (int, int), default 2
    stride : int or (int, int), optional

    Returns
    -------
    y : ndarray, shape (N, C, H_out, W_out)
    cache : dict
        The same cache as :func:`avg_pool2d_forward` makes.
    """
    x, (kH, kW), (sH, sW), y_shape = _pool_inputs(x, kernel_size, stride)
    y = np.empty(y_shape, x.dtype)
    for n, c, h, w in np.ndindex(*y_shape):
        y[n, c, h, w] = np.mean(x[n, c, h * sH:h * sH + kH, w * sW:w * sW + kW])
    return y, {"op": "avg_pool2d", "x_shape": x.shape, "dtype": x.dtype, "kernel": (kH, kW), "stride": (sH, sW)}


def avg_pool2d_backward_loops(dy, cache):
    r"""Backward pass of average pooling, one window at a time: each input of the window gets an equal share.

    .. math::

        \frac{\partial L}{\partial x_{\text{window}(h, w)}} \mathrel{+}= \frac{\delta_{n,c,h,w}}{k_H k_W}

    Parameters
    ----------
    dy : array_like, shape (N, C, H_out, W_out)
    cache : dict
        From :func:`avg_pool2d_forward_loops` or :func:`avg_pool2d_forward`.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)
    grads : dict
        ``{}``.
    """
    cache, x_shape, (kH, kW), (sH, sW) = _pool_cache(cache, "avg_pool2d")
    y_shape = (*x_shape[:2], *_output_hw(x_shape, (kH, kW), (sH, sW), (0, 0)))
    dy = check_upstream(dy, y_shape, cache["dtype"])
    dx = np.zeros(x_shape, dy.dtype)
    for n, c, h, w in np.ndindex(*y_shape):
        dx[n, c, h * sH:h * sH + kH, w * sW:w * sW + kW] += dy[n, c, h, w] / (kH * kW)
    return dx, {}
