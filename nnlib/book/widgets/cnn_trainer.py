"""Chapter 8's CNN learning the digits live: curves, the first layer's filters and one digit's feature maps.

Each frame trains :class:`~nnlib.book.experiments.cnn_digits.CNNRun` (plain SGD)
``steps_per_frame`` mini-batches; at the end of every epoch the validation accuracy
is measured. Three panels: the loss of every mini-batch above the training and
validation accuracies per epoch; the first convolution's kernels as a mosaic
(:func:`~nnlib.book.widgets.cnn_drawing.mosaic`); and their feature maps of one test
digit. The epoch axis doubles when training passes its end, so most frames are blitted.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from nnlib.book.experiments.cnn_digits import CNN_TRAINING, CNNRun
from nnlib.book.experiments.filters import explorer_image
from nnlib.book.experiments.progress import LossWatch
from nnlib.book.plots import CLASS_COLORS
from nnlib.book.validation import check_number

from .cnn_drawing import GREYS, SIGNED, mosaic, signed_limit
from .controls import Choice, Number
from .render import pixel_box
from .training import TrainingWidget

__all__ = ["CNNPanels", "CNNTrainer"]

_FONT = 10
_W, _H = 684, 300  # the figure in pixels (9.5 x 4.17 inches at 72 dpi)
_CHANNELS = {(4, 8): "4 and 8", (8, 16): "8 and 16", (16, 32): "16 and 32"}


class CNNPanels:
    """The trainer's panels in a figure of 684 x 300 pixels, with the artists :meth:`update` changes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    n_filters : int
        Kernels of the first convolution (the mosaics have up to 4 per row).

    Attributes
    ----------
    changing : list of matplotlib.artist.Artist
        Everything :meth:`update` changes, in drawing order (for blitting).
    """

    def __init__(self, fig, n_filters: int):
        px = partial(pixel_box, (_W, _H))  # pixels to figure fractions
        self.ax_loss, self.ax_acc = fig.add_axes(px(52, 160, 236, 96)), fig.add_axes(px(52, 34, 236, 90))
        self.columns = min(n_filters, 4)
        rows = -(-n_filters // self.columns)
        boxes = []
        for left, side in ((320, 3), (506, 8)):  # each mosaic's axes as high as its tiles, up to 180 pixels
            tall = (rows * (side + 1) - 1) / (self.columns * (side + 1) - 1)
            high = min(180, 170 * tall)
            boxes.append(fig.add_axes(px(left, 72 + (180 - high) / 2, 170 * min(1.0, 180 / (170 * tall)), high)))
        ax_filters, ax_maps = boxes
        self.filters = ax_filters.imshow(np.zeros((rows * 4 - 1, self.columns * 4 - 1)), cmap=SIGNED, vmin=-1,
                                         vmax=1, interpolation="nearest")
        self.maps = ax_maps.imshow(np.zeros((rows * 9 - 1, self.columns * 9 - 1)), cmap=GREYS, vmin=0, vmax=1,
                                   interpolation="nearest")
        for image, ax, label, title, ticks in ((self.filters, ax_filters, "weight / largest |weight|",
                                                "first-layer filters (3×3)", [-1, 0, 1]),
                                               (self.maps, ax_maps, "activation / largest",
                                                "their feature maps of a 3", [0, 0.5, 1])):
            box = (ax.get_position().x0, ax.get_position().y0 - 36 / _H, 170 / _W, 8 / _H)
            bar = fig.colorbar(image, cax=fig.add_axes(box), orientation="horizontal", ticks=ticks)
            bar.set_label(label, fontsize=_FONT, labelpad=1)
            bar.ax.tick_params(labelsize=_FONT, length=2, pad=1)
            ax.set_title(title, fontsize=_FONT, pad=4)
            ax.axis("off")
        (self.loss_line,) = self.ax_loss.plot([], [], color=CLASS_COLORS[0], lw=1)
        self.ax_loss.set_title("loss of every mini-batch", fontsize=_FONT, loc="left", pad=4)
        self.ax_loss.set_ylim(0, 2.6)
        (self.train_line,) = self.ax_acc.plot([], [], "o-", ms=3, color=CLASS_COLORS[0], label="training")
        (self.val_line,) = self.ax_acc.plot([], [], "s-", ms=3, color=CLASS_COLORS[1], label="validation")
        self.ax_acc.set_xlabel("epoch", fontsize=_FONT, labelpad=1)
        self.ax_acc.set_title("accuracy after each epoch", fontsize=_FONT, loc="left", pad=4)
        self.ax_acc.set_ylim(0, 1.02)
        self.ax_acc.legend(fontsize=_FONT, loc="lower right", frameon=False, handlelength=1.5)
        for ax in (self.ax_loss, self.ax_acc):
            ax.tick_params(labelsize=_FONT, length=3, pad=2)
            ax.grid(alpha=0.3)
        self.changing = [self.loss_line, self.train_line, self.val_line, self.filters, self.maps]

    def update(self, trainer: "CNNTrainer", epochs_shown: float) -> None:
        """Show the state of ``trainer``'s run, on epoch axes ``epochs_shown`` long."""
        run = trainer.run
        steps = np.arange(1, len(trainer.batch_losses) + 1) / run.trainer.batches_per_epoch
        self.loss_line.set_data(steps, trainer.batch_losses)
        epochs = [e for e, _, _ in trainer.epoch_ends]
        self.train_line.set_data(epochs, [a for _, a, _ in trainer.epoch_ends])
        self.val_line.set_data(epochs, [v for _, _, v in trainer.epoch_ends])
        for ax in (self.ax_loss, self.ax_acc):
            ax.set_xlim(0, epochs_shown)
        filters = run.filters()
        self.filters.set_data(mosaic(filters / signed_limit(filters), self.columns))
        maps = run.feature_maps(trainer.digit)["conv1"]
        self.maps.set_data(mosaic(maps / max(float(maps.max()), 1e-12), self.columns))


