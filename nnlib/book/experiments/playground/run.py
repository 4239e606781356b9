r"""One Playground run: data, features, model and optimizer, trained epoch by epoch.

Modelling choices
-----------------
- **Data.** Every data set is centred and scaled to a standard deviation of 1.5,
  so that most points lie in :math:`[-3, 3]^2` and features such as
  :math:`\sin x_1` see more than a straight stretch of the sine:

  .. math::

      \mathbf{x} \leftarrow 1.5\,\frac{\mathbf{x} - \bar{\mathbf{x}}}{s},
      \qquad s = \text{the standard deviation of all coordinates}.

  ``noise`` is handed to the generator unchanged (see
  :data:`~nnlib.book.experiments.playground.config.DEFAULT_NOISE`): the standard
  deviation of the Gaussian noise on the coordinates before scaling, or on the
  target for ``"regression"``.
- **Outputs and losses.** Classification uses one output per class and
  :func:`nnlib.losses.softmax_cross_entropy_loss` on the logits, for two
  classes as well (one code path for 2 to 6 classes; with two classes it is
  the same model as one sigmoid output on the logit difference
  :math:`z_1 - z_0`). Regression (``"regression"``: :math:`y = \sin x_1 \cos x_2`
  plus noise) has one output and :func:`nnlib.losses.mse_loss`.
- **One step is one epoch**: one pass over the training set in mini-batches
  (:meth:`PlaygroundRun.run_epoch`), with the same optimizer every time (so
  momentum and Adam carry on between epochs).
- **Reproducibility.** One generator, ``np.random.default_rng(seed)``, draws
  the data, the split, the initial weights and the order of the mini-batches,
  in that order, exactly as in the script of
  :func:`~nnlib.book.experiments.playground.code.generate_code`.
"""

from __future__ import annotations

import numpy as np

from nnlib.book.validation import check_names
from nnlib.data import (
    make_circles,
    make_gaussian_clusters,
    make_moons,
    make_regression_2d,
    make_spirals,
    make_xor,
    minibatches,
    train_test_split,
)
from nnlib.layers import Dense, mlp
from nnlib.training import evaluate, train_step

from .config import ACTIVATIONS, FEATURES, OPTIMIZERS, PlaygroundConfig

__all__ = ["DATA_SCALE", "GENERATORS", "scale_inputs", "make_dataset", "feature_map", "build_model",
           "build_optimizer", "PlaygroundRun"]

DATA_SCALE = 1.5  # standard deviation of the scaled inputs

#: The generator of each classification data set (in :mod:`nnlib.data`).
GENERATORS = {"circle": make_circles, "xor": make_xor, "gaussian": make_gaussian_clusters,
              "spiral": make_spirals, "moons": make_moons}


def scale_inputs(X: np.ndarray) -> np.ndarray:
    """Centre the points and scale them to a standard deviation of 1.5 (most points in [-3, 3]^2).

    Parameters
    ----------
    X : ndarray of shape (n, 2)

    Returns
    -------
    ndarray of shape (n, 2)
    """
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
        X, y = GENERATORS[config.dataset](config.n, n_classes=config.n_classes, noise=config.noise, rng=rng)
    X = scale_inputs(X)
    return train_test_split(X, y, test_size=config.test_size, rng=rng, stratify=not config.is_regression)


def feature_map(X: np.ndarray, features) -> np.ndarray:
    """The input features of the points ``X``, one column per feature name, e.g. ``x1, x2, sin(x1)``.

    Parameters
    ----------
    X : ndarray of shape (n, 2)
    features : sequence of str
        Names from :data:`~nnlib.book.experiments.playground.config.FEATURES` (used in that order).

    Returns
    -------
    ndarray of shape (n, len(features))
    """
    x1, x2 = X[:, 0], X[:, 1]
    return np.column_stack([FEATURES[name].fn(x1, x2) for name in check_names(features, "features", FEATURES)])


def build_model(config: PlaygroundConfig, rng):
    """The network of ``config``: ``mlp([n_features, *hidden, n_outputs], activation)``, logits out.

    Parameters
    ----------
    config : PlaygroundConfig
    rng : numpy.random.Generator
        Draws the initial weights.

    Returns
    -------
    nnlib.layers.Sequential
    """
    sizes = [len(config.features), *config.hidden, config.n_outputs]
    return mlp(sizes, activation=ACTIVATIONS[config.activation], rng=rng)


