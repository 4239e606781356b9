r"""2-D convolution as a forward/backward pair, with the plain loops it must agree with.

Images are ``(N, C, H, W)`` (batch, channels, height, width), weights
``(C_out, C_in, kH, kW)`` and biases ``(C_out,)``. Like every deep-learning
library, :func:`conv2d_forward` computes a *cross-correlation* (the kernel is
not flipped):

.. math::

    y_{n,o,h,w} = b_o + \sum_{c=1}^{C_{in}} \sum_{i=0}^{k_H-1} \sum_{j=0}^{k_W-1}
        W_{o,c,i,j}\; \tilde x_{n,\,c,\; s_H h + i,\; s_W w + j}

where :math:`\tilde x` is :math:`x` with ``padding`` zeros added on each side and
:math:`s_H, s_W` is the stride. (A convolution in the mathematical sense flips
the kernel; as the kernel is learned, both describe the same layers.) Output
sizes follow :func:`conv_output_size`.

:func:`conv2d_forward_loops` and :func:`conv2d_backward_loops` compute the same
numbers one output at a time: they are the definition, readable next to the
equation, and the tests' oracle. Use the fast pair everywhere else.

Why the fast path is fast
-------------------------
The loops make :math:`N C_{out} H_{out} W_{out}` trips through the Python
interpreter. The fast path makes a few dozen large NumPy calls:

1. **im2col.** The input values under every kernel position are copied into a
   "columns" matrix (one row per :math:`(i, j, c)`, one column per output
   position); the convolution becomes one matrix product with the weights
   seen as a :math:`C_{out} \times C_{in} k_H k_W` matrix, which BLAS runs
   close to the processor's peak.
2. **Shifted copies, not gathers.** With stride 1, the padded images of a
   channel are laid end to end in one flat row, neighbours sharing their zero
   borders. The row of the columns matrix for kernel offset :math:`(i, j)` is
   then that flat row shifted by :math:`i \cdot \text{pitch} + j`: building
   the columns takes :math:`k_H k_W` contiguous copies at memory speed and no
   index arrays. The product also computes the outputs centred on the shared
   borders, which are dropped (for 14×14 images with a 3×3 kernel, 15% more
   arithmetic, much less than the copies it saves).
3. **col2im without** ``np.add.at``. Backward scatters the gradient of the
   columns back onto the image with :math:`k_H k_W` shifted slice additions,
   not with ``np.add.at`` (an unbuffered scatter, over 10 times slower).
4. **Channel-major layout.** Channels go first, ``(C, N, ...)``, so each
   product's operands and result are plain 2-D matrices without transposes.
5. **Cache blocking and reused buffers.** The batch is processed a few images
   at a time so that a chunk's columns (about 1 MB) stay in the processor's
   cache between the copy that writes them and the product that reads them;
   the work buffers are kept between calls (a fresh multi-megabyte array costs
   a page fault per 4 KB on every call); backward rebuilds the columns from
   ``x`` instead of keeping a copy :math:`k_H k_W` times the size of the input.
6. **The bias rides along** in the product as a row of ones in the columns,
   and its gradient comes out of the weight-gradient product.

Other strides use the same code with a standard padded layout, where the
window copies are strided (correct, but without the speed of points 2 and 3).
"""

from __future__ import annotations

import threading
from typing import NamedTuple

import numpy as np

from nnlib._validation import check_array, check_number
from nnlib.functional import _check_cache, _input, _upstream

__all__ = [
    "conv_output_size",
    "conv2d_forward",
    "conv2d_backward",
    "conv2d_forward_loops",
    "conv2d_backward_loops",
]

# Images per chunk are chosen so that a chunk's columns take about this many bytes.
_CHUNK_BYTES = 1 << 20


# --------------------------------------------------------------------------- sizes and checks


