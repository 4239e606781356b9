"""The activation chapter's explorer: a batch sent up a deep stack of random layers, under the reader's controls.

Controls: the activation, a weight scale, a shift of the pre-activations and the
depth of the stack run by :func:`nnlib.book.experiments.deep_stack.run_deep_stack`.
The weights are fixed in kind: each entry is drawn from a normal distribution with
variance :math:`1/n_\\text{in}` (``"glorot_normal"`` on square layers), then
multiplied by the scale. Only the forward pass is shown (the chapter on
initialization follows the gradients). Four panels:

1. the activation :math:`g` and :math:`g'` over the histogram of the first layer's pre-activations,
   with the region where :math:`|g'| < 0.01` (the *saturation region*) shaded,
2. histograms of the activations at the first, middle and last layer,
3. the share of saturated units (:math:`|g'(z)| < 0.01`) layer by layer,
4. the spread (standard deviation) of the activations layer by layer.

Axis limits are rounded to round numbers, so that while a slider is dragged they
rarely change, and most pictures are blitted.
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np
from matplotlib.ticker import LogLocator, MaxNLocator, NullLocator, PercentFormatter

from nnlib.book.experiments.deep_stack import (
    ACTIVATION_LABELS,
    ACTIVATION_LAYERS,
    MAX_EXAMPLES,
    MAX_WIDTH,
    DeepStackRun,
    run_deep_stack,
)
from nnlib.book.plots import CLASS_COLORS, HIGHLIGHT, INK, lighten
from nnlib.book.validation import check_number

from .controls import Choice, Number
from .film import Film
from .interactive import InteractivePlot
from .render import pixel_box

__all__ = ["StackPanels", "ActivationExplorer", "SATURATED_SLOPE", "STACK_INIT"]

#: Below this slope :math:`|f'(z)|` a unit counts as saturated.
SATURATED_SLOPE = 0.01
#: The explorer's weights: variance 2/(n_in + n_out), i.e. 1/n_in on its square layers.
STACK_INIT = "glorot_normal"

_LAYER_COLORS = (CLASS_COLORS[0], HIGHLIGHT, CLASS_COLORS[1])  # first, middle, last layer
_SATURATION_COLOR = lighten(CLASS_COLORS[1], 0.8)
_N_BINS = 40
_Z_RANGE = 6.0
_F_LIMITS = (-1.8, 1.6)
_FONT = 10


def _nice(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten that is at least ``value`` (> 0)."""
    power = 10.0 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= value * (1 - 1e-12))


#: Activations whose outputs have fixed bounds: their histograms always span them.
_BOUNDS = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}


def _snapped_edges(arrays: list, step: float | None = None, bounds=None) -> np.ndarray:
    """Bin edges covering the 0.5 to 99.5 percentiles of all finite values, ends rounded to round numbers.

    ``step`` rounds the ends to its multiples (default: a round number near a quarter of the range);
    ``bounds`` fixes the ends instead. Round ends change rarely as a slider moves: blitted pictures.
    """
    if bounds is not None:
        return np.linspace(*bounds, _N_BINS + 1)
    finite = [a[np.isfinite(a)] for a in arrays]
    pooled = np.concatenate(finite) if finite else np.array([])
    if pooled.size == 0:
        return np.linspace(-1.0, 1.0, _N_BINS + 1)
    low, high = np.percentile(pooled, [0.5, 99.5])
    if high - low < 1e-9 * max(1.0, abs(low)):
        low, high = low - 0.5, high + 0.5
    step = step or _nice((high - low) / 4)
    return np.linspace(math.floor(low / step) * step, math.ceil(high / step) * step, _N_BINS + 1)


