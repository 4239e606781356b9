"""Drawing helpers shared by chapter 8's widgets: colour maps for signed and grey pictures, and mosaics of maps.

Used by :class:`~nnlib.book.widgets.conv_explorer.ConvExplorer` and
:class:`~nnlib.book.widgets.cnn_trainer.CNNTrainer`.
"""

from __future__ import annotations

import matplotlib
import numpy as np

from nnlib.book.plots import PROBABILITY_CMAP

__all__ = ["SIGNED", "GREYS", "GREY", "signed_limit", "mosaic"]

#: Signed values: blue negative, white zero, vermillion positive (NaN, the gaps of a mosaic: white).
SIGNED = PROBABILITY_CMAP.with_extremes(bad="white")
#: Non-negative values, dark is large (feature maps after a ReLU); NaN white.
GREYS = matplotlib.colormaps["gray_r"].with_extremes(bad="white")
#: Grey levels of a picture, dark is 0.
GREY = matplotlib.colormaps["gray"]


def signed_limit(values) -> float:
    """The largest magnitude of ``values``, the symmetric colour limit of a signed picture (at least 1e-12)."""
    return max(float(np.max(np.abs(values))), 1e-12)


def mosaic(stack, columns: int) -> np.ndarray:
    """Tile equal-size maps ``(n, h, w)`` into one image, ``columns`` per row, with one-pixel NaN gaps.

    Parameters
    ----------
    stack : array of shape (n, h, w)
    columns : int
        Maps per row (>= 1).

    Returns
    -------
    ndarray of shape (rows * (h + 1) - 1, columns * (w + 1) - 1), rows = ceil(n / columns)

    Raises
    ------
    ValueError
        If ``stack`` is not three-dimensional or ``columns`` is not a positive integer.
    """
    stack = np.asarray(stack, dtype=float)
    if stack.ndim != 3:
        raise ValueError(f"mosaic: expected maps of shape (n, h, w), got shape {stack.shape}")
    if isinstance(columns, bool) or not isinstance(columns, (int, np.integer)) or columns < 1:
        raise ValueError(f"mosaic: columns must be a positive integer, got {columns!r}")
    n, h, w = stack.shape
    rows = -(-n // columns)
    tiled = np.full((rows * (h + 1) - 1, columns * (w + 1) - 1), np.nan)
    for k in range(n):
        r, q = divmod(k, columns)
        tiled[r * (h + 1):r * (h + 1) + h, q * (w + 1):q * (w + 1) + w] = stack[k]
    return tiled
