r"""Max and average pooling as forward/backward pairs, and flatten.

Images are ``(N, C, H, W)``. A ``kH x kW`` window moves with stride
``(sH, sW)`` (default: the kernel, so windows do not overlap); there is no
padding, and output sizes are :math:`\lfloor (H - k_H)/s_H \rfloor + 1` (see
:func:`nnlib.functional.conv_output_size`): rows and columns that no window
reaches are ignored and get zero gradient.

.. math::

    \text{max:}\quad y_{n,c,h,w} = \max_{i,j}\; x_{n,c,\,s_H h + i,\,s_W w + j},
    \qquad
    \text{average:}\quad y_{n,c,h,w} = \frac{1}{k_H k_W} \sum_{i,j} x_{n,c,\,s_H h + i,\,s_W w + j}

Backward, max pooling routes each output's gradient to the input that won its
window (its *argmax*); average pooling splits it evenly over the window.

**Ties and NaN.** When several inputs of a window share the maximum, the first
in row-major order (top row first, then left to right) gets the whole gradient,
as in PyTorch. As in PyTorch too, a NaN counts as larger than everything, even
an earlier NaN: the output is NaN and the window's last NaN gets the gradient.

**Speed.** Windows that do not overlap (stride = kernel, the usual 2×2) are
reshaped to ``(..., H_out, kH, W_out, kW)`` and reduced in two passes, first
along each window row, then across the rows, with whole-array operations. Other
strides loop over the :math:`k_H k_W` offsets of the window, each a strided
slice of the whole batch. Neither loops over pixels in Python; the loop twins
in :mod:`nnlib.functional.loops` do, one window at a time.
"""

from __future__ import annotations

import numpy as np

from nnlib.functional._common import check_cache, check_upstream, float_input
from nnlib.functional.conv import _output_hw, _pair

__all__ = [
    "max_pool2d_forward",
    "max_pool2d_backward",
    "avg_pool2d_forward",
    "avg_pool2d_backward",
    "flatten_forward",
    "flatten_backward",
]


# --------------------------------------------------------------------------- shared


def _pool_inputs(x, kernel_size, stride):
    """Validate pooling arguments; return x, kernel, stride and the output shape."""
    x = float_input(x, "x", ndim=4)
    kernel = _pair(kernel_size, "kernel_size", 1)
    stride = kernel if stride is None else _pair(stride, "stride", 1)
    H_out, W_out = _output_hw(x.shape, kernel, stride, (0, 0))
    return x, kernel, stride, (x.shape[0], x.shape[1], H_out, W_out)


def _pool_cache(cache, op: str):
    cache = check_cache(cache, op)
    return cache, cache["x_shape"], cache["kernel"], cache["stride"]


def _window(a, i: int, j: int, kernel, stride, y_shape):
    """Strided view of ``a`` (``(N, C, H, W)``): the element at offset (i, j) of every window."""
    (sH, sW), (H_out, W_out) = stride, y_shape[2:]
    return a[:, :, i:i + sH * (H_out - 1) + 1:sH, j:j + sW * (W_out - 1) + 1:sW]


def _blocks(a, kernel, y_shape):
    """``(N*C*H_out, kH, W_out, kW)`` view (or copy, if ``a`` has uncovered rows or columns)
    of the part of ``a`` that non-overlapping windows cover."""
    (kH, kW), (N, C, H_out, W_out) = kernel, y_shape
    return a[:, :, :H_out * kH, :W_out * kW].reshape(N * C * H_out, kH, W_out, kW)


def _spread_blocks(share, kernel, x_shape):
    """``dx`` of shape ``x_shape`` with ``share`` (``(N, C, H_out, W_out)``) at every offset of its window."""
    (kH, kW), (N, C, H, W) = kernel, x_shape
    H_out, W_out = H // kH, W // kW
    row = np.empty((N * C * H_out, W_out, kW), share.dtype)  # one window row, repeated kW times
    for j in range(kW):
        row[:, :, j] = share.reshape(-1, W_out)
    covered = np.empty((N * C * H_out, kH, W_out * kW), share.dtype)
    covered[...] = row.reshape(-1, 1, W_out * kW)  # ... and kH times
    covered = covered.reshape(N, C, H_out * kH, W_out * kW)
    if covered.shape == tuple(x_shape):
        return covered
    dx = np.zeros(x_shape, share.dtype)
    dx[:, :, :H_out * kH, :W_out * kW] = covered
    return dx


