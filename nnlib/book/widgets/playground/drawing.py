"""The Playground's picture of a run: the network, the decision map with its key, the loss curves.

- The **network**: every input feature, hidden unit and output as a small map of
  its value over the plane, joined by lines whose colour is the sign of the
  weight (vermillion positive, blue negative) and whose width is its size. Each
  map is one unit's value on a 40 x 40 grid divided by its largest absolute
  value (white is 0): the *shape* of what the unit computes, not its scale.
- The **decision map**: the plane coloured by the prediction, :math:`P(\\text{class } 1)`
  for two classes (with a colour bar), the most likely class paled where the
  network is unsure for more (with a class key), the output for regression; the
  training points (white edge) and the test points (black edge) on top.
- The **loss curves** of the training and the test set, one point per epoch.

All the maps of the network are one image (a mosaic), and the lines one
collection: a frame updates a handful of artists. Both images are coloured here,
with a look-up table into 8-bit RGBA, the decision map already blended with
white (its points stand out): matplotlib then only resamples them, which is
several times faster than colour-mapping floats at every frame.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap, Normalize, to_rgb

from nnlib import activations
from nnlib.book.experiments.playground import FEATURES, PlaygroundRun
from nnlib.book.plots import CLASS_COLORS, INK, PROBABILITY_CMAP
from nnlib.layers import Dense

from ..render import pixel_box

__all__ = ["MAP_GRID", "UNIT_GRID", "NetworkLayout", "PlaygroundPicture", "decision_image", "map_rgba", "mosaic_rgba"]

MAP_GRID = 80  # the decision map is computed on MAP_GRID x MAP_GRID points
UNIT_GRID = 40  # each unit map shows every second of them
_GAP_X, _GAP_Y = 44, 8  # space between unit maps, in pixels of a unit map (room for the weight lines)
_LINK_COLORS = np.array([PROBABILITY_CMAP(0.0), PROBABILITY_CMAP(1.0)])  # negative blue, positive vermillion
_LUT = np.round(255 * PROBABILITY_CMAP(np.linspace(0, 1, 256))).astype(np.uint8)  # RGBA, opaque
_MAP_LUT = np.round(0.7 * _LUT + 0.3 * 255).astype(np.uint8)  # the map's colours: 70% over white (opaque RGBA)
_FONT = 10
_W, _H = 684, 396  # the figure's size in pixels at 72 dpi (9.5 x 5.5 inches)


_px = partial(pixel_box, (_W, _H))  # a rectangle in pixels from the bottom left, as figure fractions


def _normalised(values: np.ndarray) -> np.ndarray:
    """``values / max|values|`` (zeros stay zeros): a unit's map in [-1, 1]."""
    top = np.nanmax(np.abs(values)) if values.size else 0.0
    return values / top if np.isfinite(top) and top > 0 else np.zeros_like(values)


