"""The loss chapter's widget: cross-entropy against MSE (or MAE) on the sigmoid, trained side by side.

The run is :class:`nnlib.book.experiments.loss_race.LossRaceRun` (see
:mod:`nnlib.book.experiments.loss_race` for the two gradients). The left panel
shows the data (0/1 targets, jittered vertically) and the two fitted probability
curves; the right panel the cross-entropy of both models against the step, so
the two runs are measured with the same yardstick.
"""

from __future__ import annotations

import numpy as np

from nnlib.book.experiments.loss_race import RIVALS, LossRaceRun, make_1d_data
from nnlib.book.plots import CLASS_COLORS, INK
from nnlib.book.validation import as_rng

from .controls import Choice, Number
from .training import TrainingWidget

__all__ = ["LossRace"]

_CE_COLOUR, _RIVAL_COLOUR = CLASS_COLORS[0], CLASS_COLORS[1]
_BOTTOM, _HEIGHT = 40 / 288, 180 / 288  # both panels, as fractions of the figure's 288 pixels


def _ceiling(value: float) -> float:
    """``value`` rounded up to one significant digit (5.3 -> 6, 0.47 -> 0.5): axis limits that change rarely."""
    power = 10.0 ** np.floor(np.log10(value))
    return float(np.ceil(value / power - 1e-9) * power)


