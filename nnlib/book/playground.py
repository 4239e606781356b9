r"""The Playground: train a small network on 2-D data and watch every unit learn.

A Python counterpart of TensorFlow Playground, built on nnlib. Pick a data set,
the input features, the hidden layers, the activation, the optimizer and the
regularization; press Play and watch

- the **decision map**: the plane coloured by the network's prediction, with the
  training points (white edge) and the test points (black edge) on top;
- the **network**: every input feature, every hidden unit and every output as a
  small map of its value over the plane, joined by lines whose colour is the
  sign of the weight (vermillion positive, blue negative) and whose width is
  its size;
- the **loss curves** of the training and the test set, one point per epoch.

One training step is one *epoch*: one pass over the training set in
mini-batches, done by :func:`nnlib.training.fit` with ``epochs=1`` and the
same optimizer every time (so momentum and Adam carry on between epochs).
**show code** prints the nnlib script that reproduces the current run, epoch
for epoch.

Use it in a notebook (the last expression of a cell displays it)::

    from nnlib.book.playground import Playground
    Playground(dataset="spiral", features=("x1", "x2", "sin(x1)", "sin(x2)"), hidden=(8, 8, 4))

or headlessly (tests, scripts, the book build)::

    pg = Playground()
    pg.step(); pg.state_metrics          # {"loss": 0.69..., "test_loss": ..., ...}
    print(pg.code())                     # the same run as a plain nnlib script
    playground_films()                   # the static twin for readers of the HTML book

Modelling choices
-----------------
- **Data.** Every data set is centred and scaled to a standard deviation of 1.5,
  so that most points lie in :math:`[-3, 3]^2` and features such as
  :math:`\sin x_1` see more than a straight stretch of the sine:

  .. math::

      \mathbf{x} \leftarrow 1.5\,\frac{\mathbf{x} - \bar{\mathbf{x}}}{s},
      \qquad s = \text{the standard deviation of all coordinates}.

  ``noise`` is handed to the generator unchanged (see :data:`DEFAULT_NOISE`):
  the standard deviation of the Gaussian noise on the coordinates before
  scaling, or on the target for ``"regression"``.
- **Outputs and losses.** Classification uses one output per class and
  :func:`nnlib.losses.softmax_cross_entropy_loss` on the logits, for two
  classes as well (one code path for 2 to 6 classes; with two classes it is
  the same model as one sigmoid output on the logit difference
  :math:`z_1 - z_0`). The decision map shows :math:`P(\text{class } 1)` for
  two classes, and for more the most likely class, paler where the network
  is unsure. Regression (``"regression"``: :math:`y = \sin x_1 \cos x_2` plus
  noise) has one output and :func:`nnlib.losses.mse_loss`.
- **Unit maps.** Each small map shows one unit's value on a 40 x 40 grid,
  divided by its largest absolute value (white is 0, vermillion positive,
  blue negative): the *shape* of what the unit computes, not its scale.
- **Reproducibility.** One generator, ``np.random.default_rng(seed)``, draws
  the data, the split, the initial weights and the order of the mini-batches,
  in that order, exactly as in the code shown by :meth:`Playground.code`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import numbers
import weakref
from typing import Callable, NamedTuple

import ipywidgets as widgets
import numpy as np
from IPython.display import HTML
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize

from nnlib import activations
from nnlib._validation import as_rng
from nnlib.book.plots import CLASS_COLORS, PROBABILITY_CMAP
from nnlib.book.widgets import TrainingWidget
from nnlib.data import (
    make_circles,
    make_gaussian_clusters,
    make_moons,
    make_regression_2d,
    make_xor,
    make_spirals,
    train_test_split,
)
from nnlib.layers import Dense, mlp
from nnlib.optim import SGD, Adam, Momentum
from nnlib.training import evaluate, fit

__all__ = [
    "DATASETS",
    "FEATURES",
    "ACTIVATIONS",
    "OPTIMIZERS",
    "REGULARIZATIONS",
    "DEFAULT_NOISE",
    "PlaygroundConfig",
    "Playground",
    "make_dataset",
    "feature_map",
    "build_model",
    "build_optimizer",
    "generate_code",
    "playground_films",
]

# ----------------------------------------------------------------------------- the choices

#: Data sets, in the order of the dropdown.
DATASETS = ("circle", "xor", "gaussian", "spiral", "moons", "regression")

#: Data sets that can have more than two classes.
MULTICLASS_DATASETS = ("circle", "gaussian", "spiral", "moons")

#: Noise of each data set when ``noise=None`` (standard deviation; on the target for "regression").
DEFAULT_NOISE = {"circle": 0.05, "xor": 0.05, "gaussian": 0.5, "spiral": 0.03, "moons": 0.1, "regression": 0.1}

MAX_CLASSES = 6
MAX_LAYERS = 6
MAX_UNITS = 8
MIN_POINTS, MAX_POINTS = 20, 1000
TRAIN_RATIOS = (0.1, 0.9)
DATA_SCALE = 1.5  # standard deviation of the scaled inputs


class Feature(NamedTuple):
    """An input feature: a function of the two coordinates, the same expression as code, and labels."""

    fn: Callable[[np.ndarray, np.ndarray], np.ndarray]
    code: str
    label: str  # matplotlib mathtext
    text: str  # plain text for the checkbox


#: Input features by name, in the order they enter the network.
FEATURES = {
    "x1": Feature(lambda x1, x2: x1, "x1", "$x_1$", "x₁"),
    "x2": Feature(lambda x1, x2: x2, "x2", "$x_2$", "x₂"),
    "x1^2": Feature(lambda x1, x2: x1**2, "x1**2", "$x_1^2$", "x₁²"),
    "x2^2": Feature(lambda x1, x2: x2**2, "x2**2", "$x_2^2$", "x₂²"),
    "x1*x2": Feature(lambda x1, x2: x1 * x2, "x1 * x2", r"$x_1 x_2$", "x₁·x₂"),
    "sin(x1)": Feature(lambda x1, x2: np.sin(x1), "np.sin(x1)", r"$\sin x_1$", "sin x₁"),
    "sin(x2)": Feature(lambda x1, x2: np.sin(x2), "np.sin(x2)", r"$\sin x_2$", "sin x₂"),
}

#: Activation names offered by the Playground -> names of :func:`nnlib.layers.mlp`.
ACTIVATIONS = {"tanh": "tanh", "relu": "relu", "leaky_relu": "leaky_relu", "sigmoid": "sigmoid",
               "linear": "identity"}

#: Optimizers by name -> (nnlib class, extra arguments).
OPTIMIZERS = {"sgd": (SGD, {}), "momentum": (Momentum, {"beta": 0.9}), "adam": (Adam, {})}

#: Weight penalties: None, or the name of the ``fit`` argument.
REGULARIZATIONS = (None, "l1", "l2")

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)

_GENERATORS = {"circle": make_circles, "xor": make_xor, "gaussian": make_gaussian_clusters,
               "spiral": make_spirals, "moons": make_moons}

# ----------------------------------------------------------------------------- configuration


def _bad(name: str, expected: str, value) -> ValueError:
    return ValueError(f"{name}: expected {expected}, got {value!r}")


def _check_option(value, name: str, allowed) -> object:
    if not any(value is a or (type(value) is type(a) and value == a) for a in allowed):
        raise _bad(name, "one of " + ", ".join(repr(a) for a in allowed), value)
    return value


def _check_real(value, name: str, low: float, high: float, low_open: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise _bad(name, f"a number in {'(' if low_open else '['}{low:g}, {high:g}]", value)
    if value > high or value < low or (low_open and value == low):
        raise _bad(name, f"a number in {'(' if low_open else '['}{low:g}, {high:g}]", value)
    return float(value)


def _check_int(value, name: str, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise _bad(name, f"an integer in [{low}, {'inf' if high is None else high}]", value)
    if value < low or (high is not None and value > high):
        raise _bad(name, f"an integer in [{low}, {'inf' if high is None else high}]", value)
    return int(value)


def _check_hidden(hidden) -> tuple[int, ...]:
    expected = f"a sequence of 0 to {MAX_LAYERS} layer widths, each an integer in [1, {MAX_UNITS}]"
    if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__len__") or len(hidden) > MAX_LAYERS:
        raise _bad("hidden", expected, hidden)
    for units in hidden:
        if isinstance(units, bool) or not isinstance(units, numbers.Integral) or not 1 <= units <= MAX_UNITS:
            raise _bad("hidden", expected, hidden)
    return tuple(int(units) for units in hidden)


def _check_features(features) -> tuple[str, ...]:
    expected = f"a non-empty sequence of names from {list(FEATURES)}"
    if isinstance(features, str) or not hasattr(features, "__iter__"):
        raise _bad("features", expected, features)
    features = tuple(features)
    if not features or any(not isinstance(f, str) or f not in FEATURES for f in features):
        raise _bad("features", expected, features)
    return tuple(name for name in FEATURES if name in features)  # canonical order


@dataclasses.dataclass(frozen=True)
class PlaygroundConfig:
    """A complete, validated Playground configuration (the constructor's arguments).

    Parameters
    ----------
    dataset : {"circle", "xor", "gaussian", "spiral", "moons", "regression"}
    n_classes : int, default 2
        2 to 6 for "circle", "gaussian", "spiral", "moons"; must be 2 for
        "xor"; ignored for "regression".
    noise : float or None
        In [0, 1]; ``None`` takes the data set's :data:`DEFAULT_NOISE`.
    features : sequence of str
        Names from :data:`FEATURES`, at least one (stored in canonical order).
    hidden : sequence of int
        0 to 6 hidden-layer widths, each 1 to 8.
    activation : {"tanh", "relu", "leaky_relu", "sigmoid", "linear"}
    lr : float
        Learning rate in (0, 10].
    batch_size : int
        At least 1 (at most the training-set size is used).
    regularization : {None, "l1", "l2"}
    reg_rate : float
        Penalty strength :math:`\\lambda` in [0, 10] (used when ``regularization`` is set).
    optimizer : {"sgd", "momentum", "adam"}
    train_ratio : float
        Fraction of the points used for training, in [0.1, 0.9].
    seed : int
        Seed (>= 0) of the one generator that draws data, split, weights and batches.
    n : int
        Number of points, 20 to 1000.

    Raises
    ------
    ValueError
        Naming the argument and the allowed values, for any invalid value.
    """

    dataset: str = "circle"
    n_classes: int = 2
    noise: float | None = None
    features: tuple = ("x1", "x2")
    hidden: tuple = (4, 2)
    activation: str = "tanh"
    lr: float = 0.03
    batch_size: int = 10
    regularization: str | None = None
    reg_rate: float = 0.0
    optimizer: str = "sgd"
    train_ratio: float = 0.5
    seed: int = 0
    n: int = 200

    def __post_init__(self):
        dataset = _check_option(self.dataset, "dataset", DATASETS)
        n_classes = _check_int(self.n_classes, "n_classes", 2, MAX_CLASSES)
        if dataset == "xor" and n_classes != 2:
            raise ValueError(f"n_classes: expected 2 for the 'xor' data set (it has two classes), got {n_classes}; "
                             f"more classes work with {list(MULTICLASS_DATASETS)}")
        noise = DEFAULT_NOISE[dataset] if self.noise is None else _check_real(self.noise, "noise", 0, 1)
        checked = {
            "dataset": dataset,
            "n_classes": n_classes,
            "noise": noise,
            "features": _check_features(self.features),
            "hidden": _check_hidden(self.hidden),
            "activation": _check_option(self.activation, "activation", tuple(ACTIVATIONS)),
            "lr": _check_real(self.lr, "lr", 0, 10, low_open=True),
            "batch_size": _check_int(self.batch_size, "batch_size", 1),
            "regularization": _check_option(self.regularization, "regularization", REGULARIZATIONS),
            "reg_rate": _check_real(self.reg_rate, "reg_rate", 0, 10),
            "optimizer": _check_option(self.optimizer, "optimizer", tuple(OPTIMIZERS)),
            "train_ratio": _check_real(self.train_ratio, "train_ratio", *TRAIN_RATIOS),
            "seed": _check_int(self.seed, "seed", 0),
            "n": _check_int(self.n, "n", MIN_POINTS, MAX_POINTS),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    @property
    def is_regression(self) -> bool:
        """True for the "regression" data set (one output, mean squared error)."""
        return self.dataset == "regression"

    @property
    def n_outputs(self) -> int:
        """Width of the output layer: one per class, or 1 for regression."""
        return 1 if self.is_regression else self.n_classes

    @property
    def loss(self) -> str:
        """The loss name for :func:`nnlib.training.fit`."""
        return "mse" if self.is_regression else "softmax_cross_entropy"

    @property
    def test_size(self) -> float:
        """The fraction of points in the test set, ``1 - train_ratio`` (rounded: 0.3, not 0.30000000000000004)."""
        return round(1.0 - self.train_ratio, 10)

    @property
    def penalties(self) -> dict:
        """The ``l1=`` / ``l2=`` argument of ``fit``, or ``{}``."""
        return {self.regularization: self.reg_rate} if self.regularization and self.reg_rate > 0 else {}

    def replace(self, **changes) -> "PlaygroundConfig":
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)


# ----------------------------------------------------------------------------- data, features, model


def scale_inputs(X: np.ndarray) -> np.ndarray:
    """Centre the points and scale them to a standard deviation of 1.5 (most points in [-3, 3]^2)."""
    return DATA_SCALE * (X - X.mean(axis=0)) / X.std()


def make_dataset(config: PlaygroundConfig, rng):
    """The data set of ``config``, scaled and split.

    Parameters
    ----------
    config : PlaygroundConfig
    rng : numpy.random.Generator
        Drawn from in this order: the points, then the split.

    Returns
    -------
    X_train, X_test : ndarray of shape (n_train, 2), (n_test, 2)
    y_train, y_test : int labels of shape (n_*,), or float targets of shape (n_*, 1) for regression
    """
    if config.is_regression:
        X, y = make_regression_2d(config.n, noise=config.noise, rng=rng)
    else:
        X, y = _GENERATORS[config.dataset](config.n, n_classes=config.n_classes, noise=config.noise, rng=rng)
    X = scale_inputs(X)
    return train_test_split(X, y, test_size=config.test_size, rng=rng, stratify=not config.is_regression)


def feature_map(X: np.ndarray, features) -> np.ndarray:
    """The input features of the points ``X``, one column per feature name, e.g. ``x1, x2, sin(x1)``.

    Parameters
    ----------
    X : ndarray of shape (n, 2)
    features : sequence of str
        Names from :data:`FEATURES` (used in the order of :data:`FEATURES`).

    Returns
    -------
    ndarray of shape (n, len(features))
    """
    x1, x2 = X[:, 0], X[:, 1]
    return np.column_stack([FEATURES[name].fn(x1, x2) for name in _check_features(features)])


def build_model(config: PlaygroundConfig, rng):
    """The network of ``config``: ``mlp([n_features, *hidden, n_outputs], activation)``, logits out."""
    sizes = [len(config.features), *config.hidden, config.n_outputs]
    return mlp(sizes, activation=ACTIVATIONS[config.activation], rng=rng)


def build_optimizer(config: PlaygroundConfig, model):
    """The optimizer of ``config`` on the model's trainable parameters (momentum: the notes' EMA form, beta 0.9)."""
    cls, extra = OPTIMIZERS[config.optimizer]
    return cls(model.parameters(trainable_only=True), lr=config.lr, **extra)


# ----------------------------------------------------------------------------- show code


def _data_code(config: PlaygroundConfig) -> tuple[list[str], list[str]]:
    """(names to import from nnlib.data, lines that make X and y)."""
    if config.is_regression:
        return ["make_regression_2d"], [
            f"X, y = make_regression_2d({config.n}, noise={config.noise!r}, rng=rng)   # y = sin(x1) cos(x2) + noise"
        ]
    name = _GENERATORS[config.dataset].__name__
    return [name], [f"X, y = {name}({config.n}, n_classes={config.n_classes}, noise={config.noise!r}, rng=rng)"]


def generate_code(config: PlaygroundConfig, epochs: int = 100, batch_size: int | None = None) -> str:
    """The plain nnlib script that reproduces a Playground run.

    Running it gives the same data, the same initial weights and the same
    mini-batches as the widget, so after ``epochs`` epochs its model equals
    the widget's after as many steps.

    Parameters
    ----------
    config : PlaygroundConfig
    epochs : int, default 100
    batch_size : int, optional
        The batch size actually used (default: ``config.batch_size``).

    Returns
    -------
    str
        Python source, runnable as it is (it prints the final losses).
    """
    batch_size = config.batch_size if batch_size is None else batch_size
    data_imports, data_lines = _data_code(config)
    opt_cls, opt_extra = OPTIMIZERS[config.optimizer]
    opt_args = "".join(f", {k}={v!r}" for k, v in opt_extra.items())
    feature_codes = ", ".join(FEATURES[name].code for name in config.features)
    sizes = ", ".join(str(s) for s in (len(config.features), *config.hidden, config.n_outputs))
    penalty = "".join(f", {k}={v!r}" for k, v in config.penalties.items())
    stratify = "False" if config.is_regression else "True"
    hidden = f"hidden layers {list(config.hidden)} ({config.activation})" if config.hidden else "no hidden layer"
    output = "1 output, mean squared error" if config.is_regression else \
        f"{config.n_outputs} logits, softmax cross-entropy"
    lines = [
        "import numpy as np",
        "",
        f"from nnlib.data import {', '.join(sorted([*data_imports, 'train_test_split']))}",
        "from nnlib.layers import mlp",
        f"from nnlib.optim import {opt_cls.__name__}",
        "from nnlib.training import evaluate, fit",
        "",
        f"rng = np.random.default_rng({config.seed})   # draws the data, the split, the weights, the batches",
        "",
        f"# Data: {config.dataset}, {config.n} points, scaled to standard deviation {DATA_SCALE}",
        *data_lines,
        f"X = {DATA_SCALE} * (X - X.mean(axis=0)) / X.std()",
        f"X_train, X_test, y_train, y_test = train_test_split(X, y, test_size={config.test_size!r}, rng=rng, "
        f"stratify={stratify})",
        "",
        "",
        "def features(X):",
        f'    """The input features: {", ".join(config.features)}."""',
        "    x1, x2 = X[:, 0], X[:, 1]",
        f"    return np.column_stack([{feature_codes}])",
        "",
        "",
        f"# Network: {len(config.features)} features -> {hidden} -> {output}",
        f'model = mlp([{sizes}], activation="{ACTIVATIONS[config.activation]}", rng=rng)',
        f"optimizer = {opt_cls.__name__}(model.parameters(trainable_only=True), lr={config.lr!r}{opt_args})",
        "",
        f"EPOCHS = {epochs}",
        f'history = fit(model, features(X_train), y_train, loss="{config.loss}", optimizer=optimizer,',
        f"              epochs=EPOCHS, batch_size={batch_size}, rng=rng{penalty},",
        "              validation_data=(features(X_test), y_test))",
        f'train = evaluate(model, features(X_train), y_train, loss="{config.loss}")',
        f'test = evaluate(model, features(X_test), y_test, loss="{config.loss}")',
        'print(f"after {EPOCHS} epochs: training loss {train[\'loss\']:.4f}, test loss {test[\'loss\']:.4f}")',
    ]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- drawing helpers

MAP_GRID = 80  # the decision map is computed on MAP_GRID x MAP_GRID points
UNIT_GRID = 40  # each unit map shows every second of them
_GAP_X, _GAP_Y = 44, 8  # space between unit maps, in pixels of a unit map (room for the weight lines)
_LINK_COLORS = np.array([PROBABILITY_CMAP(0.0), PROBABILITY_CMAP(1.0)])  # negative blue, positive vermillion


def _normalised(values: np.ndarray) -> np.ndarray:
    """``values / max|values|`` (zeros stay zeros): a unit's map in [-1, 1]."""
    top = np.nanmax(np.abs(values)) if values.size else 0.0
    return values / top if np.isfinite(top) and top > 0 else np.zeros_like(values)


