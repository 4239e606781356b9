"""Chapter 6's widget: a deep network under the reader's controls, its gradients layer by layer, trained live.

Controls: the activation, the initializer, a gain that multiplies every weight
matrix, the depth and the width of the network
(:func:`nnlib.book.experiments.gradient_flow.deep_mlp`), and the learning rate of
SGD. Any change builds the network again from the same seed and shows it at
initialization; Play trains it on the digits
(:class:`~nnlib.book.experiments.gradient_flow.FlowTraining`). Four panels:

1. the spread of the activations :math:`A^{(l)}` at every layer,
2. the size of the error signal :math:`\\delta^{(l)}` and of the weight gradient
   :math:`\\partial J/\\partial W^{(l)}` at every layer (one fixed batch, now),
3. a map of every layer's weight gradient at every training step so far,
4. the training loss.

Axis limits move in whole steps (decades, doublings), so most frames are blitted.
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np
from matplotlib.ticker import LogLocator, MaxNLocator, NullLocator

from nnlib.book.experiments.gradient_flow import (FLOW_ACTIVATIONS, FLOW_INITS, MAX_DEPTH, FlowTraining, deep_mlp,
                                                  flow_digits, measure_flow)
from nnlib.book.plots import CLASS_COLORS, INK
from nnlib.book.validation import check_number

from .controls import Choice, Number
from .film import Film, record_film
from .live import one_blas_thread
from .render import pixel_box
from .training import TrainingWidget

__all__ = ["FlowPanels", "GradientFlowExplorer"]

_FONT = 10
_W, _H = 684, 378  # the figure in pixels (9.5 x 5.25 inches at 72 dpi)
_MAP_RANGE = (-12.0, 2.0)  # log10 of a weight gradient's norm: the colour scale of the map
_PROBE = 64  # digits in the fixed batch of panels 1 and 2
_ACTIVATION_COLOR, _DELTA_COLOR, _WEIGHT_COLOR, _LOSS_COLOR = CLASS_COLORS[2], CLASS_COLORS[1], CLASS_COLORS[0], INK


def _decades(values, step: int = 2) -> tuple[float, float]:
    """Log-axis limits around the finite positive ``values``, in whole multiples of ``step`` decades."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values) & (values > 0)]
    if values.size == 0:
        return 1e-2, 1e2
    low = step * math.floor(math.log10(values.min()) / step)
    high = step * math.ceil(math.log10(values.max()) / step)
    return 10.0 ** low, 10.0 ** max(high, low + step)


