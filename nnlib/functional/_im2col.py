"""The layout behind :func:`nnlib.functional.conv2d_forward`'s fast path: im2col and col2im.

Each channel of a batch of images is one row of a 2-D buffer ``(C, length)``.
Pixel ``(r, c)`` of image ``n`` sits at ``lead + n*img + r*row + c`` and the
corner of its padded image at ``n*img``; every other position holds zero.

* Stride 1: the padded images overlap, neighbours sharing their zero borders
  (the bottom border of one image is the top border of the next, the right
  border of one row the left border of the next). A kernel offset ``(i, j)``
  is then a plain shift of the row by ``i*row + j``, and a chunk of the columns
  matrix is ``kH*kW`` contiguous copies. Products compute a ``Hq x Wq`` grid of
  outputs per image, of which the top-left ``H_out x W_out`` are real; the rest
  are centred on borders and dropped.
* Other strides (and non-finite inputs, see :func:`plan`): the standard padded
  layout (``row = W + 2 pW``), the windows strided, the grid exactly
  ``H_out x W_out``.

Work buffers are kept between calls (one per thread, name, layout and dtype):
fresh multi-megabyte temporaries would cost page faults on every call.
"""

from __future__ import annotations

import threading
from typing import NamedTuple

import numpy as np

# Images per chunk are chosen so that a chunk's columns take about this many bytes (cache blocking).
CHUNK_BYTES = 1 << 20


class Plan(NamedTuple):
    """Geometry of one convolution in the flat layout (see the module docstring)."""

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
        """Rows of the columns matrix: one per kernel entry (i, j, c), in that order."""
        return self.kH * self.kW * self.C

    @property
    def flat(self) -> bool:
        """The columns of the window grid are the buffer's positions themselves (shared borders)."""
        return self.sH == self.sW == 1 and self.Wq == self.row and self.Hq * self.row == self.img

    def length(self, nb: int) -> int:
        """Buffer length per channel that holds ``nb`` images and every value their windows read."""
        last = (self.kH - 1 + self.sH * (self.Hq - 1)) * self.row + self.kW - 1 + self.sW * (self.Wq - 1)
        return (nb - 1) * self.img + max(self.img, last + 1)