def _density(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    counts, _ = np.histogram(values, bins=edges)
    return counts / max(values.size, 1) / np.diff(edges)


def _shown_layers(depth: int) -> list[int]:
    """Indices (0-based) of the first, middle and last layer (repeats when depth < 3)."""
    return [0, (depth - 1) // 2, depth - 1]


class StackPanels:
    """The explorer's four panels in a figure, with the artists :meth:`update` changes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        An empty figure of 684 x 378 pixels (9.5 x 5.25 inches at 72 dpi).

    Attributes
    ----------
    changing : list of matplotlib.artist.Artist
        Everything :meth:`update` changes, in drawing order (for blitting).
    """

    def __init__(self, fig):
        px = partial(pixel_box, (684, 378))  # pixels to figure fractions
        self.ax_f, self.ax_a = fig.add_axes(px(45, 220, 280, 115)), fig.add_axes(px(385, 220, 280, 115))
        self.ax_sat, self.ax_s = fig.add_axes(px(45, 42, 280, 115)), fig.add_axes(px(385, 42, 280, 115))
        for ax in (self.ax_f, self.ax_a, self.ax_sat, self.ax_s):
            ax.tick_params(labelsize=_FONT, length=3, pad=2)
        self._draw_functions(self.ax_f)
        self.a_hists = self._draw_histograms(self.ax_a, "activation a = g(z)")
        self.layer_key = [self.ax_a.text(1.0 - 0.22 * (2 - i), 1.04, "", transform=self.ax_a.transAxes,
                                         color=color, fontsize=_FONT, ha="right", va="bottom")
                          for i, color in enumerate(_LAYER_COLORS)]
        self.ax_a.set_title("activations", fontsize=_FONT, pad=4, loc="left")
        self.sat_line = self._draw_per_layer(self.ax_sat, "saturated units (|g′| < 0.01)", CLASS_COLORS[1])
        self.ax_sat.set_ylim(-0.05, 1.05)
        self.ax_sat.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        self.ax_sat.set_yticks([0, 0.5, 1])
        self.a_std_line = self._draw_per_layer(self.ax_s, "spread (std) of the activations", CLASS_COLORS[0])
        self.ax_s.set_yscale("log")
        self.ax_s.yaxis.set_major_locator(LogLocator(numticks=4))
        self.ax_s.yaxis.set_minor_locator(NullLocator())
        self.changing = [self.saturation, self.z_hist, self.f_line, self.df_line, self.f_title, *self.a_hists,
                         *self.layer_key, self.sat_line, self.a_std_line]

    def _draw_functions(self, ax) -> None:
        self.z_axis = np.linspace(-_Z_RANGE, _Z_RANGE, 241)
        self.z_edges = np.linspace(-_Z_RANGE, _Z_RANGE, 242)  # one bin around each point of z_axis
        self.saturation = ax.stairs(np.full(241, _F_LIMITS[0]), self.z_edges, baseline=_F_LIMITS[0], fill=True,
                                    color=_SATURATION_COLOR, lw=0)
        self.z_hist = ax.stairs(np.zeros(48), np.linspace(-_Z_RANGE, _Z_RANGE, 49), fill=True, color="0.78",
                                alpha=0.8)
        (self.f_line,) = ax.plot(self.z_axis, self.z_axis, color=CLASS_COLORS[0], lw=1.8)
        (self.df_line,) = ax.plot(self.z_axis, self.z_axis, "--", color=CLASS_COLORS[1], lw=1.8)
        # below -1.3 no f or f' goes: room for the caption
        ax.set(xlim=(-_Z_RANGE, _Z_RANGE), ylim=_F_LIMITS, xticks=[-6, -3, 0, 3, 6], yticks=[-1, 0, 1])
        ax.set_xlabel("pre-activation z", fontsize=_FONT, labelpad=1)
        for x, text, color in ((0.0, "g", CLASS_COLORS[0]), (0.06, "g′ (dashed)", CLASS_COLORS[1]),
                               (0.34, "z in layer 1 (grey)", "0.4"), (0.72, "saturated", CLASS_COLORS[1])):
            ax.text(x, 1.04, text, color=color, transform=ax.transAxes, fontsize=_FONT, va="bottom")
        self.f_title = ax.text(0.5, 0.03, "", transform=ax.transAxes, fontsize=_FONT, ha="center", va="bottom",
                               color=INK)

    @staticmethod
    def _draw_histograms(ax, label: str) -> list:
        empty_edges, empty = np.linspace(0.0, 1.0, _N_BINS + 1), np.zeros(_N_BINS)
        hists = [ax.stairs(empty, empty_edges, color=color, linewidth=1.6) for color in _LAYER_COLORS]
        ax.set_yticks([])
        ax.set_xlabel(label, fontsize=_FONT, labelpad=1)
        ax.xaxis.set_major_locator(MaxNLocator(5, min_n_ticks=2))
        return hists

    @staticmethod
    def _draw_per_layer(ax, title: str, color):
        (line,) = ax.plot([1], [1], "o-", ms=3.5, color=color)
        ax.xaxis.set_major_locator(MaxNLocator(5, integer=True, min_n_ticks=2))
        ax.set_xlabel("layer", fontsize=_FONT, labelpad=1)
        ax.set_title(title, fontsize=_FONT, pad=4, loc="left")
        ax.grid(alpha=0.3)
        return line

    def update(self, run: DeepStackRun) -> None:
        """Show ``run``: move every line and histogram, reset limits and titles."""
        _, f, df = ACTIVATION_LAYERS[run.activation]
        slope = df(self.z_axis)
        self.saturation.set_data(np.where(np.abs(slope) < SATURATED_SLOPE, _F_LIMITS[1], _F_LIMITS[0]),
                                 self.z_edges)
        z1 = np.clip(run.pre_activations[0].ravel(), -_Z_RANGE, _Z_RANGE)
        counts, edges = np.histogram(z1, bins=48, range=(-_Z_RANGE, _Z_RANGE))
        self.z_hist.set_data(counts / max(counts.max(), 1), edges)
        self.f_line.set_ydata(f(self.z_axis))
        self.df_line.set_ydata(slope)
        saturated = run.saturated_fraction
        self.f_title.set_text(f"saturated: {saturated[0]:.0%} of layer 1, {saturated[-1]:.0%} of layer {run.depth}")

        shown = _shown_layers(run.depth)
        visible = [True] + [shown[i] != shown[i - 1] for i in (1, 2)]
        activations = [run.activations[l].ravel() for l in shown]
        self._set_histograms(self.ax_a, self.a_hists, activations, visible, bounds=_BOUNDS.get(run.activation))
        for text, l, keep in zip(self.layer_key, shown, visible):
            text.set_text(f"layer {l + 1}" if keep else "")
        depth_axis = np.arange(1, run.depth + 1)
        self.sat_line.set_data(depth_axis, saturated)
        self.ax_sat.set_xlim(0.5, run.depth + 0.5)
        self._set_spread(run, depth_axis)

    @staticmethod
    def _set_histograms(ax, artists, arrays, visible, step=None, bounds=None) -> None:
        edges, top = _snapped_edges(arrays, step, bounds), 0.0
        for artist, values, keep in zip(artists, arrays, visible):
            density = _density(values[np.isfinite(values)], edges)
            artist.set_data(density, edges)
            artist.set_visible(keep)
            top = max(top, density.max(initial=0.0))
        ax.set_xlim(edges[0], edges[-1])
        ax.set_ylim(0, _nice(1.08 * top) if top > 0 else 1.0)

    def _set_spread(self, run: DeepStackRun, depth_axis: np.ndarray) -> None:
        spreads = np.where(run.activation_std > 0, run.activation_std, np.nan)
        self.a_std_line.set_data(depth_axis, spreads)
        finite = spreads[np.isfinite(spreads)]
        low, high = (finite.min(), finite.max()) if finite.size else (0.1, 10.0)
        bottom = 10.0 ** (2 * math.floor(math.log10(low / 2) / 2))  # steps of 100: rarely new limits
        top = 10.0 ** (2 * math.ceil(math.log10(high * 2) / 2))
        self.ax_s.set_xlim(0.5, run.depth + 0.5)
        self.ax_s.set_ylim(bottom, top)


class ActivationExplorer(InteractivePlot):
    """Live explorer: activation, weight scale, shift and depth of a random stack, forward only.

    Controls: ``"activation"`` (sigmoid, tanh, ReLU, leaky ReLU), ``"scale"``
    (1/8 to 4, multiplies every weight matrix), ``"shift"`` (-4 to 4, every bias)
    and ``"depth"`` (1 to 30). The weights are drawn with variance
    :math:`1/n_\\text{in}` (:data:`STACK_INIT` on square layers) before scaling.
    Every change rebuilds the stack from the same seed (so one setting changes
    at a time), runs :func:`~nnlib.book.experiments.deep_stack.run_deep_stack` and updates the
    four panels of :class:`StackPanels`. Sliders clamp values to their range and
    the dropdown refuses values it does not offer (``traitlets.TraitError``).

    Parameters
    ----------
    width : int, default 64
        Units per layer.
    n : int, default 128
        Examples in the batch.
    seed : int, default 0
        Seed of inputs and weights.
    dpi : float, optional
        Resolution of the live figure.

    Attributes
    ----------
    run : nnlib.book.experiments.deep_stack.DeepStackRun
        The run behind the current picture.
    """

    figsize = (9.5, 5.25)
    headline_band = 24  # the top 24 pixels, free for the headline (films draw it there)
    layout = None  # the panels are placed by hand (StackPanels)

    def __init__(self, *, width: int = 64, n: int = 128, seed: int = 0, dpi: float | None = None):
        self.width = check_number(width, "width", low=1, high=MAX_WIDTH, integer=True)
        self.n = check_number(n, "n", low=1, high=MAX_EXAMPLES, integer=True)
        self.seed = check_number(seed, "seed", low=0, integer=True)
        super().__init__(dpi=dpi)

    def controls(self) -> dict:
        return {
            "activation": Choice("sigmoid", [(ACTIVATION_LABELS[name] + (" (α = 0.01)" if name == "leaky_relu" else ""),
                                              name) for name in ACTIVATION_LAYERS], "activation", width="230px"),
            "scale": Number(1.0, 0.125, 4.0, "weight scale", log_base=2, step=0.25, readout=".3g"),
            "shift": Number(0.0, -4.0, 4.0, "shift", step=0.25),
            "depth": Number(10, 1, 30, "depth", integer=True),
        }

    def prepare(self, values: dict) -> None:
        """Run the stack for the control ``values``."""
        super().prepare(values)
        self.run = run_deep_stack(values["activation"], depth=values["depth"], scale=values["scale"],
                                  shift=values["shift"], init=STACK_INIT, width=self.width, n=self.n,
                                  rng=self.seed)

    def headline(self) -> str:
        run = self.run
        return (f"{ACTIVATION_LABELS[run.activation]}: weights × {run.scale:.3g}, "
                f"shift {run.shift:+.3g}, {run.depth} layers")

    def draw(self, fig) -> dict:
        panels = StackPanels(fig)
        panels.update(self.run)
        return {"panels": panels}

    def update_figure(self, fig) -> None:
        self.drawn(fig)["panels"].update(self.run)

    def changing_artists(self, fig) -> list:
        return self.drawn(fig)["panels"].changing

    def scale_film(self, n_frames: int = 24, depth: int = 20, interval: int = 700) -> Film:
        """A film sweeping the weight scale from 1/4 to 4, first for sigmoid, then for ReLU.

        Parameters
        ----------
        n_frames : int, default 24
            Total number of frames, half per activation (2 to 40).
        depth : int, default 20
            Depth of both stacks.
        interval : int, default 700
            Milliseconds per frame (200 to 3000).

        Returns
        -------
        Film
        """
        n_frames = check_number(n_frames, "n_frames", low=2, high=40, integer=True)
        depth = check_number(depth, "depth", low=1, high=30, integer=True)
        interval = check_number(interval, "interval", low=200, high=3000, integer=True)
        scales = np.geomspace(0.25, 4.0, n_frames // 2)
        frames = [{"activation": name, "depth": depth, "shift": 0.0, "scale": float(s)}
                  for name in ("sigmoid", "relu") for s in scales]
        return self.film(frames, interval=interval)
