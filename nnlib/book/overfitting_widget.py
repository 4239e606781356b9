"""The overfitting lab of chapter 7: train a digits classifier, regularized or not, and watch it generalise.

The controls set a :class:`~nnlib.book.experiments.regularization.LabSettings`
(training-set size, width and depth, L2, dropout, batch norm, learning rate);
every frame trains one epoch of the
:class:`~nnlib.book.experiments.regularization.DigitsRun` it describes and draws

- the training and validation loss, epoch by epoch (log scale);
- the training and validation accuracy;
- the validation digits the network currently gets wrong, each with what it read.

The drawing is two functions, :func:`draw_lab` (the artists, from scratch) and
:func:`update_lab` (the same artists brought up to date), shared by the live
widget and its films.
"""

from __future__ import annotations

import weakref
from functools import lru_cache

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from nnlib.book.experiments.digits import load_digits
from nnlib.book.experiments.regularization import DigitsRun, LabSettings

from .widgets import TrainingWidget

__all__ = ["OverfittingLab", "draw_lab", "update_lab", "mistakes_mosaic", "EPOCHS"]

EPOCHS = 200
"""Epochs of one run of the lab (the curves' x-axis)."""

ROWS, COLUMNS = 3, 6  # the mistakes shown: up to ROWS * COLUMNS validation digits
_TRAIN, _VAL, _GREY = "#0072B2", "#D55E00", "0.45"


SCALE = 4  # screen pixels per digit pixel in the mosaic
_LABEL_HEIGHT, _GAP = 14, 6  # pixels of the label strip above each digit, and between digits
_INK = np.array([0.835, 0.369, 0.0])  # the palette's vermillion, for the labels


@lru_cache(maxsize=4)
def _glyphs(height: int = _LABEL_HEIGHT) -> dict:
    """The characters ``0``-``9`` and ``→`` as coverage bitmaps ``(height, width)`` in ``[0, 1]``, drawn once.

    The lab draws its labels into its image instead of as text: dozens of text artists
    per frame would take most of a frame's time.
    """
    bitmaps = {}
    for char in "0123456789→":
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
    parts = [glyphs[char] for char in text]
    line = np.concatenate([np.pad(g, ((0, 0), (0, 1))) for g in parts], axis=1)[:, :width]
    strip = np.zeros((_LABEL_HEIGHT, width))
    left = (width - line.shape[1]) // 2
    strip[:, left:left + line.shape[1]] = line
    return strip


def mistakes_mosaic(images, labels=(), rows: int = ROWS, columns: int = COLUMNS) -> np.ndarray:
    """Up to ``rows * columns`` 8x8 digits in one RGB image, each under its label (e.g. ``"8→1"``).

    Parameters
    ----------
    images : ndarray of shape (k, 64)
        Pixel rows in ``[0, 1]`` (ink); the first ``rows * columns`` are shown, the other places stay white.
    labels : sequence of str
        One label per image shown, drawn above it in the palette's vermillion.

    Returns
    -------
    ndarray of shape (rows * (14 + 32 + 6), columns * (32 + 6), 3)
        RGB in ``[0, 1]``: dark ink on white, each digit pixel 4 x 4 screen pixels.
    """
    size = 8 * SCALE
    cell_h, cell_w = _LABEL_HEIGHT + size + _GAP, size + _GAP
    mosaic = np.ones((rows * cell_h, columns * cell_w, 3))
    for k, pixels in enumerate(np.asarray(images)[: rows * columns]):
        r, c = divmod(k, columns)
        top, left = r * cell_h, c * cell_w
        digit = np.repeat(np.repeat(np.reshape(pixels, (8, 8)), SCALE, axis=0), SCALE, axis=1)
        mosaic[top + _LABEL_HEIGHT:top + _LABEL_HEIGHT + size, left:left + size] = (1.0 - digit)[..., None]
        if k < len(labels):
            ink = _label(labels[k], size)[..., None]
            strip = mosaic[top:top + _LABEL_HEIGHT, left:left + size]
            strip[:] = (1.0 - ink) * strip + ink * _INK
    return mosaic


