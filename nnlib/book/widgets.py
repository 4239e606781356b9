"""Live widgets for the Play section of a chapter, and their pre-rendered films.

:class:`TrainingWidget` wraps a training loop in Play / Pause / Step / Reset
buttons, hyperparameter controls, a status line and a figure that is redrawn
as training runs. :class:`InteractivePlot` redraws a figure when a control
changes (no training loop). Both have a ``film`` method that runs the very same
code without a kernel and returns a scrubbable animation for readers of the
HTML book.

Figures are :class:`matplotlib.figure.Figure` objects drawn by the Agg backend
and sent to the browser as PNG (or JPEG) images; pyplot is never used, so nothing leaks
into the notebook's output.

A minimal widget (a full example is in ``benchmarks/widget_fps.py``)::

    class Descent(TrainingWidget):
        def controls(self):
            return {"lr": ipywidgets.FloatLogSlider(value=0.1, min=-3, max=1, description="lr")}

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

import asyncio
import base64
import html
import io
import numbers
import re
import tempfile
import time
import traceback
from pathlib import Path

import ipywidgets as widgets
import matplotlib
import numpy as np
from IPython.display import HTML
from matplotlib.animation import FuncAnimation, HTMLWriter
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["InteractivePlot", "TrainingWidget", "animate", "new_figure", "FILM_DPI"]

FILM_DPI = 72
#: Seconds left to the kernel between two frames while playing, at least (clicks, other cells).
_KERNEL_TIME = 0.005
#: Glyphs rasterised without hinting: about a fifth faster to draw, and as legible at this size.
_FAST_TEXT = {"text.hinting": "no_hinting"}

# Blitting draws only the changing artists over a cached background. With matplotlib < 3.11 it
# renders some artists wrongly (the perceptron widget's translucent region image came out grey;
# tests compare blitted frames with full redraws), so there every frame is drawn whole.
_CAN_BLIT = tuple(int(part) for part in matplotlib.__version__.split(".")[:2]) >= (3, 11)


# ----------------------------------------------------------------------------- shared helpers


def new_figure(figsize, dpi, layout="constrained") -> Figure:
    """A pyplot-free figure with an Agg canvas, never shown by the notebook's inline backend.

    Parameters
    ----------
    figsize : tuple of float
        Width and height in inches.
    dpi : float
        Dots per inch (widget frames use the widget's dpi, films :data:`FILM_DPI`).
    layout : str or None
        Matplotlib layout engine; ``None`` means no engine.
    """
    figure = Figure(figsize=figsize, dpi=dpi, layout=layout or "none")
    FigureCanvasAgg(figure)
    return figure


def _encode(rgba, image_format: str = "png") -> bytes:
    """Encode a rendered frame (the canvas's RGBA buffer) as PNG or JPEG bytes.

    PNG at low compression: speed matters more than size here. JPEG at quality 90 without
    chroma subsampling (text and thin lines stay crisp) encodes about 8 times faster than
    PNG, and is smaller for figures made of smooth colour maps.
    """
    from PIL import Image  # Pillow is a dependency of matplotlib

    rgba = np.asarray(rgba)
    image = Image.frombuffer("RGBA", (rgba.shape[1], rgba.shape[0]), rgba, "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    if image_format == "jpeg":
        image.convert("RGB").save(buffer, format="jpeg", quality=90, subsampling=0)
    else:
        image.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def _png(figure: Figure) -> bytes:
    """Draw ``figure`` and encode it as PNG bytes."""
    with matplotlib.rc_context(_FAST_TEXT):
        figure.canvas.draw()
    return _encode(figure.canvas.buffer_rgba())


def _controls_box(controls: dict, continuous_update: bool) -> widgets.Box:
    """Lay the controls out in a wrapping row; name unnamed ones after their key."""
    for name, control in controls.items():
        if not isinstance(control, widgets.Widget):
            raise TypeError(f"controls()[{name!r}]: expected an ipywidgets widget, got {type(control).__name__}")
        if hasattr(control, "description") and not control.description:
            control.description = name
        if hasattr(control, "style") and hasattr(control.style, "description_width"):
            control.style.description_width = "initial"
        if not continuous_update and hasattr(control, "continuous_update"):
            control.continuous_update = False
    return widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap"))


class _CompactHTMLWriter(HTMLWriter):
    """The writer of ``Animation.to_jshtml``, storing each frame as a 64-colour PNG.

    Plots have few colours, so this is visually lossless and makes a film's page about
    four times smaller than full-colour frames.
    """

    def grab_frame(self, **savefig_kwargs):
        from PIL import Image  # Pillow is a dependency of matplotlib

        if self.fig.stale:  # FuncAnimation has usually just drawn it
            self.fig.canvas.draw()
        rgb = np.asarray(self.fig.canvas.buffer_rgba())[..., :3]
        buffer = io.BytesIO()
        Image.fromarray(rgb).quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(buffer, format="png")
        self._saved_frames.append(base64.encodebytes(buffer.getvalue()).decode("ascii"))


def animate(figure: Figure, update, n_frames: int, interval: float) -> HTML:
    """Call ``update(i)`` for i = 0 .. n_frames-1 and return the frames as a JavaScript animation.

    This is ``FuncAnimation(...).to_jshtml(default_mode="once")`` with 64-colour PNG frames
    (about four times smaller) and without the player's CDN icon stylesheet, so the film
    plays and scrubs offline.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure ``update`` draws into (see :func:`new_figure`).
    update : callable
        ``update(i)`` draws frame ``i``.
    n_frames : int
        Number of frames.
    interval : float
        Milliseconds between frames when playing.

    Returns
    -------
    IPython.display.HTML
        The player: the frames, a scrub slider and play controls.
    """
    animation = FuncAnimation(figure, update, frames=n_frames, init_func=lambda: (), interval=interval, repeat=False)
    writer = _CompactHTMLWriter(fps=1000 / interval, embed_frames=True, default_mode="once")
    writer.frame_format = "png"  # what grab_frame stores, whatever rcParams say
    with tempfile.TemporaryDirectory() as folder, matplotlib.rc_context(_FAST_TEXT):
        path = Path(folder, "film.html")
        animation.save(path, writer=writer)
        return HTML(_without_cdn_icons(path.read_text()))


# matplotlib's player links Font Awesome 4 from a CDN for its button icons. The book's
# theme and JupyterLab both ship Font Awesome already, so the link only breaks offline reading.
_CDN_ICON_LINK = re.compile(r'<link rel="stylesheet"\s+href="https://[^"]*font-awesome[^"]*">\s*')


def _without_cdn_icons(html: str) -> str:
    return _CDN_ICON_LINK.sub("", html)


def _positive_int(value, name: str) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name}: expected a positive integer, got {value!r}")
    return int(value)


def _format(value) -> str:
    if isinstance(value, numbers.Integral):
        return str(value)
    if isinstance(value, numbers.Real):
        return f"{value:.4g}"
    return str(value)


def _non_finite_loss(metrics: dict):
    """The first metric named ``loss`` or ``..._loss`` / ``...loss`` whose value is NaN or infinite."""
    for name, value in metrics.items():
        if name.endswith("loss") and isinstance(value, numbers.Real) and not np.isfinite(value):
            return name, value
    return None


# ----------------------------------------------------------------------------- TrainingWidget


class TrainingWidget:
    """Base class of the chapters' live training widgets.

    Subclass it and implement four methods:

    - ``controls()`` returns a dict name -> ipywidgets control (sliders,
      dropdowns, ...) for the hyperparameters; ``{}`` for none.
    - ``reset_state(values)`` builds the model and data from the control
      values (a dict name -> value). Seed every random generator here, so that
      Reset and :meth:`film` replay exactly the same run.
    - ``train_step()`` does one unit of training and returns its metrics,
      e.g. ``{"loss": 0.31, "mistakes": 2}``. It may raise ``StopIteration``
      when training is over (e.g. a generator is exhausted).
    - ``draw(fig)`` draws the current state into the matplotlib ``Figure``
      ``fig`` (already cleared; create axes with ``fig.subplots(...)``).

    Optionally, for faster frames, also implement ``update_figure(fig)``: it
    updates the artists the last ``draw`` made (``image.set_data``,
    ``line.set_data``, ...) instead of drawing from scratch. When it exists,
    ``draw`` runs only at step 0 and ``update_figure`` on every later frame.
    Either way the layout (``constrained`` by default) is computed for the
    first picture of a run and kept for the others.

    With ``update_figure``, frames can also be *blitted*: implement
    ``changing_artists()`` to return the artists that change from frame to
    frame, in drawing order. Everything else (axes, ticks, labels, ...) is then
    rendered once per run into a background bitmap, and each frame pastes it
    back and draws only the changing artists on top: the same pixels, several
    times faster. If ``update_figure`` changes anything else (say, rescales an
    axis), it calls :meth:`invalidate_background`.

    The base class provides the user interface: the controls in a row,
    Play / Pause / Step / Reset buttons, a status line with the step counter
    and the latest metrics, and the figure as an image (:attr:`frame_format`).

    - **Step** runs one *frame*: ``steps_per_frame`` calls of ``train_step``,
      then one redraw.
    - **Play** repeats frames in an :mod:`asyncio` task on the kernel's event
      loop, yielding to the loop after every frame, so the kernel stays
      responsive: Pause, the other buttons and other cells run while it plays.
      Frames are spaced at least ``frame_interval`` seconds apart.
    - **Reset**, and any change of a control, rebuilds the run from step 0 with
      the current control values (changing a control while playing keeps
      playing, from the new start). Sliders are set to
      ``continuous_update=False`` so that dragging resets once, on release.
    - **Divergence.** When a metric whose name ends in ``loss`` becomes NaN or
      infinite, or ``train_step`` raises :class:`FloatingPointError` (such as
      nnlib's ``TrainingDivergedError``) or :class:`OverflowError` (Python
      floats overflowing), training stops, the last good frame
      stays on screen, and the status line says
      ``diverged: loss became nan at step N — lower the learning rate``.
      NumPy floating-point warnings inside ``train_step`` and ``draw`` are
      silenced: the status line reports divergence instead.

    Display the widget by making it the last expression of a cell, or with
    ``display(widget.ui)``. Everything also works headlessly (tests, scripts,
    the book build): :meth:`step`, :meth:`reset`, :meth:`play`, :meth:`film`,
    :meth:`frames_per_second`.

    Parameters
    ----------
    steps_per_frame : int, optional
        Training steps between two redraws (default: the class attribute, 1).
    figsize : (float, float), optional
        Figure size in inches (default: the class attribute, (8, 3.2)).
    dpi : float, optional
        Resolution of the live figure (default: the class attribute, 80).
        Films always render at 72 dpi.

    Attributes
    ----------
    n_steps : int
        Training steps done since the last reset.
    state_metrics : dict
        The metrics returned by the latest ``train_step``.
    diverged : str or None
        The divergence message, once training diverged.
    finished : bool
        True once ``train_step`` raised ``StopIteration``.
    control_widgets : dict of str to ipywidgets.Widget
        The controls returned by ``controls()``.
    buttons : dict of str to ipywidgets.Button
        Keys ``"play"``, ``"pause"``, ``"step"``, ``"reset"``.
    status : ipywidgets.HTML
        The status line.
    image : ipywidgets.Image
        The rendered figure.
    figure : matplotlib.figure.Figure
        The live figure ``draw`` draws into.
    ui : ipywidgets.VBox
        The whole widget.
    """

    steps_per_frame: int = 1
    figsize: tuple[float, float] = (8, 3.2)
    dpi: float = 80
    #: Minimum seconds between two frames while playing (caps the frame rate at 30 per second).
    frame_interval: float = 1 / 30
    #: Frames that :meth:`play` runs, synchronously, when no event loop is running.
    headless_frames: int = 20
    #: Layout engine for the first picture of a run: "constrained", "tight" or None
    #: (then place the axes yourself in ``draw``, e.g. with ``fig.subplots_adjust``).
    layout: str | None = "constrained"
    #: Image format of the live frames: "png", or "jpeg" (far faster to encode; for smooth colour maps).
    frame_format: str = "png"
    #: Rasterise the live frames' text without hinting (faster, as legible); films always do.
    fast_text: bool = True

    # -- to implement in subclasses ---------------------------------------------------------

    def controls(self) -> dict:
        """Return the hyperparameter controls, a dict name -> ipywidgets widget (default: none)."""
        return {}

    def reset_state(self, values: dict) -> None:
        """Build the model and data for a new run from the control ``values``."""
        raise NotImplementedError("subclasses of TrainingWidget implement reset_state(values)")

    def train_step(self) -> dict:
        """Do one unit of training; return its metrics, e.g. ``{"loss": 0.3}``."""
        raise NotImplementedError("subclasses of TrainingWidget implement train_step()")

    def draw(self, fig: Figure) -> None:
        """Draw the current state into the (cleared) matplotlib figure ``fig``."""
        raise NotImplementedError("subclasses of TrainingWidget implement draw(fig)")

    def update_figure(self, fig: Figure) -> None:
        """Optional: bring the artists of the last ``draw`` up to date in place (faster frames)."""
        raise NotImplementedError

    def changing_artists(self) -> list:
        """Optional, with ``update_figure``: the artists of the live figure that change between frames.

        Return them in drawing (zorder) order; the default, ``[]``, means no blitting.
        """
        return []

    def invalidate_background(self) -> None:
        """Render the background of blitted frames anew at the next frame (something static changed)."""
        self._background = None

    # -- construction -------------------------------------------------------------------------

    def __init__(self, *, steps_per_frame: int | None = None, figsize=None, dpi: float | None = None):
        if steps_per_frame is not None:
            self.steps_per_frame = _positive_int(steps_per_frame, "steps_per_frame")
        self.figure = new_figure(figsize or self.figsize, dpi or self.dpi, self.layout)
        self.n_steps, self.state_metrics, self.diverged, self.finished = 0, {}, None, False
        self._playing, self._task = False, None
        self._background, self._background_size = None, None  # of blitted frames (see render)

        self.control_widgets = dict(self.controls())
        self.buttons = {
            "play": widgets.Button(description="Play", icon="play", tooltip="train continuously"),
            "pause": widgets.Button(description="Pause", icon="pause", tooltip="stop training", disabled=True),
            "step": widgets.Button(description="Step", icon="step-forward", tooltip="one frame of training"),
            "reset": widgets.Button(description="Reset", icon="undo", tooltip="back to step 0"),
        }
        actions = {"play": self.play, "pause": self.pause, "step": self.step, "reset": self.reset}
        for name, button in self.buttons.items():
            button.layout.width = "90px"
            button.on_click(lambda _button, action=actions[name]: action())
        self.status = widgets.HTML()
        self.image = widgets.Image(format=self.frame_format)
        self.ui = widgets.VBox(
            [
                _controls_box(self.control_widgets, continuous_update=False),
                widgets.HBox(list(self.buttons.values())),
                self.status,
                self.image,
            ]
        )
        for control in self.control_widgets.values():
            control.observe(self._on_control_change, names="value")
        self._start_run()

    @property
    def values(self) -> dict:
        """The current control values, a dict name -> value."""
        return {name: control.value for name, control in self.control_widgets.items()}

    @property
    def playing(self) -> bool:
        """True while the Play loop runs."""
        return self._playing

    def _repr_mimebundle_(self, **kwargs):
        return self.ui._repr_mimebundle_(**kwargs)

    # -- one run --------------------------------------------------------------------------------

    def _start_run(self) -> None:
        """Step 0 of a new run with the current control values (does not stop playing)."""
        self.n_steps, self.state_metrics, self.diverged, self.finished = 0, {}, None, False
        with np.errstate(all="ignore"):
            self.reset_state(self.values)
        self.render()
        self._show_status()

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
                bad = _non_finite_loss(self.state_metrics)
                if bad is not None:
                    name, value = bad
                    self.diverged = f"diverged: {name} became {value} at step {self.n_steps} — lower the learning rate"

    def render(self, full: bool = True) -> None:
        """Redraw the live figure and send it to the image widget (as :attr:`frame_format`).

        Parameters
        ----------
        full : bool, default True
            Draw from scratch with ``draw``; if False and the subclass has an
            ``update_figure`` method, update the existing artists instead
            (and blit them, if it has ``changing_artists``).
        """
        self._paint(self.figure, full)
        canvas = self.figure.canvas
        changing = self.changing_artists() if self._updates_in_place() and _CAN_BLIT else []
        if full or not changing or self._background_size != canvas.get_width_height():
            self.invalidate_background()  # a new run, no blitting, or a resized figure
        with matplotlib.rc_context(_FAST_TEXT if self.fast_text else {}), np.errstate(all="ignore"):
            if not changing:
                canvas.draw()
            else:
                if self._background is None:  # draw everything but the changing artists, once
                    for artist in changing:
                        artist.set_animated(True)
                    try:
                        canvas.draw()
                    finally:
                        for artist in changing:
                            artist.set_animated(False)
                    self._background = canvas.copy_from_bbox(self.figure.bbox)
                    self._background_size = canvas.get_width_height()
                canvas.restore_region(self._background)
                for artist in changing:
                    self.figure.draw_artist(artist)
        self.image.value = _encode(canvas.buffer_rgba(), self.frame_format)

    def _updates_in_place(self) -> bool:
        """True if the subclass implements ``update_figure``."""
        return type(self).update_figure is not TrainingWidget.update_figure

    def _paint(self, figure: Figure, full: bool) -> None:
        """Draw the current state into ``figure`` (the live one or a film's).

        The layout engine runs for the first picture of a run only; later
        pictures keep its axes positions: a third faster, and no jitter as
        tick labels change.
        """
        fast = self._updates_in_place()
        with np.errstate(all="ignore"):
            if full:
                figure.clear()
                figure.set_layout_engine(self.layout or "none")
                self.draw(figure)
            elif fast:
                figure.set_layout_engine("none")
                self.update_figure(figure)
            else:
                positions = [ax.get_position() for ax in figure.axes]
                figure.clear()
                figure.set_layout_engine("none")
                self.draw(figure)
                if len(positions) == len(figure.axes):
                    for ax, position in zip(figure.axes, positions):
                        ax.set_position(position)
                else:  # draw made different axes: lay them out afresh
                    figure.set_layout_engine(self.layout or "none")

    def status_text(self) -> str:
        """The status line as plain text, e.g. ``"step 12 · loss 0.3142 · mistakes 2"``."""
        parts = [f"step {self.n_steps}"] + [f"{name} {_format(v)}" for name, v in self.state_metrics.items()]
        if self.finished:
            parts.append("finished")
        return " · ".join(parts)

    def _show_status(self, error: str | None = None) -> None:
        text = f'<span style="font-family: monospace">{html.escape(self.status_text())}</span>'
        problem = self.diverged or error
        if problem:
            text += f'<br><b style="color: #D55E00">{html.escape(problem)}</b>'
        self.status.value = text

    # -- the buttons ------------------------------------------------------------------------------

    def step(self) -> dict:
        """Run one frame: ``steps_per_frame`` training steps, then redraw (the Step button).

        After divergence the figure is not redrawn (the last good frame stays)
        and further steps do nothing until :meth:`reset`.

        Returns
        -------
        dict
            The latest metrics (:attr:`state_metrics`).
        """
        self._advance(self.steps_per_frame)
        if self.diverged is None:
            self.render(full=False)
        self._show_status()
        return self.state_metrics

    def reset(self) -> None:
        """Stop playing and start again from step 0 with the current control values (the Reset button)."""
        self.pause()
        self._start_run()

    def pause(self) -> None:
        """Stop playing after the current frame (the Pause button)."""
        self._set_playing(False)

    def play(self, max_frames: int | None = None) -> None:
        """Train continuously, one frame after another (the Play button).

        Inside a running event loop (a Jupyter kernel) this starts an
        :mod:`asyncio` task and returns at once; the task yields to the loop
        after every frame and stops on Pause, Reset, divergence, the end of
        training, or after ``max_frames`` frames. Without a running loop
        (a plain script, a test), it runs ``max_frames`` frames (default
        :attr:`headless_frames`) synchronously and then returns.

        Parameters
        ----------
        max_frames : int, optional
            Stop after this many frames (default: no limit inside a loop).
        """
        if self.diverged or self.finished:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop: a bounded synchronous run
            for _ in range(self.headless_frames if max_frames is None else max_frames):
                if self.diverged or self.finished:
                    break
                self.step()
            return
        self._set_playing(True)
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._play_loop(max_frames))

    async def _play_loop(self, max_frames: int | None) -> None:
        frames = 0
        try:
            while self._playing and not (self.diverged or self.finished):
                if max_frames is not None and frames >= max_frames:
                    break
                started = time.perf_counter()
                self.step()
                frames += 1
                # Give the event loop a moment, so button clicks (Pause) and other cells run between frames.
                await asyncio.sleep(max(_KERNEL_TIME, self.frame_interval - (time.perf_counter() - started)))
        except Exception as error:  # a bug in the subclass: show it rather than lose it in the event loop
            self._show_status(error=f"error: {''.join(traceback.format_exception_only(error)).strip()}")
            traceback.print_exception(error)  # the kernel shows it under the cell that started playing
        finally:
            self._set_playing(False)

    def _set_playing(self, playing: bool) -> None:
        self._playing = playing
        self.buttons["play"].disabled = playing
        self.buttons["pause"].disabled = not playing

    def _on_control_change(self, change) -> None:
        self._start_run()

    # -- headless helpers ---------------------------------------------------------------------

    def film(self, n_frames: int = 40, steps_per_frame: int = 1, interval: float = 100) -> HTML:
        """Replay the run from a reset as a scrubbable animation, for readers without a kernel.

        The same ``reset_state``, ``train_step`` and ``draw`` run as in the
        live widget: frame ``i`` shows the state after ``i * steps_per_frame``
        training steps, with the status line as the figure's title (so
        ``draw`` should not set a ``suptitle``). After divergence the last good
        picture stays, titled with the divergence message. The widget is reset
        afterwards.

        Parameters
        ----------
        n_frames : int, default 40
            Number of frames (keep it at most about 40: each frame is a PNG in the page).
        steps_per_frame : int, default 1
            Training steps between frames.
        interval : float, default 100
            Milliseconds between frames when the animation plays.

        Returns
        -------
        IPython.display.HTML
            The animation (:meth:`matplotlib.animation.Animation.to_jshtml`).

        Raises
        ------
        ValueError
            If ``n_frames`` or ``steps_per_frame`` is not a positive integer.
        """
        n_frames = _positive_int(n_frames, "n_frames")
        steps_per_frame = _positive_int(steps_per_frame, "steps_per_frame")
        self.pause()
        self._start_run()
        figure = new_figure(self.figure.get_size_inches(), FILM_DPI, self.layout)
        frames_done = 0

        def update(frame: int):
            nonlocal frames_done
            while frames_done < frame:
                self._advance(steps_per_frame)
                frames_done += 1
            if self.diverged is None:
                self._paint(figure, full=frame == 0)
            figure.suptitle(self.diverged or self.status_text(), fontsize="small", color="0.25")
            return ()

        animation = animate(figure, update, n_frames, interval)
        self._start_run()
        return animation

    def frames_per_second(self, n: int = 20) -> float:
        """Measure how many frames (``steps_per_frame`` training steps + redraw + encoding) run per second.

        The run is reset before and after the measurement.

        Parameters
        ----------
        n : int, default 20
            Frames to time (fewer if training diverges or ends first).

        Returns
        -------
        float
            Frames per second.
        """
        n = _positive_int(n, "n")
        self.reset()
        frames, started = 0, time.perf_counter()
        while frames < n and not (self.diverged or self.finished):
            self.step()
            frames += 1
        rate = frames / (time.perf_counter() - started)
        self.reset()
        return rate


# ----------------------------------------------------------------------------- InteractivePlot


class InteractivePlot:
    """A figure redrawn whenever one of its controls changes (no training loop).

    Parameters
    ----------
    controls : dict of str to ipywidgets.Widget
        The controls (sliders, dropdowns, ...), laid out in a row.
    draw : callable
        ``draw(fig, values)`` draws into the cleared matplotlib ``Figure`` ``fig``
        for the control values ``values`` (a dict name -> value).
    figsize : (float, float), default (8, 3.2)
        Figure size in inches.
    dpi : float, default 80
        Resolution of the live figure (films render at 72 dpi).

    Attributes
    ----------
    control_widgets : dict of str to ipywidgets.Widget
        The controls.
    image : ipywidgets.Image
        The rendered figure.
    figure : matplotlib.figure.Figure
        The live figure.
    n_draws : int
        How many times the figure was drawn.
    ui : ipywidgets.VBox
        The whole widget; the object itself also displays as the last expression of a cell.

    Examples
    --------
    >>> import ipywidgets, numpy as np
    >>> def draw(fig, values):
    ...     ax = fig.subplots()
    ...     x = np.linspace(-5, 5, 200)
    ...     ax.plot(x, np.tanh(values["a"] * x))
    >>> plot = InteractivePlot({"a": ipywidgets.FloatSlider(value=1, min=0.1, max=5)}, draw)
    >>> film = plot.film([{"a": a} for a in (0.5, 1, 2, 4)])  # doctest: +SKIP
    """

    def __init__(self, controls: dict, draw, *, figsize=(8, 3.2), dpi: float = 80):
        if not callable(draw):
            raise TypeError(f"draw: expected a callable draw(fig, values), got {type(draw).__name__}")
        self.control_widgets = dict(controls)
        self._draw = draw
        self.figure = new_figure(figsize, dpi)
        self.image = widgets.Image(format="png")
        self.n_draws = 0
        self.ui = widgets.VBox([_controls_box(self.control_widgets, continuous_update=True), self.image])
        for control in self.control_widgets.values():
            control.observe(lambda _change: self.redraw(), names="value")
        self.redraw()

    @property
    def values(self) -> dict:
        """The current control values, a dict name -> value."""
        return {name: control.value for name, control in self.control_widgets.items()}

    def _repr_mimebundle_(self, **kwargs):
        return self.ui._repr_mimebundle_(**kwargs)

    def redraw(self) -> None:
        """Draw the figure for the current control values and send it to the image widget."""
        self.figure.clear()
        self._draw(self.figure, self.values)
        self.image.value = _png(self.figure)
        self.n_draws += 1

    def film(self, frames, interval: float = 500) -> HTML:
        """Render a sequence of control settings as a scrubbable animation.

        Parameters
        ----------
        frames : sequence of dict
            One dict per frame, name -> value; names left out keep the current
            control value.
        interval : float, default 500
            Milliseconds between frames when the animation plays.

        Returns
        -------
        IPython.display.HTML
            The animation (:meth:`matplotlib.animation.Animation.to_jshtml`).

        Raises
        ------
        ValueError
            If ``frames`` is empty.
        KeyError
            If a frame names a control that does not exist.
        """
        frames = [dict(frame) for frame in frames]
        if not frames:
            raise ValueError("film: expected at least one frame (a dict of control values)")
        for frame in frames:
            unknown = set(frame) - set(self.control_widgets)
            if unknown:
                raise KeyError(f"film: unknown control(s) {sorted(unknown)}; the controls are {list(self.control_widgets)}")
        figure = new_figure(self.figure.get_size_inches(), FILM_DPI)
        current = self.values

        def update(index: int):
            figure.clear()
            self._draw(figure, {**current, **frames[index]})
            return ()

        return animate(figure, update, len(frames), interval)