def plan(x_shape, w_shape, stride, padding, out_hw, itemsize: int, shared: bool) -> Plan:
    """The layout of a convolution of images ``x_shape`` with kernels ``w_shape``.

    ``shared``: lay the images out with shared borders (needs stride 1). Callers pass False when
    ``x`` or ``W`` holds inf or NaN: the extra outputs centred on the borders read neighbouring
    pixels, and in the weight gradient their zero upstream gradient times an inf would make NaN.
    """
    N, C, H, W = x_shape
    C_out, _, kH, kW = w_shape
    (sH, sW), (pH, pW) = stride, padding
    H_out, W_out = out_hw
    if shared and stride == (1, 1):  # shared borders, wide enough for both neighbours and the output grid
        row = W + max(pW, 2 * pW - kW + 1)
        Hq, Wq = H + max(pH, 2 * pH - kH + 1), row
        img = Hq * row
    else:
        row = W + 2 * pW
        Hq, Wq = H_out, W_out
        img = (H + 2 * pH) * row
    chunk = max(1, min(N, CHUNK_BYTES // ((kH * kW * C + 1) * Hq * Wq * itemsize)))
    return Plan(N, C, H, W, C_out, kH, kW, sH, sW, H_out, W_out, row, img, Hq, Wq, pH * row + pW, chunk)


_BUFFERS = threading.local()


def workspace(name: str, p: Plan, shape: tuple, dtype) -> np.ndarray:
    """A zero-filled buffer kept between calls (per thread, name, plan and dtype)."""
    store = getattr(_BUFFERS, "store", None)
    if store is None:
        store = _BUFFERS.store = {}
    key = (name, p, shape, np.dtype(dtype))
    buf = store.get(key)
    if buf is None:
        if len(store) >= 48:  # many layouts seen: start over rather than grow without bound
            store.clear()
        buf = store[key] = np.zeros(shape, dtype)
    return buf


def view(buf: np.ndarray, shape, strides, offset: int = 0) -> np.ndarray:
    """A view of the C-contiguous ``buf`` with strides and offset counted in elements."""
    e = buf.itemsize
    return np.ndarray(shape, buf.dtype, buffer=buf, offset=offset * e, strides=tuple(s * e for s in strides))


def pixels(buf: np.ndarray, p: Plan, nb: int) -> np.ndarray:
    """The ``(C, nb, H, W)`` pixel positions of a layout buffer."""
    return view(buf, (p.C, nb, p.H, p.W), (buf.shape[1], p.img, p.row, 1), p.lead)


def image(x: np.ndarray, p: Plan) -> np.ndarray:
    """The batch ``x`` in the layout: a new ``(C, length(N))`` array, zero off the pixels."""
    buf = np.zeros((p.C, p.length(p.N)), x.dtype)
    np.copyto(pixels(buf, p, p.N), x.transpose(1, 0, 2, 3))
    return buf


class Im2col:
    """Builds the columns of a chunk of images from a layout buffer made by :func:`image`.

    The work buffer and the strided views are made once per call of the convolution; then
    ``im2col(n0, n1)`` is one copy: the ``(K + 1, nb*Hq*Wq)`` columns of images ``n0:n1``,
    rows ordered (i, j, c), the last row ones. The result is valid until the next call.
    """

    def __init__(self, img: np.ndarray, p: Plan):
        self.p = p
        columns = workspace("columns", p, (p.K + 1, p.chunk * p.Hq * p.Wq), img.dtype)
        if columns[p.K, 0] != 1:
            columns[p.K] = 1  # the bias row
        L = columns.shape[1]
        self.columns = columns
        grid = (p.kH, p.kW, p.C, p.chunk, p.Hq, p.Wq)
        self.target = view(columns, grid, (p.kW * p.C * L, p.C * L, L, p.Hq * p.Wq, p.Wq, 1))
        # row (i, j, c): the image buffer shifted by i*row + j, seen through the grid of window corners
        self.source = view(img, (*grid[:3], p.N, *grid[4:]), (p.row, 1, img.shape[1], p.img, p.sH * p.row, p.sW))

    def __call__(self, n0: int, n1: int) -> np.ndarray:
        nb = n1 - n0
        np.copyto(self.target[:, :, :, :nb], self.source[:, :, :, n0:n1])
        return self.columns[:, :nb * self.p.Hq * self.p.Wq]


class Col2im:
    """Adds the gradient of a chunk's columns back onto its images (col2im), without ``np.add.at``.

    Fill ``col2im.d_columns[:, :nb*Hq*Wq]`` (rows (i, j, c)), then ``col2im(dx)`` adds row block
    (i, j) back where :class:`Im2col` took it, ``kH*kW`` slice additions, and stores the pixels in
    ``dx`` (``(nb, C, H, W)``). With stride 1 each addition is one contiguous sum over all channels
    at once: the buffer's rows are ``length(chunk)`` long, and what lies past a chunk's columns (values
    left by a larger chunk, then a zero tail that is never written) lands only on later images of
    the same channel or, zero, on the start of the next channel: never on the chunk's pixels.
    """

    def __init__(self, p: Plan, dtype):
        self.p = p
        Lb = p.length(p.chunk)
        self.d_columns = workspace("d_columns", p, (p.K, Lb), dtype)
        self.d_image = workspace("d_image", p, (p.C * Lb + (p.kH - 1) * p.row + p.kW - 1,), dtype)
        shifts = [i * p.row + j for i in range(p.kH) for j in range(p.kW)]
        blocks = [self.d_columns[t * p.C:(t + 1) * p.C] for t in range(p.kH * p.kW)]
        self.flat = p.flat
        if self.flat:
            self.pairs = [(self.d_image[s:s + p.C * Lb], block.reshape(-1)) for s, block in zip(shifts, blocks)]
        else:
            grid = (p.C, p.chunk, p.Hq, p.Wq), (Lb, p.img, p.sH * p.row, p.sW)
            self.pairs = [(view(self.d_image, *grid, s), block[:, :p.chunk * p.Hq * p.Wq].reshape(grid[0]))
                          for s, block in zip(shifts, blocks)]
        self.pixels = view(self.d_image, (p.C, p.chunk, p.H, p.W), (Lb, p.img, p.row, 1), p.lead)

    def __call__(self, dx: np.ndarray) -> None:
        nb = dx.shape[0]
        self.d_image[:] = 0
        for target, rows in self.pairs:
            if self.flat:
                target += rows
            else:
                target[:, :nb] += rows[:, :nb]
        np.copyto(dx, self.pixels[:, :nb].transpose(1, 0, 2, 3))