def draw_lab(fig, run: DigitsRun, epochs: int = EPOCHS) -> dict:
    """Draw the lab's three panels for ``run`` into the empty figure ``fig``; return the artists that change.

    The two curve panels are axes; the mistakes are one image placed in pixels at the right
    (``figimage``), so that every digit pixel is 4 x 4 screen pixels whatever the figure's dpi.
    """
    width, height = fig.get_size_inches() * fig.dpi
    mosaic = mistakes_mosaic(np.zeros((0, 64)))
    m_height, m_width = mosaic.shape[:2]
    right = (width - m_width - 24) / width  # where the curves end, as a fraction of the figure
    fig.subplots_adjust(left=0.065, right=right - 0.03, bottom=0.16, top=0.86, wspace=0.3)
    ax_loss, ax_acc = fig.subplots(1, 2)
    artists = {}
    for ax, key, title in [(ax_loss, "loss", "cross-entropy (log scale)"), (ax_acc, "accuracy", "accuracy")]:
        artists[f"train_{key}"], = ax.plot([], [], color=_TRAIN, lw=1.8, label="training digits")
        artists[f"val_{key}"], = ax.plot([], [], color=_VAL, lw=1.8, label="validation digits")
        ax.set_xlim(0, epochs)
        ax.set_xlabel("epoch")
        # a plain text, not set_title: matplotlib re-places titles around the tick labels at every draw
        ax.text(0.5, 1.03, title, transform=ax.transAxes, ha="center", va="bottom", fontsize=11)
        ax.grid(True, alpha=0.3)
    ax_loss.set_yscale("log")
    ax_loss.set_ylim(1e-4, 5)
    ax_loss.set_yticks([1e-4, 1e-3, 1e-2, 1e-1, 1], ["0.0001", "0.001", "0.01", "0.1", "1"])  # no mathtext: faster
    ax_loss.yaxis.set_minor_locator(NullLocator())  # minor ticks of a log axis cost more to draw than the data
    ax_acc.set_ylim(0.5, 1.005)
    ax_acc.legend(frameon=False, fontsize=9, loc="lower right")
    left, bottom = width - m_width - 12, max(0.0, (height - m_height) / 2 - 0.04 * height)
    artists["mosaic"] = fig.figimage(mosaic, xo=int(left), yo=int(bottom), origin="upper")
    fig.text((left + m_width / 2) / width, (bottom + m_height + 8) / height, "validation digits it misreads\n"
             "(true → read as)", ha="center", va="bottom", fontsize=11)
    artists["changing"] = [artists[k] for k in ("train_loss", "val_loss", "train_accuracy", "val_accuracy", "mosaic")]
    update_lab(artists, run)
    return artists


def update_lab(artists: dict, run: DigitsRun) -> None:
    """Put the state of ``run`` (its history and its current mistakes) into the artists of :func:`draw_lab`."""
    history = run.history
    epochs = history.epochs
    for key in ("loss", "accuracy"):
        for prefix in ("", "val_"):
            values = history.history.get(prefix + key, [])
            artists[f"{'val' if prefix else 'train'}_{key}"].set_data(epochs, values)
    wrong, predicted = run.mistakes("val")
    labels = [f"{true}→{guess}" for true, guess in zip(run.digits.y_val[wrong], predicted)]
    artists["mosaic"].set_data(mistakes_mosaic(run.digits.X_val[wrong], labels))


