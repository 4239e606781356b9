"""Playing a widget in a live kernel, without ever training unseen.

:class:`Player` runs a widget's frames one after another in an :mod:`asyncio`
task on the kernel's event loop, yielding to the loop between frames so the
kernel stays responsive (Pause, other cells). It stops

- when another widget starts playing (one plays at a time),
- when it is told the widget is no longer shown (its output was cleared or its
  tab closed: ipywidgets' ``_view_count``, see :class:`~nnlib.book.widgets.base.FigureWidget`),
- after :attr:`Player.idle_timeout` seconds without a click or a control change,
- when a frame says there is nothing more to do (divergence, end of training),
- on Pause, or after a given number of frames.

"Interrupt kernel" cannot stop an asyncio task; these rules make sure that a
widget nobody looks at does not keep a core busy.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import html
import time
import traceback
import weakref

from nnlib.book.plots import ERROR, WARNING

from .controls import button

__all__ = ["Player", "PlayButtons", "one_blas_thread"]

#: Seconds left to the kernel between two frames while playing, at least (clicks, other cells).
KERNEL_TIME = 0.005


@functools.lru_cache(maxsize=1)
def _blas_controller():
    try:
        from threadpoolctl import ThreadpoolController  # installed with scikit-learn, a book dependency
    except ImportError:
        return None
    return ThreadpoolController()


def one_blas_thread():
    """A context in which BLAS (NumPy's matrix products) uses one thread.

    A frame multiplies small matrices: one thread is as fast, and several threads
    spin against each other on a busy machine (measured: up to a hundred times
    slower with two OpenBLAS threads on two busy cores). Without threadpoolctl,
    nothing changes.
    """
    controller = _blas_controller()
    return contextlib.nullcontext() if controller is None else controller.limit(limits=1, user_api="blas")


class Player:
    """Plays frames on the running event loop; at most one player plays at a time.

    Parameters
    ----------
    frame : callable
        ``frame()`` draws one frame; returns False when playing must stop
        (divergence, end of training).
    on_change : callable
        ``on_change(playing, reason)`` after playing starts or stops; ``reason``
        says why it stopped (None for Pause or the end of the run).
    frame_interval : float
        Minimum seconds between two frames (caps the frame rate).
    idle_timeout : float
        Seconds without :meth:`touch` after which playing stops by itself.

    Attributes
    ----------
    playing : bool
    frames_per_second : float or None
        The rate of the last second of play (None before one second went by).
    """

    _playing = weakref.WeakSet()  # the players playing now (at most one)

    def __init__(self, frame, on_change, frame_interval: float, idle_timeout: float):
        self._frame, self._on_change = frame, on_change
        self.frame_interval, self.idle_timeout = frame_interval, idle_timeout
        self.playing = False
        self.frames_per_second = None
        self._task = None
        self.touch()

    def touch(self) -> None:
        """Note an interaction (a click, a control change): the idle time starts again."""
        self._last_touch = time.monotonic()

    def start(self, max_frames: int | None = None) -> bool:
        """Start playing in a task on the running event loop; False if no loop is running.

        Pauses every other player first.
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        for other in list(Player._playing):
            if other is not self:
                other.stop("another widget started playing")
        self.touch()
        self.playing = True
        Player._playing.add(self)
        self._on_change(True, None)
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._loop(max_frames))
        return True

    def stop(self, reason: str | None = None) -> None:
        """Stop after the current frame; ``reason`` is shown to the reader (None: no reason needed)."""
        Player._playing.discard(self)
        if self.playing:
            self.playing = False
            self.frames_per_second = None
            self._on_change(False, reason)

    async def wait(self) -> None:
        """Wait until the current play task ends (tests)."""
        if self._task is not None:
            await self._task

    async def _loop(self, max_frames: int | None) -> None:
        frames, window_start, window_frames = 0, time.perf_counter(), 0
        due = time.perf_counter()  # when the next frame is due: frames keep to a schedule, not to their own pace
        try:
            while self.playing and (max_frames is None or frames < max_frames):
                idle = time.monotonic() - self._last_touch
                if idle > self.idle_timeout:
                    self.stop(f"paused after {_duration(self.idle_timeout)} without a click: press Play to go on")
                    break
                started = time.perf_counter()
                if not self._frame():
                    break
                frames, window_frames = frames + 1, window_frames + 1
                if started - window_start >= 1.0:
                    self.frames_per_second = window_frames / (started - window_start)
                    window_start, window_frames = started, 0
                now = time.perf_counter()
                due = max(due + self.frame_interval, now - self.frame_interval)  # late by a frame at most
                # Give the event loop a moment, so button clicks (Pause) and other cells run between frames.
                await asyncio.sleep(max(KERNEL_TIME, due - now))
        except Exception as error:  # a bug in the widget: show it rather than lose it in the event loop
            self.stop(f"error: {''.join(traceback.format_exception_only(type(error), error)).strip()}")
            traceback.print_exception(type(error), error, error.__traceback__)  # shown under the playing cell
        finally:
            self.stop()