class _NetworkLayout:
    """Where each unit map goes in the network mosaic (one image for all maps: fast to draw).

    Columns are the inputs, the hidden layers and the outputs; the maps of a
    column are centred vertically. Coordinates are pixels of the mosaic with
    the origin at the bottom left.
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
        right = self.x0[column] + UNIT_GRID
        left = self.x0[column + 1]
        return np.array([[(right, a + half), (left, b + half)]
                         for a in self.y0[column] for b in self.y0[column + 1]], dtype=float)

    def paste(self, mosaic: np.ndarray, column: int, maps: np.ndarray) -> None:
        """Write the maps (k, UNIT_GRID, UNIT_GRID) of ``column`` into the mosaic."""
        x = self.x0[column]
        for y, tile in zip(self.y0[column], maps):
            mosaic[y:y + UNIT_GRID, x:x + UNIT_GRID] = tile


# ----------------------------------------------------------------------------- the widget


def _dropdown_options(values, current) -> list:
    return sorted(set(values) | {current})


class Playground(TrainingWidget):
    """TensorFlow Playground in nnlib: a live classifier/regressor on 2-D data (see the module docstring).

    Every argument sets the initial value of a control; all are validated.

    Parameters
    ----------
    dataset : {"circle", "xor", "gaussian", "spiral", "moons", "regression"}, default "circle"
    n_classes : int, default 2
        2 to 6 for "circle", "gaussian", "spiral", "moons"; 2 for "xor";
        ignored for "regression".
    noise : float or None, default None
        Standard deviation of the generator's noise, in [0, 1]; ``None`` uses
        :data:`DEFAULT_NOISE` of the data set (the noise slider also jumps to
        that default whenever the data set changes).
    features : sequence of str, default ("x1", "x2")
        Input features from :data:`FEATURES`; at least one (the widget keeps
        the last checked box from being unchecked).
    hidden : sequence of int, default (4, 2)
        Widths of 0 to 6 hidden layers, each 1 to 8 units.
    activation : {"tanh", "relu", "leaky_relu", "sigmoid", "linear"}, default "tanh"
    lr : float, default 0.03
        Learning rate in (0, 10].
    batch_size : int, default 10
        Mini-batch size (capped at the training-set size).
    regularization : {None, "l1", "l2"}, default None
    reg_rate : float, default 0.0
        :math:`\\lambda` of the L1 or L2 penalty on the weights, in [0, 10].
    optimizer : {"sgd", "momentum", "adam"}, default "sgd"
    train_ratio : float, default 0.5
        Fraction of points used for training, in [0.1, 0.9]; the rest is the test set.
    seed : int, default 0
        Seeds everything random (data, split, weights, batch order).
    n : int, default 200
        Number of points, 20 to 1000.
    steps_per_frame : int, optional
        Epochs per frame (default 1).
    figsize, dpi : optional
        Size and resolution of the live figure (default (9, 3.3) inches at 72 dpi).

    Attributes
    ----------
    config : PlaygroundConfig
        The configuration of the current run.
    model : nnlib.layers.Sequential
    optimizer : nnlib.optim.Optimizer
    curves : dict of str to list of float
        ``"loss"`` and ``"test_loss"`` after every epoch (index 0: before training).
    layer_buttons : dict of str to ipywidgets.Button
        ``"add"`` / ``"remove"``: add or remove the last hidden layer.
    unit_buttons : list of dict of str to ipywidgets.Button
        For each hidden layer, ``"add"`` / ``"remove"`` one unit.
    regenerate_button : ipywidgets.Button
        New data (and weights): the seed plus one.
    code_button : ipywidgets.ToggleButton
        Shows or hides :attr:`code_view`.
    code_view : ipywidgets.HTML
        The code of :meth:`Playground.code`, shown under the figure.

    Raises
    ------
    ValueError
        For any invalid argument, naming it and the allowed values.

    Examples
    --------
    >>> pg = Playground(dataset="xor", features=("x1", "x2", "x1*x2"), hidden=())  # doctest: +SKIP
    >>> for _ in range(20):                                                         # doctest: +SKIP
    ...     pg.step()
    >>> pg.state_metrics["test_accuracy"]                                           # doctest: +SKIP
    """

    figsize = (9.0, 3.3)
    dpi = 72
    layout = None  # axes are placed by hand: every redraw is faster
    frame_format = "jpeg"  # far faster to encode than PNG, and smaller, for the decision maps
    fast_text = False  # hinted text: it is all in the blitted background, drawn once per run

    def __init__(self, dataset="circle", n_classes=2, noise=None, features=("x1", "x2"), hidden=(4, 2),
                 activation="tanh", lr=0.03, batch_size=10, regularization=None, reg_rate=0.0, optimizer="sgd",
                 train_ratio=0.5, seed=0, n=200, *, steps_per_frame=None, figsize=None, dpi=None):
        self.config = PlaygroundConfig(dataset=dataset, n_classes=n_classes, noise=noise, features=features,
                                       hidden=hidden, activation=activation, lr=lr, batch_size=batch_size,
                                       regularization=regularization, reg_rate=reg_rate, optimizer=optimizer,
                                       train_ratio=train_ratio, seed=seed, n=n)
        self._views = weakref.WeakKeyDictionary()  # figure -> the artists drawn into it
        self._deferring = False
        self._network_editor = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        self.unit_buttons: list[dict] = []
        self.code_view = widgets.HTML(layout=widgets.Layout(display="none"))
        super().__init__(steps_per_frame=steps_per_frame, figsize=figsize, dpi=dpi)
        self._build_ui()

    # -- controls ----------------------------------------------------------------------------

    def controls(self) -> dict:
        """The hyperparameter controls (their observers, registered first, keep the values consistent)."""
        c = self.config
        small = widgets.Layout(width="200px")
        controls = {
            "dataset": widgets.Dropdown(options=DATASETS, value=c.dataset, description="data", layout=small),
            "n_classes": widgets.IntSlider(value=c.n_classes, min=2, max=MAX_CLASSES, description="classes",
                                           disabled=c.dataset not in MULTICLASS_DATASETS),
            "noise": widgets.FloatSlider(value=c.noise, min=0.0, max=1.0, step=0.01, description="noise"),
            "n": widgets.IntSlider(value=c.n, min=MIN_POINTS, max=max(500, c.n), step=10, description="points"),
            "train_ratio": widgets.FloatSlider(value=c.train_ratio, min=TRAIN_RATIOS[0], max=TRAIN_RATIOS[1],
                                               step=0.05, description="train ratio"),
            "seed": widgets.BoundedIntText(value=c.seed, min=0, max=2**31 - 1, description="seed",
                                           layout=widgets.Layout(width="130px")),
        }
        for name, feature in FEATURES.items():
            controls[f"feature:{name}"] = widgets.Checkbox(
                value=name in c.features, description=feature.text, indent=False,
                layout=widgets.Layout(width="80px"))
        controls.update({
            "hidden": widgets.Text(value=_format_hidden(c.hidden), description="hidden layers",
                                   placeholder="e.g. 4, 2", layout=widgets.Layout(width="210px")),
            "activation": widgets.Dropdown(options=tuple(ACTIVATIONS), value=c.activation,
                                           description="activation", layout=small),
            "lr": widgets.Dropdown(options=_dropdown_options(LEARNING_RATES, c.lr), value=c.lr,
                                   description="learning rate", layout=small),
            "batch_size": widgets.IntSlider(value=c.batch_size, min=1, max=max(30, c.batch_size),
                                            description="batch size"),
            "optimizer": widgets.Dropdown(options=[("SGD", "sgd"), ("momentum", "momentum"), ("Adam", "adam")],
                                          value=c.optimizer, description="optimizer", layout=small),
            # the dropdown holds "none", not None: ipywidgets reads a None value as "nothing selected"
            "regularization": widgets.Dropdown(options=[("none", "none"), ("L1", "l1"), ("L2", "l2")],
                                               value=c.regularization or "none", description="regularization",
                                               layout=small),
            "reg_rate": widgets.Dropdown(options=_dropdown_options(REG_RATES, c.reg_rate), value=c.reg_rate,
                                         description="reg. rate", layout=small),
        })
        controls["dataset"].observe(self._on_dataset_change, names="value")
        controls["hidden"].observe(self._on_hidden_text, names="value")
        for name in FEATURES:
            controls[f"feature:{name}"].observe(self._on_feature_toggle, names="value")
        return controls

    def _config_from_values(self, values: dict) -> PlaygroundConfig:
        dataset = values["dataset"]
        return PlaygroundConfig(
            dataset=dataset,
            n_classes=values["n_classes"] if dataset in MULTICLASS_DATASETS else 2,
            noise=float(values["noise"]),
            features=tuple(name for name in FEATURES if values[f"feature:{name}"]) or self.config.features,
            hidden=_parse_hidden(values["hidden"]),
            activation=values["activation"], lr=float(values["lr"]), batch_size=int(values["batch_size"]),
            regularization=None if values["regularization"] == "none" else values["regularization"],
            reg_rate=float(values["reg_rate"]),
            optimizer=values["optimizer"], train_ratio=round(float(values["train_ratio"]), 10),
            seed=int(values["seed"]), n=int(values["n"]),
        )

    # These observers run before the base class's (they were registered first), which then
    # starts one new run with the corrected values: the changes they make themselves are
    # made inside _deferred(), so they do not start runs of their own.

    @contextlib.contextmanager
    def _deferred(self):
        """Change controls without starting a new run for each change."""
        self._deferring = True
        try:
            yield
        finally:
            self._deferring = False

    def _on_dataset_change(self, change) -> None:
        """New data set: its default noise; a class count only where it is supported."""
        dataset = change["new"]
        with self._deferred():
            self.control_widgets["n_classes"].disabled = dataset not in MULTICLASS_DATASETS
            if dataset == "xor":
                self.control_widgets["n_classes"].value = 2
            self.control_widgets["noise"].value = DEFAULT_NOISE[dataset]

    def _on_feature_toggle(self, change) -> None:
        """Keep at least one feature: re-check the last one, and disable the box of a lone feature."""
        boxes = [self.control_widgets[f"feature:{name}"] for name in FEATURES]
        with self._deferred():
            if not any(box.value for box in boxes):
                change["owner"].value = True
            checked = [box for box in boxes if box.value]
            for box in boxes:
                box.disabled = len(checked) == 1 and box.value

    def _on_hidden_text(self, change) -> None:
        """A typed architecture that is not valid is replaced by the previous one."""
        try:
            text = _format_hidden(_parse_hidden(change["new"]))  # normalise "4,2 " to "4, 2"
        except ValueError:
            text = change["old"]
        if text != change["new"]:
            with self._deferred():
                change["owner"].value = text

    # -- the network editor (+/- buttons) -------------------------------------------------------

    def _set_hidden(self, hidden) -> None:
        self.control_widgets["hidden"].value = _format_hidden(hidden)  # resets the run, like any control

    def add_layer(self) -> None:
        """Add a hidden layer of 4 units at the end (the "+" layer button); at most 6 layers."""
        if len(self.config.hidden) < MAX_LAYERS:
            self._set_hidden((*self.config.hidden, 4))

    def remove_layer(self) -> None:
        """Remove the last hidden layer (the "−" layer button)."""
        if self.config.hidden:
            self._set_hidden(self.config.hidden[:-1])

    def add_unit(self, layer: int) -> None:
        """Add a unit to hidden layer ``layer`` (0-based); at most 8 units."""
        hidden = list(self.config.hidden)
        if hidden[layer] < MAX_UNITS:
            hidden[layer] += 1
            self._set_hidden(hidden)

    def remove_unit(self, layer: int) -> None:
        """Remove a unit from hidden layer ``layer`` (0-based); at least 1 unit stays."""
        hidden = list(self.config.hidden)
        if hidden[layer] > 1:
            hidden[layer] -= 1
            self._set_hidden(hidden)

    def _rebuild_network_editor(self) -> None:
        """One "−  n  +" group per hidden layer, after the layer buttons."""
        hidden = self.config.hidden
        self.unit_buttons = []
        groups = []
        for i, units in enumerate(hidden):
            buttons = {"remove": _small_button("−", f"remove a unit from layer {i + 1}", units <= 1),
                       "add": _small_button("+", f"add a unit to layer {i + 1}", units >= MAX_UNITS)}
            buttons["remove"].on_click(lambda _b, i=i: self.remove_unit(i))
            buttons["add"].on_click(lambda _b, i=i: self.add_unit(i))
            self.unit_buttons.append(buttons)
            groups.append(widgets.HBox([widgets.HTML(f"&nbsp;layer {i + 1}:"), buttons["remove"],
                                        widgets.HTML(f"<b>{units}</b>"), buttons["add"]]))
        if hasattr(self, "layer_buttons"):
            self.layer_buttons["add"].disabled = len(hidden) >= MAX_LAYERS
            self.layer_buttons["remove"].disabled = not hidden
        self._network_editor.children = groups

    # -- layout of the user interface ---------------------------------------------------------

    def _build_ui(self) -> None:
        """Group the controls in rows (data, features, network, training) above the buttons and figure."""
        cw = self.control_widgets
        self.layer_buttons = {"remove": _small_button("−", "remove the last hidden layer", not self.config.hidden),
                              "add": _small_button("+", "add a hidden layer",
                                                   len(self.config.hidden) >= MAX_LAYERS)}
        self.layer_buttons["add"].on_click(lambda _b: self.add_layer())
        self.layer_buttons["remove"].on_click(lambda _b: self.remove_layer())
        self.regenerate_button = widgets.Button(description="regenerate", icon="refresh",
                                                tooltip="new data and weights: seed + 1",
                                                layout=widgets.Layout(width="110px"))
        self.regenerate_button.on_click(lambda _b: self.regenerate())
        self.code_button = widgets.ToggleButton(description="show code", icon="code", value=False,
                                                tooltip="the nnlib code of this run")
        self.code_button.observe(lambda _change: self._refresh_code_view(), names="value")

        def row(title, items):
            return widgets.HBox([widgets.HTML(f"<b>{title}</b>", layout=widgets.Layout(width="70px")), *items],
                                layout=widgets.Layout(flex_flow="row wrap", align_items="center"))

        self.ui.children = (
            row("Data", [cw[k] for k in ("dataset", "n_classes", "noise", "n", "train_ratio", "seed")]
                + [self.regenerate_button]),
            row("Features", [cw[f"feature:{name}"] for name in FEATURES]),
            row("Network", [cw["hidden"], widgets.HTML("&nbsp;layers:"), self.layer_buttons["remove"],
                            self.layer_buttons["add"], self._network_editor]),
            row("Training", [cw[k] for k in ("activation", "lr", "batch_size", "optimizer",
                                             "regularization", "reg_rate")]),
            widgets.HBox([*self.buttons.values(), self.code_button]),
            self.status,
            self.image,
            self.code_view,
        )
        self._on_feature_toggle({"owner": None})  # disable the box of a lone feature

    def regenerate(self) -> None:
        """New data and new initial weights: increase the seed by one (the "regenerate" button)."""
        self.control_widgets["seed"].value += 1

    # -- show code ------------------------------------------------------------------------------

    def code(self, epochs: int | None = None) -> str:
        """The nnlib script of the current run (see :func:`generate_code`).

        Parameters
        ----------
        epochs : int, optional
            Default: the epochs trained so far, or 100 before the first.
        """
        return generate_code(self.config, epochs or self.n_steps or 100, batch_size=self.batch_size)

    def _refresh_code_view(self) -> None:
        shown = self.code_button.value if hasattr(self, "code_button") else False
        self.code_view.layout.display = "" if shown else "none"
        if shown:
            self.code_view.value = f"<pre style='font-size: 85%; line-height: 1.3'>{html.escape(self.code())}</pre>"

    def step(self) -> dict:
        """Run one frame (the Step button): ``steps_per_frame`` epochs, then redraw; returns the metrics."""
        metrics = super().step()
        if self.code_view.layout.display != "none":
            self._refresh_code_view()
        return metrics

    # -- one run: reset and train --------------------------------------------------------------

    def reset_state(self, values: dict) -> None:
        """Build data, features, model and optimizer for the configuration of the controls."""
        if self._deferring:
            return
        self.config = config = self._config_from_values(values)
        self.rng = np.random.default_rng(config.seed)  # data, split, weights, batches: in this order
        self.X_train, self.X_test, self.y_train, self.y_test = make_dataset(config, self.rng)
        self.F_train = feature_map(self.X_train, config.features)
        self.F_test = feature_map(self.X_test, config.features)
        self.batch_size = min(config.batch_size, len(self.X_train))
        self.model = build_model(config, self.rng)
        self.optimizer = build_optimizer(config, self.model)
        self._make_grid()
        self.curves = {"loss": [], "test_loss": []}
        self._record(self._evaluate())
        self._rebuild_network_editor()
        self._refresh_code_view()

    def train_step(self) -> dict:
        """One epoch of mini-batch training with :func:`nnlib.training.fit`; returns the losses after it."""
        fit(self.model, self.F_train, self.y_train, loss=self.config.loss, optimizer=self.optimizer, epochs=1,
            batch_size=self.batch_size, rng=self.rng, **self.config.penalties)
        metrics = self._evaluate()
        self._record(metrics)
        return metrics

    def _evaluate(self) -> dict:
        train = evaluate(self.model, self.F_train, self.y_train, loss=self.config.loss)
        test = evaluate(self.model, self.F_test, self.y_test, loss=self.config.loss)
        metrics = {"loss": train["loss"], "test_loss": test["loss"]}
        if "accuracy" in train:
            metrics.update(accuracy=train["accuracy"], test_accuracy=test["accuracy"])
        return metrics

    def _record(self, metrics: dict) -> None:
        self.curves["loss"].append(metrics["loss"])
        self.curves["test_loss"].append(metrics["test_loss"])

    def status_text(self) -> str:
        """``"epoch 12 · loss 0.3142 · test_loss 0.3310 · ..."``."""
        parts = [f"epoch {self.n_steps}"] + [f"{name} {value:.4g}" for name, value in self.state_metrics.items()]
        return " · ".join(parts + (["finished"] if self.finished else []))

    # -- what the network computes on a grid ---------------------------------------------------

    def _make_grid(self) -> None:
        """The MAP_GRID x MAP_GRID points of the decision map (a square around the data) and their features."""
        X = np.vstack([self.X_train, self.X_test])
        half = float(np.abs(X).max()) + 0.3
        self.extent = (-half, half, -half, half)
        axis = np.linspace(-half, half, MAP_GRID)
        x1, x2 = np.meshgrid(axis, axis)  # row 0 = lowest x2 (images use origin="lower")
        self.grid_features = feature_map(np.column_stack([x1.ravel(), x2.ravel()]), self.config.features)

    def grid_values(self):
        """Every unit's value on the grid.

        Returns
        -------
        hidden : list of ndarray, shape (MAP_GRID**2, units)
            The output of each hidden layer (after its activation).
        outputs : ndarray, shape (MAP_GRID**2, n_outputs)
            Logits (or the regression output).
        """
        h, hidden = self.grid_features, []
        for layer in self.model.layers:
            h = layer.forward(h)
            if not isinstance(layer, Dense):
                hidden.append(h)
        return hidden, h

    def _decision_image(self, outputs: np.ndarray) -> np.ndarray:
        """The decision map: P(class 1), a class colour paled by uncertainty, or the regression output."""
        if self.config.is_regression:
            return outputs[:, 0].reshape(MAP_GRID, MAP_GRID)
        p = activations.softmax(outputs, axis=1)
        if p.shape[1] == 2:
            return p[:, 1].reshape(MAP_GRID, MAP_GRID)
        colors = np.array([_rgb(CLASS_COLORS[k]) for k in range(p.shape[1])])
        k = p.shape[1]
        confidence = np.clip((p.max(axis=1) - 1 / k) / (1 - 1 / k), 0, 1)[:, None]
        rgb = 1 - confidence * (1 - colors[p.argmax(axis=1)])
        return rgb.reshape(MAP_GRID, MAP_GRID, 3)

    # -- drawing ----------------------------------------------------------------------------------

    def draw(self, fig) -> None:
        """Draw the network, the decision map and the loss curves from scratch (then cached)."""
        ax_net = fig.add_axes((0.005, 0.02, 0.40, 0.84))
        ax_map = fig.add_axes((0.44, 0.11, 0.25, 0.75))
        ax_loss = fig.add_axes((0.755, 0.14, 0.235, 0.72))
        view = {"network": self._draw_network(ax_net), "map": self._draw_map(ax_map),
                "loss": self._draw_curves(ax_loss)}
        # the artists that change from frame to frame, in drawing (zorder) order: see changing_artists
        view["changing"] = [view["network"]["links"], view["network"]["image"], view["map"]["image"],
                            *ax_map.spines.values(), view["map"]["train"], view["map"]["test"],
                            view["loss"]["train"], view["loss"]["test"]]
        self._views[fig] = view
        self.update_figure(fig)

    def update_figure(self, fig) -> None:
        """Update the cached artists in place (``set_data``): the fast path of every frame."""
        view = self._views.get(fig)
        if view is None:  # a figure this object did not draw: draw it
            fig.clear()
            self.draw(fig)
            return
        hidden, outputs = self.grid_values()
        self._update_network(view["network"], hidden, outputs)
        view["map"]["image"].set_data(self._decision_image(outputs))
        if self._update_curves(view["loss"]):
            self.invalidate_background()  # the loss axes' ticks changed

    def changing_artists(self) -> list:
        """For blitting: the maps, the weight lines, the loss curves and the points on the map.

        The rest (axes, ticks, labels) is rendered once and kept as a background
        bitmap, so a frame is several times faster than a full redraw. Frames are
        sent as JPEG (:attr:`frame_format`), which encodes far faster than PNG.
        """
        view = self._views.get(self.figure)
        return [] if view is None else view["changing"]

    def render(self, full: bool = True) -> None:
        """Redraw the live figure (see :meth:`TrainingWidget.render`), unless controls are being set together."""
        if not self._deferring:
            super().render(full)

    def _draw_network(self, ax) -> dict:
        config = self.config
        layout = _NetworkLayout([len(config.features), *config.hidden, config.n_outputs])
        mosaic = np.full((layout.height, layout.width), np.nan)
        inputs = self.grid_features.T.reshape(-1, MAP_GRID, MAP_GRID)[:, ::2, ::2]
        layout.paste(mosaic, 0, np.array([_normalised(m) for m in inputs]))
        cmap = PROBABILITY_CMAP.with_extremes(bad=(1, 1, 1, 0))
        image = ax.imshow(mosaic, origin="lower", extent=(0, layout.width, 0, layout.height), cmap=cmap,
                          norm=Normalize(-1, 1), interpolation="nearest", zorder=1)
        links = LineCollection(np.concatenate([layout.links(c) for c in range(len(layout.counts) - 1)]),
                               zorder=0, alpha=0.75, capstyle="butt")  # under the maps
        ax.add_collection(links)
        for y, name in zip(layout.y0[0], config.features):
            ax.text(-4, y + UNIT_GRID / 2, FEATURES[name].label, ha="right", va="center", fontsize=7)
        titles = ["inputs"] + [f"layer {i + 1}" for i in range(len(config.hidden))] + ["output"]
        for x, title in zip(layout.x0, titles):
            ax.text(x + UNIT_GRID / 2, layout.height + 4, title, ha="center", va="bottom", fontsize=7)
        ax.set_xlim(-48, layout.width + 2)
        ax.set_ylim(-2, layout.height + 16)
        ax.set_aspect("equal")
        ax.set_axis_off()
        return {"layout": layout, "mosaic": mosaic, "image": image, "links": links}

    def _update_network(self, net: dict, hidden, outputs) -> None:
        layout, mosaic = net["layout"], net["mosaic"]
        for column, values in enumerate([*hidden, outputs], start=1):
            maps = values.T.reshape(-1, MAP_GRID, MAP_GRID)[:, ::2, ::2]
            layout.paste(mosaic, column, np.array([_normalised(m) for m in maps]))
        net["image"].set_data(mosaic)
        weights = [layer.params["W"] for layer in self.model.layers if isinstance(layer, Dense)]
        widths, colors = [], []
        for W in weights:
            w = W.ravel()
            top = np.nanmax(np.abs(w))
            widths.append(3.0 * np.abs(w) / top if np.isfinite(top) and top > 0 else np.zeros_like(w))
            colors.append(_LINK_COLORS[(w > 0).astype(int)])
        net["links"].set_linewidths(np.concatenate(widths))
        net["links"].set_color(np.concatenate(colors))

    def _draw_map(self, ax):
        config = self.config
        if config.is_regression:
            top = float(np.abs(np.vstack([self.y_train, self.y_test])).max())
            norm, cmap = Normalize(-top, top), PROBABILITY_CMAP
            colors_train = cmap(norm(self.y_train[:, 0]))
            colors_test = cmap(norm(self.y_test[:, 0]))
            title = "prediction  (train: white edge, test: black)"
        else:
            norm, cmap = Normalize(0, 1), PROBABILITY_CMAP
            colors_train = [CLASS_COLORS[k] for k in self.y_train]
            colors_test = [CLASS_COLORS[k] for k in self.y_test]
            title = ("P(class 1)" if config.n_classes == 2 else "most likely class") + \
                "  (train: white edge, test: black)"
        image = ax.imshow(np.zeros((MAP_GRID, MAP_GRID)), origin="lower", extent=self.extent, cmap=cmap,
                          norm=norm, alpha=0.7, interpolation="bilinear")
        train = ax.scatter(self.X_train[:, 0], self.X_train[:, 1], s=13, c=colors_train, edgecolors="white",
                           linewidths=0.5, zorder=3)
        test = ax.scatter(self.X_test[:, 0], self.X_test[:, 1], s=13, c=colors_test, edgecolors="black",
                          linewidths=0.6, zorder=3)
        ax.set_xlim(self.extent[:2])
        ax.set_ylim(self.extent[2:])
        ax.set_aspect("equal")
        ax.set_title(title, fontsize=7)
        ax.tick_params(labelsize=6, length=2, pad=1)
        ax.locator_params(nbins=5)
        return {"image": image, "train": train, "test": test}  # drawn in this order (points on top)

    def _draw_curves(self, ax) -> dict:
        (train,) = ax.plot([], [], color="0.15", linewidth=1.2, label="training loss")
        (test,) = ax.plot([], [], color=CLASS_COLORS[4], linewidth=1.2, linestyle="--", label="test loss")
        ax.set_xlabel("epoch", fontsize=7, labelpad=1)
        ax.tick_params(labelsize=6, length=2, pad=1)
        ax.locator_params(nbins=4)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=6, frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2,
                  borderaxespad=0.2)  # above the axes: never under a curve
        return {"ax": ax, "train": train, "test": test}

    def _update_curves(self, curves: dict) -> bool:
        """New data for the loss lines; returns True if the axes' limits had to change.

        The limits change rarely (so frames can be blitted): the epoch axis
        doubles when full, the loss axis grows by 20% when a loss exceeds it.
        """
        train, test = (np.asarray(self.curves[k], dtype=float) for k in ("loss", "test_loss"))
        epochs = np.arange(len(train))
        curves["train"].set_data(epochs, train)
        curves["test"].set_data(epochs, test)
        ax, changed = curves["ax"], False
        right = ax.get_xlim()[1] if curves.get("scaled") else 10
        while right < len(train) - 1:
            right *= 2
        values = np.concatenate([train, test])
        values = values[np.isfinite(values)]
        top = ax.get_ylim()[1] if curves.get("scaled") else 0.0
        if values.size and values.max() > top:
            top = 1.2 * float(values.max()) if curves.get("scaled") else 1.05 * float(values.max())
        top = top if top > 0 else 1.0
        if (right, top) != (ax.get_xlim()[1], ax.get_ylim()[1]):
            ax.set_xlim(0, right)
            ax.set_ylim(0, top)
            changed = True
        curves["scaled"] = True
        return changed


# ----------------------------------------------------------------------------- small helpers


def _format_hidden(hidden) -> str:
    return ", ".join(str(units) for units in hidden)


def _parse_hidden(text: str) -> tuple[int, ...]:
    """``"4, 2"`` -> ``(4, 2)``; ``""`` -> ``()`` (no hidden layer). Raises ValueError like the constructor."""
    parts = [p for p in str(text).replace(";", ",").replace(" ", ",").split(",") if p]
    try:
        hidden = tuple(int(p) for p in parts)
    except ValueError:
        raise _bad("hidden", "comma-separated layer widths such as '4, 2'", text) from None
    return _check_hidden(hidden)


def _small_button(text: str, tooltip: str, disabled: bool = False) -> widgets.Button:
    return widgets.Button(description=text, tooltip=tooltip, disabled=disabled,
                          layout=widgets.Layout(width="30px", padding="0"))


def _rgb(color: str) -> tuple[float, float, float]:
    color = color.lstrip("#")
    return tuple(int(color[i:i + 2], 16) / 255 for i in (0, 2, 4))


# ----------------------------------------------------------------------------- static twin

_FILM_TITLES = {
    "circle": "Circle: one class inside a ring of the other",
    "xor": "XOR: the class is the XOR of the signs of x1 and x2",
    "gaussian": "Gaussian: two blobs",
    "spiral": "Spiral: two interleaved arms (hard for the default network)",
    "moons": "Moons: two interleaved half circles",
    "regression": "Regression: y = sin(x1) cos(x2) + noise",
}


def playground_films(datasets=DATASETS, n_frames: int = 20, steps_per_frame: int = 8,
                     figsize=(8.0, 2.9), **config) -> HTML:
    """Pre-computed Playground runs, one scrubbable film per data set, for readers without a kernel.

    Each film is :meth:`~nnlib.book.widgets.TrainingWidget.film` of a :class:`Playground` with the
    default network (or ``config``) on one data set; frame ``i`` shows the
    state after ``i * steps_per_frame`` epochs. With the defaults the six
    films take about 2 MB of HTML and 20 to 30 seconds on two cores.

    Parameters
    ----------
    datasets : sequence of str, default all of :data:`DATASETS`
    n_frames : int, default 20
        Frames per film (at most 30, to keep the page small).
    steps_per_frame : int, default 8
        Epochs between frames.
    figsize : (float, float), default (8.0, 2.9)
        Size of a film's frames in inches (rendered at 72 dpi).
    **config
        Any other :class:`Playground` argument (e.g. ``hidden=(8, 8)``), the same for every film.

    Returns
    -------
    IPython.display.HTML
        A labelled film per data set, one after another.

    Raises
    ------
    ValueError
        For an unknown data set, ``n_frames`` outside [1, 30] or an invalid ``config``.
    """
    datasets = tuple(datasets)
    for dataset in datasets:
        _check_option(dataset, "datasets", DATASETS)
    n_frames = _check_int(n_frames, "n_frames", 1, 30)
    steps_per_frame = _check_int(steps_per_frame, "steps_per_frame", 1)
    parts = []
    for dataset in datasets:
        playground = Playground(dataset=dataset, figsize=figsize, **config)
        film = playground.film(n_frames=n_frames, steps_per_frame=steps_per_frame)
        parts.append(f'<div class="nnlib-playground-film"><p style="font-weight: bold; margin: 1em 0 0.3em">'
                     f"{html.escape(_FILM_TITLES[dataset])}</p>{film.data}</div>")
    return HTML("\n".join(parts))