class NetworkLayout:
    """Where each unit map goes in the network mosaic (one image for all maps: fast to draw).

    Columns are the inputs, the hidden layers and the outputs; the maps of a
    column are centred vertically. Coordinates are pixels of the mosaic with
    the origin at the bottom left.

    Parameters
    ----------
    counts : sequence of int
        Units per column.
    """

    def __init__(self, counts):
        self.counts = list(counts)
        self.rows = max(self.counts)
        step_x, step_y = UNIT_GRID + _GAP_X, UNIT_GRID + _GAP_Y
        self.width = len(self.counts) * step_x - _GAP_X
        self.height = self.rows * step_y - _GAP_Y
        self.x0 = [c * step_x for c in range(len(self.counts))]
        # bottom row of unit i of column c (unit 0 at the top)
        self.y0 = [[self.height - ((self.rows - k) * step_y) // 2 - i * step_y - UNIT_GRID for i in range(k)]
                   for k in self.counts]

    def links(self, column: int) -> np.ndarray:
        """Segments from every unit of ``column`` to every unit of the next one, row-major like W."""
        half = UNIT_GRID / 2
        right, left = self.x0[column] + UNIT_GRID, self.x0[column + 1]
        return np.array([[(right, a + half), (left, b + half)]
                         for a in self.y0[column] for b in self.y0[column + 1]], dtype=float)

    def paste(self, mosaic: np.ndarray, column: int, maps: np.ndarray) -> None:
        """Write the maps (k, UNIT_GRID, UNIT_GRID) of ``column`` into the mosaic."""
        x = self.x0[column]
        for y, tile in zip(self.y0[column], maps):
            mosaic[y:y + UNIT_GRID, x:x + UNIT_GRID] = tile


def _lut_index(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Values in [low, high] as indices 0..255 into a look-up table (NaN -> 0)."""
    scaled = np.nan_to_num((values - low) / (high - low), nan=0.0)
    return np.clip(np.round(255 * scaled), 0, 255).astype(np.intp)


def map_rgba(image: np.ndarray, norm: Normalize) -> np.ndarray:
    """A decision map (values, or class colours in [0, 1]) as the 8-bit RGBA that is drawn: 70% over white."""
    if image.ndim == 3:
        rgb = np.round(255 * (0.7 * image + 0.3)).astype(np.uint8)
        return np.concatenate([rgb, np.full(rgb.shape[:2] + (1,), 255, np.uint8)], axis=2)
    return _MAP_LUT[_lut_index(image, norm.vmin, norm.vmax)]


def mosaic_rgba(mosaic: np.ndarray) -> np.ndarray:
    """The unit maps (values in [-1, 1], NaN between them) as 8-bit RGBA, transparent between the maps."""
    rgba = _LUT[_lut_index(mosaic, -1.0, 1.0)]
    rgba[np.isnan(mosaic), 3] = 0
    return rgba


def decision_image(run: PlaygroundRun, outputs: np.ndarray) -> np.ndarray:
    """The decision map: P(class 1), a class colour paled by uncertainty, or the regression output.

    Parameters
    ----------
    run : PlaygroundRun
    outputs : ndarray of shape (MAP_GRID**2, n_outputs)
        The network's outputs on the grid.

    Returns
    -------
    ndarray of shape (MAP_GRID, MAP_GRID) or (MAP_GRID, MAP_GRID, 3)
    """
    if run.config.is_regression:
        return outputs[:, 0].reshape(MAP_GRID, MAP_GRID)
    p = activations.softmax(outputs, axis=1)
    k = p.shape[1]
    if k == 2:
        return p[:, 1].reshape(MAP_GRID, MAP_GRID)
    colors = np.array([to_rgb(CLASS_COLORS[c]) for c in range(k)])
    confidence = np.clip((p.max(axis=1) - 1 / k) / (1 - 1 / k), 0, 1)[:, None]
    rgb = 1 - confidence * (1 - colors[p.argmax(axis=1)])
    return rgb.reshape(MAP_GRID, MAP_GRID, 3)


class PlaygroundPicture:
    """The Playground's panels for one run in a figure of 684 x 396 pixels, and their updates.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Empty.
    run : PlaygroundRun

    Attributes
    ----------
    changing : list of matplotlib.artist.Artist
        What :meth:`update` changes, in drawing order (for blitting).
    """

    def __init__(self, fig, run: PlaygroundRun):
        self.extent, self.grid_features = run.grid(MAP_GRID)
        self._draw_network(fig.add_axes(_px(0, 118, 335, 252)), run)
        self._draw_map(fig.add_axes(_px(380, 140, 205, 205)), run)
        self._draw_key(fig, run)
        self._draw_curves(fig.add_axes(_px(50, 40, 620, 58)))
        self.changing = [self.links, self.mosaic_image, self.map_image, *self.map_ax.spines.values(),
                         *self.points, self.train_curve, self.test_curve]

    def _draw_network(self, ax, run: PlaygroundRun) -> None:
        config = run.config
        self.layout = layout = NetworkLayout([len(config.features), *config.hidden, config.n_outputs])
        self.mosaic = np.full((layout.height, layout.width), np.nan)
        inputs = self.grid_features.T.reshape(-1, MAP_GRID, MAP_GRID)[:, ::2, ::2]
        layout.paste(self.mosaic, 0, np.array([_normalised(m) for m in inputs]))
        self.mosaic_image = ax.imshow(mosaic_rgba(self.mosaic), origin="lower", interpolation="nearest", zorder=1,
                                      extent=(0, layout.width, 0, layout.height))
        self.links = LineCollection(np.concatenate([layout.links(c) for c in range(len(layout.counts) - 1)]),
                                    zorder=0, alpha=0.75, capstyle="butt")  # under the maps
        ax.add_collection(self.links)
        for y, name in zip(layout.y0[0], config.features):
            ax.text(-6, y + UNIT_GRID / 2, FEATURES[name].label, ha="right", va="center", fontsize=_FONT)
        short = len(layout.counts) > 5  # many columns: short titles, so they do not run into each other
        titles = (["in"] if short else ["inputs"]) + [f"h{i + 1}" if short else f"layer {i + 1}"
                                                      for i in range(len(config.hidden))] + ["out" if short else "output"]
        for x, title in zip(layout.x0, titles):
            ax.text(x + UNIT_GRID / 2, layout.height + 6, title, ha="center", va="bottom", fontsize=_FONT)
        ax.set_xlim(-60, layout.width + 4)
        ax.set_ylim(-4, layout.height + 30)
        ax.set_aspect("equal", anchor="N")
        ax.set_axis_off()

    def _draw_map(self, ax, run: PlaygroundRun) -> None:
        config = run.config
        if config.is_regression:
            top = float(np.abs(np.vstack([run.y_train, run.y_test])).max())
            self.norm, title = Normalize(-top, top), "prediction"
            colors_train, colors_test = (PROBABILITY_CMAP(self.norm(y[:, 0])) for y in (run.y_train, run.y_test))
        else:
            self.norm = Normalize(0, 1)
            title = "P(class 1)" if config.n_classes == 2 else "most likely class"
            colors_train, colors_test = ([CLASS_COLORS[k] for k in y] for y in (run.y_train, run.y_test))
        self.map_image = ax.imshow(np.full((MAP_GRID, MAP_GRID, 4), 255, np.uint8), origin="lower",
                                   extent=self.extent, interpolation="bilinear")
        self.points = self._draw_points(ax, run, colors_train, colors_test)
        ax.set(xlim=self.extent[:2], ylim=self.extent[2:], aspect="equal")
        ax.set_title(title, fontsize=_FONT, pad=4)
        ax.tick_params(labelsize=_FONT, length=3, pad=2)
        ax.locator_params(nbins=5)
        ax.text(0.5, -0.12, "points: training (white edge), test (black edge)", transform=ax.transAxes,
                ha="center", va="top", fontsize=_FONT, color=INK)
        self.map_ax = ax

    @staticmethod
    def _draw_points(ax, run: PlaygroundRun, colors_train, colors_test) -> list:
        """Training points (white edge) and test points (black edge): a line of markers per class (fast to
        draw), or for regression one scatter per set (a colour per point)."""
        edges = ((run.X_train, colors_train, "white", 0.6), (run.X_test, colors_test, "black", 0.7))
        if run.config.is_regression:
            return [ax.scatter(X[:, 0], X[:, 1], s=18, c=colors, edgecolors=edge, linewidths=width, zorder=3)
                    for X, colors, edge, width in edges]
        points = []
        for (X, _, edge, width), y in zip(edges, (run.y_train, run.y_test)):
            for k in np.unique(y):
                (line,) = ax.plot(X[y == k, 0], X[y == k, 1], "o", markersize=4.5, color=CLASS_COLORS[k],
                                  markeredgecolor=edge, markeredgewidth=width, zorder=3)
                points.append(line)
        return points

    def _draw_key(self, fig, run: PlaygroundRun) -> None:
        """A colour bar for P(class 1) or the regression output; a class key for more classes."""
        config = run.config
        if config.is_regression or config.n_classes == 2:
            ax = fig.add_axes(_px(597, 140, 11, 205))
            values = np.linspace(self.norm.vmin, self.norm.vmax, 101)[:, None]
            ax.imshow(values, origin="lower", aspect="auto", cmap=ListedColormap(_MAP_LUT / 255), norm=self.norm,
                      extent=(0, 1, self.norm.vmin, self.norm.vmax))  # the map's colours, blended alike
            ax.set_xticks([])
            ax.yaxis.tick_right()
            ax.tick_params(labelsize=_FONT, length=3, pad=2)
            ax.locator_params(axis="y", nbins=3)
            return
        for k in range(config.n_classes):
            y = (330 - 20 * k) / _H
            fig.text(597 / _W, y, "■", color=CLASS_COLORS[k], fontsize=12, va="center")
            fig.text(611 / _W, y, f"class {k}", fontsize=_FONT, va="center", color=INK)

    def _draw_curves(self, ax) -> None:
        (self.train_curve,) = ax.plot([], [], color=INK, linewidth=1.5, marker="o", markersize=3, markevery=[-1])
        (self.test_curve,) = ax.plot([], [], color=CLASS_COLORS[4], linewidth=1.5, linestyle="--", marker="o",
                                     markersize=3, markevery=[-1])
        ax.set_xlabel("epoch", fontsize=_FONT, labelpad=1)
        ax.set_ylabel("loss", fontsize=_FONT, labelpad=2)
        ax.tick_params(labelsize=_FONT, length=3, pad=2)
        ax.locator_params(axis="y", nbins=3)
        ax.grid(True, alpha=0.3)
        ax.text(0.0, 1.06, "training loss", transform=ax.transAxes, ha="left", va="bottom", fontsize=_FONT,
                color=INK)
        ax.text(0.14, 1.06, "test loss (dashed)", transform=ax.transAxes, ha="left", va="bottom",
                fontsize=_FONT, color=CLASS_COLORS[4])
        self.curves_ax = ax

    def update(self, run: PlaygroundRun, epochs_shown: float) -> None:
        """Show the current state of ``run``: unit maps, weights, decision map, loss curves.

        ``epochs_shown`` is the right end of the loss curves' epoch axis.
        """
        hidden, outputs = run.unit_values(self.grid_features)
        for column, values in enumerate([*hidden, outputs], start=1):
            maps = values.T.reshape(-1, MAP_GRID, MAP_GRID)[:, ::2, ::2]
            self.layout.paste(self.mosaic, column, np.array([_normalised(m) for m in maps]))
        self.mosaic_image.set_data(mosaic_rgba(self.mosaic))
        widths, colors = [], []
        for W in (layer.params["W"] for layer in run.model.layers if isinstance(layer, Dense)):
            w = W.ravel()
            top = np.nanmax(np.abs(w))
            widths.append(3.0 * np.abs(w) / top if np.isfinite(top) and top > 0 else np.zeros_like(w))
            colors.append(_LINK_COLORS[(w > 0).astype(int)])
        self.links.set_linewidths(np.concatenate(widths))
        self.links.set_color(np.concatenate(colors))
        self.map_image.set_data(map_rgba(decision_image(run, outputs), self.norm))
        self._update_curves(run.curves, epochs_shown)

    def _update_curves(self, curves: dict, right: float) -> None:
        """New data for the loss lines; the loss axis grows by a quarter when a loss goes past it (rarely)."""
        train, test = (np.asarray(curves[k], dtype=float) for k in ("loss", "test_loss"))
        epochs = np.arange(len(train))
        self.train_curve.set_data(epochs, train)
        self.test_curve.set_data(epochs, test)
        ax = self.curves_ax
        values = np.concatenate([train, test])
        values = values[np.isfinite(values)]
        top = ax.get_ylim()[1] if getattr(self, "_scaled", False) else 0.0
        if values.size and values.max() > top:
            top = 1.25 * float(values.max())
        self._scaled = True
        ax.set_xlim(-0.01 * right, right)  # epoch 0 clear of the left spine
        ax.set_ylim(0, top if top > 0 else 1.0)
