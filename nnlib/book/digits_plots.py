"""Pictures of the book's 8x8 digits: a mosaic of misread digits, each under its label (chapters 7 and 8).

:func:`mistakes_mosaic` returns one RGB image (NumPy only, no axes), so a chapter
shows it with ``imshow`` and a widget updates it with ``set_data`` at every frame.
Its labels (``"8→1"``: true digit, then what the network read) are drawn into the
image from glyph bitmaps rendered once: dozens of text artists per frame would
take most of a widget's frame time.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["mistakes_mosaic", "mosaic_size", "ROWS", "COLUMNS", "SCALE"]

#: Default shape of the mosaic: up to ``ROWS * COLUMNS`` digits.
ROWS, COLUMNS = 3, 6
#: Screen pixels per digit pixel.
SCALE = 4
_LABEL_HEIGHT, _GAP = 14, 6  # pixels of the label strip above each digit, and between digits
_INK = np.array([0.835, 0.369, 0.0])  # the palette's vermillion (CLASS_COLORS[1]), for the labels
_CHARACTERS = "0123456789→?"


@lru_cache(maxsize=4)
def _glyphs(height: int = _LABEL_HEIGHT) -> dict:
    """The characters ``0``-``9``, ``→`` and ``?`` as coverage bitmaps ``(height, width)`` in ``[0, 1]``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    bitmaps = {}
    for char in _CHARACTERS:
        fig = Figure(figsize=(height / 50, height / 50), dpi=50)
        canvas = FigureCanvasAgg(fig)
        fig.text(0.5, 0.45, char, ha="center", va="center", fontsize=0.72 * height * 72 / 50, color="black")
        canvas.draw()
        coverage = 1.0 - np.asarray(canvas.buffer_rgba())[..., 0] / 255.0
        columns = np.flatnonzero(coverage.max(axis=0) > 0.05)
        bitmaps[char] = coverage[:, columns[0]:columns[-1] + 1] if columns.size else coverage[:, :1] * 0
    return bitmaps


@lru_cache(maxsize=256)
def _label(text: str, width: int) -> np.ndarray:
    """The coverage bitmap of ``text`` (digits and arrows), centred in a strip ``width`` pixels wide."""
    glyphs = _glyphs()
    unknown = set(text) - set(_CHARACTERS)
    if unknown:
        raise ValueError(f"labels: expected digits, '→' and '?' only, got {text!r}")
    line = np.concatenate([np.pad(glyphs[char], ((0, 0), (0, 1))) for char in text], axis=1)[:, :width]
    strip = np.zeros((_LABEL_HEIGHT, width))
    left = (width - line.shape[1]) // 2
    strip[:, left:left + line.shape[1]] = line
    return strip


def mosaic_size(rows: int = ROWS, columns: int = COLUMNS) -> tuple[int, int]:
    """``(height, width)`` in pixels of a :func:`mistakes_mosaic` of ``rows`` x ``columns`` places."""
    return rows * (_LABEL_HEIGHT + 8 * SCALE + _GAP), columns * (8 * SCALE + _GAP)


def mistakes_mosaic(images, labels=(), rows: int = ROWS, columns: int = COLUMNS) -> np.ndarray:
    """Up to ``rows * columns`` 8x8 digits in one RGB image, each under its label (e.g. ``"8→1"``).

    Parameters
    ----------
    images : array_like of shape (k, 64)
        Pixel rows in ``[0, 1]`` (ink); the first ``rows * columns`` are shown, the other places stay white.
    labels : sequence of str
        One label per image shown (digits, ``→`` and ``?``), drawn above it in the palette's vermillion.
    rows, columns : int
        The places of the mosaic.

    Returns
    -------
    ndarray of shape (rows * (14 + 32 + 6), columns * (32 + 6), 3)
        RGB in ``[0, 1]``: dark ink on white, each digit pixel 4 x 4 screen pixels.

    Raises
    ------
    ValueError
        If ``images`` is not a 2-D array of 64 pixels per row, or a label has another character.
    """
    images = np.asarray(images, dtype=float)
    if images.ndim != 2 or images.shape[1] != 64:
        raise ValueError(f"images: expected shape (k, 64) (8x8 digits as rows), got {images.shape}")
    rows, columns = int(rows), int(columns)
    if rows < 1 or columns < 1:
        raise ValueError(f"rows, columns: expected at least 1 each, got {rows}, {columns}")
    size = 8 * SCALE
    cell_h, cell_w = _LABEL_HEIGHT + size + _GAP, size + _GAP
    mosaic = np.ones((*mosaic_size(rows, columns), 3))
    for k, pixels in enumerate(images[: rows * columns]):
        r, c = divmod(k, columns)
        top, left = r * cell_h, c * cell_w
        digit = np.repeat(np.repeat(pixels.reshape(8, 8), SCALE, axis=0), SCALE, axis=1)
        mosaic[top + _LABEL_HEIGHT:top + _LABEL_HEIGHT + size, left:left + size] = (1.0 - digit)[..., None]
        if k < len(labels):
            ink = _label(labels[k], size)[..., None]
            strip = mosaic[top:top + _LABEL_HEIGHT, left:left + size]
            strip[:] = (1.0 - ink) * strip + ink * _INK
    return mosaic
