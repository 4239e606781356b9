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

:func:`nnlib.functional.conv2d_forward_loops` and
:func:`~nnlib.functional.conv2d_backward_loops` compute the same numbers
one output at a time: they are the definition, readable next to the equation,
and the tests' oracle. Use the fast pair everywhere else.

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
window copies are strided (correct, but without the speed of points 2 and 3);
so do inputs holding inf or NaN, which the extra border outputs of point 2
would otherwise spread into the weight gradient.
"""

from __future__ import annotations

import numpy as np

from nnlib._validation import check_array, check_number
from nnlib.functional._common import check_cache, check_upstream, float_input, same_dtype_as
from nnlib.functional import _im2col as I

__all__ = [
    "conv_output_size",
    "conv2d_forward",
    "conv2d_backward",
]

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
        out.append((n + 2 * p - k) // s + 1)  # conv_output_size, its arguments already checked
    return out[0], out[1]


def _conv_inputs(x, W, b, stride, padding):
    """Validate the arguments of a convolution; return them normalised."""
    x = float_input(x, "x", ndim=4)
    W = float_input(W, "W", ndim=4)
    C_out, C_in = W.shape[:2]
    if x.shape[1] != C_in:
        raise ValueError(
            f"W: expected shape (C_out, {x.shape[1]}, kH, kW) to match the {x.shape[1]} channels of x "
            f"{x.shape}, got shape {W.shape}"
        )
    b = check_array(b, "b", shape=(C_out,), dtype="float", finite=False)
    same_dtype_as(x, W=W, b=b)
    stride, padding = _pair(stride, "stride", 1), _pair(padding, "padding", 0)
    return x, W, b, stride, padding, _output_hw(x.shape, W.shape[2:], stride, padding)


def _conv_cache(cache) -> tuple:
    """Unpack a conv2d cache: x, W, stride, padding and the output shape."""
    cache = check_cache(cache, "conv2d")
    x, W, stride, padding = cache["x"], cache["W"], cache["stride"], cache["padding"]
    H_out, W_out = _output_hw(x.shape, W.shape[2:], stride, padding)
    return x, W, stride, padding, (x.shape[0], W.shape[0], H_out, W_out)


# --------------------------------------------------------------------------- conv2d, fast


def _finite(x, W) -> bool:
    """No inf or NaN in ``x`` and ``W`` (one fast sum each; a sum that overflows only costs speed)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return bool(np.isfinite(x.sum()) and np.isfinite(W.sum()))


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
        and ``"image"``: ``x`` padded in the channel-major layout of the fast path
    (backward rebuilds the columns from it, a few images at a time).

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
    x, W, b, stride, padding, out_hw = _conv_inputs(x, W, b, stride, padding)
    p = I.plan(x.shape, W.shape, stride, padding, out_hw, x.itemsize, _finite(x, W))
    weights = np.empty((p.C_out, p.K + 1), x.dtype)  # columns' rows are ordered (i, j, c), then the ones
    weights[:, :p.K] = W.transpose(0, 2, 3, 1).reshape(p.C_out, p.K)
    weights[:, p.K] = b
    image = I.image(x, p)
    im2col = I.Im2col(image, p)
    y = np.empty((p.N, p.C_out, p.H_out, p.W_out), x.dtype)
    out = I.workspace("out", p, (p.C_out, p.chunk * p.Hq * p.Wq), x.dtype)
    for n0 in range(0, p.N, p.chunk):
        n1 = min(p.N, n0 + p.chunk)
        columns = im2col(n0, n1)
        grid = out[:, :columns.shape[1]]
        np.matmul(weights, columns, out=grid)
        kept = grid.reshape(p.C_out, n1 - n0, p.Hq, p.Wq)[:, :, :p.H_out, :p.W_out]
        np.copyto(y[n0:n1], kept.transpose(1, 0, 2, 3))
    return y, {"op": "conv2d", "x": x, "W": W, "stride": stride, "padding": padding, "image": image}


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
    dy = check_upstream(dy, y_shape, x.dtype)
    p = I.plan(x.shape, W.shape, stride, padding, y_shape[2:], x.itemsize, _finite(x, W))
    image = cache["image"] if "image" in cache else I.image(x, p)  # a cache of the loop twin has none
    weights_t = W.transpose(0, 2, 3, 1).reshape(p.C_out, p.K).T  # (K, C_out)
    dwb_t, part = np.empty((p.K + 1, p.C_out), x.dtype), np.empty((p.K + 1, p.C_out), x.dtype)
    dx = np.empty(x.shape, x.dtype) if input_grad else None
    dgrid = I.workspace("dgrid", p, (p.C_out, p.chunk * p.Hq * p.Wq), x.dtype)  # stays zero off the outputs
    im2col, col2im = I.Im2col(image, p), (I.Col2im(p, x.dtype) if input_grad else None)
    for n0 in range(0, p.N, p.chunk):
        n1 = min(p.N, n0 + p.chunk)
        columns = im2col(n0, n1)
        L = columns.shape[1]
        g = dgrid[:, :L]
        np.copyto(g.reshape(p.C_out, n1 - n0, p.Hq, p.Wq)[:, :, :p.H_out, :p.W_out], dy[n0:n1].transpose(1, 0, 2, 3))
        np.matmul(columns, g.T, out=part if n0 else dwb_t)  # (dW | db) transposed
        if n0:
            dwb_t += part
        if input_grad:
            np.matmul(weights_t, g, out=col2im.d_columns[:, :L])
            col2im(dx[n0:n1])
    dW = dwb_t[:p.K].reshape(p.kH, p.kW, p.C, p.C_out).transpose(3, 2, 0, 1).copy()
    return dx, {"W": dW, "b": dwb_t[p.K].copy()}
