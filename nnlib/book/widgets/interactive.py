"""A figure redrawn whenever one of its controls changes (no training loop), and its films."""

from __future__ import annotations

import asyncio

from matplotlib.figure import Figure

from .base import FigureWidget
from .film import Film, record_film
from .live import KERNEL_TIME, one_blas_thread

__all__ = ["InteractivePlot"]


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
        How many pictures were made for the live view.

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

    def __init__(self, controls: dict | None = None, draw=None, *, figsize=None, dpi: float | None = None):
        if draw is not None and not callable(draw):
            raise TypeError(f"draw: expected a callable draw(fig, values), got {type(draw).__name__}")
        if draw is None and type(self).draw is InteractivePlot.draw:
            raise TypeError("draw: expected a callable draw(fig, values), or a subclass that implements draw(fig)")
        self._given_controls, self._draw_function = dict(controls or {}), draw
        self.n_draws = 0
        self._redraw_task, self._stale_values = None, False
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
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop: a script, a test
            self.redraw()
            return
        self._stale_values = True
        if self._redraw_task is None or self._redraw_task.done():
            self._redraw_task = loop.create_task(self._redraw_latest())

    async def _redraw_latest(self) -> None:
        while self._stale_values:
            # First a pause, without the GIL: the kernel's "idle" goes out now (measured: 3.6 ms), not
            # after the drawing (20 ms), so the front end's next value arrives while this one is drawn.
            await asyncio.sleep(KERNEL_TIME)
            self._stale_values = False
            self.redraw()

    def redraw(self) -> None:
        """Make the picture for the current control values and send it to the live view."""
        with one_blas_thread():
            self.prepare(self.values)
            self.render(full=False)
        self.n_draws += 1

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
        settings = []
        for frame in frames:
            unknown = set(frame) - set(self._specs)
            if unknown:
                raise KeyError(f"film: unknown control(s) {sorted(unknown)}; the controls are {list(self._specs)}")
            settings.append({**current, **{name: self._specs[name].check(v) for name, v in frame.items()}})
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
