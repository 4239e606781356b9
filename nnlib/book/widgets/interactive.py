"""A figure redrawn whenever one of its controls changes (no training loop), and its films."""

from __future__ import annotations

import asyncio
import time
from itertools import islice

from matplotlib.figure import Figure

from .base import FigureWidget
from .film import Film, record_film
from .live import KERNEL_TIME, one_blas_thread
from .render import encode, new_figure

__all__ = ["InteractivePlot", "AHEAD_AFTER"]

#: Seconds the controls must rest before pictures for other values are made ahead (never during a drag).
AHEAD_AFTER = 0.3


class InteractivePlot(FigureWidget):
    """A figure drawn from its control values, redrawn when a control changes.

    Use it directly with a drawing function, or subclass it: ``prepare(values)``
    computes what the picture shows from the control values, and the drawing
    hooks of :class:`~nnlib.book.widgets.base.FigureWidget` (``draw``, and for
    fast redraws ``update_figure`` and ``changing_artists``) draw it.

    Parameters
    ----------
    controls : dict of str to control
        Control models (:mod:`nnlib.book.widgets.controls`) or ipywidgets controls.
    draw : callable, optional
        ``draw(fig, values)`` draws into the cleared figure ``fig`` for the
        control values ``values``; leave it out in a subclass that implements ``draw(fig)``.
    figsize : (float, float), optional
    dpi : float, optional

    Attributes
    ----------
    drawn_values : dict
        The control values of the current picture.
    n_draws : int
        How many pictures were made for the live view's current values.
    n_ahead : int
        How many pictures were made ahead, for values the controls may take next.

    Notes
    -----
    In a live kernel the image is a :class:`~nnlib.book.widgets.frames.FrameView`.
    Once the controls have rested for :data:`AHEAD_AFTER` seconds, the widget
    draws the pictures for the other values of each slider (one slider moved at
    a time, nearest values first, at most ``ahead_limit`` of them) and sends them
    to the view, which shows them when the slider gets there, without asking
    the kernel; the kernel then draws only the pictures the view lacks. The view
    keeps pictures by their control values: a picture must depend on the control
    values alone.

    Examples
    --------
    >>> import numpy as np
    >>> from nnlib.book.widgets.controls import Number
    >>> def wave(fig, values):
    ...     ax = fig.subplots()
    ...     x = np.linspace(-5, 5, 200)
    ...     ax.plot(x, np.tanh(values["a"] * x))
    >>> plot = InteractivePlot({"a": Number(1.0, 0.1, 5.0, "slope a")}, wave)
    >>> film = plot.film([{"a": a} for a in (0.5, 1, 2, 4)])
    >>> film.n_frames
    4
    """

    continuous_update = True
    #: At most this many pictures are made ahead from one setting of the controls (0: none).
    ahead_limit: int = 120

    def __init__(self, controls: dict | None = None, draw=None, *, figsize=None, dpi: float | None = None):
        if draw is not None and not callable(draw):
            raise TypeError(f"draw: expected a callable draw(fig, values), got {type(draw).__name__}")
        if draw is None and type(self).draw is InteractivePlot.draw:
            raise TypeError("draw: expected a callable draw(fig, values), or a subclass that implements draw(fig)")
        self._given_controls, self._draw_function = dict(controls or {}), draw
        self.n_draws = self.n_ahead = 0
        self._redraw_task, self._stale_values, self._changed_at = None, False, 0.0
        self._plan = None  # (the key it starts from, the values to draw ahead from there)
        self._ahead_figure = None
        super().__init__(figsize=figsize, dpi=dpi)
        self.prepare(self.values)

    def controls(self) -> dict:
        return self._given_controls

    def prepare(self, values: dict) -> None:
        """Compute what the picture shows for the control ``values`` (default: keep the values)."""
        self.drawn_values = dict(values)

    def draw(self, fig: Figure) -> dict | None:
        return self._draw_function(fig, self.drawn_values)

    def _on_values_changed(self) -> None:
        """Redraw for the new values: at once headlessly; in a kernel, soon, in a task that draws the latest.

        The front end sends a slider's next value only when the kernel has reported
        "idle" for the last one, so a redraw made inside the handler would set the pace
        of a drag (redraw plus a round trip per picture). Handled at once, the values
        come while the last picture is being drawn, and the task draws the newest one,
        as often as it can, skipping the ones it had no time for.
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # no event loop: a script, a test
            self.redraw()
            return
        self._stale_values, self._changed_at = True, time.monotonic()
        self._work()

    def _work(self) -> None:
        """Start the task that draws, if it is not running (needs a running event loop)."""
        if self._redraw_task is None or self._redraw_task.done():
            self._redraw_task = asyncio.get_running_loop().create_task(self._redraw_latest())

    async def _redraw_latest(self) -> None:
        """Draw the latest values whenever they change; when they rest, draw pictures ahead, one at a time."""
        while True:
            if self._stale_values:
                # First a pause, without the GIL: the kernel's "idle" goes out now (measured: 3.6 ms), not
                # after the drawing (20 ms), so the front end's next value arrives while this one is drawn.
                await asyncio.sleep(KERNEL_TIME)
                self._stale_values = False
                self.redraw()
                continue
            rest = self._changed_at + AHEAD_AFTER - time.monotonic()
            if rest > 0:
                await asyncio.sleep(rest)
                continue
            values = self._next_ahead()
            if values is None:
                return
            await asyncio.sleep(KERNEL_TIME)
            if not self._stale_values:
                self.draw_ahead(values)

    def redraw(self) -> None:
        """Make the picture for the current control values and send it to the live view (unless the view has it)."""
        with one_blas_thread():
            self.prepare(self.values)
            if self._ui is not None and self._image.has(self._key(self.drawn_values)):
                self._stale = True  # the view shows the picture made ahead; the live figure waits until asked for
                return
            self.render(full=False)
        self.n_draws += 1

    # -- pictures made ahead ---------------------------------------------------------------------

    def _key(self, values: dict) -> tuple:
        from .frames import frame_key

        return frame_key(self._specs, values)

    def _make_image(self, layout):
        from .frames import FrameView

        return FrameView(self._control_widgets.values(), self.frame_format, on_new_view=self._on_new_view,
                         layout=layout)

    def _publish(self, force: bool = False) -> None:
        if self._ui is not None or force:
            self._image.show(self._key(self.drawn_values), encode(self.live_pixels(), self.frame_format))

    def _next_ahead(self) -> dict | None:
        """The next control values whose picture the view lacks, nearest the current ones first; None when done."""
        from .frames import ahead_values

        if self._ui is None:
            return None
        values = self.values
        if self._plan is None or self._plan[0] != self._key(values):
            self._plan = (self._key(values), islice(ahead_values(self._specs, values), self.ahead_limit))
        return next((v for v in self._plan[1] if not self._image.has(self._key(v))), None)

    def draw_ahead(self, values: dict) -> None:
        """Draw the picture for control ``values`` on a second figure and send it to the live view to keep.

        The widget's state (what :meth:`prepare` computed) stays that of the current values.

        Parameters
        ----------
        values : dict
            Name -> value; names left out keep the current value.

        Raises
        ------
        RuntimeError
            If the live view has not been built (nothing to send to).
        KeyError, ValueError, TypeError
            If a name is not a control's, or a value is not one its control accepts.
        """
        if self._ui is None:
            raise RuntimeError("draw_ahead: the widget has no live view yet (display it first)")
        current = self.drawn_values
        values = {**current, **self._checked(values, "draw_ahead: ")}
        if self._ahead_figure is None:
            self._ahead_figure = new_figure(self.figsize, self.dpi, self.layout)
            self._live_figures.append(self._ahead_figure)
        with one_blas_thread():
            try:
                self.prepare(values)
                self._render(self._ahead_figure, full=False)
                picture = encode(self.live_pixels(self._ahead_figure), self.frame_format)
            finally:
                self.prepare(current)
        self._image.send_ahead(self._key(values), picture)
        self.n_ahead += 1

    def _on_new_view(self) -> None:
        """A new view has only the current picture: make sure it is the current values', then draw ahead again."""
        self._plan = None
        if tuple(self._image.key) != self._key(self.values):
            self._stale_values = True
        self._work()

    def _lost_views(self) -> None:
        """No view is left: stop drawing."""
        self._stale_values = False
        if self._redraw_task is not None:
            self._redraw_task.cancel()

    def film(self, frames, interval: float = 500, title: str | None = None) -> Film:
        """A film of a sequence of control settings, drawn by the widget's own drawing code.

        Parameters
        ----------
        frames : sequence of dict
            One dict per frame, name -> value; names left out keep the current value.
            Every frame is checked by the controls before anything is drawn.
        interval : float, default 500
            Milliseconds between frames when the film plays.
        title : str, optional
            A line above the film.

        Returns
        -------
        Film

        Raises
        ------
        ValueError
            If ``frames`` is empty, or a value is not one its control accepts.
        KeyError
            If a frame names a control that does not exist.
        """
        current = self.values
        settings = [{**current, **self._checked(frame, "film: ")} for frame in frames]
        if not settings:
            raise ValueError("film: expected at least one frame (a dict of control values)")
        figure = self.film_figure()

        def render_frame(index: int) -> None:
            self.prepare(settings[index])
            self._render(figure, full=index == 0)

        try:
            with one_blas_thread():
                return record_film(figure, render_frame, len(settings), interval, title)
        finally:
            self.prepare(current)
