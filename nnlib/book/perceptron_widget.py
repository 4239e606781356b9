"""A live widget for the perceptron chapter: watch the boundary move, mistake by mistake.

One training step is one example shown to :class:`nnlib.perceptron.Perceptron`
(through :meth:`~nnlib.perceptron.Perceptron.train_steps`): the perceptron
predicts it, and if the prediction is wrong the rule

.. math::

    \\mathbf{w} \\leftarrow \\mathbf{w} + \\eta\\,(y - \\hat y)\\,\\mathbf{x}, \\qquad
    b \\leftarrow b + \\eta\\,(y - \\hat y)

moves the boundary :math:`\\mathbf{w}^\\top\\mathbf{x} + b = 0`. The left panel shows the
plane coloured by the current prediction, the boundary line, the weight vector
(normal to the line, pointing to the class-1 side), the example just seen (ringed;
a thick vermillion ring when it caused an update) and the points the current
weights get wrong (crossed). The right panel counts the mistakes of every epoch.

Use it in a notebook (the last expression of a cell displays it)::

    from nnlib.book.perceptron_widget import PerceptronWidget
    PerceptronWidget(dataset="XOR")

or headlessly (tests, the book build)::

    w = PerceptronWidget(dataset="separable")
    w.step(); w.state_metrics        # {"epoch": 1, "mistakes": 1, ...}
    w.film(n_frames=40, steps_per_frame=3)
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from nnlib.book.plots import CLASS_COLORS, grid_points, plot_decision_boundary
from nnlib.book.widgets import TrainingWidget
from nnlib.data import logic_gate, make_linearly_separable
from nnlib.perceptron import Perceptron, mistake_bound

__all__ = ["PerceptronWidget", "DATASETS", "make_dataset"]

#: The data sets the widget offers, in the order of its dropdown.
DATASETS = ("separable", "AND", "OR", "XOR", "noisy")

_SEPARABLE_MARGIN = 0.15  # geometric margin of the "separable" data set
_NOISY_STD = 0.35  # coordinate noise of the "noisy" data set (it usually overlaps)
_HIGHLIGHT = CLASS_COLORS[4]  # orange ring: the example just seen
_UPDATE = "#000000"  # black: what changed the weights
_RESOLUTION = 120  # grid points along each axis of the coloured plane


def make_dataset(name: str, n_points: int = 40, seed: int = 0):
    """The widget's data sets, as ``(X, y, boundary)``.

    Parameters
    ----------
    name : {"separable", "AND", "OR", "XOR", "noisy"}
        ``"separable"``: :func:`nnlib.data.make_linearly_separable` with margin 0.15;
        ``"AND"``, ``"OR"``, ``"XOR"``: the 4-row truth tables of
        :func:`nnlib.data.logic_gate`; ``"noisy"``: the separable construction with
        margin 0 and Gaussian noise of standard deviation 0.35, whose classes usually
        overlap.
    n_points : int
        Number of points of the generated data sets (ignored for the gates).
    seed : int
        Seed of the generated data sets (ignored for the gates).

    Returns
    -------
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,), int64
    boundary : tuple (w_star, b_star) or None
        A true separating line for ``"separable"`` (so the mistake bound can be
        computed), otherwise None.
    """
    if name not in DATASETS:
        raise ValueError(f"dataset: expected one of {list(DATASETS)}, got {name!r}")
    if name in ("AND", "OR", "XOR"):
        X, y = logic_gate(name.lower())
        return X, y, None
    if name == "separable":
        X, y, w_star, b_star = make_linearly_separable(
            n_points, margin=_SEPARABLE_MARGIN, rng=seed, return_boundary=True
        )
        return X, y, (w_star, b_star)
    X, y = make_linearly_separable(n_points, margin=0.0, noise=_NOISY_STD, rng=seed)
    return X, y, None


def _line_in_box(w, b, extent):
    """The two ends of the segment of ``w . x + b = 0`` inside the box ``extent``, or None."""
    x_min, x_max, y_min, y_max = extent
    w1, w2 = w
    ends = []
    if w2 != 0:  # crossings with the left and right edges
        for x1 in (x_min, x_max):
            x2 = -(w1 * x1 + b) / w2
            if y_min <= x2 <= y_max:
                ends.append((x1, x2))
    if w1 != 0:  # crossings with the bottom and top edges
        for x2 in (y_min, y_max):
            x1 = -(w2 * x2 + b) / w1
            if x_min <= x1 <= x_max:
                ends.append((x1, x2))
    if len(ends) < 2:
        return None
    ends = np.array(ends)
    far = np.argmax(np.linalg.norm(ends - ends[0], axis=1))  # corners can appear twice
    return ends[[0, far]]


class PerceptronWidget(TrainingWidget):
    """Train a perceptron one example at a time and watch the boundary move.

    Controls: the data set (``"separable"``, ``"AND"``, ``"OR"``, ``"XOR"``,
    ``"noisy"``), the learning rate :math:`\\eta`, the maximum number of epochs, the
    initial weights (``"zeros"`` or ``"normal"``, i.e. :math:`\\mathcal{N}(0, 0.01^2)`)
    and the seed of the generated data sets. One training step presents one
    example; training stops after the first epoch without a mistake (converged) or
    after the last epoch.

    Metrics after each step (the status line): ``epoch`` (from 1), ``mistakes``
    (updates so far, all epochs), ``epoch_mistakes`` (in the current epoch),
    ``accuracy`` (of the current weights on the whole data set) and, once an epoch
    makes no mistake, ``converged``.

    Parameters
    ----------
    dataset : str, default "separable"
        Initial value of the data-set control (one of :data:`DATASETS`).
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
        Passed to :class:`nnlib.book.widgets.TrainingWidget` (``steps_per_frame``,
        ``figsize``, ``dpi``).

    Attributes
    ----------
    perceptron : nnlib.perceptron.Perceptron
        The model being trained.
    X, y : ndarray
        The current data set.
    last : nnlib.perceptron.PerceptronStep or None
        The record of the latest step.
    mistakes_per_epoch : list of int
        Mistakes of every epoch started so far (the last one may be incomplete).
    bound : float or None
        Novikoff's bound :math:`(R/\\gamma)^2` for the separable data set, else None.
    """

    def __init__(
        self,
        dataset: str = "separable",
        lr: float = 1.0,
        epochs: int = 20,
        init: str = "zeros",
        seed: int = 0,
        n_points: int = 30,
        **kwargs,
    ):
        if dataset not in DATASETS:
            raise ValueError(f"dataset: expected one of {list(DATASETS)}, got {dataset!r}")
        if init not in ("zeros", "normal"):
            raise ValueError(f"init: expected 'zeros' or 'normal', got {init!r}")
        self._initial = {"dataset": dataset, "lr": lr, "epochs": epochs, "init": init, "seed": seed}
        self.n_points = int(n_points)
        super().__init__(**kwargs)

    # -- TrainingWidget interface --------------------------------------------------------

    def controls(self) -> dict:
        start = self._initial
        return {
            "dataset": widgets.Dropdown(options=DATASETS, value=start["dataset"], description="data"),
            "lr": widgets.FloatLogSlider(
                value=start["lr"], base=10, min=-2, max=1, step=0.25, description="learning rate η"
            ),
            "epochs": widgets.IntSlider(value=start["epochs"], min=1, max=100, description="max epochs"),
            "init": widgets.Dropdown(options=("zeros", "normal"), value=start["init"], description="init"),
            "seed": widgets.IntSlider(value=start["seed"], min=0, max=99, description="seed"),
        }

    def reset_state(self, values: dict) -> None:
        self.dataset = values["dataset"]
        self.X, self.y, boundary = make_dataset(self.dataset, self.n_points, values["seed"])
        self.bound = None if boundary is None else mistake_bound(self.X, self.y, *boundary)
        self.perceptron = Perceptron(2, lr=values["lr"], init=values["init"], rng=values["seed"])
        self._records = self.perceptron.train_steps(self.X, self.y, epochs=values["epochs"])
        self.last = None
        self.mistakes = 0
        self.mistakes_per_epoch: list[int] = []
        self._seen_in_epoch = 0
        self.converged = False
        self.padding = 0.6 if self.dataset in ("AND", "OR", "XOR") else 0.4
        low, high = self.X.min(axis=0) - self.padding, self.X.max(axis=0) + self.padding
        self.extent = (low[0], high[0], low[1], high[1])  # the same as plot_decision_boundary's

    def train_step(self) -> dict:
        record = next(self._records)  # StopIteration ends the run (the base marks it finished)
        if record.epoch == len(self.mistakes_per_epoch):  # a new epoch begins
            self.mistakes_per_epoch.append(0)
            self._seen_in_epoch = 0
        self._seen_in_epoch += 1
        self.mistakes_per_epoch[-1] += int(record.mistake)
        self.mistakes += int(record.mistake)
        self.last = record
        epoch_done = self._seen_in_epoch == len(self.y)
        self.converged = epoch_done and self.mistakes_per_epoch[-1] == 0
        metrics = {
            "epoch": record.epoch + 1,
            "mistakes": self.mistakes,
            "epoch_mistakes": self.mistakes_per_epoch[-1],
            "accuracy": float(np.mean(self.perceptron.predict(self.X) == self.y)),
        }
        if self.converged:
            metrics["converged"] = "yes"
        return metrics

    def draw(self, fig) -> None:
        ax_plane, ax_count = fig.subplots(1, 2, width_ratios=(1.2, 1))
        self._draw_plane(ax_plane)
        self._draw_counts(ax_count)
        self._legend_labels = None  # no legend yet
        self._update_artists()

    def update_figure(self, fig) -> None:
        """Bring the artists made by ``draw`` up to date: about twice as fast as drawing anew."""
        self._update_artists()

    def changing_artists(self) -> list:
        """For blitting: all of the plane but its ticks (regions, points, boundary, w, rings, title),
        then the whole count panel (its bars, limits and legend change)."""
        plane = self._image.axes
        static = (plane.patch, plane.xaxis, plane.yaxis)
        in_order = sorted(plane.get_children(), key=lambda artist: artist.get_zorder())  # as Axes.draw
        return [artist for artist in in_order if artist not in static] + [self._bars_ax]

    # -- drawing: draw makes the artists (in z-order), the _update methods give them the state ----

    def _update_artists(self) -> None:
        self._update_plane()
        self._update_counts()
        handles, labels = self._image.axes.get_legend_handles_labels()
        if labels != self._legend_labels:  # a marker appeared, disappeared or changed meaning
            self._bars_ax.legend(handles, labels, loc="upper left", fontsize="x-small", framealpha=0.8)
            self._legend_labels = labels

    def _draw_plane(self, ax) -> None:
        self._grid, _ = grid_points(self.X, _RESOLUTION, self.padding)
        self._image = plot_decision_boundary(
            ax, self.perceptron.predict, self.X, self.y, resolution=_RESOLUTION, padding=self.padding,
            alpha=0.3, point_size=30, n_classes=2,
        )
        self._wrong = ax.scatter(
            [], [], marker="x", s=40, color="black", linewidths=1.3, zorder=4, label="misclassified"
        )
        self._message = ax.text(
            0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center", fontsize="small", color="0.2",
            bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none"},
        )
        (self._line,) = ax.plot([], [], color="0.15", linewidth=1.6, zorder=2.5)
        self._arrow = ax.annotate(
            "", xy=(0, 0), xytext=(0, 0), arrowprops={"arrowstyle": "->", "color": "0.15", "linewidth": 1.4},
            zorder=5,
        )
        self._w_label = ax.text(0, 0, "w", fontsize="small", ha="center", va="center")
        self._ring = ax.scatter([], [], s=260, facecolors="none", zorder=6)
        ax.set_aspect("equal", adjustable="box")  # so that w looks perpendicular to the line

    def _update_plane(self) -> None:
        p = self.perceptron
        x_min, x_max, y_min, y_max = self.extent
        self._image.set_data(p.predict(self._grid).reshape(_RESOLUTION, _RESOLUTION))
        wrong = p.predict(self.X) != self.y
        self._wrong.set_offsets(self.X[wrong])
        self._wrong.set_label("misclassified" if wrong.any() else "_misclassified")  # "_": not in the legend
        segment = _line_in_box(p.w, p.b, self.extent)
        self._message.set_visible(segment is None)
        for artist in (self._line, self._arrow, self._w_label):
            artist.set_visible(segment is not None)
        if segment is None:
            if np.any(p.w != 0):
                self._message.set_text("boundary outside the view:\nall points shown get one label")
            else:
                self._message.set_text("w = 0: no boundary,\nevery point gets ŷ = step(b)")
        else:
            self._line.set_data(segment[:, 0], segment[:, 1])
            middle = segment.mean(axis=0)
            size = 0.18 * max(x_max - x_min, y_max - y_min)
            arrow = size * p.w / np.linalg.norm(p.w)
            self._arrow.xy = middle + arrow
            self._arrow.set_position(middle)  # the arrow's tail
            self._w_label.set_position(middle + 1.15 * arrow)
        self._ring.set_visible(self.last is not None)
        if self.last is None:
            self._ring.set_label("_ring")
        else:
            mistake = self.last.mistake
            self._ring.set_offsets([self.last.x])
            self._ring.set_edgecolor(_UPDATE if mistake else _HIGHLIGHT)
            self._ring.set_linewidth(2.4 if mistake else 1.6)
            self._ring.set_label("update" if mistake else "current (no update)")
        title = f"w = ({p.w[0]:.3g}, {p.w[1]:.3g}),  b = {p.b:.3g}"
        # An explicit y=1.0 (where matplotlib puts it anyway) saves it looking for tick labels above the axes.
        self._image.axes.set_title(title, fontsize="small", y=1.0)

    def _draw_counts(self, ax) -> None:
        self._bars_ax, self._bars = ax, None
        ax.set_xlabel("epoch")
        ax.set_ylabel("mistakes in the epoch")
        ax.grid(True, axis="y", alpha=0.3)
        ax.xaxis.get_major_locator().set_params(integer=True)

    def _update_counts(self) -> None:
        ax = self._bars_ax
        counts = self.mistakes_per_epoch or [0]
        epochs = np.arange(1, len(counts) + 1)
        colors = [CLASS_COLORS[0]] * len(counts)
        if self.last is not None and self._seen_in_epoch < len(self.y):
            colors[-1] = CLASS_COLORS[5]  # the epoch still running
        if self._bars is not None:
            self._bars.remove()
        self._bars = ax.bar(epochs, counts, color=colors, width=0.8)
        ax.set_xlim(0.4, max(len(counts), 5) + 0.6)
        ax.set_ylim(0, max(max(counts), 1) * 1.6 + 0.5)  # room for the legend and the text
        title = f"total mistakes: {self.mistakes}"
        if self.bound is not None:
            title += f"  (Novikoff bound (R/γ)² = {self.bound:.0f})"
        if self.converged:
            title += "\nconverged: an epoch without mistakes"
        ax.set_title(title, fontsize="small", y=1.0)  # y: see _update_plane
