"""The perceptron chapter's widget: watch the boundary move, mistake by mistake.

The left panel shows the plane coloured by the current prediction, the boundary
:math:`\\mathbf{w}^\\top\\mathbf{x} + b = 0`, the weight vector (normal to the
line, pointing to the class-1 side), the example just seen (ringed: orange, or
black when it caused an update) and the points the current weights get wrong
(crossed). The right panel counts the mistakes of every epoch. The run is
:class:`nnlib.book.experiments.perceptron.PerceptronRun`.

Use it in a notebook (the last expression of a cell displays it)::

    from nnlib.book.widgets import PerceptronWidget
    PerceptronWidget(dataset="XOR")

or headlessly (tests, the book build)::

    w = PerceptronWidget(dataset="separable")
    w.step(); w.state_metrics        # {"epoch": 1, "mistakes": 1, ...}
    w.film(n_frames=40, steps_per_frame=3)
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon

from nnlib.book.experiments.perceptron import PERCEPTRON_DATASETS, PerceptronRun, halfplane_in_box, line_in_box
from nnlib.book.plots import CLASS_COLORS, HIGHLIGHT, INK, lighten

from .controls import Choice, Number
from .training import TrainingWidget

__all__ = ["PerceptronWidget"]

_REGIONS = (lighten(CLASS_COLORS[0], 0.72), lighten(CLASS_COLORS[1], 0.72))  # predicted 0, predicted 1
_CURRENT, _UPDATE = HIGHLIGHT, "#000000"  # rings: the example just seen; an update
_PANEL = 200 / 288  # the panels' height, as a fraction of the figure's (200 of 288 pixels)


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5, 10, 20, 50, ... at least ``value`` (axis limits that change rarely)."""
    top = 1.0
    while top < value:
        top *= 2.5 if str(int(top))[0] == "2" else 2
    return top


