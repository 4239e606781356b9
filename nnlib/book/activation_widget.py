"""The activation explorer of the chapter *Activation functions*.

A stack of random dense layers, each followed by the same activation, gets a
batch of standard-normal inputs; a random upstream gradient is sent back from
the top. :func:`run_deep_stack` records the pre-activations, activations and
backpropagated gradients of every layer, using nnlib's own
:class:`~nnlib.layers.Dense` and activation layers.
:class:`ActivationExplorer` puts controls on it (activation, initializer,
weight scale, shift of the pre-activations, depth) and draws

1. :math:`f` and :math:`f'` over the histogram of the first layer's
   pre-activations,
2. histograms of the activations at the first, middle and last layer,
3. histograms of :math:`\\log_{10}|\\delta|`, the gradients with respect to the
   pre-activations, at the same layers,
4. the spread (standard deviation) of activations and gradients layer by layer.

Layer :math:`l` computes

.. math::

    Z^{(l)} = A^{(l-1)} \\bigl(s\\,W^{(l)}\\bigr) + b\\,\\mathbf 1^\\top, \\qquad
    A^{(l)} = f\\bigl(Z^{(l)}\\bigr), \\qquad A^{(0)} = X \\sim \\mathcal N(0, 1),

with :math:`W^{(l)}` drawn by the chosen initializer, :math:`s` the *scale*
and :math:`b` the *shift*. Going down, with :math:`G \\sim \\mathcal N(0, 1)`
the gradient arriving at the top,

.. math::

    \\delta^{(L)} = G \\odot f'\\bigl(Z^{(L)}\\bigr), \\qquad
    \\delta^{(l)} = \\bigl(\\delta^{(l+1)} (s W^{(l+1)})^\\top\\bigr) \\odot f'\\bigl(Z^{(l)}\\bigr).

Initializer variances (``fan_in = fan_out = width``):
``"glorot_normal"`` :math:`2/(n_\\text{in} + n_\\text{out})`,
``"he_normal"`` :math:`2/n_\\text{in}`, ``"standard_normal"`` :math:`1`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.ticker import LogLocator, MaxNLocator, NullLocator

from nnlib import activations as act
from nnlib import layers
from nnlib._validation import as_rng, check_choice, check_number
from nnlib.book.widgets import FILM_DPI, InteractivePlot, animate, new_figure

__all__ = [
    "ACTIVATION_LAYERS",
    "INIT_CHOICES",
    "DeepStackRun",
    "build_stack",
    "run_deep_stack",
    "StackPanels",
    "draw_deep_stack",
    "ActivationExplorer",
]

#: Activation name -> (layer factory, f, f'), the leaky ReLU with nnlib's default alpha = 0.01.
ACTIVATION_LAYERS = {
    "sigmoid": (layers.Sigmoid, act.sigmoid, act.sigmoid_derivative),
    "tanh": (layers.Tanh, act.tanh, act.tanh_derivative),
    "relu": (layers.ReLU, act.relu, act.relu_derivative),
    "leaky_relu": (layers.LeakyReLU, act.leaky_relu, act.leaky_relu_derivative),
}

#: Initializer label -> (name, variance of W as a function of (fan_in, fan_out)).
INIT_CHOICES = {
    "glorot_normal": ("Glorot normal", lambda fan_in, fan_out: 2.0 / (fan_in + fan_out)),
    "he_normal": ("He normal", lambda fan_in, fan_out: 2.0 / fan_in),
    "standard_normal": ("N(0, 1)", lambda fan_in, fan_out: 1.0),
}

ACTIVATION_LABELS = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU"}

MAX_DEPTH = 50
MAX_WIDTH = 512
MAX_EXAMPLES = 4096


@dataclass
class DeepStackRun:
    """What one forward and backward pass through a random stack recorded.

    Attributes
    ----------
    activation, init : str
        The names used.
    scale, shift : float
        Weight multiplier and the constant added to every pre-activation.
    pre_activations, activations, gradients : list of ndarray, each (n, width)
        :math:`Z^{(l)}`, :math:`A^{(l)}` and :math:`\\delta^{(l)} = \\partial L/\\partial Z^{(l)}`
        for layers :math:`l = 1, \\dots, L` (index 0 is the first layer).
    """

    activation: str
    init: str
    scale: float
    shift: float
    pre_activations: list = field(repr=False)
    activations: list = field(repr=False)
    gradients: list = field(repr=False)

    @property
    def depth(self) -> int:
        """Number of layers :math:`L`."""
        return len(self.activations)

    @property
    def activation_std(self) -> np.ndarray:
        """Standard deviation of :math:`A^{(l)}` over the batch and the units, shape (L,)."""
        return np.array([a.std() for a in self.activations])

    @property
    def gradient_std(self) -> np.ndarray:
        """Standard deviation of :math:`\\delta^{(l)}` over the batch and the units, shape (L,)."""
        return np.array([g.std() for g in self.gradients])

    @property
    def saturated_fraction(self) -> np.ndarray:
        """Share of entries with :math:`|f'(Z^{(l)})| < 0.01` in each layer, shape (L,)."""
        df = ACTIVATION_LAYERS[self.activation][2]
        return np.array([np.mean(np.abs(df(z)) < 0.01) for z in self.pre_activations])


def _check_settings(activation, depth, scale, shift, init, width, n):
    activation = check_choice(activation, "activation", ACTIVATION_LAYERS)
    init = check_choice(init, "init", INIT_CHOICES)
    depth = check_number(depth, "depth", low=1, high=MAX_DEPTH, integer=True)
    scale = check_number(scale, "scale", low=0.0, low_inclusive=False, high=100.0)
    shift = check_number(shift, "shift", low=-100.0, high=100.0)
    width = check_number(width, "width", low=1, high=MAX_WIDTH, integer=True)
    n = check_number(n, "n", low=1, high=MAX_EXAMPLES, integer=True)
    return activation, depth, scale, shift, init, width, n


def build_stack(activation: str, depth: int, *, scale: float = 1.0, shift: float = 0.0,
                init: str = "glorot_normal", width: int = 64, rng=None) -> list:
    """The list of layers ``[Dense, act, Dense, act, ...]`` of a random stack.

    The weights come from ``init`` (``"standard_normal"`` draws N(0, 1) entries)
    and are then multiplied by ``scale``; every bias is set to ``shift``.
    Layers are drawn in order from ``rng``, so a deeper stack with the same
    seed starts with the same layers.
    """
    rng = as_rng(rng)
    layer_factory = ACTIVATION_LAYERS[activation][0]
    stack = []
    for _ in range(depth):
        if init == "standard_normal":
            dense = layers.Dense(width, width, init="zeros")
            dense.params["W"][:] = rng.standard_normal((width, width))
        else:
            dense = layers.Dense(width, width, init=init, rng=rng)
        dense.params["W"] *= scale
        dense.params["b"][:] = shift
        stack += [dense, layer_factory()]
    return stack


def run_deep_stack(activation: str = "sigmoid", *, depth: int = 10, scale: float = 1.0, shift: float = 0.0,
                   init: str = "glorot_normal", width: int = 64, n: int = 256, rng=0) -> DeepStackRun:
    """Send a batch up and a random gradient down a stack of random layers.

    Parameters
    ----------
    activation : {"sigmoid", "tanh", "relu", "leaky_relu"}
        The activation after every dense layer (leaky ReLU with alpha = 0.01).
    depth : int, 1 to 50
        Number of dense + activation layers.
    scale : float, > 0
        Every weight matrix is multiplied by it (its variance by ``scale**2``).
    shift : float
        Every bias, i.e. the constant added to every pre-activation.
    init : {"glorot_normal", "he_normal", "standard_normal"}
        Initializer of the weights before scaling.
    width : int
        Units per layer (and input features).
    n : int
        Examples in the batch.
    rng : numpy.random.Generator, int or None
        Source of the inputs, the weights and the upstream gradient (in that order).

    Returns
    -------
    DeepStackRun

    Raises
    ------
    ValueError, TypeError
        For an unknown name or an out-of-range number (e.g. ``depth=0``).
    """
    activation, depth, scale, shift, init, width, n = _check_settings(
        activation, depth, scale, shift, init, width, n)
    rng = as_rng(rng)
    x = rng.standard_normal((n, width))
    stack = build_stack(activation, depth, scale=scale, shift=shift, init=init, width=width, rng=rng)

    pre_activations, activations = [], []
    for dense, nonlinearity in zip(stack[::2], stack[1::2]):
        z = dense.forward(x)
        x = nonlinearity.forward(z)
        pre_activations.append(z)
        activations.append(x)

    upstream = rng.standard_normal(x.shape)
    gradients = [None] * depth
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for l in range(depth - 1, -1, -1):
            delta = stack[2 * l + 1].backward(upstream)
            gradients[l] = delta
            upstream = stack[2 * l].backward(delta)
    return DeepStackRun(activation, init, scale, shift, pre_activations, activations, gradients)


# ----------------------------------------------------------------------------- drawing

_LAYER_COLORS = ("#0072B2", "#E69F00", "#D55E00")  # first, middle, last layer (Okabe–Ito)
_N_BINS = 40
_Z_RANGE = 6.0


def _shown_layers(depth: int) -> list[int]:
    """Indices (0-based) of the first, middle and last layer (repeats when depth < 3)."""
    return [0, (depth - 1) // 2, depth - 1]


def _common_edges(arrays: list) -> np.ndarray:
    """Bin edges covering the 0.5 to 99.5 percentiles of all finite values together."""
    finite = [a[np.isfinite(a)] for a in arrays]
    pooled = np.concatenate(finite) if finite else np.array([])
    if pooled.size == 0:
        return np.linspace(-1.0, 1.0, _N_BINS + 1)
    low, high = np.percentile(pooled, [0.5, 99.5])
    if high - low < 1e-9 * max(1.0, abs(low)):
        low, high = low - 0.5, high + 0.5
    return np.linspace(low, high, _N_BINS + 1)


def _density(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    counts, _ = np.histogram(values, bins=edges)
    return counts / max(values.size, 1) / np.diff(edges)


class StackPanels:
    """The explorer's four panels in a figure, with artists that :meth:`update` changes in place.

    Creating axes, ticks and legends is most of matplotlib's cost; the live
    widget creates them once and afterwards only moves lines, histograms,
    limits and titles, which keeps a redraw fast. :func:`draw_deep_stack`
    (used by the film) builds a fresh set for each frame.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        An empty figure.
    """

    def __init__(self, fig):
        self.fig = fig
        fig.set_layout_engine("none")  # fixed margins: much faster than a layout engine
        margins = {"left": 0.05, "right": 0.98, "bottom": 0.1, "top": 0.87, "wspace": 0.15, "hspace": 0.55}
        (self.ax_f, self.ax_a), (self.ax_g, self.ax_s) = fig.subplots(2, 2, gridspec_kw=margins)
        self.title = fig.suptitle("", fontsize=10)
        empty_edges = np.linspace(0.0, 1.0, _N_BINS + 1)
        empty = np.zeros(_N_BINS)

        # Titles with an explicit y, labels and keys as plain texts: matplotlib then skips the
        # layout computations of automatic title positions, axis labels and legends (half the time).
        def title(ax, text=""):
            return ax.set_title(text, fontsize=9, y=1.0, pad=3)

        def xlabel(ax, text):
            ax.text(0.5, -0.17, text, transform=ax.transAxes, ha="center", va="top", fontsize=8)

        def key(ax, entries, x=0.02, ha="left"):  # coloured words, top down, in axes coordinates
            return [ax.text(x, 0.95 - 0.11 * i, text, color=color, transform=ax.transAxes, ha=ha, va="top",
                            fontsize=7) for i, (text, color) in enumerate(entries)]

        def key_above(ax, entries):  # coloured words in a row above the right end of the axes
            texts, x = [], 1.0
            for text, color in reversed(entries):
                texts.append(ax.text(x, 1.03, text, color=color, transform=ax.transAxes, ha="right",
                                     va="bottom", fontsize=7))
                x -= 0.2
            return texts[::-1]

        # 1. f and f' over the first layer's pre-activations
        ax = self.ax_f
        self.z_axis = np.linspace(-_Z_RANGE, _Z_RANGE, 241)
        self.z_hist = ax.stairs(np.zeros(48), np.linspace(-_Z_RANGE, _Z_RANGE, 49), fill=True, color="0.85")
        (self.f_line,) = ax.plot(self.z_axis, self.z_axis, color="#0072B2")
        (self.df_line,) = ax.plot(self.z_axis, self.z_axis, "--", color="#D55E00")
        ax.set(xlim=(-_Z_RANGE, _Z_RANGE), ylim=(-1.15, 1.6), xticks=[-6, -3, 0, 3, 6], yticks=[-1, 0, 1])
        xlabel(ax, "pre-activation z")
        key(ax, [("f", "#0072B2"), ("f' (dashed)", "#D55E00"), ("z of layer 1", "0.55")])
        self.f_title = title(ax)

        # 2. and 3. histograms of activations and of log10 |delta| at three layers
        self.a_hists, self.g_hists = [], []
        for target, store in ((self.ax_a, self.a_hists), (self.ax_g, self.g_hists)):
            for color in _LAYER_COLORS:
                store.append(target.stairs(empty, empty_edges, color=color, linewidth=1.4))
            target.set_yticks([])
        xlabel(self.ax_a, "activation a")
        self.layer_key = key_above(self.ax_a, [("", color) for color in _LAYER_COLORS])
        self.ax_a.set_title("activations", fontsize=9, y=1.0, pad=3, loc="left")
        xlabel(self.ax_g, "log10 |gradient w.r.t. z|  (same layers)")
        self.g_title = self.ax_g.set_title("", fontsize=9, y=1.0, pad=3, loc="left")

        # 4. spread per layer
        ax = self.ax_s
        (self.a_std_line,) = ax.plot([1], [1], "o-", ms=2.5, color="#0072B2")
        (self.g_std_line,) = ax.plot([1], [1], "o-", ms=2.5, color="#D55E00")
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(numticks=4))
        ax.yaxis.set_minor_locator(NullLocator())
        xlabel(ax, "layer")
        ax.set_title("std per layer", fontsize=9, y=1.0, pad=3, loc="left")
        key_above(ax, [("activations", "#0072B2"), ("gradients", "#D55E00")])
        ax.grid(alpha=0.3)
        for axes in (self.ax_a, self.ax_g, self.ax_s):
            axes.xaxis.set_major_locator(MaxNLocator(4, integer=axes is self.ax_s, min_n_ticks=1))
        for axes in (self.ax_f, self.ax_a, self.ax_g, self.ax_s):
            axes.tick_params(labelsize=7, pad=1.5)

    def update(self, run: DeepStackRun) -> None:
        """Show ``run``: move every line and histogram, reset limits and titles."""
        name = ACTIVATION_LABELS[run.activation]
        self.title.set_text(f"{name}, {INIT_CHOICES[run.init][0]} weights x {run.scale:.3g}, "
                            f"shift {run.shift:+.3g}, depth {run.depth}")
        _, f, df = ACTIVATION_LAYERS[run.activation]

        z1 = np.clip(run.pre_activations[0].ravel(), -_Z_RANGE, _Z_RANGE)
        counts, edges = np.histogram(z1, bins=48, range=(-_Z_RANGE, _Z_RANGE))
        self.z_hist.set_data(counts / max(counts.max(), 1), edges)
        self.f_line.set_ydata(f(self.z_axis))
        self.df_line.set_ydata(df(self.z_axis))
        first, last = (np.mean(np.abs(df(run.pre_activations[l])) < 0.01) for l in (0, -1))
        self.f_title.set_text(f"|f'| < 0.01: {first:.0%} in layer 1, {last:.0%} in layer {run.depth}")

        shown = _shown_layers(run.depth)
        visible = [True] + [shown[i] != shown[i - 1] for i in (1, 2)]
        activations = [run.activations[l].ravel() for l in shown]
        edges = _common_edges(activations)
        self._set_histograms(self.ax_a, self.a_hists, activations, edges, visible)
        for text, l, keep in zip(self.layer_key, shown, visible):
            text.set_text(f"layer {l + 1}" if keep else "")

        logs, zero_share = [], 0.0
        for l in shown:
            g = np.abs(run.gradients[l].ravel())
            nonzero = g[g > 0]
            zero_share = max(zero_share, 1 - nonzero.size / g.size)
            logs.append(np.log10(nonzero))
        self._set_histograms(self.ax_g, self.g_hists, logs, _common_edges(logs), visible)
        zeros_text = f" ({zero_share:.0%} zeros not drawn)" if zero_share > 0 else ""
        self.g_title.set_text("gradients" + zeros_text)

        depth_axis = np.arange(1, run.depth + 1)
        spreads = []
        for line, values in ((self.a_std_line, run.activation_std), (self.g_std_line, run.gradient_std)):
            positive = np.where(values > 0, values, np.nan)
            line.set_data(depth_axis, positive)
            spreads.append(positive)
        spreads = np.concatenate(spreads)
        spreads = spreads[np.isfinite(spreads)]
        low, high = (spreads.min(), spreads.max()) if spreads.size else (0.1, 10.0)
        middle = np.sqrt(low * high)
        self.ax_s.set_xlim(0.5, run.depth + 0.5)
        self.ax_s.set_ylim(min(low / 2, middle / 10), max(high * 2, middle * 10))  # at least two decades

    @staticmethod
    def _set_histograms(ax, artists, arrays, edges, visible) -> None:
        top = 0.0
        for artist, values, keep in zip(artists, arrays, visible):
            density = _density(values[np.isfinite(values)], edges)
            artist.set_data(density, edges)
            artist.set_visible(keep)
            top = max(top, density.max(initial=0.0))
        ax.set_xlim(edges[0], edges[-1])
        ax.set_ylim(0, 1.08 * top if top > 0 else 1.0)


def draw_deep_stack(fig, run: DeepStackRun) -> StackPanels:
    """Draw the four panels of the explorer for ``run`` into the empty figure ``fig``."""
    panels = StackPanels(fig)
    panels.update(run)
    return panels


def _png(fig) -> bytes:
    """PNG bytes of ``fig``, fast: light compression, and glyphs rasterised without hinting
    (cheaper to rasterise, and at this size no less legible)."""
    import io

    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"text.hinting": "no_hinting"}):
        fig.canvas.print_png(buffer, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


# ----------------------------------------------------------------------------- the widget

#: Figure size of the explorer (inches); films render it at 72 dpi.
FIGSIZE = (8.5, 5.0)


def _controls() -> dict:
    import ipywidgets as widgets

    return {
        "activation": widgets.Dropdown(
            options=[("sigmoid", "sigmoid"), ("tanh", "tanh"), ("ReLU", "relu"),
                     ("leaky ReLU (α = 0.01)", "leaky_relu")],
            value="sigmoid", description="activation"),
        "init": widgets.Dropdown(
            options=[(label, key) for key, (label, _) in INIT_CHOICES.items()],
            value="glorot_normal", description="initializer"),
        "scale": widgets.FloatLogSlider(value=1.0, base=2, min=-3, max=2, step=0.25, description="weight scale",
                                        readout_format=".3g"),
        "shift": widgets.FloatSlider(value=0.0, min=-4.0, max=4.0, step=0.25, description="shift"),
        "depth": widgets.IntSlider(value=10, min=1, max=30, description="depth"),
    }


class ActivationExplorer(InteractivePlot):
    """Live explorer: activation, initializer, weight scale, shift and depth of a random stack.

    An :class:`nnlib.book.widgets.InteractivePlot` whose controls are
    ``"activation"`` (sigmoid, tanh, ReLU, leaky ReLU), ``"init"`` (Glorot
    normal, He normal, N(0, 1)), ``"scale"`` (1/8 to 4, multiplies every weight
    matrix), ``"shift"`` (-4 to 4, every bias) and ``"depth"`` (1 to 30).
    Every change rebuilds the stack from the same seed (so one setting changes
    at a time), runs :func:`run_deep_stack` and updates the four panels of
    :class:`StackPanels` in place. Sliders clamp values to their range and the
    dropdowns refuse values they do not offer (``traitlets.TraitError``).

    Parameters
    ----------
    width : int, default 64
        Units per layer.
    n : int, default 128
        Examples in the batch.
    seed : int, default 0
        Seed of inputs, weights and upstream gradient.
    dpi : float, default 72
        Resolution of the live figure.

    Attributes
    ----------
    run : DeepStackRun
        The run behind the current picture.
    control_widgets, image, figure, n_draws, ui
        As in :class:`~nnlib.book.widgets.InteractivePlot`.

    Examples
    --------
    >>> explorer = ActivationExplorer()                       # doctest: +SKIP
    >>> explorer.control_widgets["activation"].value = "relu"  # redraws  # doctest: +SKIP
    >>> explorer.scale_film()                                  # doctest: +SKIP
    """

    def __init__(self, *, width: int = 64, n: int = 128, seed: int = 0, dpi: float = 72):
        self.width = check_number(width, "width", low=1, high=MAX_WIDTH, integer=True)
        self.n = check_number(n, "n", low=1, high=MAX_EXAMPLES, integer=True)
        self.seed = check_number(seed, "seed", low=0, integer=True)
        self.run = None
        self._panels = None
        super().__init__(_controls(), self._draw_new, figsize=FIGSIZE, dpi=dpi)

    def _run_for(self, values: dict) -> DeepStackRun:
        return run_deep_stack(values["activation"], depth=values["depth"], scale=values["scale"],
                              shift=values["shift"], init=values["init"], width=self.width, n=self.n,
                              rng=self.seed)

    def _draw_new(self, fig, values: dict) -> None:
        """Full drawing into an empty figure (used by :meth:`film`)."""
        with np.errstate(all="ignore"):
            draw_deep_stack(fig, self._run_for(values))

    def redraw(self) -> None:
        """Recompute the stack for the current control values and update the picture in place."""
        self.run = self._run_for(self.values)
        if self._panels is None:
            self.figure.clear()
            self._panels = StackPanels(self.figure)
        with np.errstate(all="ignore"):
            self._panels.update(self.run)
        self.image.value = _png(self.figure)
        self.n_draws += 1

    def time_redraw(self, repeats: int = 5) -> float:
        """Median wall time in seconds of one redraw (stack, drawing and PNG encoding)."""
        import time

        repeats = check_number(repeats, "repeats", low=1, integer=True)
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            self.redraw()
            times.append(time.perf_counter() - started)
        return float(np.median(times))

    def scale_film(self, n_frames: int = 30, depth: int = 20, init: str = "glorot_normal"):
        """A film sweeping the weight scale from 1/4 to 4, first for sigmoid, then for ReLU.

        Parameters
        ----------
        n_frames : int, default 30
            Total number of frames, half per activation (2 to 40).
        depth : int, default 20
            Depth of both stacks.
        init : str, default "glorot_normal"
            Initializer of both stacks.

        Returns
        -------
        IPython.display.HTML
            The scrubbable animation (:meth:`nnlib.book.widgets.InteractivePlot.film`).
        """
        n_frames = check_number(n_frames, "n_frames", low=2, high=40, integer=True)
        init = check_choice(init, "init", INIT_CHOICES)
        depth = check_number(depth, "depth", low=1, high=MAX_DEPTH, integer=True)
        scales = np.geomspace(0.25, 4.0, n_frames // 2)
        frames = [{"activation": name, "init": init, "depth": depth, "shift": 0.0, "scale": float(s)}
                  for name in ("sigmoid", "relu") for s in scales]
        return self.fast_film(frames, interval=400)

    def fast_film(self, frames, interval: float = 400):
        """Like :meth:`~nnlib.book.widgets.InteractivePlot.film`, but reusing one set of panels.

        ``film`` clears the figure and draws every frame from scratch (axes, ticks,
        texts); here the panels are built once and updated in place, as in the
        live widget, which makes a 30-frame film several times faster.

        Parameters
        ----------
        frames : sequence of dict
            Control values per frame; names left out keep the current value.
        interval : float, default 400
            Milliseconds between frames when the animation plays.

        Returns
        -------
        IPython.display.HTML
        """
        frames = [{**self.values, **dict(frame)} for frame in frames]
        if not frames:
            raise ValueError("fast_film: expected at least one frame (a dict of control values)")
        for frame in frames:
            unknown = set(frame) - set(self.control_widgets)
            if unknown:
                raise KeyError(f"fast_film: unknown control(s) {sorted(unknown)}; "
                               f"the controls are {list(self.control_widgets)}")
        runs = [self._run_for(frame) for frame in frames]  # validates every frame before drawing
        figure = new_figure(FIGSIZE, FILM_DPI)
        panels = StackPanels(figure)

        def update(index: int):
            with np.errstate(all="ignore"):
                panels.update(runs[index])
            return ()

        return animate(figure, update, len(frames), interval)