class PlayButtons:
    """Play, Pause, Step and Reset for a :class:`~nnlib.book.widgets.training.TrainingWidget`, and its status line.

    A mixin: it uses the widget's :class:`Player` (``_player``), its ``step``,
    ``reset``, ``n_steps``, ``finished``, ``diverged`` and ``progress_message``.
    """

    _stop_reason = None
    #: Seconds between two status lines while playing.
    status_interval: float = 0.25
    _status_at = 0.0

    def _update_status(self) -> None:
        """Show the status line: at once, or while playing a few times a second (readable, fewer messages)."""
        now = time.monotonic()
        if not self.playing or now - self._status_at >= self.status_interval or self.diverged or self.finished:
            self._status_at = now
            self._show_status()

    @property
    def playing(self) -> bool:
        """True while Play runs."""
        return self._player.playing

    def status_html(self) -> str:
        """The status line: the step and metrics, playing or not (and why it stopped), then warnings and errors."""
        if self.playing:
            rate = self._player.frames_per_second
            state = "playing" + (f" · {rate:.0f} frames/s" if rate else "")
        else:
            state = self._stop_reason or ("finished" if self.finished else "paused" if self.n_steps else "ready")
        parts = [f'<span style="font-family: monospace">{html.escape(self.status_text())}</span>'
                 f'<span style="color: #555">&emsp;{html.escape(state)}</span>']
        if self.progress_message and not self.diverged:
            parts.append(f'<b style="color: {WARNING}">{html.escape(self.progress_message)}</b>')
        if self.diverged:
            parts.append(f'<b style="color: {ERROR}">{html.escape(self.diverged)}</b>')
        return "<br>".join(parts)

    def _ui_rows(self) -> list:
        return [*super()._ui_rows(), self._button_row()]

    def _button_row(self):
        """Play, Pause, Step and Reset in a row (made once, with the user interface)."""
        import ipywidgets

        self._buttons = {
            "play": button("Play", "train continuously", icon="play", disabled=self.playing),
            "pause": button("Pause", "stop training", icon="pause", disabled=not self.playing),
            "step": button("Step", "one frame of training", icon="step-forward"),
            "reset": button("Reset", "back to step 0", icon="undo"),
        }
        actions = {"play": self.play, "pause": self.pause, "step": self.step, "reset": self.reset}
        for name, widget in self._buttons.items():
            widget.on_click(lambda _button, action=actions[name]: self._clicked(action))
        return ipywidgets.HBox(list(self._buttons.values()))

    @property
    def buttons(self) -> dict:
        """The Play, Pause, Step and Reset buttons, by name (built when the widget is first shown)."""
        self.ui
        return self._buttons

    def _clicked(self, action) -> None:
        self._player.touch()
        action()

    def pause(self, reason: str | None = None) -> None:
        """Stop playing after the current frame (the Pause button)."""
        self._player.stop(reason)

    def play(self, max_frames: int | None = None) -> None:
        """Train continuously, one frame after another (the Play button).

        Inside a running event loop (a Jupyter kernel) this starts a task and
        returns at once (see :class:`~nnlib.book.widgets.live.Player`). Without
        one (a script, a test) it runs ``max_frames`` frames (default
        :attr:`headless_frames`) synchronously.
        """
        if self.diverged or self.finished:
            return
        self._stop_reason = None
        if not self._player.start(max_frames):
            for _ in range(self.headless_frames if max_frames is None else max_frames):
                if self.diverged or self.finished:
                    break
                self.step()

    def _play_frame(self) -> bool:
        self.step()
        return not (self.diverged or self.finished)

    def _on_play_change(self, playing: bool, reason: str | None) -> None:
        self._stop_reason = reason
        if self._ui is not None:
            self._buttons["play"].disabled = playing
            self._buttons["pause"].disabled = not playing
            self._show_status()

    def _lost_views(self) -> None:
        self.pause("paused: the widget is no longer shown (its output was cleared or its tab closed)")


def _duration(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds:.0f} seconds" if seconds >= 2 else f"{seconds:.1f} seconds"
