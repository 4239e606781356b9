"""Films: pre-rendered animations that play and scrub in the HTML book, with no kernel and offline.

A film is matplotlib's JavaScript player (the HTML of
:meth:`matplotlib.animation.Animation.to_jshtml`): the frames as images in the
page, a scrub slider and play buttons. :func:`record_film` grabs each frame from
the canvas of a figure that the caller has just rendered, so a widget's film is
made by the widget's own drawing code (blitting included), run ahead of time.
Frames are stored as 256-colour PNG (plots have few colours: visually lossless,
and about four times smaller than full colour), and the player's stylesheet link
to a CDN is dropped, so it plays offline.
"""

from __future__ import annotations

import base64
import html
import io
import re
import tempfile
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.animation import HTMLWriter
from matplotlib.figure import Figure

from nnlib.book.validation import check_number, check_positive_int

from .render import FAST_TEXT

__all__ = ["FILM_DPI", "Film", "record_film", "animate"]

#: Resolution of films: a point is a pixel, so text of 10 points is 10 pixels high in the page.
FILM_DPI = 72

# matplotlib's player links Font Awesome 4 from a CDN for its button icons. The book's
# theme and JupyterLab both ship Font Awesome already, so the link only breaks offline reading.
_CDN_ICON_LINK = re.compile(r'<link rel="stylesheet"\s+href="https://[^"]*font-awesome[^"]*">\s*')


class _CompactHTMLWriter(HTMLWriter):
    """The writer of ``Animation.to_jshtml``, storing the canvas as it is, as a 256-colour PNG.

    The palette comes from a fast octree (a third of the time of a median cut, and
    no visible banding at 256 colours).
    """

    def grab_frame(self, **savefig_kwargs):
        from PIL import Image  # Pillow is a dependency of matplotlib

        rgb = np.asarray(self.fig.canvas.buffer_rgba())[..., :3]
        buffer = io.BytesIO()
        Image.fromarray(rgb).quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(buffer, format="png")
        self._saved_frames.append(base64.encodebytes(buffer.getvalue()).decode("ascii"))


class Film:
    """A pre-rendered animation: the HTML of a player with its frames, and an optional title.

    Displayed as the last expression of a notebook cell, it shows the player;
    elsewhere its ``repr`` says what it is, and :meth:`save` writes a page.

    Parameters
    ----------
    player : str
        The player's HTML (from :func:`record_film`).
    n_frames : int
    title : str, optional
        A line shown above the player.

    Attributes
    ----------
    data : str
        The HTML shown (title and player).
    n_frames : int
    """

    def __init__(self, player: str, n_frames: int, title: str | None = None):
        self.n_frames = n_frames
        self.title = title
        heading = "" if title is None else (
            f'<p class="nnlib-film-title" style="font-weight: bold; margin: 1em 0 0.3em">{html.escape(title)}</p>')
        self.data = f'<div class="nnlib-film">{heading}{player}</div>'

    @classmethod
    def join(cls, films) -> "Film":
        """One film block holding several films, one after another."""
        films = list(films)
        joined = cls("", sum(film.n_frames for film in films))
        joined.data = "\n".join(film.data for film in films)
        return joined

    def _repr_html_(self) -> str:
        return self.data

    def __repr__(self) -> str:
        name = f" {self.title!r}" if self.title else ""
        return (f"<Film{name}: {self.n_frames} frames, {len(self.data) / 1e3:.0f} kB of HTML; "
                "display it in Jupyter, or save(path) and open the page>")

    def save(self, path) -> Path:
        """Write the film as a stand-alone HTML page; returns its path."""
        path = Path(path)
        path.write_text(f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'></head><body>{self.data}</body></html>")
        return path


def record_film(figure: Figure, render_frame, n_frames: int, interval: float, title: str | None = None) -> Film:
    """Render ``n_frames`` frames of ``figure`` and return them as a :class:`Film`.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        A figure with an Agg canvas (see :func:`nnlib.book.widgets.render.new_figure`).
    render_frame : callable
        ``render_frame(i)`` brings the canvas of ``figure`` up to date with frame
        ``i`` (draws it, or blits it); the canvas is then grabbed as it is.
    n_frames : int
        Number of frames, >= 1.
    interval : float
        Milliseconds between frames when the film plays (>= 20).
    title : str, optional
        Shown above the player.

    Returns
    -------
    Film
    """
    n_frames = check_positive_int(n_frames, "n_frames")
    interval = check_number(interval, "interval", low=20.0)
    # codec "png": not "h264", which would make matplotlib round the figure to an even number of pixels
    writer = _CompactHTMLWriter(fps=1000 / interval, codec="png", embed_frames=True, default_mode="once")
    writer.frame_format = "png"  # what grab_frame stores, whatever rcParams say
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "film.html")
        writer.setup(figure, path, dpi=figure.dpi)
        for index in range(n_frames):
            render_frame(index)
            writer.grab_frame()
        writer.finish()
        player = _CDN_ICON_LINK.sub("", path.read_text())
    return Film(player, n_frames, title)


def animate(figure: Figure, update, n_frames: int, interval: float, title: str | None = None) -> Film:
    """Call ``update(i)`` for i = 0 .. n_frames-1, drawing ``figure`` after each, and return the film.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure ``update`` draws into (see :func:`nnlib.book.widgets.render.new_figure`).
    update : callable
        ``update(i)`` changes the figure for frame ``i``.
    n_frames : int
        Number of frames.
    interval : float
        Milliseconds between frames when playing.
    title : str, optional
        Shown above the player.

    Returns
    -------
    Film
        The player: the frames, a scrub slider and play controls.
    """

    def render_frame(index: int) -> None:
        update(index)
        with matplotlib.rc_context(FAST_TEXT):
            figure.canvas.draw()

    return record_film(figure, render_frame, n_frames, interval, title)
