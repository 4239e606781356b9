r"""The optimizer race: nnlib's optimizers side by side on 2-D loss surfaces.

Each racer is an :mod:`nnlib.optim` optimizer on one parameter, the point
:math:`w = (x, y)`, started at the same place; every step it gets the exact
gradient of the surface at its own point. Four surfaces show four troubles:

* ``"valley"`` — an ill-conditioned quadratic (curvatures 1 and 25, axes turned
  by 30 degrees): gradient descent zig-zags across the valley;
* ``"rosenbrock"`` — Rosenbrock's curved valley, :math:`(1 - x)^2 + 10\,(y - x^2)^2`
  (a gentler wall than the usual 100, so that one learning rate suits every surface);
* ``"saddle"`` — :math:`\tfrac12 x^2 - \tfrac12 y^2 + \tfrac14 y^4`: a saddle point at the
  origin between two minima at :math:`y = \pm 1`;
* ``"wells"`` — three Gaussian wells of different depths in a shallow bowl: where a
  racer ends depends on its path.

Momentum and Nesterov race in the classical (heavy-ball) form with the same
:math:`\eta` as gradient descent (the notes' moving-average form is the same method
with :math:`\alpha = \eta/(1 - \beta)`); the adaptive methods share a learning rate
of their own, because their steps are about :math:`\eta` whatever the gradient's
size. Nothing here draws: :mod:`nnlib.book.widgets` draws these runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnlib import optim
from nnlib._validation import check_number
from nnlib.book.experiments.quadratic import rotated_quadratic

__all__ = ["Surface", "SURFACES", "VALLEY_HESSIAN", "RACERS", "ADAPTIVE", "make_optimizer", "OptimizerRaceRun"]


@dataclass(frozen=True)
class Surface:
    """A 2-D loss surface: the function, its gradient, where to look and where to start.

    Attributes
    ----------
    name, title : str
        Key, and a title in words.
    f : callable
        ``f(x, y)`` on arrays of any (equal) shape.
    grad : callable
        ``grad(x, y) -> (df/dx, df/dy)``.
    box : tuple of 4 floats
        ``(x_min, x_max, y_min, y_max)``, the region drawn.
    start : tuple of 2 floats
        The default starting point.
    minimum : float
        The lowest value of ``f`` (losses are shown above it).
    lr, lr_adaptive, beta : float
        Settings under which the race on this surface tells its story (the widget starts there).
    steps : int
        Steps the race needs to tell it.
    """

    name: str
    title: str
    f: callable
    grad: callable
    box: tuple
    start: tuple
    minimum: float
    lr: float = 0.02
    lr_adaptive: float = 0.05
    beta: float = 0.9
    steps: int = 150

    def loss(self, point) -> float:
        """``f`` at one point, above the minimum (0 at the best point)."""
        return float(self.f(point[0], point[1])) - self.minimum


# -- the four surfaces ---------------------------------------------------------------------------

VALLEY_HESSIAN = rotated_quadratic((1.0, 25.0), np.pi / 6)
"""The Hessian of the valley: curvatures 1 and 25 (condition number 25), axes turned by 30 degrees."""
_VALLEY_H = VALLEY_HESSIAN


def _valley(x, y):
    return 0.5 * (_VALLEY_H[0, 0] * x * x + 2 * _VALLEY_H[0, 1] * x * y + _VALLEY_H[1, 1] * y * y)


def _valley_grad(x, y):
    return _VALLEY_H[0, 0] * x + _VALLEY_H[0, 1] * y, _VALLEY_H[1, 0] * x + _VALLEY_H[1, 1] * y


def _rosenbrock(x, y):
    return (1 - x) ** 2 + 10.0 * (y - x * x) ** 2


def _rosenbrock_grad(x, y):
    return -2 * (1 - x) - 40.0 * x * (y - x * x), 20.0 * (y - x * x)


def _saddle(x, y):
    return 0.5 * x * x - 0.5 * y * y + 0.25 * y**4


def _saddle_grad(x, y):
    return x, -y + y**3


_WELLS = ((-1.6, 1.1, 1.0, 0.6), (1.4, 1.2, 1.6, 0.8), (0.5, -1.5, 2.2, 0.55))  # centre x, y, depth, width
_BOWL = 0.08


def _wells(x, y):
    value = _BOWL * (x * x + y * y)
    for cx, cy, depth, width in _WELLS:
        value = value - depth * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * width**2))
    return value


def _wells_grad(x, y):
    gx, gy = 2 * _BOWL * x, 2 * _BOWL * y
    for cx, cy, depth, width in _WELLS:
        bump = depth * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * width**2)) / width**2
        gx, gy = gx + bump * (x - cx), gy + bump * (y - cy)
    return gx, gy


def _lowest(f, grad, box, n: int = 301) -> float:
    """The lowest value of ``f`` in ``box``: the best grid point, refined by gradient steps."""
    xs, ys = np.meshgrid(np.linspace(box[0], box[1], n), np.linspace(box[2], box[3], n))
    values = f(xs, ys)
    k = np.argmin(values)
    x, y = xs.flat[k], ys.flat[k]
    for _ in range(2000):
        gx, gy = grad(x, y)
        x, y = x - 0.05 * gx, y - 0.05 * gy
    return float(min(values.flat[k], f(x, y)))


SURFACES = {
    "valley": Surface("valley", "an ill-conditioned valley", _valley, _valley_grad,
                      (-4.0, 4.0, -3.0, 3.0), (-3.5, -0.5), 0.0, lr=0.05, lr_adaptive=0.1, beta=0.8, steps=100),
    "rosenbrock": Surface("rosenbrock", "Rosenbrock's curved valley", _rosenbrock, _rosenbrock_grad,
                          (-2.0, 2.0, -1.0, 3.0), (-1.5, 2.5), 0.0, lr=0.008, lr_adaptive=0.05, beta=0.9, steps=300),
    "saddle": Surface("saddle", "a saddle between two minima", _saddle, _saddle_grad,
                      (-2.5, 2.5, -1.6, 1.6), (2.2, 0.02), -0.25, lr=0.1, lr_adaptive=0.05, beta=0.9, steps=120),
    "wells": Surface("wells", "wells of different depths", _wells, _wells_grad,
                     (-3.0, 3.0, -3.0, 3.0), (-2.8, 2.6), _lowest(_wells, _wells_grad, (-3.0, 3.0, -3.0, 3.0)),
                     lr=0.1, lr_adaptive=0.1, beta=0.9, steps=150),
}
"""The surfaces of the race, by name."""


# -- the racers ----------------------------------------------------------------------------------

RACERS = {
    "gd": "gradient descent",
    "momentum": "momentum",
    "nesterov": "Nesterov",
    "adagrad": "AdaGrad",
    "rmsprop": "RMSprop",
    "adam": "Adam",
}
"""Racer name -> its name in words."""

ADAPTIVE = ("adagrad", "rmsprop", "adam")
"""The racers that use the adaptive learning rate."""


def make_optimizer(name: str, params: dict, lr: float, beta: float = 0.9, beta2: float = 0.999):
    """The nnlib optimizer of racer ``name`` on ``params`` (momentum and Nesterov in the classical form).

    Parameters
    ----------
    name : str
        A key of :data:`RACERS`.
    params : dict of str -> ndarray
    lr : float
        Its learning rate.
    beta : float, default 0.9
        Momentum (momentum, Nesterov) and Adam's :math:`\\beta_1`.
    beta2 : float, default 0.999
        Adam's :math:`\\beta_2`. (RMSprop keeps nnlib's default decay, 0.9: it has no bias
        correction, and with a :math:`\\beta` near 1 its first steps would be huge.)
    """
    if name not in RACERS:
        raise ValueError(f"name: expected one of {list(RACERS)}, got {name!r}")
    if name == "gd":
        return optim.SGD(params, lr=lr)
    if name in ("momentum", "nesterov"):
        return optim.Momentum(params, lr=lr, beta=beta, form="classical", nesterov=name == "nesterov")
    if name == "adagrad":
        return optim.AdaGrad(params, lr=lr)
    if name == "rmsprop":
        return optim.RMSprop(params, lr=lr)
    return optim.Adam(params, lr=lr, beta1=beta, beta2=beta2)


class OptimizerRaceRun:
    r"""Several optimizers from one starting point on one surface, one step each per :meth:`step`.

    Parameters
    ----------
    surface : str or Surface
        A key of :data:`SURFACES`, or a surface.
    racers : sequence of str
        Keys of :data:`RACERS` (at least one).
    start : pair of float, optional
        The starting point (default: the surface's).
    lr : float, optional
        :math:`\eta` of gradient descent, momentum and Nesterov (default: the surface's).
    lr_adaptive : float, optional
        :math:`\eta` of AdaGrad, RMSprop and Adam (default: the surface's).
    beta : float, optional
        See :func:`make_optimizer` (default: the surface's).
    beta2 : float, default 0.999
        See :func:`make_optimizer`.

    Attributes
    ----------
    paths : dict of str -> list of ndarray
        Every point each racer visited, the start first.
    losses : dict of str -> list of float
        The loss above the surface's minimum at each of those points.
    stopped : dict of str -> str or None
        Why a racer stopped (it left the region far behind, or overflowed), or None.
    t : int
        Steps taken.
    """

    def __init__(self, surface, racers=tuple(RACERS), start=None, lr=None, lr_adaptive=None, beta=None,
                 beta2: float = 0.999):
        self.surface = SURFACES[surface] if isinstance(surface, str) and surface in SURFACES else surface
        if not isinstance(self.surface, Surface):
            raise ValueError(f"surface: expected one of {list(SURFACES)} or a Surface, got {surface!r}")
        racers = list(racers)
        if not racers or any(name not in RACERS for name in racers) or len(set(racers)) < len(racers):
            raise ValueError(f"racers: expected some of {list(RACERS)}, each once, got {racers!r}")
        start = self.surface.start if start is None else start
        self.start = np.array([check_number(start[0], "start x"), check_number(start[1], "start y")])
        surface = self.surface
        self.lr = check_number(surface.lr if lr is None else lr, "lr", low=0.0)
        self.lr_adaptive = check_number(surface.lr_adaptive if lr_adaptive is None else lr_adaptive, "lr_adaptive",
                                        low=0.0)
        beta = surface.beta if beta is None else beta
        self._points, self._optimizers = {}, {}
        for name in racers:
            self._points[name] = self.start.copy()
            rate = self.lr_adaptive if name in ADAPTIVE else self.lr
            self._optimizers[name] = make_optimizer(name, {"w": self._points[name]}, rate, beta, beta2)
        self.racers = tuple(racers)
        self.paths = {name: [self.start.copy()] for name in racers}
        self.losses = {name: [self.surface.loss(self.start)] for name in racers}
        self.stopped = dict.fromkeys(racers)
        self.t = 0

    def _far(self, point) -> bool:
        x0, x1, y0, y1 = self.surface.box
        size = max(x1 - x0, y1 - y0)
        return not (x0 - 10 * size < point[0] < x1 + 10 * size and y0 - 10 * size < point[1] < y1 + 10 * size)

    def step(self) -> dict:
        """One step of every racer still running; returns ``{racer: loss}`` after the step."""
        self.t += 1
        with np.errstate(over="ignore", invalid="ignore"):
            for name in self.racers:
                if self.stopped[name]:
                    continue
                point = self._points[name]
                gx, gy = self.surface.grad(point[0], point[1])
                self._optimizers[name].step({"w": np.array([gx, gy], dtype=np.float64)})
                if not np.all(np.isfinite(point)) or self._far(point):
                    self.stopped[name] = f"left the map at step {self.t}"
                    continue
                self.paths[name].append(point.copy())
                self.losses[name].append(self.surface.loss(point))
        return {name: self.losses[name][-1] for name in self.racers}

    def run(self, steps: int) -> "OptimizerRaceRun":
        """Take ``steps`` steps; returns the race."""
        for _ in range(check_number(steps, "steps", low=0, integer=True)):
            self.step()
        return self

    def leader(self) -> str:
        """The racer with the lowest loss now (among those still running, if any is)."""
        running = [name for name in self.racers if not self.stopped[name]] or list(self.racers)
        return min(running, key=lambda name: self.losses[name][-1])