# --------------------------------------------------------------------------- max pooling, fast


def _winners(candidates, labels, nan_aware: bool):
    """Running maximum over equal-shape arrays, and the label of the first winner.

    ``labels`` are scalars or arrays of one integer dtype. Branch-free: ``np.where`` on an
    unpredictable mask is several times slower than arithmetic, and the update
    ``label + better * (new - label)`` is exact (in unsigned integers too, which wrap around).
    """
    best, label = candidates[0], labels[0]
    for cand, new in zip(candidates[1:], labels[1:]):
        if nan_aware:  # as PyTorch: a NaN beats everything, even an earlier NaN
            better = (cand > best) | np.isnan(cand)
        else:  # the difference's sign is exact (IEEE: x - y == 0 only if x == y; inf - inf is NaN,
            with np.errstate(over="ignore", invalid="ignore"):  # a tie) and faster to get than a
                better = np.subtract(cand, best) > 0  # comparison of strided data
        best = np.maximum(best, cand)
        label = label + better * (new - label)
    return best, label


def _corners(H: int, W: int, stride, y_shape) -> np.ndarray:
    """``(H_out*W_out,)``: index in the flattened ``H x W`` image of every window's top-left corner."""
    (sH, sW), (H_out, W_out) = stride, y_shape[2:]
    return ((np.arange(H_out) * (sH * W))[:, None] + np.arange(W_out) * sW).ravel()


def _row_shifts(per_row, kH: int, W_out: int) -> list:
    """``kH`` views of ``per_row`` (one value per window row and column, in ``x``'s order) shifted by
    ``i`` window rows: at the position of window ``(m, w)``'s first row, view ``i`` holds its row ``i``.

    Whole arrays, so that operations on them are long one-dimensional runs; they also compute
    meaningless values between the windows, which :func:`_first_rows` drops.
    """
    span = per_row.size - (kH - 1) * W_out
    return [per_row[i * W_out:i * W_out + span] for i in range(kH)]


def _first_rows(a, kH: int, y_shape) -> np.ndarray:
    """The values of ``a`` (computed on :func:`_row_shifts`) at every window's first row: ``y_shape``."""
    N, C, H_out, W_out = y_shape
    a = np.ascontiguousarray(a)
    firsts = np.ndarray((N * C * H_out, W_out), a.dtype, buffer=a, strides=(kH * W_out * a.itemsize, a.itemsize))
    return np.ascontiguousarray(firsts).reshape(y_shape)


def _max_blocks(x, kernel, y_shape, nan_aware: bool):
    """Max and the winner's offset ``i*W + j`` of non-overlapping windows: along each window row first,
    then across the rows; both passes on long one-dimensional runs."""
    (kH, kW), W_out, W = kernel, y_shape[3], x.shape[3]
    small = np.uint16 if (kH - 1) * W + kW <= 65536 else np.intp  # offsets: small, cheap integers
    rows = _blocks(x, kernel, y_shape).reshape(-1, kW)  # one line per window row
    row_max, col = _winners([rows[:, j] for j in range(kW)], [small(j) for j in range(kW)], nan_aware)
    col = np.broadcast_to(col, row_max.shape)  # (a scalar when kW == 1)
    y, offset = _winners(_row_shifts(row_max, kH, W_out),
                         [c + small(i * W) for i, c in enumerate(_row_shifts(col, kH, W_out))], nan_aware)
    span = row_max.size - (kH - 1) * W_out
    return _first_rows(y, kH, y_shape), _first_rows(np.broadcast_to(offset, (span,)), kH, y_shape)


