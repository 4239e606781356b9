"""The base of the book's widgets: one figure, drawn by the widget's own code, shown live or filmed.

:class:`FigureWidget` keeps the artists a widget drew, per figure (the one store
of drawn artists), and renders a figure the same way for the live view and for
a film: ``draw`` from scratch for the first picture, then ``update_figure`` and
blitting (:class:`~nnlib.book.widgets.render.Blitter`) for the next ones. A film
(:mod:`~nnlib.book.widgets.film`) is this drawing code run ahead of time on a
second figure; the live view sends the first figure to the browser as an image.

The user interface (:class:`~nnlib.book.widgets.view.LiveView`: controls, image,
status line) is built when the widget is first shown: a widget that only makes
films creates no ipywidgets at all.
"""

from __future__ import annotations

import weakref

import numpy as np
from matplotlib.figure import Figure

from .controls import as_control
from .film import FILM_DPI
from .render import Blitter, encode, new_figure, png_bytes
from .view import LiveView

__all__ = ["FigureWidget"]


class FigureWidget(LiveView):
    """Base class: a figure drawn from the widget's state, with controls, for the live view and for films.

    Subclasses implement

    - ``controls()``: a dict name -> control model (:mod:`nnlib.book.widgets.controls`),
      or ready-made ipywidgets controls;
    - ``draw(fig)``: draw the current state into the cleared figure ``fig``;
      return a dict of the artists made (kept per figure: :meth:`drawn`);

    and optionally, for fast frames,

    - ``update_figure(fig)``: bring the artists of the last ``draw`` up to date
      (``set_data``, ``set_text``, ...) instead of drawing anew;
    - ``changing_artists(fig)`` (or a list under the key ``"changing"`` of the
      dict ``draw`` returns): with ``update_figure``, the artists that change
      from frame to frame. The rest is rendered once into a
      background and each frame draws only these on top (blitting). Axes that
      move or change their limits get a new background by themselves; anything
      else static that changes calls :meth:`invalidate_background`;
    - ``headline()``: a line of text drawn above the plots (None: no line).

    The layout engine (:attr:`layout`) runs for the first picture of a figure;
    later pictures keep the axes where they are.

    Parameters
    ----------
    figsize : (float, float), optional
        Figure size in inches (default: the class attribute).
    dpi : float, optional
        Resolution (default: the class attribute, 72: a point is a pixel, so
        10-point text is 10 pixels high, in the live view and in films).
    """

    figsize: tuple[float, float] = (9.5, 3.5)
    dpi: float = FILM_DPI
    #: Layout engine for the first picture of a figure: "constrained", "tight" or None (axes placed by hand).
    layout: str | None = "constrained"
    #: Image format of the live frames: "jpeg" (fast to encode) or "png".
    frame_format: str = "jpeg"
    #: Rasterise text without hinting (faster, as legible).
    fast_text: bool = True
    #: Sliders report while they are dragged (True) or once, when released (False).
    continuous_update: bool = False
    #: Pixels kept free at the top of the figure for the headline (layouts placed by hand). When set,
    #: the live view leaves the headline out of the figure and shows the image without that band (the
    #: status line carries the headline: text is slow to draw); films draw it. 0: drawn everywhere.
    headline_band: int = 0

    # -- to implement in subclasses -------------------------------------------------------------

    def controls(self) -> dict:
        """The controls, a dict name -> control model (default: none)."""
        return {}

    def draw(self, fig: Figure) -> dict | None:
        """Draw the current state into the cleared figure ``fig``; return the artists to keep."""
        raise NotImplementedError("subclasses of FigureWidget implement draw(fig)")

    def update_figure(self, fig: Figure) -> None:
        """Optional: bring the artists of the last ``draw`` (see :meth:`drawn`) up to date."""
        raise NotImplementedError

    def changing_artists(self, fig: Figure) -> list:
        """Optional, with ``update_figure``: the artists that change between frames.

        By default, the list that ``draw`` returned under the key ``"changing"`` (none: no blitting).
        """
        return self.drawn(fig).get("changing", [])

    def headline(self) -> str | None:
        """The line drawn above the plots, or None for none."""
        return None

    # -- construction ---------------------------------------------------------------------------

    def __init__(self, *, figsize=None, dpi: float | None = None):
        self.figsize = tuple(figsize or self.figsize)
        self.dpi = dpi or self.dpi
        self._specs = {name: as_control(spec, name) for name, spec in self.controls().items()}
        self._values = {name: spec.value for name, spec in self._specs.items()}
        self._figure = new_figure(self.figsize, self.dpi, self.layout)
        self._live_figures = [self._figure]  # figures shown in the live view (films are not)
        self._store = weakref.WeakKeyDictionary()  # figure -> {"artists", "blitter", "headline"}
        self._stale = True  # the live figure must be drawn from scratch before it is shown
        self._ui = None

    @property
    def figure(self) -> Figure:
        """The live figure, drawn up to date."""
        if self._stale:
            self._render(self._figure, full=True)
        return self._figure

    @property
    def values(self) -> dict:
        """The current control values, a dict name -> value."""
        if self._ui is not None:
            return {name: control.value for name, control in self._control_widgets.items()}
        return dict(self._values)

    def set_values(self, **values) -> None:
        """Change control values, checked by their controls (as moving the controls would)."""
        checked = self._checked(values)
        if self._ui is not None:
            for name, value in checked.items():
                self._control_widgets[name].value = value  # its observer reacts
        else:
            self._values.update(checked)
            self._on_values_changed()

    def _checked(self, values: dict, caller: str = "") -> dict:
        """``values`` (name -> value) checked by their controls; ``caller`` starts the error messages."""
        unknown = set(values) - set(self._specs)
        if unknown:
            raise KeyError(f"{caller}unknown control(s) {sorted(unknown)}; the controls are {list(self._specs)}")
        return {name: self._specs[name].check(value) for name, value in values.items()}

    def _on_values_changed(self) -> None:
        """React to new control values (the subclass's new run or new picture)."""

    # -- the one store of drawn artists, and the one rendering path ----------------------------------

    def drawn(self, fig: Figure | None = None) -> dict:
        """The artists the last ``draw`` returned for ``fig`` (default: the live figure)."""
        record = self._store.get(self._figure if fig is None else fig)
        return {} if record is None else record["artists"]

    def invalidate_background(self) -> None:
        """Something static changed: the figure being rendered gets a new background."""
        for record in self._store.values():
            record["blitter"].invalidate()

    def _updates_in_place(self) -> bool:
        return type(self).update_figure is not FigureWidget.update_figure

    def _keep_picture(self) -> bool:
        """True when the state must not be drawn (e.g. after divergence): only the headline changes."""
        return False

    def _paint(self, fig: Figure, full: bool) -> dict:
        """Draw or update the state into ``fig``; returns the figure's record in the store."""
        record = self._store.get(fig)
        with np.errstate(all="ignore"):
            if record is not None and self._keep_picture():
                pass
            elif full or record is None:
                fig.clear()
                fig.set_layout_engine(self.layout or "none")
                record = self._draw_into(fig, record)
            elif self._updates_in_place():
                fig.set_layout_engine("none")
                self.update_figure(fig)
            else:  # no update_figure: draw anew, keeping the axes where the first layout put them
                positions = [ax.get_position() for ax in fig.axes]
                fig.clear()
                fig.set_layout_engine("none")
                record = self._draw_into(fig, record)
                if len(positions) == len(fig.axes):
                    for ax, position in zip(fig.axes, positions):
                        ax.set_position(position)
                else:  # different axes: lay them out afresh
                    fig.set_layout_engine(self.layout or "none")
        if record["headline"] is not None:
            record["headline"].set_text(self.headline() or "")
        return record

    def _draw_into(self, fig: Figure, record: dict | None) -> dict:
        artists = self.draw(fig) or {}
        text = self.headline()
        in_figure = text is not None and (not self.headline_band or all(fig is not f for f in self._live_figures))
        headline = fig.suptitle(text, fontsize=11, color="0.15", y=0.99) if in_figure else None
        blitter = record["blitter"] if record is not None else Blitter(fig)
        blitter.invalidate()
        record = {"artists": artists, "blitter": blitter, "headline": headline}
        self._store[fig] = record
        return record

    def _render(self, fig: Figure, full: bool) -> None:
        """Paint ``fig`` and bring its canvas up to date (blitted when possible)."""
        record = self._paint(fig, full)
        changing = list(self.changing_artists(fig)) if self._updates_in_place() else []
        if changing and record["headline"] is not None:
            changing.append(record["headline"])
        record["blitter"].render(changing, fast_text=self.fast_text)
        if fig is self._figure:
            self._stale = False

    def render(self, full: bool = True) -> None:
        """Redraw the live figure (from scratch, or updated in place) and send it to the live view."""
        self._render(self._figure, full)
        self._publish()

    def film_figure(self) -> Figure:
        """A new figure like the live one, at :data:`~nnlib.book.widgets.film.FILM_DPI`, for a film."""
        return new_figure(self.figsize, FILM_DPI, self.layout)

    def live_pixels(self, fig: Figure | None = None):
        """The live figure's canvas (or that of ``fig``, a figure of the live view) as an RGBA array, without
        the headline band: what the live view shows."""
        return np.asarray((fig or self.figure).canvas.buffer_rgba())[self.headline_band:]

    def snapshot_png(self) -> bytes:
        """The live view's picture as PNG bytes (drawn whole: crisp text)."""
        png_bytes(self.figure)
        return encode(self.live_pixels(), "png")
