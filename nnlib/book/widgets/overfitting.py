"""Chapter 7's widget: the overfitting lab, a digits classifier trained epoch by epoch, regularized or not.

The controls set a :class:`~nnlib.book.experiments.regularization.LabSettings`
(training-set size, width and depth, L2, dropout, batch norm, learning rate);
each frame trains one epoch (or a few mini-batches of a long one) of the
:class:`~nnlib.book.experiments.regularization.DigitsRun` it describes, and draws

- the training and validation loss, epoch by epoch (log scale);
- the training and validation accuracy;
- the validation digits the network currently gets wrong, each with what it read
  (:func:`~nnlib.book.digits_plots.mistakes_mosaic`, one image placed in pixels).

Only the four curves and the mosaic change from frame to frame: they are blitted
over a background drawn once per run.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from matplotlib.ticker import NullLocator

from nnlib.book.digits_plots import mistakes_mosaic, mosaic_size
from nnlib.book.experiments.digits import load_digits
from nnlib.book.experiments.regularization import DigitsRun, LabSettings
from nnlib.book.plots import CLASS_COLORS, INK

from .controls import Choice, Number, Toggle
from .render import pixel_box
from .training import TrainingWidget

__all__ = ["OverfittingLab", "EPOCHS"]

EPOCHS = 200
"""Epochs of one run of the lab (the curves' x-axis, live)."""

_W, _H = 684, 290  # the figure in pixels at 72 dpi: the book's text width; the top 26 hold films' headline
_TRAIN, _VAL = CLASS_COLORS[0], CLASS_COLORS[1]
_FONT = 10


_box = partial(pixel_box, (_W, _H))  # axes position in figure fractions, from pixels


class OverfittingLab(TrainingWidget):
    """The overfitting lab: a digits classifier trained epoch by epoch, with and without regularization.

    Controls: training digits (20 to 1,078), hidden units and layers, the L2
    strength, the drop probability, batch normalization on or off, and the SGD
    learning rate. Any change starts a new run (same seed). A run lasts
    :data:`EPOCHS` epochs; a frame trains one epoch, or :attr:`batches_per_frame`
    mini-batches of a longer one. The status line shows the epoch, the training
    and validation accuracy, their gap and the number of misread validation digits;
    when the training loss stops going down, it says so.

    Parameters
    ----------
    settings : LabSettings, optional
        The starting values of the controls and the settings that have none
        (``l1``, ``activation``, ``batch_size``, ``seed``); default: 100 digits,
        128 ReLU units, no regularization.
    **kwargs
        Passed to :class:`~nnlib.book.widgets.training.TrainingWidget` (``steps_per_frame``, ``figsize``, ``dpi``).

    Raises
    ------
    ValueError
        If a setting with a control is not one of the control's values (e.g. 100 units).

    Attributes
    ----------
    run : nnlib.book.experiments.regularization.DigitsRun
        The run being shown.
    previous_run : nnlib.book.experiments.regularization.DigitsRun or None
        The run before the last reset; after :meth:`film`, the run the film showed.
    """

    figsize = (_W / 72, _H / 72)
    headline_band = 26  # the top 26 pixels, free for the headline (films draw it there)
    layout = None  # the panels are placed by hand (see draw)
    SIZES = (20, 50, 100, 200, 500, 1078)
    WIDTHS = (16, 32, 64, 128, 256, 512)
    L2 = (0.0, 1e-4, 1e-3, 1e-2, 1e-1)
    RATES = (0.03, 0.1, 0.2, 0.5, 1.0, 2.0)
    #: Mini-batches a frame trains at most: a long epoch (many digits, a big network) takes several frames.
    batches_per_frame = 8
    watched_metric = "loss"  # the training loss of each whole epoch (a batch's is too noisy)
    watch_window = 10
    step_name = "epoch"

    def __init__(self, settings: LabSettings | None = None, **kwargs):
        if settings is not None and not isinstance(settings, LabSettings):
            raise TypeError(f"settings: expected a LabSettings, got {type(settings).__name__}")
        self._start = settings or LabSettings(n_train=100, width=128)
        self.digits = load_digits()
        super().__init__(**kwargs)

    def controls(self) -> dict:
        s = self._start
        return {
            "n_train": Choice(s.n_train, [(f"{n:,}", n) for n in self.SIZES], "training digits", width="190px"),
            "width": Choice(s.width, self.WIDTHS, "units", width="130px"),
            "depth": Number(s.depth, 1, 3, "layers", integer=True, width="230px"),
            "l2": Choice(s.l2, [(f"{v:g}", v) for v in self.L2], "L2 λ", width="130px"),
            "dropout": Number(s.dropout, 0.0, 0.7, "dropout p", step=0.1, readout=".1f", width="260px"),
            "batch_norm": Toggle(s.batch_norm, "batch norm"),
            "lr": Choice(s.lr, [(f"{v:g}", v) for v in self.RATES], "learning rate", width="170px"),
        }

    # -- the run ----------------------------------------------------------------------------------

    def _start_run(self) -> None:
        self.previous_run = getattr(self, "run", None)
        super()._start_run()

    def reset_state(self, values: dict) -> None:
        self.run = DigitsRun(self._start.replace(**values), self.digits)

    def train_step(self) -> dict:
        """The rest of the current epoch, or :attr:`batches_per_frame` mini-batches of it if it is longer."""
        if len(self.run.history) >= EPOCHS:
            raise StopIteration
        trainer = self.run.trainer
        for _ in range(self.batches_per_frame):
            logs = trainer.step()
            if "epoch_logs" in logs:
                break
        metrics = {"epoch": len(self.run.history) + trainer.batch / trainer.batches_per_epoch,
                   "batch loss": logs["loss"]}
        if "epoch_logs" in logs:
            metrics["loss"] = logs["epoch_logs"]["loss"]
        return metrics

    def epochs_per_step(self) -> float:
        """Epochs one training step covers: 1, or a fraction when an epoch takes several frames."""
        return 1.0 / -(-self.run.trainer.batches_per_epoch // self.batches_per_frame)

    def status_text(self) -> str:
        """The epoch, the training and validation accuracy, their gap and the misread count."""
        h, n_val = self.run.history, len(self.digits.y_val)
        if not len(h):
            frames = round(1 / self.epochs_per_step())
            pace = "one epoch per frame" if frames == 1 else f"one epoch per {frames} frames"
            return f"{self.run.settings.n_train:,} training digits · before training · {pace}"
        train, val = h["accuracy"][-1], h["val_accuracy"][-1]
        return (f"epoch {len(h)} · training accuracy {train:.1%} · validation accuracy {val:.1%} · "
                f"gap {100 * (train - val):.1f} points · misread {round((1 - val) * n_val)} of {n_val}")

    @property
    def progress_message(self) -> str | None:
        """Why training does not work: stuck at chance (the loss blew up, then fell to ln 10), or the watch's verdict.

        A learning rate that is too large can send the loss up by a hundred orders of
        magnitude and then down to chance, :math:`\\ln 10 \\approx 2.3`, where it stays: the
        loss *did* fall from its first value, so only the accuracy tells.
        """
        h = self.run.history
        if len(h) >= 10 and max(h["accuracy"][-5:]) <= 2 / 10:
            return (f"the network is stuck at chance: after {len(h)} epochs it reads {h['accuracy'][-1]:.0%} of its "
                    f"training digits right; its loss is {h['loss'][-1]:.3g} (chance: ln 10 ≈ 2.3). The learning "
                    "rate is too large for it: try a smaller one, or batch normalization.")
        return super().progress_message

    # -- the picture ------------------------------------------------------------------------------

    def _epoch_axis(self) -> float:
        """The right end of the epoch axes: :data:`EPOCHS` live; in a film, the epochs it shows."""
        start = EPOCHS if self.planned_steps is None else 1
        return min(self.axis_end(len(self.run.history), start, self.epochs_per_step()), 1.03 * EPOCHS)

    def draw(self, fig) -> dict:
        """The two curve panels and the mosaic, in fixed places; :meth:`update_figure` then keeps them current."""
        m_height, m_width = mosaic_size()
        ax_loss, ax_acc = fig.add_axes(_box(52, 40, 165, 190)), fig.add_axes(_box(264, 40, 165, 190))
        artists = {}
        for ax, key, title in [(ax_loss, "loss", "cross-entropy (log scale)"), (ax_acc, "accuracy", "accuracy")]:
            artists[f"train_{key}"], = ax.plot([], [], color=_TRAIN, lw=1.8, label="training digits")
            artists[f"val_{key}"], = ax.plot([], [], color=_VAL, lw=1.8, label="validation digits")
            ax.set_xlabel("epoch", fontsize=_FONT, labelpad=1)
            # a plain text, not a title: matplotlib re-places titles around the tick labels at every draw
            ax.text(0.5, 1.03, title, transform=ax.transAxes, ha="center", va="bottom", fontsize=_FONT + 1,
                    color=INK)
            ax.tick_params(labelsize=_FONT, length=3, pad=2)
            ax.grid(True, alpha=0.3)
            for spine in ax.spines.values():  # under the curves, which are blitted over everything static
                spine.set_zorder(1.8)
        ax_loss.set_yscale("log")
        ax_loss.set_ylim(1e-4, 5)
        ax_loss.set_yticks([1e-4, 1e-3, 1e-2, 1e-1, 1], ["0.0001", "0.001", "0.01", "0.1", "1"])  # no mathtext
        ax_loss.yaxis.set_minor_locator(NullLocator())  # minor ticks of a log axis cost more to draw than the data
        ax_acc.set_ylim(0.5, 1.005)
        ax_acc.legend(frameon=False, fontsize=_FONT, loc="lower right", handlelength=1.5).set_zorder(1.8)
        width, height = fig.bbox.width, fig.bbox.height  # the mosaic is placed in pixels, whatever the dpi
        left, bottom = int(width - m_width - 8), int(30 * height / _H)
        artists["mosaic"] = fig.figimage(mistakes_mosaic(np.zeros((0, 64))), xo=left, yo=bottom, origin="upper")
        fig.text((left + m_width / 2) / width, (bottom + m_height + 6) / height,
                 "validation digits it misreads\n(true → read as)", ha="center", va="bottom", fontsize=_FONT + 1,
                 color=INK)
        artists["changing"] = [artists[k] for k in ("train_loss", "val_loss", "train_accuracy", "val_accuracy",
                                                    "mosaic")]
        self._update(artists)
        return artists

    def update_figure(self, fig) -> None:
        self._update(self.drawn(fig))

    def _update(self, artists: dict) -> None:
        """Put the state of the run (its history and its current mistakes) into the artists of one figure."""
        history = self.run.history
        for key in ("loss", "accuracy"):
            for prefix, name in (("", "train"), ("val_", "val")):
                artists[f"{name}_{key}"].set_data(history.epochs, history.history.get(prefix + key, []))
        right = self._epoch_axis()
        for key in ("train_loss", "train_accuracy"):
            artists[key].axes.set_xlim(0, right)
        wrong, predicted = self.run.mistakes("val")
        labels = [f"{true}→{guess}" for true, guess in zip(self.digits.y_val[wrong], predicted)]
        artists["mosaic"].set_data(mistakes_mosaic(self.digits.X_val[wrong], labels))