def conv_output_size(n, k, p=0, s=1) -> int:
    r"""Output length of a convolution or pooling along one axis.

    .. math::

        n_{out} = \left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1

    ``p`` is the padding on *each* side. Texts that write the formula with the
    *total* padding :math:`P` (both sides together) use
    :math:`\lfloor (n + P - k)/s \rfloor + 1` with :math:`P = 2p`.

    Parameters
    ----------
    n : int
        Input length (height or width), ``>= 1``.
    k : int
        Kernel length, ``>= 1``.
    p : int, default 0
        Zeros added on each side, ``>= 0``.
    s : int, default 1
        Stride, ``>= 1``.

    Returns
    -------
    int
        The number of kernel positions, ``>= 1``.

    Raises
    ------
    ValueError
        If the kernel is longer than the padded input (``k > n + 2p``).

    Examples
    --------
    >>> conv_output_size(14, 3, 1, 1), conv_output_size(14, 2, 0, 2), conv_output_size(32, 5, 0, 1)
    (14, 7, 28)
    """
    n = check_number(n, "n", low=1, integer=True)
    k = check_number(k, "k", low=1, integer=True)
    p = check_number(p, "p", low=0, integer=True)
    s = check_number(s, "s", low=1, integer=True)
    if k > n + 2 * p:
        raise ValueError(f"k: expected a kernel no longer than the padded input n + 2p = {n + 2 * p}, got k = {k}")
    return (n + 2 * p - k) // s + 1


