"""The Playground's choices and its validated configuration, :class:`PlaygroundConfig`."""

from __future__ import annotations

import dataclasses
import numbers
from typing import Callable, NamedTuple

import numpy as np

from nnlib.book.validation import check_names, check_number, check_option
from nnlib.optim import SGD, Adam, Momentum

__all__ = [
    "DATASETS",
    "MULTICLASS_DATASETS",
    "DEFAULT_NOISE",
    "FEATURES",
    "ACTIVATIONS",
    "OPTIMIZERS",
    "REGULARIZATIONS",
    "LEARNING_RATES",
    "REG_RATES",
    "MAX_CLASSES",
    "MAX_LAYERS",
    "MAX_UNITS",
    "Feature",
    "PlaygroundConfig",
    "check_hidden",
]

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

#: Weight penalties: None, or the name of the penalty argument of the training step.
REGULARIZATIONS = (None, "l1", "l2")

#: The learning rates and penalty strengths of the dropdowns.
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


def check_hidden(hidden) -> tuple[int, ...]:
    """The hidden-layer widths as a tuple: 0 to 6 layers of 1 to 8 units.

    Raises
    ------
    ValueError
        For anything else, e.g. ``(4, 0)``, ``(9,)``, seven layers or ``"4, 2"``.
    """
    expected = f"a sequence of 0 to {MAX_LAYERS} layer widths, each an integer in [1, {MAX_UNITS}]"
    if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__len__") or len(hidden) > MAX_LAYERS:
        raise ValueError(f"hidden: expected {expected}, got {hidden!r}")
    for units in hidden:
        if isinstance(units, bool) or not isinstance(units, numbers.Integral) or not 1 <= units <= MAX_UNITS:
            raise ValueError(f"hidden: expected {expected}, got {hidden!r}")
    return tuple(int(units) for units in hidden)


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
    ValueError, TypeError
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
        dataset = check_option(self.dataset, "dataset", DATASETS)
        n_classes = check_number(self.n_classes, "n_classes", low=2, high=MAX_CLASSES, integer=True)
        if dataset == "xor" and n_classes != 2:
            raise ValueError(f"n_classes: expected 2 for the 'xor' data set (it has two classes), got {n_classes}; "
                             f"more classes work with {list(MULTICLASS_DATASETS)}")
        noise = DEFAULT_NOISE[dataset] if self.noise is None else check_number(self.noise, "noise", low=0, high=1)
        checked = {
            "dataset": dataset,
            "n_classes": n_classes,
            "noise": noise,
            "features": check_names(self.features, "features", tuple(FEATURES)),
            "hidden": check_hidden(self.hidden),
            "activation": check_option(self.activation, "activation", tuple(ACTIVATIONS)),
            "lr": check_number(self.lr, "lr", low=0, low_inclusive=False, high=10),
            "batch_size": check_number(self.batch_size, "batch_size", low=1, integer=True),
            "regularization": check_option(self.regularization, "regularization", REGULARIZATIONS),
            "reg_rate": check_number(self.reg_rate, "reg_rate", low=0, high=10),
            "optimizer": check_option(self.optimizer, "optimizer", tuple(OPTIMIZERS)),
            "train_ratio": check_number(self.train_ratio, "train_ratio", low=TRAIN_RATIOS[0], high=TRAIN_RATIOS[1]),
            "seed": check_number(self.seed, "seed", low=0, integer=True),
            "n": check_number(self.n, "n", low=MIN_POINTS, high=MAX_POINTS, integer=True),
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
        """The ``l1=`` / ``l2=`` argument of the training step, or ``{}``."""
        return {self.regularization: self.reg_rate} if self.regularization and self.reg_rate > 0 else {}

    def replace(self, **changes) -> "PlaygroundConfig":
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)