class PerceptronWidget(TrainingWidget):
    """Train a perceptron one example at a time and watch the boundary move.

    Controls: the data set (``"separable"``, ``"AND"``, ``"OR"``, ``"XOR"``,
    ``"noisy"``), the learning rate :math:`\\eta`, the maximum number of epochs, the
    initial weights (``"zeros"`` or ``"normal"``, i.e. :math:`\\mathcal{N}(0, 0.01^2)`)
    and the seed of the generated data sets. One training step presents one
    example; training stops after the first epoch without a mistake (converged) or
    after the last epoch. The metrics are those of :meth:`PerceptronRun.step
    <nnlib.book.experiments.perceptron.PerceptronRun.step>`.

    Parameters
    ----------
    dataset : str, default "separable"
        Initial value of the data-set control.
    lr : float, default 1.0
        Initial learning rate, in [0.01, 10].
    epochs : int, default 20
        Initial maximum number of epochs, in [1, 100].
    init : {"zeros", "normal"}, default "zeros"
        Initial weights.
    seed : int, default 0
        Seed of the generated data sets and of ``init="normal"``, in [0, 99].
    n_points : int, default 30
        Number of points of the generated data sets.
    **kwargs
        Passed to :class:`~nnlib.book.widgets.training.TrainingWidget` (``steps_per_frame``, ``figsize``, ``dpi``).

    Attributes
    ----------
    run : nnlib.book.experiments.perceptron.PerceptronRun
        The run being shown (its perceptron, data and counts).
    """

    figsize = (9.5, 4.0)
    headline_band = 26  # the top 26 pixels, free for the headline (films draw it there)
    layout = None  # the panels are placed by hand (see draw)
    step_name = "example"
    metric_labels = {"epoch_mistakes": "mistakes this epoch"}
    watched_metric = None  # no loss: the mistakes are the measure

    def __init__(self, dataset: str = "separable", lr: float = 1.0, epochs: int = 20, init: str = "zeros",
                 seed: int = 0, n_points: int = 30, **kwargs):
        self._initial = {"dataset": dataset, "lr": lr, "epochs": epochs, "init": init, "seed": seed}
        self.n_points = int(n_points)
        super().__init__(**kwargs)

    def controls(self) -> dict:
        start = self._initial
        return {
            "dataset": Choice(start["dataset"], PERCEPTRON_DATASETS, "data", width="190px"),
            "lr": Number(start["lr"], 0.01, 10.0, "learning rate η", log_base=10, step=0.25, readout=".3g"),
            "epochs": Number(start["epochs"], 1, 100, "max epochs", integer=True),
            "init": Choice(start["init"], ("zeros", "normal"), "initial weights", width="210px"),
            "seed": Number(start["seed"], 0, 99, "seed", integer=True),
        }

    def reset_state(self, values: dict) -> None:
        self.run = PerceptronRun(values["dataset"], values["lr"], values["epochs"], values["init"],
                                 values["seed"], self.n_points)
        X = self.run.X
        centre = (X.min(axis=0) + X.max(axis=0)) / 2
        half = (X.max(axis=0) - X.min(axis=0)).max() / 2 + (0.6 if values["dataset"] in ("AND", "OR", "XOR") else 0.4)
        self.extent = (centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half)  # a square

    def train_step(self) -> dict:
        return self.run.step()

    # -- drawing: draw makes the artists, update_figure gives them the state ------------------------

    def draw(self, fig) -> dict:
        """The plane (left), the legend (middle) and the mistakes per epoch (right), in fixed places."""
        plane = fig.add_axes((50 / 684, 40 / 288, 200 / 684, _PANEL))
        counts = fig.add_axes((470 / 684, 40 / 288, 200 / 684, _PANEL))
        artists = {**self._draw_plane(plane), **self._draw_counts(counts)}
        fig.legend(handles=_legend_handles(), loc="center", bbox_to_anchor=(360 / 684, 140 / 288), fontsize=10,
                   frameon=False, handletextpad=0.5, labelspacing=0.55)
        plane_changing = [artists[k] for k in ("regions", "points", "line", "arrow", "w_label", "wrong", "ring",
                                                 "message", "title")] + list(plane.spines.values())  # over regions
        artists["changing"] = plane_changing + [artists[k] for k in ("bars", "counts_title", "converged")] + list(
            counts.spines.values())  # over the bars' feet
        self._update(artists)
        return artists

    def update_figure(self, fig) -> None:
        self._update(self.drawn(fig))

    def _draw_plane(self, ax) -> dict:
        X, y = self.run.X, self.run.y
        ax.set_facecolor(_REGIONS[0])  # predicted 0, where the class-1 half-plane is not
        regions = ax.add_patch(Polygon(np.zeros((0, 2)), closed=True, facecolor=_REGIONS[1], edgecolor="none",
                                       zorder=0))
        points = ax.scatter(X[:, 0], X[:, 1], s=36, c=[CLASS_COLORS[k] for k in y], edgecolors="white",
                            linewidths=0.7, zorder=3)
        (line,) = ax.plot([], [], color=INK, linewidth=1.8, zorder=2)
        arrow = ax.annotate("", xy=(0, 0), xytext=(0, 0), zorder=5,
                            arrowprops={"arrowstyle": "->", "color": INK, "linewidth": 1.6})
        w_label = ax.text(0, 0, "w", fontsize=11, ha="center", va="center", color=INK, zorder=5)
        wrong = ax.scatter([], [], marker="x", s=48, color="black", linewidths=1.5, zorder=4)
        ring = ax.scatter([], [], s=280, facecolors="none", zorder=6)
        message = ax.figure.text(360 / 684, 36 / 288, "", ha="center", va="center", fontsize=10, color=INK,
                                 fontstyle="italic")  # under the key: it never covers the points
        title = ax.set_title("", fontsize=10, y=1.0, pad=4)
        ax.set(xlim=self.extent[:2], ylim=self.extent[2:], aspect="equal")
        ax.set_xlabel("$x_1$", fontsize=10, labelpad=1)
        ax.set_ylabel("$x_2$", fontsize=10, labelpad=1)
        ax.tick_params(labelsize=10, length=3, pad=2)
        ax.locator_params(nbins=4)
        return {"regions": regions, "points": points, "line": line, "arrow": arrow, "w_label": w_label,
                "wrong": wrong, "ring": ring, "message": message, "title": title}

    def _draw_counts(self, ax) -> dict:
        bars = ax.add_collection(PolyCollection([], zorder=2))
        ax.set_xlabel("epoch", fontsize=10, labelpad=1)
        ax.set_ylabel("mistakes", fontsize=10, labelpad=2)
        ax.tick_params(labelsize=10, length=3, pad=2)
        ax.grid(True, axis="y", alpha=0.3)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.yaxis.get_major_locator().set_params(integer=True)
        title = ax.set_title("", fontsize=10, y=1.0, pad=4)
        converged = ax.text(0.97, 0.95, "", transform=ax.transAxes, ha="right", va="top", fontsize=10,
                            color=CLASS_COLORS[2], fontweight="bold")
        return {"bars": bars, "counts_title": title, "converged": converged}

    def _update(self, artists: dict) -> None:
        self._update_plane(artists)
        self._update_counts(artists)

    def _update_plane(self, artists: dict) -> None:
        run, p = self.run, self.run.perceptron
        x_min, x_max, y_min, y_max = self.extent
        side = halfplane_in_box(p.w, p.b, self.extent)  # where w.x + b >= 0: predicted 1
        artists["regions"].set_xy(side if len(side) else np.zeros((1, 2)))
        artists["regions"].set_visible(len(side) > 0)
        artists["wrong"].set_offsets(run.X[p.predict(run.X) != run.y].reshape(-1, 2))
        segment = line_in_box(p.w, p.b, self.extent)
        artists["message"].set_visible(segment is None)
        for name in ("line", "arrow", "w_label"):
            artists[name].set_visible(segment is not None)
        if segment is None:
            artists["message"].set_text("boundary outside the view:\nevery point shown gets one label"
                                        if np.any(p.w != 0) else "w = 0: no boundary,\nevery point gets ŷ = step(b)")
        else:
            artists["line"].set_data(segment[:, 0], segment[:, 1])
            middle = segment.mean(axis=0)
            arrow = 0.18 * (x_max - x_min) * p.w / np.linalg.norm(p.w)
            artists["arrow"].xy = middle + arrow
            artists["arrow"].set_position(middle)  # the arrow's tail
            artists["w_label"].set_position(middle + 1.2 * arrow)
        ring, last = artists["ring"], run.last
        ring.set_visible(last is not None)
        if last is not None:
            ring.set_offsets([last.x])
            ring.set_edgecolor(_UPDATE if last.mistake else _CURRENT)
            ring.set_linewidth(2.4 if last.mistake else 2.0)
        artists["title"].set_text(f"w = ({p.w[0]:.3g}, {p.w[1]:.3g}),  b = {p.b:.3g}")

    def _update_counts(self, artists: dict) -> None:
        run = self.run
        counts = run.mistakes_per_epoch or [0]
        running = run.last is not None and not run.epoch_done  # the last bar is an epoch still running
        artists["bars"].set_verts([[(e + 0.6, 0), (e + 0.6, c), (e + 1.4, c), (e + 1.4, 0)]
                                   for e, c in enumerate(counts)])
        colors = [CLASS_COLORS[0]] * len(counts)
        if running:
            colors[-1] = CLASS_COLORS[5]
        artists["bars"].set_facecolor(colors)
        ax = artists["bars"].axes
        right = self.axis_end(len(counts), 5, per_step=1 / len(run.y))
        ax.set_xlim(0.4, right + 0.6)
        ax.set_ylim(0, _nice_ceiling(max(max(counts), 4) * 1.1))
        title = f"mistakes per epoch (total {run.mistakes}"
        title += f"; bound {run.bound:.0f})" if run.bound is not None else ")"
        artists["counts_title"].set_text(title)
        artists["converged"].set_text("converged:\nan epoch without\nmistakes" if run.converged else "")


def _legend_handles() -> list:
    """The key of the plane: classes, regions, marks (the same in every frame)."""
    point = {"marker": "o", "linestyle": "none", "markersize": 7, "markeredgecolor": "white"}
    ring = {"marker": "o", "linestyle": "none", "markersize": 13, "markerfacecolor": "none", "markeredgewidth": 2}
    return [
        Line2D([], [], color=CLASS_COLORS[0], label="class 0", **point),
        Line2D([], [], color=CLASS_COLORS[1], label="class 1", **point),
        Patch(facecolor=_REGIONS[0], label="predicted 0"),
        Patch(facecolor=_REGIONS[1], label="predicted 1"),
        Line2D([], [], color=INK, linewidth=1.8, label="boundary"),
        Line2D([], [], marker="x", color="black", linestyle="none", markersize=7, markeredgewidth=1.5,
               label="misclassified"),
        Line2D([], [], markeredgecolor=_CURRENT, label="example seen", **ring),
        Line2D([], [], markeredgecolor=_UPDATE, label="update (mistake)", **ring),
    ]