class CNNTrainer(TrainingWidget):
    """Chapter 8's CNN learning the digits live: curves, first-layer filters and one digit's feature maps.

    One training step is one mini-batch of plain SGD (the run of
    :class:`~nnlib.book.experiments.cnn_digits.CNNRun`); at the end of each epoch
    the validation accuracy is measured. Controls: ``"lr"`` (the learning rate,
    0.001 to 1), ``"batch_size"`` (16, 32 or 64) and ``"channels"`` of the two
    convolutions ((4, 8), (8, 16) or (16, 32)); any change restarts the run from the
    same seed.

    Parameters
    ----------
    seed : int, default 0
        Seed of the weights and of the order of the mini-batches.
    lr, batch_size, channels : optional
        Starting values of the controls (default: the chapter's recipe, channels (8, 16)).
    steps_per_frame, figsize, dpi
        As for :class:`~nnlib.book.widgets.training.TrainingWidget`.

    Attributes
    ----------
    run : nnlib.book.experiments.cnn_digits.CNNRun
    batch_losses : list of float
        The loss of every mini-batch so far.
    epoch_ends : list of (int, float, float)
        Per finished epoch: the epoch, the training and the validation accuracy.
    """

    figsize = (_W / 72, _H / 72)
    headline_band = 24  # the top 24 pixels, free for the headline (films draw it there)
    layout = None  # the panels are placed by hand (CNNPanels)
    steps_per_frame = 4
    #: Mini-batch losses jump from batch to batch: progress is judged on each epoch's mean loss instead.
    watched_metric = None
    first_epochs = 5  # epochs the axes show at first (doubled when training passes them)

    def __init__(self, *, seed: int = 0, lr: float = CNN_TRAINING["lr"], batch_size: int = CNN_TRAINING["batch_size"],
                 channels=(8, 16), steps_per_frame: int | None = None, figsize=None, dpi: float | None = None):
        self.seed = check_number(seed, "seed", low=0, integer=True)
        self._start = {"lr": lr, "batch_size": batch_size, "channels": tuple(channels)
                       if isinstance(channels, (list, tuple)) else channels}
        self.digit = explorer_image("a digit (3)")
        super().__init__(steps_per_frame=steps_per_frame, figsize=figsize, dpi=dpi)

    def controls(self) -> dict:
        start = self._start
        return {
            "lr": Number(start["lr"], 0.001, 1.0, "learning rate", log_base=10, step=0.25, readout=".3g"),
            "batch_size": Choice(start["batch_size"], [16, 32, 64], "mini-batch", width="160px"),
            "channels": Choice(start["channels"], [(text, key) for key, text in _CHANNELS.items()], "channels",
                               width="180px"),
        }

    def reset_state(self, values: dict) -> None:
        self.run = CNNRun(lr=values["lr"], batch_size=values["batch_size"], channels=values["channels"],
                          rng=self.seed)
        self.batch_losses: list[float] = []
        self.epoch_ends: list[tuple[int, float, float]] = []
        self._epoch_watch = LossWatch(window=3, step_name="epoch")

    def train_step(self) -> dict:
        logs = self.run.trainer.step()
        self.batch_losses.append(float(logs["loss"]))
        if "epoch_logs" in logs:
            self.epoch_ends.append((logs["epoch"], float(logs["epoch_logs"]["accuracy"]), self.run.accuracy("val")))
            self._epoch_watch.add(float(logs["epoch_logs"]["loss"]))
        metrics = {"epoch": logs["epoch"], "loss": float(logs["loss"])}
        if self.epoch_ends:
            metrics["validation accuracy"] = f"{self.epoch_ends[-1][2]:.1%}"
        return metrics

    @property
    def progress_message(self) -> str | None:
        """Why the loss is not going down, and what to try, judged on each epoch's mean loss (None while it is)."""
        return self._epoch_watch.message

    def _epochs_shown(self) -> float:
        per_epoch = 1 / self.run.trainer.batches_per_epoch
        return self.axis_end(self.n_steps * per_epoch, self.first_epochs if self.planned_steps is None else 0.5,
                             per_step=per_epoch)

    def draw(self, fig) -> dict:
        panels = CNNPanels(fig, len(self.run.filters()))
        panels.update(self, self._epochs_shown())
        return {"panels": panels, "changing": panels.changing}

    def update_figure(self, fig) -> None:
        self.drawn(fig)["panels"].update(self, self._epochs_shown())
