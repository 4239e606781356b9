"""The optimizers chapter's widget: a race of nnlib's optimizers on a 2-D loss surface.

The run is :class:`nnlib.book.experiments.optimizer_race.OptimizerRaceRun` (the
surfaces and the racers are described there). Left, the surface as a map with
every racer's path and its current point; middle, each racer's loss against the
step; right, the update equations of the racers, with the learning rates and
the :math:`\\beta`'s of the run written in. Choosing a surface loads the start and
the settings under which its race tells its story; every control can then be
changed, and a change restarts the race.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import partial

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, LogNorm
from matplotlib.ticker import FuncFormatter, NullFormatter

from nnlib.book.experiments.optimizer_race import ADAPTIVE, RACERS, SURFACES, OptimizerRaceRun
from nnlib.book.plots import CLASS_COLORS, INK

from .controls import Choice, Number, Toggle
from .render import pixel_box
from .training import TrainingWidget

__all__ = ["OptimizerRace", "RACER_COLORS", "update_equations"]

#: One colour per racer (Okabe-Ito), as in the chapter's figures.
RACER_COLORS = {"gd": "#000000", "momentum": CLASS_COLORS[0], "nesterov": CLASS_COLORS[5],
                "adagrad": CLASS_COLORS[2], "rmsprop": CLASS_COLORS[4], "adam": CLASS_COLORS[1]}
_SURFACE_CMAP = LinearSegmentedColormap.from_list("nnlib_loss_surface", ["#D9D9D9", "#4D4D4D"])
_MAX_STEPS = 1000
_W, _H = 684, 330  # pixels of the figure at 72 dpi: the book's text width; the top 26 hold films' headline


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _decade(value, _position=None) -> str:
    """``10⁻²`` for 0.01: a tick label of a log axis as plain text (mathtext is slow to lay out)."""
    exponent = np.log10(value) if value > 0 else np.nan
    if not np.isfinite(exponent) or abs(exponent - round(exponent)) > 1e-9:
        return ""
    return "10" + str(int(round(exponent))).translate(_SUPERSCRIPTS)


def _plain_log_labels(axis) -> None:
    """Label the decades of a log axis as plain text, and nothing between them."""
    axis.set_major_formatter(FuncFormatter(_decade))
    axis.set_minor_formatter(NullFormatter())


_box = partial(pixel_box, (_W, _H))  # axes position in figure fractions, from pixels


def update_equations(name: str, lr: float, beta: float, beta2: float) -> list:
    """The update of racer ``name`` as one or two lines of text, with the numbers of the run written in."""
    eta, b = f"{lr:.3g}", f"{beta:.3g}"
    lines = {
        "gd": [f"θ ← θ − {eta} g"],
        "momentum": [f"u ← {b} u + g", f"θ ← θ − {eta} u"],
        "nesterov": [f"u ← {b} u + g", f"θ ← θ − {eta} (g + {b} u)"],
        "adagrad": ["s ← s + g²", f"θ ← θ − {eta} g / √s"],
        "rmsprop": ["s ← 0.9 s + 0.1 g²", f"θ ← θ − {eta} g / √s"],
        "adam": [f"m ← {b} m + {1 - beta:.3g} g", f"v ← {beta2:.4g} v + {1 - beta2:.2g} g²",
                 f"θ ← θ − {eta} m̂ / √v̂"],
    }
    return lines[name]


class OptimizerRace(TrainingWidget):
    """Optimizers racing from one starting point on a 2-D surface, one step each per training step.

    Controls: the surface, the start, the learning rate of the gradient methods (gradient
    descent, momentum, Nesterov) and that of the adaptive ones (AdaGrad, RMSprop, Adam), the
    momentum :math:`\\beta` (also Adam's :math:`\\beta_1`), Adam's :math:`\\beta_2`, and which
    optimizers race. Picking a surface loads its suggested start and settings.

    Parameters
    ----------
    surface : str, default "valley"
        A key of :data:`~nnlib.book.experiments.optimizer_race.SURFACES`.
    **kwargs
        Passed to :class:`~nnlib.book.widgets.training.TrainingWidget` (``steps_per_frame``, ``figsize``, ``dpi``).

    Attributes
    ----------
    run : nnlib.book.experiments.optimizer_race.OptimizerRaceRun
        The race being shown.
    """

    figsize = (_W / 72, _H / 72)
    headline_band = 26
    layout = None  # the panels are placed by hand (see draw)
    metric_labels = {"loss": "leader's loss", "leader": "leader"}

    def __init__(self, surface: str = "valley", **kwargs):
        super().__init__(**kwargs)
        if surface != "valley":
            self.choose_surface(surface)

    def controls(self) -> dict:
        valley = SURFACES["valley"]
        racers = {name: Toggle(True, label) for name, label in RACERS.items()}
        return {
            "surface": Choice("valley", [(s.title, key) for key, s in SURFACES.items()], "surface", width="300px"),
            "x0": Number(valley.start[0], -4.0, 4.0, "start θ₁", step=0.1),
            "y0": Number(valley.start[1], -3.0, 3.0, "start θ₂", step=0.1),
            "lr": Number(valley.lr, 0.001, 0.5, "η of descent and momentum", log_base=10, step=0.05,
                         readout=".3g"),
            "lr_adaptive": Number(valley.lr_adaptive, 0.001, 1.0, "η of the adaptive methods", log_base=10,
                                  step=0.05, readout=".3g"),
            "beta": Number(valley.beta, 0.0, 0.99, "β (momentum, Adam's β₁)", step=0.01),
            "beta2": Choice(0.999, [0.9, 0.99, 0.999, 0.9999], "Adam's β₂"),
            **racers,
        }

    # -- the run ----------------------------------------------------------------------------------

    @staticmethod
    def suggested(surface: str) -> dict:
        """The start and settings under which the race on ``surface`` tells its story."""
        chosen = SURFACES[surface]
        return {"x0": chosen.start[0], "y0": chosen.start[1], "lr": chosen.lr, "lr_adaptive": chosen.lr_adaptive,
                "beta": chosen.beta, "beta2": 0.999}

    def choose_surface(self, surface: str) -> None:
        """Switch to ``surface`` with its suggested start and settings (what choosing it in the dropdown does)."""
        if surface not in SURFACES:
            raise ValueError(f"surface: expected one of {list(SURFACES)}, got {surface!r}")
        with self._one_restart():
            self.set_values(surface=surface, **self.suggested(surface))

    @contextmanager
    def _one_restart(self):
        """Change several controls, then restart the race once (not once per control)."""
        self._holding = getattr(self, "_holding", 0) + 1
        try:
            yield
        finally:
            self._holding -= 1
            self._on_values_changed()

    def _on_values_changed(self) -> None:
        if not getattr(self, "_holding", 0):
            super()._on_values_changed()

    def _observe_controls(self, controls: dict) -> None:
        def load_suggestions(change):
            with self._one_restart():
                self.set_values(**self.suggested(change["new"]))

        controls["surface"].observe(load_suggestions, names="value")  # before the restart the others cause
        super()._observe_controls(controls)

    def reset_state(self, values: dict) -> None:
        surface = SURFACES[values["surface"]]
        x0, x1, y0, y1 = surface.box
        start = (min(max(values["x0"], x0), x1), min(max(values["y0"], y0), y1))  # on the map
        racers = [name for name in RACERS if values[name]] or ["gd"]
        self.run = OptimizerRaceRun(surface, racers, start=start, lr=values["lr"],
                                    lr_adaptive=values["lr_adaptive"], beta=values["beta"], beta2=values["beta2"])

    def train_step(self) -> dict:
        if self.run.t >= _MAX_STEPS:
            raise StopIteration
        self.run.step()
        running = [name for name in self.run.racers if not self.run.stopped[name]]
        if not running:
            return {"loss": float("inf")}
        leader = self.run.leader()
        return {"loss": self.run.losses[leader][-1], "leader": RACERS[leader]}

    # -- the picture ------------------------------------------------------------------------------

    def draw(self, fig) -> dict:
        """The three panels from scratch, in fixed places; :meth:`update_figure` then keeps them current."""
        surface, run = self.run.surface, self.run
        ax_map = fig.add_axes(_box(40, 40, 226, 250))
        ax_bar = fig.add_axes(_box(271, 40, 8, 250))
        ax_loss = fig.add_axes(_box(352, 40, 140, 250))
        ax_eq = fig.add_axes(_box(504, 26, 178, 266))
        ax_eq.set_axis_off()
        self._draw_map(ax_map, ax_bar, surface)
        paths, points, curves = {}, {}, {}
        for name in run.racers:
            color = RACER_COLORS[name]
            (paths[name],) = ax_map.plot([], [], "-", color=color, lw=1.3, alpha=0.9)
            (points[name],) = ax_map.plot([], [], "o", color=color, ms=6, mec="white", mew=1.0, zorder=5)
            (curves[name],) = ax_loss.semilogy([], [], color=color, lw=1.6)
        ax_map.plot(*run.start, "s", color="0.25", ms=7, zorder=1.9)  # under the paths, which move
        for ax in (ax_map, ax_loss):  # the moving lines are blitted over everything static: spines too
            for spine in ax.spines.values():
                spine.set_zorder(1.8)
        self._loss_axes(ax_loss)
        notes = self._draw_equations(ax_eq)
        artists = {"paths": paths, "points": points, "curves": curves, "notes": notes,
                   "changing": [*paths.values(), *points.values(), *curves.values()]}
        self._update(artists)
        return artists

    def _draw_map(self, ax, ax_bar, surface) -> None:
        x0, x1, y0, y1 = surface.box
        xs, ys = np.meshgrid(np.linspace(x0, x1, 160), np.linspace(y0, y1, 160))
        above = np.maximum(surface.f(xs, ys) - surface.minimum, 1e-4)
        levels = np.geomspace(max(above.min(), 1e-3), above.max(), 13)
        lines = ax.contour(xs, ys, above, levels=levels, norm=LogNorm(), cmap=_SURFACE_CMAP, linewidths=1.0)
        bar = ax.figure.colorbar(lines, cax=ax_bar)
        decades = 10.0 ** np.arange(np.ceil(np.log10(levels[0])), np.floor(np.log10(levels[-1])) + 1)
        bar.set_ticks(decades[:: max(1, len(decades) // 4)])
        _plain_log_labels(bar.ax.yaxis)
        bar.set_label("loss above its minimum", fontsize=10, labelpad=1)
        bar.ax.tick_params(labelsize=9, length=2, pad=1)
        ax.set(xlim=(x0, x1), ylim=(y0, y1))
        ax.set_xlabel("θ₁", fontsize=10, labelpad=1)
        ax.set_ylabel("θ₂", fontsize=10, labelpad=1)
        ax.tick_params(labelsize=9, length=3, pad=2)

    def _loss_axes(self, ax) -> None:
        start = max(self.run.losses[name][0] for name in self.run.racers)
        top = 10 ** np.ceil(np.log10(max(start, 1e-6)) + 0.3)
        ax.set_ylim(top * 1e-10, top)
        _plain_log_labels(ax.yaxis)
        ax.set_xlabel("step", fontsize=10, labelpad=1)
        ax.set_title("loss of each racer", fontsize=10, pad=4)
        ax.tick_params(labelsize=9, length=3, pad=2)
        ax.grid(True, alpha=0.3)

    def _draw_equations(self, ax) -> dict:
        """Each racer's name (in its colour), its current loss, and its update with the run's numbers."""
        run, values = self.run, self.values
        lines = {name: update_equations(name, run.lr_adaptive if name in ADAPTIVE else run.lr, values["beta"],
                                         values["beta2"]) for name in run.racers}
        step = min(14.0, 266.0 / sum(len(text) + 1.25 for text in lines.values())) / 266.0  # a line, in axes units
        y, notes = 1.0, {}
        for name in run.racers:
            ax.text(0.0, y, RACERS[name], transform=ax.transAxes, fontsize=10, fontweight="bold",
                    color=RACER_COLORS[name], va="top")
            notes[name] = ax.text(1.0, y, "", transform=ax.transAxes, fontsize=10, color=INK, va="top", ha="right")
            for line in lines[name]:
                y -= step
                ax.text(0.05, y, line, transform=ax.transAxes, fontsize=10, color=INK, va="top")
            y -= 1.25 * step
        return notes

    def render(self, full: bool = True) -> None:
        """Redraw the live figure; from scratch after a reset (a new surface needs a new map)."""
        super().render(full or self._stale)

    def update_figure(self, fig) -> None:
        self._update(self.drawn(fig))

    def _update(self, artists: dict) -> None:
        """Put the current state of the race into the artists of one figure."""
        run = self.run
        floor = artists["curves"][run.racers[0]].axes.get_ylim()[0]
        for name in run.racers:
            path = np.asarray(run.paths[name])
            artists["paths"][name].set_data(path[:, 0], path[:, 1])
            artists["points"][name].set_data(path[-1:, 0], path[-1:, 1])
            losses = np.maximum(run.losses[name], floor)
            artists["curves"][name].set_data(np.arange(len(losses)), losses)
            note = "off the map" if run.stopped[name] else ""
            if artists["notes"][name].get_text() != note:
                artists["notes"][name].set_text(note)
                self.invalidate_background()
        ax = artists["curves"][run.racers[0]].axes
        ax.set_xlim(0, self.axis_end(run.t, 50))

    def films(self, n_frames: int = 30, interval: float = 200):
        """One film per surface, each with the surface's suggested settings and every racer.

        Returns
        -------
        Film
            The films one after another (:meth:`~nnlib.book.widgets.film.Film.join`).
        """
        from .film import Film

        kept = self.values
        made = []
        for key, surface in SURFACES.items():
            with self._one_restart():
                self.set_values(surface=key, **self.suggested(key), **dict.fromkeys(RACERS, True))
            steps = -(-surface.steps // n_frames)
            made.append(self.film(n_frames=n_frames, steps_per_frame=steps, interval=interval,
                                  title=f"The race on {surface.title}: {steps} steps per frame"))
        with self._one_restart():
            self.set_values(**kept)
        return Film.join(made)