class FlowPanels:
    """The explorer's four panels in a figure of 684 x 378 pixels, with the artists :meth:`update` changes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Attributes
    ----------
    changing : list of matplotlib.artist.Artist
        Everything :meth:`update` changes, in drawing order (for blitting).
    """

    def __init__(self, fig):
        px = partial(pixel_box, (_W, _H))  # pixels to figure fractions
        self.ax_a, self.ax_g = fig.add_axes(px(52, 215, 270, 118)), fig.add_axes(px(400, 215, 270, 118))
        self.ax_map, self.ax_loss = fig.add_axes(px(52, 38, 232, 118)), fig.add_axes(px(400, 38, 270, 118))
        (self.a_line,) = self.ax_a.plot([], [], "o-", ms=3, color=_ACTIVATION_COLOR)
        (self.d_line,) = self.ax_g.plot([], [], "o-", ms=3, color=_DELTA_COLOR)
        (self.w_line,) = self.ax_g.plot([], [], "s--", ms=3, color=_WEIGHT_COLOR)
        for ax, title in ((self.ax_a, "spread (std) of the activations"), (self.ax_g, "")):
            ax.set_yscale("log")
            ax.yaxis.set_major_locator(LogLocator(numticks=4))
            ax.yaxis.set_minor_locator(NullLocator())
            ax.xaxis.set_major_locator(MaxNLocator(6, integer=True))
            ax.set_xlabel("layer", fontsize=_FONT, labelpad=1)
            ax.set_title(title, fontsize=_FONT, loc="left", pad=4)
            ax.grid(alpha=0.3)
        for x, text, color, align in ((0.0, "size of the error signal ‖δ‖", _DELTA_COLOR, "left"),
                                      (1.0, "of ‖∂J/∂W‖ (dashed)", _WEIGHT_COLOR, "right")):
            self.ax_g.text(x, 1.04, text, color=color, transform=self.ax_g.transAxes, fontsize=_FONT,
                           ha=align, va="bottom")
        self.map = self.ax_map.imshow(np.full((1, 1), np.nan), aspect="auto", origin="lower", cmap="viridis",
                                      vmin=_MAP_RANGE[0], vmax=_MAP_RANGE[1], interpolation="nearest")
        colorbar = fig.colorbar(self.map, cax=fig.add_axes(px(290, 38, 8, 118)))
        colorbar.ax.tick_params(labelsize=_FONT, length=2, pad=1)
        colorbar.set_label("log₁₀ ‖∂J/∂W‖", fontsize=_FONT, labelpad=2)
        self.ax_map.set_title("weight gradient of every layer", fontsize=_FONT, loc="left", pad=4)
        self.ax_map.set_xlabel("training step", fontsize=_FONT, labelpad=1)
        self.ax_map.set_ylabel("layer", fontsize=_FONT, labelpad=1)
        self.ax_map.yaxis.set_major_locator(MaxNLocator(5, integer=True))
        (self.loss_line,) = self.ax_loss.plot([], [], color=_LOSS_COLOR, lw=1.2)
        self.ax_loss.set_title("training loss (cross-entropy of each batch)", fontsize=_FONT, loc="left", pad=4)
        self.ax_loss.set_xlabel("training step", fontsize=_FONT, labelpad=1)
        self.ax_loss.grid(alpha=0.3)
        for ax in (self.ax_a, self.ax_g, self.ax_map, self.ax_loss):
            ax.tick_params(labelsize=_FONT, length=3, pad=2)
        self.changing = [self.a_line, self.d_line, self.w_line, self.map, self.loss_line]

    def update(self, stats, run, steps: int) -> None:
        """Show ``stats`` (every layer now) and the history of ``run``, on step axes ``steps`` long."""
        depth = stats.depth
        layers = np.arange(1, depth + 1)
        positive = lambda values: np.where(values > 0, values, np.nan)  # noqa: E731  (log axes)
        self.a_line.set_data(layers, positive(stats.activation_std))
        self.d_line.set_data(layers, positive(stats.delta_norm))
        self.w_line.set_data(layers, positive(stats.weight_grad_norm))
        for ax in (self.ax_a, self.ax_g):
            ax.set_xlim(0.5, depth + 0.5)
        self.ax_a.set_ylim(*_decades(stats.activation_std))
        self.ax_g.set_ylim(*_decades(np.concatenate([stats.delta_norm, stats.weight_grad_norm]), step=3))
        picture = np.full((depth, steps), np.nan)
        losses = np.asarray(run.losses[:steps])
        if losses.size:
            with np.errstate(divide="ignore"):
                picture[:, :losses.size] = np.log10(np.array(run.grad_norms[:steps]).T)
        self.map.set_data(picture)
        self.map.set_extent((0, steps, 0.5, depth + 0.5))
        self.loss_line.set_data(np.arange(1, losses.size + 1), losses)
        finite = losses[np.isfinite(losses)]
        top = max(3.0, 2.0 ** math.ceil(math.log2(finite.max() * 1.05))) if finite.size else 3.0
        self.ax_loss.set(xlim=(0, steps), ylim=(0, top))


