"""Classic image filters as convolution kernels, a photograph to apply them to, and a parser for typed kernels.

Shared by chapter 8's experiment (edges, blur, sharpen on a photograph) and its
convolution explorer. No user interface here. The photograph is the portrait
of Grace Hopper that matplotlib ships as sample data (nothing is downloaded).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from nnlib import functional as F
from nnlib.book.validation import check_option

from .digits import load_digits

__all__ = ["KERNELS", "EXPLORER_IMAGES", "photograph", "explorer_image", "filter_image", "parse_kernel", "format_kernel",
           "kernel_name", "Explored", "explore"]

KERNELS = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "box blur": (np.ones((3, 3)) / 9).tolist(),
    "Gaussian blur": (np.outer([1, 2, 1], [1, 2, 1]) / 16).tolist(),
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "vertical edges (Sobel)": [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
    "horizontal edges (Sobel)": [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
    "all edges (Laplacian)": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    "emboss": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
    "the notes' filter": [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
}
"""Kernels by name, as nested lists (cross-correlation: applied as written, not flipped)."""


@lru_cache(maxsize=4)
def _photograph(size: int) -> np.ndarray:
    import matplotlib.cbook
    import matplotlib.image

    with matplotlib.cbook.get_sample_data("grace_hopper.jpg") as file:
        rgb = matplotlib.image.imread(file, format="jpg").astype(np.float64) / 255.0
    grey = rgb[..., :3] @ np.array([0.299, 0.587, 0.114])  # ITU-R 601 luma
    factor = max(1, min(grey.shape) // size)
    H, W = (grey.shape[0] // factor) * factor, (grey.shape[1] // factor) * factor
    small, _ = F.avg_pool2d_forward(grey[None, None, :H, :W], factor)  # block averages
    small = small[0, 0]
    top, left = (small.shape[0] - size) // 2, (small.shape[1] - size) // 2
    return np.ascontiguousarray(small[max(top, 0):max(top, 0) + size, max(left, 0):max(left, 0) + size])


def photograph(size: int = 128) -> np.ndarray:
    """Grace Hopper's portrait (matplotlib's sample image), grey, about ``size x size``, values in [0, 1].

    Parameters
    ----------
    size : int, default 128
        Side of the square crop after averaging blocks of pixels (the original is 600 x 512).

    Returns
    -------
    ndarray of shape (size, size), float64 (a new array each call)
    """
    return _photograph(int(size)).copy()


EXPLORER_IMAGES = ("photograph", "a digit (3)")
"""The images of chapter 8's convolution explorer (:func:`explorer_image`)."""


def explorer_image(name: str) -> np.ndarray:
    """The explorer's input: Grace Hopper's portrait (96 x 96) or a test digit 3 (8 x 8), values in [0, 1].

    Parameters
    ----------
    name : {"photograph", "a digit (3)"}

    Returns
    -------
    ndarray of shape (96, 96) or (8, 8), float64 (a new array each call)
    """
    check_option(name, "image", EXPLORER_IMAGES)
    if name == "photograph":
        return photograph(96)
    digits = load_digits()
    first_three = int(np.flatnonzero(digits.y_test == 3)[0])
    return digits.images("test")[first_three, 0].copy()


def filter_image(image, kernel, stride: int = 1, padding: int = 0) -> np.ndarray:
    """One grey image ``(H, W)`` cross-correlated with one kernel ``(k, k)`` by :func:`nnlib.functional.conv2d_forward`.

    Returns
    -------
    ndarray of shape (H_out, W_out)
    """
    image = np.asarray(image, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    y, _ = F.conv2d_forward(image[None, None], kernel[None, None], np.zeros(1), stride, padding)
    return y[0, 0]


def parse_kernel(text: str) -> np.ndarray:
    """A square kernel from text: rows separated by ``;`` or new lines, numbers by spaces or commas.

    >>> parse_kernel("1 0 -1; 2 0 -2; 1 0 -1").shape
    (3, 3)

    Raises
    ------
    ValueError
        If a number cannot be read, rows differ in length, the kernel is not square,
        or it is larger than 7 x 7; the message says which.
    """
    rows = [row.replace(",", " ").split() for row in text.replace("\n", ";").split(";")]
    rows = [row for row in rows if row]
    if not rows:
        raise ValueError("kernel: expected rows of numbers such as '1 0 -1; 2 0 -2; 1 0 -1', got nothing")
    try:
        values = [[float(v) for v in row] for row in rows]
    except ValueError as error:
        raise ValueError(f"kernel: every entry must be a number ({error})") from None
    lengths = sorted({len(row) for row in values})
    if len(lengths) > 1:
        raise ValueError(f"kernel: every row needs the same number of entries, got rows of {lengths}")
    if lengths[0] != len(values):
        raise ValueError(f"kernel: expected a square kernel, got {len(values)} rows of {lengths[0]}")
    if len(values) > 7:
        raise ValueError(f"kernel: expected at most 7 x 7, got {len(values)} x {len(values)}")
    kernel = np.array(values)
    if not np.all(np.isfinite(kernel)):
        raise ValueError("kernel: expected finite numbers")
    return kernel


def format_kernel(kernel) -> str:
    """The text form :func:`parse_kernel` reads, with short numbers (``0.111`` for 1/9)."""
    return "; ".join(" ".join(f"{v:.3g}" for v in row) for row in np.asarray(kernel, dtype=float))


def kernel_name(text: str) -> str:
    """The name in :data:`KERNELS` of the kernel that ``text`` writes as :func:`format_kernel` does, else ``"custom"``."""
    return next((name for name, kernel in KERNELS.items() if format_kernel(kernel) == text), "custom")


@dataclass
class Explored:
    """What the convolution explorer shows for one setting (:func:`explore`).

    Attributes
    ----------
    image : ndarray (H, W)
        The input, before padding.
    padded : ndarray (H + 2p, W + 2p)
    stride, padding : int
    kernel_text : str
        The kernel as typed.
    name : str
        Its name in :data:`KERNELS`, or ``"custom"``.
    kernel : ndarray (k, k) or None
        None when the text cannot be read.
    output : ndarray (H_out, W_out) or None
    error : str or None
        Why the kernel cannot be used (None when it can).
    """

    image: np.ndarray
    padded: np.ndarray
    stride: int
    padding: int
    kernel_text: str
    name: str
    kernel: np.ndarray | None = None
    output: np.ndarray | None = None
    error: str | None = None


def explore(image: str, kernel: str, stride: int = 1, padding: int = 0) -> Explored:
    """Cross-correlate an explorer image with a typed kernel; a kernel that cannot be read is reported, not raised.

    Parameters
    ----------
    image : {"photograph", "a digit (3)"}
        See :func:`explorer_image`.
    kernel : str
        Rows of numbers, as :func:`parse_kernel` reads them.
    stride : int, default 1
    padding : int, default 0
        Zeros added on every side.

    Returns
    -------
    Explored
    """
    picture = explorer_image(image)
    stride, padding = int(stride), int(padding)
    result = Explored(picture, np.pad(picture, padding), stride, padding, kernel, kernel_name(kernel))
    try:
        result.kernel = parse_kernel(kernel)
    except ValueError as error:
        result.error = str(error).removeprefix("kernel: ")
        return result
    result.output = filter_image(picture, result.kernel, stride, padding)
    return result