class OverfittingLab(TrainingWidget):
    """The overfitting lab: a digits classifier trained epoch by epoch, with and without regularization.

    Controls: training digits (20 to 1,078), hidden units and layers, the L2
    strength, the drop probability, batch normalization on or off, and the SGD
    learning rate. Any change starts a new run (same seed). A run lasts
    :data:`EPOCHS` epochs; a frame trains one epoch, or :attr:`batches_per_frame`
    mini-batches of a longer one. The status line shows the epoch, the training
    and validation accuracy, their gap and the number of misread validation digits.

    Parameters
    ----------
    settings : LabSettings, optional
        The starting values of the controls (default: 100 digits, 128 ReLU units, no regularization).
    **kwargs
        Passed to :class:`~nnlib.book.widgets.TrainingWidget` (``steps_per_frame``, ``figsize``, ``dpi``).
    """

    figsize = (10, 3.6)
    dpi = 80
    layout = None  # the axes are placed by draw_lab
    frame_format = "jpeg"
    SIZES = (20, 50, 100, 200, 500, 1078)
    WIDTHS = (16, 32, 64, 128, 256, 512)
    L2 = (0.0, 1e-4, 1e-3, 1e-2, 1e-1)
    RATES = (0.03, 0.1, 0.2, 0.5, 1.0, 2.0)
    #: Mini-batches a frame trains at most: a long epoch (many digits, a big network) takes several frames.
    batches_per_frame = 8

    def __init__(self, settings: LabSettings | None = None, **kwargs):
        self._start = settings or LabSettings(n_train=100, width=128)
        self.digits = load_digits()
        self._artists = weakref.WeakKeyDictionary()
        self._warm_up = 0  # epochs a new run trains at once (films only)
        self._axis_epochs = EPOCHS  # the length of the curves' x-axis: a run, or a film
        super().__init__(**kwargs)

    def controls(self) -> dict:
        s = self._start

        def choice(options, value, description, fmt=str):
            if value not in options:
                raise ValueError(f"settings: {description} {value!r} is not one of the lab's choices {options}")
            return widgets.SelectionSlider(options=[(fmt(o), o) for o in options], value=value,
                                           description=description)

        return {
            "n_train": choice(self.SIZES, s.n_train, "digits", lambda n: f"{n:,}"),
            "width": choice(self.WIDTHS, s.width, "units"),
            "depth": widgets.IntSlider(value=s.depth, min=1, max=3, description="layers"),
            "l2": choice(self.L2, s.l2, "L2 λ", lambda v: f"{v:g}"),
            "dropout": widgets.FloatSlider(value=s.dropout, min=0.0, max=0.7, step=0.1, description="dropout p"),
            "batch_norm": widgets.Checkbox(value=s.batch_norm, description="batch norm"),
            "lr": choice(self.RATES, s.lr, "learning rate", lambda v: f"{v:g}"),
        }

    def reset_state(self, values: dict) -> None:
        settings = self._start.replace(**values)
        self.run = DigitsRun(settings, self.digits)
        if self._warm_up:  # a film's first frame shows its first steps already taken
            self.run.train(self._warm_up)

    def train_step(self) -> dict:
        """The rest of the current epoch, or :attr:`batches_per_frame` mini-batches of it if it is longer."""
        if len(self.run.history) >= EPOCHS:
            raise StopIteration
        trainer = self.run.trainer
        for _ in range(self.batches_per_frame):
            logs = trainer.step()
            if "epoch_logs" in logs:
                break
        return {"epoch": len(self.run.history) + trainer.batch / trainer.batches_per_epoch,
                "batch loss": logs["loss"]}

    def status_text(self) -> str:
        """The epoch, the training and validation accuracy, their gap and the misread count."""
        h, n_val = self.run.history, len(self.digits.y_val)
        if not len(h):
            return f"{self.run.settings.n_train:,} training digits · before training · one epoch per frame"
        train, val = h["accuracy"][-1], h["val_accuracy"][-1]
        return (f"epoch {len(h)} · training accuracy {train:.1%} · validation accuracy {val:.1%} · "
                f"gap {100 * (train - val):.1f} points · misread {round((1 - val) * n_val)} of {n_val}")

    def film(self, n_frames: int = 20, steps_per_frame: int = 10, interval: float = 400):
        """The run from a reset as a film (see the base class).

        Its first frame already shows ``steps_per_frame`` frames of training, and the
        curves' axis spans the film's length.
        """
        self._warm_up = steps_per_frame
        self._axis_epochs = min(EPOCHS, n_frames * steps_per_frame)
        try:
            return super().film(n_frames, steps_per_frame, interval)
        finally:
            self._warm_up, self._axis_epochs = 0, EPOCHS
            self._start_run()

    def draw(self, fig) -> None:
        self._artists[fig] = draw_lab(fig, self.run, epochs=self._axis_epochs)

    def update_figure(self, fig) -> None:
        artists = self._artists.get(fig)
        if artists is None:
            fig.clear()
            self.draw(fig)
        else:
            update_lab(artists, self.run)

    def changing_artists(self) -> list:
        artists = self._artists.get(self.figure)
        return [] if artists is None else artists["changing"]