def build_optimizer(config: PlaygroundConfig, model):
    """The optimizer of ``config`` on the model's trainable parameters (momentum: the notes' EMA form, beta 0.9).

    Parameters
    ----------
    config : PlaygroundConfig
    model : nnlib.layers.Sequential

    Returns
    -------
    nnlib.optim.Optimizer
    """
    cls, extra = OPTIMIZERS[config.optimizer]
    return cls(model.parameters(trainable_only=True), lr=config.lr, **extra)


class PlaygroundRun:
    """The experiment behind the Playground: build everything from a config, then train epoch by epoch.

    Parameters
    ----------
    config : PlaygroundConfig

    Attributes
    ----------
    config : PlaygroundConfig
    rng : numpy.random.Generator
        ``default_rng(config.seed)``: data, split, weights, then the mini-batches of every epoch.
    X_train, X_test, y_train, y_test : ndarray
        The scaled points and their targets.
    F_train, F_test : ndarray
        Their input features.
    model : nnlib.layers.Sequential
    optimizer : nnlib.optim.Optimizer
    batch_size : int
        ``config.batch_size``, at most the size of the training set.
    epochs : int
        Epochs trained so far.
    curves : dict of str to list of float
        ``"loss"`` and ``"test_loss"`` after every epoch (index 0: before training).
    """

    def __init__(self, config: PlaygroundConfig):
        if not isinstance(config, PlaygroundConfig):
            raise TypeError(f"config: expected a PlaygroundConfig, got {type(config).__name__}")
        self.config = config
        self.rng = np.random.default_rng(config.seed)  # data, split, weights, batches: in this order
        self.X_train, self.X_test, self.y_train, self.y_test = make_dataset(config, self.rng)
        self.F_train = feature_map(self.X_train, config.features)
        self.F_test = feature_map(self.X_test, config.features)
        self.batch_size = min(config.batch_size, len(self.X_train))
        self.model = build_model(config, self.rng)
        self.optimizer = build_optimizer(config, self.model)
        self.epochs = 0
        self.curves = {"loss": [], "test_loss": []}
        self._record(self.evaluate())

    def run_epoch(self) -> dict:
        """Train one epoch (the per-frame update), then evaluate; returns the metrics after it.

        One pass over the training set in mini-batches drawn from :attr:`rng`
        (:func:`nnlib.data.minibatches`), one :func:`nnlib.training.train_step`
        per batch: the same updates and the same random draws as
        ``fit(..., epochs=1, batch_size=..., rng=rng)``, without its per-call checks.

        Raises
        ------
        nnlib.training.TrainingDivergedError
            If the loss or a gradient becomes NaN or infinite (parameters untouched).
        """
        config = self.config
        for xb, yb in minibatches(self.F_train, self.y_train, self.batch_size, rng=self.rng):
            train_step(self.model, xb, yb, loss=config.loss, optimizer=self.optimizer, **config.penalties)
        self.epochs += 1
        metrics = self.evaluate()
        self._record(metrics)
        return metrics

    def evaluate(self) -> dict:
        """The loss (and accuracy) on the training and the test set, with the current weights."""
        train = evaluate(self.model, self.F_train, self.y_train, loss=self.config.loss)
        test = evaluate(self.model, self.F_test, self.y_test, loss=self.config.loss)
        metrics = {"loss": train["loss"], "test_loss": test["loss"]}
        if "accuracy" in train:
            metrics.update(accuracy=train["accuracy"], test_accuracy=test["accuracy"])
        return metrics

    def _record(self, metrics: dict) -> None:
        self.curves["loss"].append(metrics["loss"])
        self.curves["test_loss"].append(metrics["test_loss"])

    def grid(self, resolution: int):
        """A square grid around the data and its input features.

        Parameters
        ----------
        resolution : int
            Points along each side.

        Returns
        -------
        extent : tuple (x_min, x_max, y_min, y_max)
            The square (for ``imshow``; row 0 of the grid is the lowest :math:`x_2`).
        features : ndarray of shape (resolution**2, n_features)
        """
        X = np.vstack([self.X_train, self.X_test])
        half = float(np.abs(X).max()) + 0.3
        axis = np.linspace(-half, half, resolution)
        x1, x2 = np.meshgrid(axis, axis)
        return (-half, half, -half, half), feature_map(np.column_stack([x1.ravel(), x2.ravel()]),
                                                       self.config.features)

    def unit_values(self, features: np.ndarray):
        """Every unit's value for the inputs ``features``.

        Returns
        -------
        hidden : list of ndarray, shape (m, units)
            The output of each hidden layer (after its activation).
        outputs : ndarray, shape (m, n_outputs)
            Logits (or the regression output).
        """
        h, hidden = features, []
        for layer in self.model.layers:
            h = layer.forward(h)
            if not isinstance(layer, Dense):
                hidden.append(h)
        return hidden, h