def max_pool2d_forward(x, kernel_size=2, stride=None):
    r"""Max pooling over ``kH x kW`` windows.

    .. math::

        y_{n,c,h,w} = \max_{0 \le i < k_H,\; 0 \le j < k_W} x_{n,c,\,s_H h + i,\,s_W w + j}

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
    kernel_size : int or (int, int), default 2
    stride : int or (int, int), optional
        Default: the kernel size (windows side by side, not overlapping).

    Returns
    -------
    y : ndarray, shape (N, C, H_out, W_out)
        Same dtype as ``x``.
    cache : dict
        ``{"op": "max_pool2d", "x_shape", "dtype", "kernel", "stride", "argmax"}``;
        like PyTorch's ``return_indices``, ``argmax[n, c, h, w]`` is the index
        ``r * W + q`` in the flattened image ``x[n, c]`` of the window's winner
        (its first maximum in row-major order; its last NaN, if any).

    Raises
    ------
    ValueError
        If ``x`` is not 4-D, a size is not a positive integer, or the window is
        larger than the image.
    """
    x, kernel, stride, y_shape = _pool_inputs(x, kernel_size, stride)
    if kernel == stride:
        xc = np.ascontiguousarray(x)
        y, offset = _max_blocks(xc, kernel, y_shape, nan_aware=False)
        if np.isnan(y).any():  # rare: redo the argmax with the slower NaN-aware comparison
            y, offset = _max_blocks(xc, kernel, y_shape, nan_aware=True)
    else:
        offsets = [(i, j) for i in range(kernel[0]) for j in range(kernel[1])]
        views = [_window(x, i, j, kernel, stride, y_shape) for i, j in offsets]
        labels = [np.intp(i * x.shape[3] + j) for i, j in offsets]  # offset of (i, j) from the window's corner
        y, offset = _winners(views, labels, nan_aware=False)
        if np.isnan(y).any():
            y, offset = _winners(views, labels, nan_aware=True)
        y, offset = np.array(y, copy=True), np.broadcast_to(offset, y_shape)
    corners = _corners(*x.shape[2:], stride, y_shape)
    argmax = (offset.reshape(-1, corners.size).astype(np.intp) + corners).reshape(y_shape)
    return y, {"op": "max_pool2d", "x_shape": x.shape, "dtype": x.dtype, "kernel": kernel, "stride": stride,
               "argmax": argmax}


def max_pool2d_backward(dy, cache):
    r"""Backward pass of :func:`max_pool2d_forward`: each gradient goes to its window's winner.

    .. math::

        \frac{\partial L}{\partial x_{n,c,r,q}} = \sum_{h,w:\; (s_H h + i^*,\, s_W w + j^*) = (r, q)}
            \delta_{n,c,h,w}

    where :math:`(i^*, j^*)` is the argmax of window :math:`(h, w)` (see the
    module docstring for ties). Every other input gets zero.

    Parameters
    ----------
    dy : array_like, shape (N, C, H_out, W_out)
    cache : dict
        From :func:`max_pool2d_forward` or :func:`max_pool2d_forward_loops`.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)
    grads : dict
        ``{}``.
    """
    cache, x_shape, kernel, stride = _pool_cache(cache, "max_pool2d")
    argmax = cache["argmax"]
    dy = check_upstream(dy, argmax.shape, cache["dtype"])
    planes = np.arange(argmax.shape[0] * argmax.shape[1]) * (x_shape[2] * x_shape[3])  # where each image starts
    index = (argmax.reshape(planes.size, -1) + planes[:, None]).ravel()
    if stride[0] >= kernel[0] and stride[1] >= kernel[1]:  # windows do not overlap: each input wins once at most
        dx = np.zeros(int(np.prod(x_shape)), dy.dtype)
        dx[index] = dy.ravel()
    else:  # a scatter-add, but not np.add.at: bincount sums in one pass (in float64)
        dx = np.bincount(index, weights=dy.ravel(), minlength=int(np.prod(x_shape))).astype(dy.dtype)
    return dx.reshape(x_shape), {}


# --------------------------------------------------------------------------- average pooling, fast


def _sum(parts):
    """Sum of a list of equal-shape arrays, as a new array."""
    total = parts[0] + parts[1] if len(parts) > 1 else parts[0].copy()
    for part in parts[2:]:
        total += part
    return total


