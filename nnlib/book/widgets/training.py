"""Live training widgets: Play / Pause / Step / Reset around a run, and the same run as a film.

A minimal widget (the chapters' widgets are larger examples)::

    from nnlib.book.widgets import TrainingWidget
    from nnlib.book.widgets.controls import Number

    class Descent(TrainingWidget):
        def controls(self):
            return {"lr": Number(0.1, 0.001, 1.0, "learning rate", log_base=10, step=0.1)}

        def reset_state(self, values):
            self.lr, self.x, self.losses = values["lr"], 3.0, []

        def train_step(self):
            self.x -= self.lr * 2 * self.x          # gradient descent on f(x) = x**2
            self.losses.append(self.x**2)
            return {"loss": self.x**2}

        def draw(self, fig):
            ax = fig.subplots()
            ax.semilogy(self.losses or [9.0])

    Descent()            # last expression of a cell: shows the widget
"""

from __future__ import annotations

import numbers
import time

import numpy as np

from nnlib.book.experiments.progress import LossWatch
from nnlib.book.validation import check_positive_int

from .base import FigureWidget
from .film import Film, record_film
from .live import PlayButtons, Player, one_blas_thread
from .render import encode

__all__ = ["TrainingWidget"]


def _format(value) -> str:
    if isinstance(value, numbers.Integral):
        return str(value)
    if isinstance(value, numbers.Real):
        return f"{value:.4g}"
    return str(value)