class LossRace(TrainingWidget):
    """Cross-entropy against MSE (or MAE) on the sigmoid, trained side by side.

    Controls: the rival loss, the learning rate, and the starting weight
    :math:`w_0` (negative values start *confidently wrong*: the data have
    :math:`y = 1` for :math:`x > 0`). Both models start at
    :math:`(w, b) = (w_0, 0)`.

    Parameters
    ----------
    n : int, default 40
        Number of examples (from :func:`~nnlib.book.experiments.loss_race.make_1d_data`, fixed seed).
    **kwargs
        Passed to :class:`~nnlib.book.widgets.training.TrainingWidget` (``steps_per_frame``, ``figsize``, ``dpi``).

    Attributes
    ----------
    x, y : ndarray of shape (n, 1)
        The data.
    run : nnlib.book.experiments.loss_race.LossRaceRun
        The two runs being shown (``run.ce``, ``run.rival``).
    """

    figsize = (9.5, 4.0)
    headline_band = 26  # the top 26 pixels, free for the headline (films draw it there)
    layout = None  # the panels are placed by hand (see draw)
    steps_per_frame = 5
    metric_labels = {"loss": "cross-entropy", "rival_ce": "rival's cross-entropy", "rival_loss": "rival's own loss"}

    def __init__(self, n: int = 40, **kwargs):
        self.x, self.y = make_1d_data(n, rng=0)
        self._jitter = as_rng(1).uniform(-0.04, 0.04, size=self.y.shape[0])
        super().__init__(**kwargs)

    def controls(self) -> dict:
        return {
            "rival": Choice("mse", [(label, name) for name, label in RIVALS.items()], "rival", width="190px"),
            "lr": Number(1.0, 0.01, 10.0, "learning rate", log_base=10, step=0.1, readout=".3g"),
            "w0": Number(-4.0, -8.0, 8.0, "start w₀", step=0.5),
        }

    def reset_state(self, values: dict) -> None:
        self.run = LossRaceRun(self.x, self.y, values["rival"], lr=values["lr"], w0=values["w0"])

    def train_step(self) -> dict:
        return self.run.step()

    def draw(self, fig) -> dict:
        """Both panels from scratch, in fixed places; :meth:`update_figure` then keeps them current."""
        ax_fit = fig.add_axes((50 / 684, _BOTTOM, 270 / 684, _HEIGHT))
        ax_loss = fig.add_axes((400 / 684, _BOTTOM, 270 / 684, _HEIGHT))
        x_grid = np.linspace(self.x.min() - 0.5, self.x.max() + 0.5, 200)
        points = ax_fit.scatter(self.x[:, 0], self.y[:, 0] + self._jitter, s=18, zorder=3, edgecolors="white",
                                linewidths=0.5, c=[CLASS_COLORS[int(k)] for k in self.y[:, 0]])
        (ce_fit,) = ax_fit.plot(x_grid, x_grid, color=_CE_COLOUR, lw=2)
        (rival_fit,) = ax_fit.plot(x_grid, x_grid, color=_RIVAL_COLOUR, lw=2, ls="--")
        keys = _key(ax_fit, ["", ""])  # the weights, written at every frame
        ax_fit.set(ylim=(-0.1, 1.1), xlim=(x_grid[0] - 0.2, x_grid[-1] + 0.2))  # curves clear of the spines
        ax_fit.set_xlabel("x", fontsize=10, labelpad=1)
        ax_fit.set_ylabel("p = σ(wx + b)", fontsize=10, labelpad=2)

        # the cross-entropy at every step so far and now (a dot): at step 0, the two starting values
        (ce_loss,) = ax_loss.plot([], [], color=_CE_COLOUR, lw=2, marker="o", markersize=4, markevery=[-1])
        (rival_loss,) = ax_loss.plot([], [], color=_RIVAL_COLOUR, lw=2, ls="--", marker="o", markersize=4,
                                     markevery=[-1])
        ax_loss.set_xlabel("step", fontsize=10, labelpad=1)
        ax_loss.set_ylabel("cross-entropy on the data", fontsize=10, labelpad=2)
        _key(ax_loss, ["trained with cross-entropy", f"trained with {RIVALS[self.run.rival_name]}"])
        for ax in (ax_fit, ax_loss):
            ax.tick_params(labelsize=10, length=3, pad=2)
            ax.grid(True, alpha=0.3)
        artists = {"x_grid": x_grid, "ce_fit": ce_fit, "rival_fit": rival_fit, "keys": keys,
                   "ce_loss": ce_loss, "rival_loss": rival_loss,
                   "changing": [ce_fit, rival_fit, points, *keys, ce_loss, rival_loss,
                                *ax_loss.spines.values()]}  # the spines: over a curve that runs along 0
        self._update(artists)
        return artists

    def update_figure(self, fig) -> None:
        self._update(self.drawn(fig))

    def _update(self, artists: dict) -> None:
        """Put the current state into the artists of one figure (curves, weights, limits)."""
        x_grid, rival_label = artists["x_grid"], RIVALS[self.run.rival_name]
        runs = ((self.run.ce, artists["ce_fit"], "cross-entropy"), (self.run.rival, artists["rival_fit"], rival_label))
        for (run, fit, label), key in zip(runs, artists["keys"]):
            fit.set_ydata(run.probability(x_grid))
            key.set_text(f"fitted with {label}: w = {run.weight:.2f}")
        ce = [*self.run.ce.history["ce"], self.run.ce.cross_entropy()]  # at steps 0, 1, ..., now
        rival = [*self.run.rival.history["ce"], self.run.rival.cross_entropy()]
        steps = np.arange(len(ce))
        artists["ce_loss"].set_data(steps, ce)
        artists["rival_loss"].set_data(steps, rival)
        ax = artists["ce_loss"].axes
        right = self.axis_end(len(steps), 50)  # past the last point: clear of the right spine
        finite = np.asarray([v for v in (*ce, *rival) if np.isfinite(v)] or [1.0])
        ax.set_xlim(-1, right)  # the dots at step 0 clear of the left spine
        ax.set_ylim(0, _ceiling(1.1 * float(finite.max())))


def _key(ax, texts) -> list:
    """Two lines above ``ax``, each a line sample (cross-entropy solid, the rival dashed) and a text."""
    made = []
    for i, (text, color, style) in enumerate(zip(texts, (_CE_COLOUR, _RIVAL_COLOUR), ("-", "--"))):
        y = 1.04 + 0.1 * (1 - i)
        ax.plot([0.0, 0.07], [y, y], transform=ax.transAxes, color=color, lw=2, ls=style, clip_on=False)
        made.append(ax.text(0.09, y, text, transform=ax.transAxes, va="center", fontsize=10, color=INK))
    return made