def avg_pool2d_forward(x, kernel_size=2, stride=None):
    r"""Average pooling over ``kH x kW`` windows.

    .. math::

        y_{n,c,h,w} = \frac{1}{k_H k_W} \sum_{i=0}^{k_H-1} \sum_{j=0}^{k_W-1} x_{n,c,\,s_H h + i,\,s_W w + j}

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
    kernel_size : int or (int, int), default 2
    stride : int or (int, int), optional
        Default: the kernel size.

    Returns
    -------
    y : ndarray, shape (N, C, H_out, W_out)
    cache : dict
        ``{"op": "avg_pool2d", "x_shape", "dtype", "kernel", "stride"}``.

    Raises
    ------
    ValueError
        As :func:`max_pool2d_forward`.
    """
    x, kernel, stride, y_shape = _pool_inputs(x, kernel_size, stride)
    (kH, kW), scale = kernel, 1.0 / (kernel[0] * kernel[1])
    if kernel == stride:  # sum along each window row, then across the rows
        rows = _blocks(x, kernel, y_shape).reshape(-1, kW)
        row_sum = _sum([rows[:, j] for j in range(kW)])
        y = _first_rows(_sum(_row_shifts(row_sum, kH, y_shape[3])), kH, y_shape)
    else:
        y = np.zeros(y_shape, x.dtype)
        for i in range(kH):
            for j in range(kW):
                y += _window(x, i, j, kernel, stride, y_shape)
    y *= x.dtype.type(scale)
    return y, {"op": "avg_pool2d", "x_shape": x.shape, "dtype": x.dtype, "kernel": kernel, "stride": stride}


def avg_pool2d_backward(dy, cache):
    r"""Backward pass of :func:`avg_pool2d_forward`: each window spreads its gradient evenly.

    .. math::

        \frac{\partial L}{\partial x_{n,c,r,q}} = \frac{1}{k_H k_W}
            \sum_{h,w:\; (r, q) \in \text{window}(h, w)} \delta_{n,c,h,w}

    Parameters
    ----------
    dy : array_like, shape (N, C, H_out, W_out)
    cache : dict
        From :func:`avg_pool2d_forward` or :func:`avg_pool2d_forward_loops`.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)
    grads : dict
        ``{}``.
    """
    cache, x_shape, kernel, stride = _pool_cache(cache, "avg_pool2d")
    N, C, H, W = x_shape
    y_shape = (N, C, *_output_hw(x_shape, kernel, stride, (0, 0)))
    dy = check_upstream(dy, y_shape, cache["dtype"])
    share = dy * dy.dtype.type(1.0 / (kernel[0] * kernel[1]))
    if kernel == stride:
        return _spread_blocks(share, kernel, x_shape), {}
    dx = np.zeros(x_shape, dy.dtype)
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            _window(dx, i, j, kernel, stride, y_shape)[...] += share
    return dx, {}


# --------------------------------------------------------------------------- flatten


def flatten_forward(x):
    r"""Flatten each example to a vector: ``(N, C, H, W) -> (N, C*H*W)``, the bridge to dense layers.

    .. math::

        y_{n,\, (c H + h) W + w} = x_{n,c,h,w}

    Parameters
    ----------
    x : array_like, shape (N, ...)
        At least 2-D; everything after the first axis is flattened (row-major).

    Returns
    -------
    y : ndarray, shape (N, prod(rest))
        A view of ``x`` when ``x`` is contiguous.
    cache : dict
        ``{"op": "flatten", "x_shape", "dtype"}``.

    Raises
    ------
    ValueError
        If ``x`` has fewer than 2 dimensions.
    """
    x = float_input(x, "x")
    if x.ndim < 2:
        raise ValueError(f"x: expected an array of at least 2 dimensions (N, ...), got shape {x.shape}")
    return x.reshape(x.shape[0], -1), {"op": "flatten", "x_shape": x.shape, "dtype": x.dtype}


def flatten_backward(dy, cache):
    r"""Backward pass of :func:`flatten_forward`: reshape the gradient back.

    .. math::

        \frac{\partial L}{\partial x_{n,c,h,w}} = \delta_{n,\, (c H + h) W + w}

    Parameters
    ----------
    dy : array_like, shape (N, C*H*W)
    cache : dict
        From :func:`flatten_forward`.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)
    grads : dict
        ``{}``.
    """
    cache = check_cache(cache, "flatten")
    shape = cache["x_shape"]
    dy = check_upstream(dy, (shape[0], int(np.prod(shape[1:]))), cache["dtype"])
    return dy.reshape(shape).copy(), {}