class GradientFlowExplorer(TrainingWidget):
    """Live explorer of a deep network's gradients: build it, look at every layer, train it.

    Controls: ``"activation"`` (sigmoid, tanh, ReLU), ``"init"`` (LeCun, Glorot,
    He normal), ``"gain"`` (1/4 to 4, multiplies every weight matrix), ``"depth"``
    (2 to 50 dense layers), ``"width"`` (8 to 128 units per hidden layer) and
    ``"lr"`` (the SGD learning rate). Any change rebuilds the network from the same
    seed and shows it at initialization; each frame then runs ``steps_per_frame``
    SGD steps on mini-batches of 32 digits and measures every layer on a fixed
    batch of 64 digits.

    Parameters
    ----------
    seed : int, default 0
        Seed of the weights and of the order of the mini-batches.
    **settings
        Starting values of the controls, e.g. ``activation="relu", depth=30``.
    steps_per_frame, figsize, dpi
        As for :class:`~nnlib.book.widgets.training.TrainingWidget`.

    Attributes
    ----------
    run : nnlib.book.experiments.gradient_flow.FlowTraining
        The training run behind the picture.
    stats : nnlib.book.experiments.gradient_flow.FlowStats
        The per-layer statistics of the current network on the fixed batch.
    """

    figsize = (9.5, 5.25)
    headline_band = 24  # the top 24 pixels, free for the headline (films draw it there)
    layout = None  # the panels are placed by hand (FlowPanels)
    steps_per_frame = 1
    map_steps = 200  # training steps the map and the loss axis show at first (doubled when passed)
    metric_labels = {"val_accuracy": "validation accuracy"}

    def __init__(self, *, seed: int = 0, steps_per_frame: int | None = None, figsize=None, dpi: float | None = None,
                 **settings):
        self.seed = check_number(seed, "seed", low=0, integer=True)
        self._settings = settings
        X, y, _, _ = flow_digits()
        self._probe = (X[:_PROBE], y[:_PROBE])
        super().__init__(steps_per_frame=steps_per_frame, figsize=figsize, dpi=dpi)

    def controls(self) -> dict:
        start = {"activation": "tanh", "init": "lecun_normal", "gain": 1.0, "depth": 20, "width": 64, "lr": 0.05}
        unknown = set(self._settings) - set(start)
        if unknown:
            raise TypeError(f"unknown setting(s) {sorted(unknown)}; the settings are {list(start)}")
        start.update(self._settings)
        return {
            "activation": Choice(start["activation"], [(label, key) for key, label in FLOW_ACTIVATIONS.items()],
                                 "activation", width="190px"),
            "init": Choice(start["init"], [(label, key) for key, label in FLOW_INITS.items()], "initialization",
                           width="200px"),
            "gain": Number(start["gain"], 0.25, 4.0, "weight gain", log_base=2, step=0.125, readout=".3g"),
            "depth": Number(start["depth"], 2, min(50, MAX_DEPTH), "depth (layers)", integer=True),
            "width": Number(start["width"], 8, 128, "width", integer=True, step=8),
            "lr": Number(start["lr"], 0.001, 1.0, "learning rate", log_base=10, step=0.25, readout=".3g"),
        }

    def reset_state(self, values: dict) -> None:
        model = deep_mlp(values["depth"], width=values["width"], activation=values["activation"],
                         init=values["init"], gain=values["gain"], rng=self.seed)
        self.run = FlowTraining(model, lr=values["lr"], batch_size=32, rng=self.seed)
        self._stats, self._stats_step, self._val_accuracy = None, -1, None

    def train_step(self) -> dict:
        logs = self.run.step()
        if "val_accuracy" in logs:
            self._val_accuracy = logs["val_accuracy"]
        metrics = {"loss": logs["loss"]}
        if self._val_accuracy is not None:
            metrics["val_accuracy"] = f"{self._val_accuracy:.1%}"
        return metrics

    @property
    def stats(self):
        """The per-layer statistics of the network as it is now, on the fixed batch (measured once per step)."""
        if self._stats_step != self.run.n_steps:
            self._stats = measure_flow(self.run.model, *self._probe)
            self._stats_step = self.run.n_steps
        return self._stats

    @property
    def progress_message(self) -> str | None:
        """Why the loss is not going down: vanishing or exploding gradients when they are why, else the watch's verdict."""
        losses, stats = self.run.losses, self.stats
        stalled = len(losses) >= 30 and np.median(losses[-15:]) > 0.9 * np.median(losses[:5])
        if stalled and stats.delta_ratio < 1e-4:
            return (f"the loss is not going down, and the gradient vanishes on its way down: the error signal at "
                    f"layer 1 is {stats.delta_ratio:.1g} of that at layer {stats.depth}. A larger learning rate "
                    "will not fix that: try ReLU with He's initialization, or fewer layers.")
        message = super().progress_message
        if message is not None and stats.delta_ratio > 1e3:
            return (f"the loss is not going down, and the gradient explodes on its way down: the error signal at "
                    f"layer 1 is {stats.delta_ratio:.1g} times that at layer {stats.depth}. Try a smaller weight "
                    "gain or learning rate.")
        return message

    def headline(self) -> str:
        values = self.values
        setting = (f"{FLOW_ACTIVATIONS[values['activation']]}, {FLOW_INITS[values['init']]} weights × "
                   f"{values['gain']:.3g}, {values['depth']} layers of {values['width']}")
        return f"{setting} · {self.diverged or self.status_text()}"

    def draw(self, fig) -> dict:
        panels = FlowPanels(fig)
        panels.update(self.stats, self.run, self._steps_shown())
        return {"panels": panels, "changing": panels.changing}

    def update_figure(self, fig) -> None:
        self.drawn(fig)["panels"].update(self.stats, self.run, self._steps_shown())

    def _steps_shown(self) -> int:
        """Length of the step axes: :attr:`map_steps`, doubled while training passes it (a film's length in films)."""
        return int(self.axis_end(self.run.n_steps, self.map_steps if self.planned_steps is None else 1))

    def gain_film(self, gains=None, interval: float = 500, title: str | None = None, **settings) -> Film:
        """A film of the network at initialization while the weight gain sweeps ``gains`` (no training).

        Parameters
        ----------
        gains : sequence of float, optional
            One frame per gain, each in [1/4, 4]; default 16 gains from 1/2 to 2, geometrically spaced.
        interval : float, default 500
            Milliseconds between frames.
        title : str, optional
        **settings
            Other control values for the whole film, e.g. ``activation="relu"``.

        Returns
        -------
        Film
        """
        gains = list(np.geomspace(0.5, 2.0, 16) if gains is None else gains)
        before = self.values
        self.pause()
        figure = self.film_figure()

        def render_frame(index: int) -> None:
            self.set_values(**settings, gain=float(gains[index]))
            self._render(figure, full=index == 0)

        try:
            with one_blas_thread():
                return record_film(figure, render_frame, len(gains), interval, title)
        finally:
            self.set_values(**before)
