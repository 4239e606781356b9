"""From a matplotlib figure to the bytes of an image: figures without pyplot, blitting, PNG and JPEG.

Figures are :class:`matplotlib.figure.Figure` objects with an Agg canvas
(:func:`new_figure`); pyplot is never used, so nothing leaks into a notebook's
output. A :class:`Blitter` renders a figure into its canvas, drawing only the
artists that change from frame to frame over a cached background when it can;
:func:`encode` turns the canvas into the PNG or JPEG bytes a widget sends to the
browser.
"""

from __future__ import annotations

import io

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nnlib.book.validation import check_option

__all__ = ["CAN_BLIT", "FAST_TEXT", "new_figure", "pixel_box", "encode", "png_bytes", "Blitter"]

#: Glyphs rasterised without hinting: about a fifth faster to draw, and as legible at these sizes.
FAST_TEXT = {"text.hinting": "no_hinting"}

# With matplotlib < 3.11, blitting renders some artists wrongly (a translucent image came out
# grey; the tests compare blitted frames with full redraws), so there every frame is drawn whole.
CAN_BLIT = tuple(int(part) for part in matplotlib.__version__.split(".")[:2]) >= (3, 11)


def new_figure(figsize, dpi: float, layout: str | None = "constrained") -> Figure:
    """A pyplot-free figure with an Agg canvas, never shown by the notebook's inline backend.

    Parameters
    ----------
    figsize : tuple of float
        Width and height in inches.
    dpi : float
        Dots per inch: the image is ``figsize * dpi`` pixels, and text of ``s``
        points is ``s * dpi / 72`` pixels high.
    layout : {"constrained", "tight", None}
        Matplotlib layout engine; None places the axes where the code puts them.
    """
    figure = Figure(figsize=figsize, dpi=dpi, layout=layout or "none")
    FigureCanvasAgg(figure)
    return figure


def pixel_box(size, left: float, bottom: float, width: float, height: float) -> tuple:
    """A rectangle given in pixels from the bottom left of a figure of ``size = (W, H)`` pixels, as the figure
    fractions ``(left / W, bottom / H, width / W, height / H)`` that ``Figure.add_axes`` takes.

    The widgets lay out their panels by hand in pixels of their 72-dpi figure; this is the one conversion.
    """
    W, H = size
    return (left / W, bottom / H, width / W, height / H)