class TrainingWidget(PlayButtons, FigureWidget):
    """Base class of the chapters' live training widgets (see the module docstring for an example).

    Subclasses implement, besides ``controls`` and ``draw`` (:class:`~nnlib.book.widgets.base.FigureWidget`),

    - ``reset_state(values)``: build the run from the control ``values``; seed every
      random generator here, so that Reset and :meth:`film` replay the same run;
    - ``train_step()``: one unit of training; return its metrics, e.g.
      ``{"loss": 0.31, "mistakes": 2}``; raise ``StopIteration`` when training is over.

    The figure is headed by the step and the latest metrics (:meth:`status_text`).
    **Step** runs one *frame* (``steps_per_frame`` training steps, then a picture);
    **Play** repeats frames (:class:`~nnlib.book.widgets.live.PlayButtons`); **Reset**,
    and any change of a control, start the run again from step 0.

    - **Divergence**: a metric named ``...loss`` that becomes NaN or infinite, or a
      :class:`FloatingPointError` (such as nnlib's ``TrainingDivergedError``) or
      :class:`OverflowError` from ``train_step``, stops training with a message; the
      last good picture stays.
    - **No progress**: while the metric :attr:`watched_metric` does not go down
      (:class:`~nnlib.book.experiments.progress.LossWatch`), the status line says so
      and suggests a smaller (or larger) learning rate.

    Everything also works headlessly: :meth:`step`, :meth:`reset`, :meth:`film`, ...

    Parameters
    ----------
    steps_per_frame : int, optional
        Training steps per frame (default: the class attribute, 1).
    figsize, dpi : optional
        See :class:`~nnlib.book.widgets.base.FigureWidget`.

    Attributes
    ----------
    n_steps : int
        Training steps since the last reset.
    state_metrics : dict
        The metrics of the latest ``train_step``.
    diverged : str or None
        The divergence message, once training diverged.
    finished : bool
        True once ``train_step`` raised ``StopIteration``.
    """

    steps_per_frame: int = 1
    #: Minimum seconds between two frames while playing (caps the rate at 30 frames per second).
    frame_interval: float = 1 / 30
    #: Frames that :meth:`play` runs, synchronously, when no event loop is running.
    headless_frames: int = 20
    #: Seconds without a click or a control change after which Play stops by itself.
    idle_timeout: float = 180.0
    #: What one training step is called in the headline ("step", "epoch", ...).
    step_name: str = "step"
    #: Readable names of metrics in the headline (others are shown by their key).
    metric_labels: dict = {}
    #: The metric whose progress is watched (None: none).
    watched_metric: str | None = "loss"
    #: Half-window of the progress watch, in training steps.
    watch_window: int = 15
    #: While :meth:`film` records: the number of training steps the film shows (None in the live widget).
    planned_steps: int | None = None

    # -- to implement in subclasses -----------------------------------------------------------

    def reset_state(self, values: dict) -> None:
        """Build the model and data for a new run from the control ``values``."""
        raise NotImplementedError("subclasses of TrainingWidget implement reset_state(values)")

    def train_step(self) -> dict:
        """Do one unit of training; return its metrics, e.g. ``{"loss": 0.3}``."""
        raise NotImplementedError("subclasses of TrainingWidget implement train_step()")

    # -- construction and one run ----------------------------------------------------------------

    def __init__(self, *, steps_per_frame: int | None = None, figsize=None, dpi: float | None = None):
        if steps_per_frame is not None:
            self.steps_per_frame = check_positive_int(steps_per_frame, "steps_per_frame")
        super().__init__(figsize=figsize, dpi=dpi)
        self._player = Player(self._play_frame, self._on_play_change, self.frame_interval, self.idle_timeout)
        self._watch = LossWatch(self.watch_window, self.step_name)
        self._stop_reason = None
        self._start_run()

    def _start_run(self) -> None:
        """Step 0 of a new run with the current control values (does not stop playing)."""
        self.n_steps, self.state_metrics, self.diverged, self.finished = 0, {}, None, False
        self._watch.reset()
        with np.errstate(all="ignore"):
            self.reset_state(self.values)
        self._stale = True
        if self._ui is not None:
            self.render()
            self._show_status()

    def _on_values_changed(self) -> None:
        self._player.touch()
        self._start_run()

    def _keep_picture(self) -> bool:
        return self.diverged is not None

    def _advance(self, n_steps: int) -> None:
        """Run up to ``n_steps`` training steps; stop early on divergence or the end of training."""
        with np.errstate(all="ignore"):  # divergence is reported in the status line, not as warnings
            for _ in range(n_steps):
                if self.diverged or self.finished:
                    return
                try:
                    metrics = self.train_step()
                except StopIteration:
                    self.finished = True
                    return
                except (FloatingPointError, OverflowError) as error:
                    hint = "" if "learning rate" in str(error) else " — lower the learning rate"
                    self.diverged = f"diverged at step {self.n_steps + 1}: {type(error).__name__}: {error}{hint}"
                    return
                self.n_steps += 1
                self.state_metrics = dict(metrics or {})
                self._check_metrics()

    def axis_end(self, done: float, start: float, per_step: float = 1.0) -> float:
        """The right end of an axis that counts steps (``per_step`` units per training step).

        Live, ``start`` doubled until it is past ``done``: the axis (and so the
        blitted background) changes rarely. In a film, the film's whole length from
        the first frame: the axis never changes.
        """
        if self.planned_steps is not None:
            return max(start, 1.03 * self.planned_steps * per_step)
        right = start
        while right <= done:
            right *= 2
        return right

    def _check_metrics(self) -> None:
        for name, value in self.state_metrics.items():
            if name.endswith("loss") and isinstance(value, numbers.Real) and not np.isfinite(value):
                self.diverged = f"diverged: {name} became {value} at step {self.n_steps} — lower the learning rate"
                return
        if self.watched_metric is not None:
            self._watch.add(self.state_metrics.get(self.watched_metric))

    # -- what the reader reads ----------------------------------------------------------------------

    def status_text(self) -> str:
        """The step and the latest metrics, e.g. ``"step 12 · loss 0.3142 · mistakes 2"``."""
        labels = self.metric_labels
        parts = [f"{self.step_name} {self.n_steps}"]
        parts += [f"{labels.get(name, name)} {_format(value)}" for name, value in self.state_metrics.items()]
        if self.finished:
            parts.append("finished")
        return " · ".join(parts)

    def headline(self) -> str:
        """The line above the plots: :meth:`status_text`, or the divergence message."""
        return self.diverged or self.status_text()

    @property
    def progress_message(self) -> str | None:
        """Why the loss is not going down, and what to try (None while it is going down)."""
        return self._watch.message

    # -- Step and Reset (Play and Pause: PlayButtons) ----------------------------------------------

    def step(self) -> dict:
        """Run one frame: ``steps_per_frame`` training steps, then a picture (the Step button).

        After divergence, or at the end of training, further steps do nothing until :meth:`reset`.

        Returns
        -------
        dict
            The latest metrics (:attr:`state_metrics`).
        """
        with one_blas_thread():
            self._advance(self.steps_per_frame)
            self.render(full=False)
        self._update_status()
        return self.state_metrics

    def reset(self) -> None:
        """Stop playing and start again from step 0 with the current control values (the Reset button)."""
        self.pause()
        self._start_run()

    # -- headless helpers ---------------------------------------------------------------------------

    def film(self, n_frames: int = 40, steps_per_frame: int = 1, interval: float = 250,
             title: str | None = None) -> Film:
        """The run from a reset as a film, for readers without a kernel.

        The live widget's own ``reset_state``, ``train_step`` and drawing code, on a
        second figure: frame ``i`` shows the state after ``(i + 1) * steps_per_frame``
        steps, headed by :meth:`headline`; axes that count steps span the whole film
        (:meth:`axis_end`). The widget is reset afterwards.

        Parameters
        ----------
        n_frames : int, default 40
            Number of frames (each is an image in the page: keep it below about 40).
        steps_per_frame : int, default 1
            Training steps between frames.
        interval : float, default 250
            Milliseconds between frames when the film plays.
        title : str, optional
            A line above the film.

        Returns
        -------
        Film
        """
        n_frames = check_positive_int(n_frames, "n_frames")
        steps_per_frame = check_positive_int(steps_per_frame, "steps_per_frame")
        self.pause()
        self._start_run()
        figure = self.film_figure()

        def render_frame(index: int) -> None:
            self._advance(steps_per_frame)
            self._render(figure, full=index == 0)

        self.planned_steps = n_frames * steps_per_frame
        try:
            with one_blas_thread():
                film = record_film(figure, render_frame, n_frames, interval, title)
        finally:
            self.planned_steps = None
        self._start_run()
        return film

    def frames_per_second(self, n: int = 20) -> float:
        """How many frames (training steps, picture and its encoding) run per second, headlessly.

        The run is reset before and after. ``benchmarks/widget_fps.py`` measures what JupyterLab shows.
        """
        n = check_positive_int(n, "n")
        self.reset()
        self.figure  # the first picture of a run is drawn whole: not part of the rate
        frames, started = 0, time.perf_counter()
        while frames < n and not (self.diverged or self.finished):
            with one_blas_thread():
                self._advance(self.steps_per_frame)
                self._render(self._figure, full=False)
            encode(self.live_pixels(), self.frame_format)
            frames += 1
        rate = frames / (time.perf_counter() - started)
        self.reset()
        return rate