def _pair(value, name: str, low: int) -> tuple[int, int]:
    """An int, or a pair of ints (height, width), each ``>= low``."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name}: expected an int or a pair (height, width), got {value!r}")
        return tuple(check_number(v, name, low=low, integer=True) for v in value)
    v = check_number(value, name, low=low, integer=True)
    return v, v


def _output_hw(x_shape, kernel, stride, padding) -> tuple[int, int]:
    """(H_out, W_out), with an error naming the image and kernel sizes when the kernel does not fit."""
    out = []
    for axis, n, k, s, p in zip(("height", "width"), x_shape[2:], kernel, stride, padding):
        if k > n + 2 * p:
            raise ValueError(
                f"x: expected images of {axis} >= {k - 2 * p} for a kernel of {axis} {k} with padding {p}, "
                f"got shape {tuple(x_shape)}"
            )
        out.append(conv_output_size(n, k, p, s))
    return out[0], out[1]


def _conv_inputs(x, W, b, stride, padding):
    """Validate the arguments of a convolution; return them normalised."""
    x = _input(x, "x", ndim=4)
    W = _input(W, "W", ndim=4)
    C_out, C_in = W.shape[:2]
    if x.shape[1] != C_in:
        raise ValueError(
            f"W: expected shape (C_out, {x.shape[1]}, kH, kW) to match the {x.shape[1]} channels of x "
            f"{x.shape}, got shape {W.shape}"
        )
    b = check_array(b, "b", shape=(C_out,), dtype="float", finite=False)
    for name, arr in (("W", W), ("b", b)):
        if arr.dtype != x.dtype:
            raise TypeError(
                f"{name}: expected dtype {x.dtype} (the dtype of x), got {arr.dtype}; "
                f"convert with .astype(np.{x.dtype})"
            )
    stride, padding = _pair(stride, "stride", 1), _pair(padding, "padding", 0)
    return x, W, b, stride, padding, _output_hw(x.shape, W.shape[2:], stride, padding)


def _conv_cache(cache) -> tuple:
    """Unpack a conv2d cache: x, W, stride, padding and the output shape."""
    cache = _check_cache(cache, "conv2d")
    x, W, stride, padding = cache["x"], cache["W"], cache["stride"], cache["padding"]
    H_out, W_out = _output_hw(x.shape, W.shape[2:], stride, padding)
    return x, W, stride, padding, (x.shape[0], W.shape[0], H_out, W_out)


# --------------------------------------------------------------------------- the fast path: layout


class _Plan(NamedTuple):
    """Where the fast path puts each image: one flat buffer row per channel.

    Pixel ``(r, c)`` of image ``n`` (of a chunk) sits at ``lead + n*img + r*row + c``; the
    padded image's corner at ``n*img``. Products compute a ``Hq x Wq`` grid of outputs per
    image, of which the top-left ``H_out x W_out`` are kept.
    """

    N: int
    C: int
    H: int
    W: int
    C_out: int
    kH: int
    kW: int
    sH: int
    sW: int
    H_out: int
    W_out: int
    row: int
    img: int
    Hq: int
    Wq: int
    lead: int
    chunk: int

    @property
    def K(self) -> int:
        """Rows of the columns matrix: one per (i, j, c)."""
        return self.kH * self.kW * self.C

    def length(self, nb: int) -> int:
        """Buffer length per channel that holds ``nb`` images and every value their windows read."""
        last = (self.kH - 1 + self.sH * (self.Hq - 1)) * self.row + self.kW - 1 + self.sW * (self.Wq - 1)
        return (nb - 1) * self.img + max(self.img, last + 1)


def _plan(x_shape, w_shape, stride, padding, itemsize: int) -> _Plan:
    N, C, H, W = x_shape
    C_out, _, kH, kW = w_shape
    (sH, sW), (pH, pW) = stride, padding
    H_out, W_out = _output_hw(x_shape, (kH, kW), stride, padding)
    if stride == (1, 1):  # images share zero borders wide enough for both neighbours
        row = W + max(pW, 2 * pW - kW + 1)
        Hq, Wq = H + max(pH, 2 * pH - kH + 1), row
        img = Hq * row
    else:  # the standard padded layout; the windows are strided
        row = W + 2 * pW
        Hq, Wq = H_out, W_out
        img = (H + 2 * pH) * row
    chunk = max(1, min(N, _CHUNK_BYTES // ((kH * kW * C + 1) * Hq * Wq * itemsize)))
    return _Plan(N, C, H, W, C_out, kH, kW, sH, sW, H_out, W_out, row, img, Hq, Wq, pH * row + pW, chunk)


_BUFFERS = threading.local()


def _workspace(name: str, plan: _Plan, shape: tuple, dtype) -> np.ndarray:
    """A zero-filled buffer kept between calls (one per thread, name, layout and dtype)."""
    store = getattr(_BUFFERS, "store", None)
    if store is None:
        store = _BUFFERS.store = {}
    key = (name, plan, shape, np.dtype(dtype))
    buf = store.get(key)
    if buf is None:
        if len(store) >= 48:  # many layouts seen: start over rather than grow without bound
            store.clear()
        buf = store[key] = np.zeros(shape, dtype)
    return buf


def _view(buf: np.ndarray, shape, strides, offset: int = 0) -> np.ndarray:
    """A view of the contiguous buffer ``buf`` with strides and offset counted in elements."""
    e = buf.itemsize
    return np.ndarray(shape, buf.dtype, buffer=buf, offset=offset * e, strides=tuple(s * e for s in strides))


# --------------------------------------------------------------------------- the fast path: im2col / col2im


def _windows(buf: np.ndarray, p: _Plan, nb: int, leading: tuple, leading_strides: tuple, offset=0):
    """View of ``buf`` (one row per channel) as ``(*leading, C, nb, Hq, Wq)``: the value a window grid sees."""
    shape = (*leading, p.C, nb, p.Hq, p.Wq)
    strides = (*leading_strides, buf.shape[1], p.img, p.sH * p.row, p.sW)
    return _view(buf, shape, strides, offset)


def _im2col(x: np.ndarray, p: _Plan, n0: int, n1: int) -> np.ndarray:
    """Columns of images ``n0:n1``: ``(K + 1, nb*Hq*Wq)``, rows ordered (i, j, c), last row ones."""
    nb = n1 - n0
    image = _workspace("image", p, (p.C, p.length(p.chunk)), x.dtype)  # zero wherever no pixel is
    if nb < p.chunk:  # pixels of a previous, larger chunk that these windows would read
        image[:, nb * p.img:p.length(nb)] = 0
    pixels = _view(image, (p.C, nb, p.H, p.W), (image.shape[1], p.img, p.row, 1), p.lead)
    np.copyto(pixels, x[n0:n1].transpose(1, 0, 2, 3))

    columns = _workspace("columns", p, (p.K + 1, p.chunk * p.Hq * p.Wq), x.dtype)
    if columns[p.K, 0] != 1:
        columns[p.K] = 1  # the bias row
    L = columns.shape[1]
    # row (i, j, c) of the columns is the image buffer shifted by i*row + j
    target = _view(columns, (p.kH, p.kW, p.C, nb, p.Hq, p.Wq), (p.kW * p.C * L, p.C * L, L, p.Hq * p.Wq, p.Wq, 1))
    np.copyto(target, _windows(image, p, nb, (p.kH, p.kW), (p.row, 1)))
    return columns[:, :nb * p.Hq * p.Wq]


def _col2im(d_columns: np.ndarray, p: _Plan, nb: int, dx: np.ndarray) -> None:
    """Add each row (i, j, c) of ``d_columns`` back where :func:`_im2col` took it; write the pixels to ``dx``."""
    d_image = _workspace("d_image", p, (p.C, p.length(p.chunk)), dx.dtype)
    d_image[:, :p.length(nb)] = 0
    for i in range(p.kH):
        for j in range(p.kW):
            t = (i * p.kW + j) * p.C
            target = _windows(d_image, p, nb, (), (), i * p.row + j)
            target += d_columns[t:t + p.C].reshape(p.C, nb, p.Hq, p.Wq)
    pixels = _view(d_image, (p.C, nb, p.H, p.W), (d_image.shape[1], p.img, p.row, 1), p.lead)
    np.copyto(dx, pixels.transpose(1, 0, 2, 3))


# --------------------------------------------------------------------------- conv2d, fast


def conv2d_forward(x, W, b, stride=1, padding=0):
    r"""2-D convolution (cross-correlation) of a batch of images, by im2col and one product per chunk.

    .. math::

        y_{n,o,h,w} = b_o + \sum_{c,i,j} W_{o,c,i,j}\; \tilde x_{n,\,c,\; s_H h + i,\; s_W w + j},
        \qquad H_{out} = \left\lfloor \frac{H + 2p_H - k_H}{s_H} \right\rfloor + 1

    (and likewise :math:`W_{out}`), where :math:`\tilde x` is :math:`x` with
    :math:`p_H` zero rows above and below and :math:`p_W` zero columns left and
    right. See the module docstring for how the product is organised.

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W)
        A batch of images.
    W : array_like, shape (C_out, C_in, kH, kW)
        Kernels, one ``(C_in, kH, kW)`` block per output channel.
    b : array_like, shape (C_out,)
        Biases.
    stride : int or (int, int), default 1
        Step between neighbouring windows (height, width).
    padding : int or (int, int), default 0
        Zeros added on *each* side (height, width); the total padding is twice this.

    Returns
    -------
    y : ndarray, shape (N, C_out, H_out, W_out)
        Same dtype as ``x`` (float64, or float32 if all inputs are float32).
    cache : dict
        ``{"op": "conv2d", "x": x, "W": W, "stride": (sH, sW), "padding": (pH, pW)}``
        (references; backward rebuilds the columns from ``x``).

    Raises
    ------
    ValueError
        If ``x`` or ``W`` is not 4-D, the channels of ``x`` and ``W`` differ, ``b``
        is not ``(C_out,)``, stride/padding are out of range, or the kernel is
        larger than the padded image.
    TypeError
        If ``x``, ``W`` and ``b`` do not share one float dtype.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> y, cache = conv2d_forward(x, np.ones((1, 1, 2, 2)), np.zeros(1), stride=2)
    >>> y
    array([[[[10., 18.],
             [42., 50.]]]])
    """
    x, W, b, stride, padding, _ = _conv_inputs(x, W, b, stride, padding)
    p = _plan(x.shape, W.shape, stride, padding, x.itemsize)
    weights = np.empty((p.C_out, p.K + 1), x.dtype)  # columns' rows are ordered (i, j, c), then the ones
    weights[:, :p.K] = W.transpose(0, 2, 3, 1).reshape(p.C_out, p.K)
    weights[:, p.K] = b
    y = np.empty((p.N, p.C_out, p.H_out, p.W_out), x.dtype)
    out = _workspace("out", p, (p.C_out, p.chunk * p.Hq * p.Wq), x.dtype)
    for n0 in range(0, p.N, p.chunk):
        n1 = min(p.N, n0 + p.chunk)
        columns = _im2col(x, p, n0, n1)
        grid = out[:, :columns.shape[1]]
        np.matmul(weights, columns, out=grid)
        kept = grid.reshape(p.C_out, n1 - n0, p.Hq, p.Wq)[:, :, :p.H_out, :p.W_out]
        np.copyto(y[n0:n1], kept.transpose(1, 0, 2, 3))
    return y, {"op": "conv2d", "x": x, "W": W, "stride": stride, "padding": padding}


def conv2d_backward(dy, cache, input_grad: bool = True):
    r"""Backward pass of :func:`conv2d_forward`.

    With :math:`\delta = \partial L / \partial y` of shape ``(N, C_out, H_out, W_out)``:

    .. math::

        \frac{\partial L}{\partial W_{o,c,i,j}} = \sum_{n,h,w} \delta_{n,o,h,w}\,
            \tilde x_{n,\,c,\; s_H h + i,\; s_W w + j}, \qquad
        \frac{\partial L}{\partial b_o} = \sum_{n,h,w} \delta_{n,o,h,w},

        \frac{\partial L}{\partial \tilde x_{n,c,r,q}} = \sum_{o,h,w,i,j:\;
            s_H h + i = r,\; s_W w + j = q} \delta_{n,o,h,w}\, W_{o,c,i,j}

    and :math:`\partial L/\partial x` is the unpadded part of
    :math:`\partial L/\partial \tilde x`. In matrix form, with the columns
    matrix :math:`X_{col}` and :math:`\delta` as a ``(C_out, positions)`` matrix:
    :math:`\partial L/\partial W = \delta X_{col}^\top` and
    :math:`\partial L/\partial X_{col} = W^\top \delta`, scattered back (col2im).

    Parameters
    ----------
    dy : array_like, shape (N, C_out, H_out, W_out)
        Upstream gradient, same dtype as the forward output.
    cache : dict
        From :func:`conv2d_forward` (or :func:`conv2d_forward_loops`).
    input_grad : bool, default True
        Compute :math:`\partial L / \partial x`. A network's first layer does not
        need it; skipping it saves about a third of the work.

    Returns
    -------
    dx : ndarray, shape (N, C_in, H, W), or None when ``input_grad`` is False
    grads : dict
        ``{"W": dW (C_out, C_in, kH, kW), "b": db (C_out,)}``, sums over the batch.
    """
    x, W, stride, padding, y_shape = _conv_cache(cache)
    dy = _upstream(dy, y_shape, x.dtype)
    p = _plan(x.shape, W.shape, stride, padding, x.itemsize)
    weights_t = W.transpose(0, 2, 3, 1).reshape(p.C_out, p.K).T  # (K, C_out)
    dwb, part = np.empty((p.C_out, p.K + 1), x.dtype), np.empty((p.C_out, p.K + 1), x.dtype)
    dx = np.empty(x.shape, x.dtype) if input_grad else None
    dgrid = _workspace("dgrid", p, (p.C_out, p.chunk * p.Hq * p.Wq), x.dtype)  # zero off the kept outputs
    d_columns = _workspace("d_columns", p, (p.K, p.chunk * p.Hq * p.Wq), x.dtype) if input_grad else None
    for n0 in range(0, p.N, p.chunk):
        n1 = min(p.N, n0 + p.chunk)
        columns = _im2col(x, p, n0, n1)
        L = columns.shape[1]
        g = dgrid[:, :L]
        np.copyto(g.reshape(p.C_out, n1 - n0, p.Hq, p.Wq)[:, :, :p.H_out, :p.W_out], dy[n0:n1].transpose(1, 0, 2, 3))
        np.matmul(g, columns.T, out=dwb if n0 == 0 else part)  # last column: the bias gradient
        if n0:
            dwb += part
        if input_grad:
            np.matmul(weights_t, g, out=d_columns[:, :L])
            _col2im(d_columns[:, :L], p, n1 - n0, dx[n0:n1])
    dW = dwb[:, :p.K].reshape(p.C_out, p.kH, p.kW, p.C).transpose(0, 3, 1, 2).copy()
    return dx, {"W": dW, "b": dwb[:, p.K].copy()}


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
    dy = _upstream(dy, y_shape, x.dtype)
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