def encode(rgba, image_format: str = "png") -> bytes:
    """Encode a rendered frame (a canvas's RGBA buffer) as PNG or JPEG bytes.

    PNG at low compression: speed matters more than size here. JPEG at quality 90
    without chroma subsampling (text and thin lines stay crisp) encodes several
    times faster than PNG, and is smaller for figures with smooth colour maps.

    Parameters
    ----------
    rgba : array of shape (height, width, 4), uint8
    image_format : {"png", "jpeg"}
    """
    from PIL import Image  # Pillow is a dependency of matplotlib

    check_option(image_format, "image_format", ("png", "jpeg"))
    rgba = np.asarray(rgba)
    image = Image.frombuffer("RGBA", (rgba.shape[1], rgba.shape[0]), rgba, "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    if image_format == "jpeg":
        image.convert("RGB").save(buffer, format="jpeg", quality=90, subsampling=0)
    else:
        image.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def png_bytes(figure: Figure) -> bytes:
    """Draw ``figure`` completely and return it as PNG bytes."""
    with matplotlib.rc_context(FAST_TEXT):
        figure.canvas.draw()
    return encode(figure.canvas.buffer_rgba())


class Blitter:
    """Renders one figure into its canvas, redrawing only what changes when it can.

    The first frame, and any frame after the static part changed, is drawn whole,
    except the *changing* artists, and kept as a background bitmap; the following
    frames paste the background back and draw only the changing artists on top:
    the same pixels, several times faster. The last few backgrounds are kept by
    what they depend on, so axes that go back to earlier limits reuse theirs. The
    background is drawn anew when

    - :meth:`invalidate` was called (something static changed: a legend, a label),
    - any axes moved or changed its limits or scale (so its ticks or its static
      artists moved; the limits of an axis without ticks, on axes whose data
      artists all change, do not count),
    - the canvas changed size (a new dpi).

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    """

    #: Backgrounds kept, by what they depend on: a slider moved back and forth finds them again.
    cache_size = 16

    def __init__(self, figure: Figure):
        self.figure = figure
        self._background = None
        self._key = None
        self._cache: dict = {}  # key -> background, oldest first
        self.n_backgrounds = 0  # backgrounds drawn so far (tests and benchmarks read it)

    def invalidate(self) -> None:
        """Draw the background anew at the next frame (and forget the kept ones)."""
        self._background = None
        self._cache.clear()

    def _static_key(self, changing) -> tuple:
        """What the background depends on: the canvas size, and where each axes is and what it shows.

        An axis's limits are left out when they cannot change the background: it
        has no ticks and every data artist of its axes is a changing one (e.g. a
        histogram whose height is rescaled at every frame).
        """
        changing = set(map(id, changing))
        key = []
        for ax in self.figure.axes:
            static_data = any(id(a) not in changing for a in (*ax.lines, *ax.collections, *ax.images, *ax.patches))
            limits = [lim for axis, lim in ((ax.xaxis, ax.viewLim.intervalx), (ax.yaxis, ax.viewLim.intervaly))
                      if static_data or _has_ticks(axis)]
            key.append((ax.get_position().bounds, tuple(map(tuple, limits)), ax.get_xscale(), ax.get_yscale()))
        return self.figure.canvas.get_width_height(), tuple(key)

    def render(self, changing, fast_text: bool = True) -> None:
        """Bring the canvas up to date with the figure.

        Parameters
        ----------
        changing : sequence of matplotlib.artist.Artist
            The artists that change between frames (drawn in the order of a full
            draw). A static artist that lies over a changing one (say, the spines
            around an image that fills its axes) must be in the list too, or it
            is painted over. Empty means a whole redraw (as when blitting is not
            available, see :data:`CAN_BLIT`).
        fast_text : bool
            Rasterise text without hinting.
        """
        canvas = self.figure.canvas
        with matplotlib.rc_context(FAST_TEXT if fast_text else {}), np.errstate(all="ignore"):
            if not (CAN_BLIT and changing):
                self._background = None
                canvas.draw()
                return
            key = self._static_key(changing)
            if self._background is None or key != self._key:
                self._background = self._cache.get(key)
                if self._background is None:
                    self._draw_background(changing)
                    key = self._static_key(changing)
                    self._cache[key] = self._background
                    while len(self._cache) > self.cache_size:
                        self._cache.pop(next(iter(self._cache)))
                self._key = key
            canvas.restore_region(self._background)
            for artist in self._in_drawing_order(changing):
                self.figure.draw_artist(artist)

    def _in_drawing_order(self, artists) -> list:
        """``artists`` in the order a full draw paints them: axes by axes, each by z-order (stable)."""
        axes = self.figure.axes

        def order(artist):
            ax = artist.axes
            if ax is None or ax not in axes:  # a figure-level artist (title, legend): after the axes
                return (artist.get_zorder(), len(axes), 0.0)
            return (ax.get_zorder(), axes.index(ax), artist.get_zorder())

        return sorted(artists, key=order)

    def _draw_background(self, changing) -> None:
        for artist in changing:
            artist.set_animated(True)
        try:
            self.figure.canvas.draw()
        finally:
            for artist in changing:
                artist.set_animated(False)
        self._background = self.figure.canvas.copy_from_bbox(self.figure.bbox)
        self.n_backgrounds += 1


def _has_ticks(axis) -> bool:
    """True if ``axis`` shows ticks (its tick locations depend on the limits)."""
    from matplotlib.ticker import FixedLocator, NullLocator

    locator = axis.get_major_locator()
    return not (isinstance(locator, NullLocator) or (isinstance(locator, FixedLocator) and len(locator.locs) == 0))
