"""The runs of chapter 7 and of its overfitting lab: digits classifiers, regularized or not, one epoch at a time.

No user interface here: the chapter calls these functions for its experiments, and
the lab widget (:mod:`nnlib.book.widgets.overfitting`) drives a :class:`DigitsRun`
one epoch per step and draws it.

- :class:`LabSettings`: what the lab's controls set (training-set size, width, depth,
  L2, dropout, batch norm, ...), checked once.
- :func:`balanced_subset`: the first ``n`` training digits, classes as even as whole
  numbers allow; a smaller set is always part of a larger one.
- :class:`DigitsRun`: a model and its :class:`~nnlib.training.Trainer` on that subset,
  validated on the book's validation digits after every epoch.
- :func:`mask_average` and :func:`train_mode_outputs`: dropout as an ensemble (averaging
  over masks) and batch norm's outputs when the statistics come from the batch.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, fields

import numpy as np

from nnlib._validation import as_rng, check_bool, check_choice, check_number
from nnlib.activations import softmax
from nnlib.book.experiments.digits import load_digits
from nnlib.layers import ACTIVATION_LAYERS, BatchNorm, Dropout, mlp
from nnlib.optim import SGD
from nnlib.training import Trainer

__all__ = ["LabSettings", "DigitsRun", "balanced_subset", "mask_average", "train_mode_outputs"]


@dataclass(frozen=True)
class LabSettings:
    """One run of the overfitting lab: the data, the network, the regularizers and plain SGD.

    Attributes
    ----------
    n_train : int
        Training digits, from 10 to 1,078 (the whole training split), even.
    width, depth : int
        Hidden units per layer (1 to 1024) and hidden layers (1 to 4).
    l2, l1 : float
        Penalty strengths :math:`\\lambda_2, \\lambda_1 \\ge 0` on the weights.
    dropout : float
        Drop probability after each hidden activation, in ``[0, 0.9]``.
    batch_norm : bool
        A batch-norm layer after each hidden Dense layer.
    activation : str
        Hidden activation, ``"relu"`` or ``"tanh"`` (any name of :data:`nnlib.layers.ACTIVATION_LAYERS`).
    lr : float
        SGD learning rate, in ``(0, 10]``.
    batch_size : int
        Mini-batch size, 2 to 256 (the whole set when it is smaller).
    seed : int
        Seeds the weights, the order of the examples and the dropout masks.
    """

    n_train: int = 100
    width: int = 128
    depth: int = 1
    l2: float = 0.0
    l1: float = 0.0
    dropout: float = 0.0
    batch_norm: bool = False
    activation: str = "relu"
    lr: float = 0.2
    batch_size: int = 32
    seed: int = 0

    def __post_init__(self):
        checked = {
            "n_train": check_number(self.n_train, "n_train", low=10, high=1078, integer=True),
            "width": check_number(self.width, "width", low=1, high=1024, integer=True),
            "depth": check_number(self.depth, "depth", low=1, high=4, integer=True),
            "l2": check_number(self.l2, "l2", low=0.0),
            "l1": check_number(self.l1, "l1", low=0.0),
            "dropout": check_number(self.dropout, "dropout", low=0.0, high=0.9),
            "batch_norm": check_bool(self.batch_norm, "batch_norm"),
            "activation": check_choice(self.activation, "activation", ACTIVATION_LAYERS),
            "lr": check_number(self.lr, "lr", low=0.0, high=10.0, low_inclusive=False),
            "batch_size": check_number(self.batch_size, "batch_size", low=2, high=256, integer=True),
            "seed": check_number(self.seed, "seed", low=0, integer=True),
        }
        if checked["n_train"] % 2:
            raise ValueError(f"n_train: expected an even number of digits, got {self.n_train}")
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    def replace(self, **changes) -> "LabSettings":
        """A copy with some settings changed (checked again)."""
        return LabSettings(**{**{f.name: getattr(self, f.name) for f in fields(self)}, **changes})


def balanced_subset(y, n: int) -> np.ndarray:
    """Indices of ``n`` examples of ``y``, taking the classes in turn: as even as whole numbers allow.

    The examples of each class keep their order in ``y`` (the split's random order),
    so the subset of ``n`` is part of the subset of every larger ``n``.

    Parameters
    ----------
    y : ndarray of shape (N,), integer labels
    n : int
        How many, ``1 <= n <= N``.

    Returns
    -------
    ndarray of shape (n,), int
        Indices into ``y``, in the order taken.
    """
    y = np.asarray(y)
    n = check_number(n, "n", low=1, high=len(y), integer=True)
    rank = np.empty(len(y), dtype=np.intp)  # the position of each example within its class
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        rank[members] = np.arange(len(members))
    order = np.lexsort((y, rank))  # all first-of-class examples, then all second ones, ...
    return order[:n]


class DigitsRun:
    """A digits classifier of :class:`LabSettings`, trained one epoch per :meth:`epoch` call.

    The training set is :func:`balanced_subset` of the book's training split; after
    every epoch the :class:`~nnlib.training.Trainer` evaluates the validation split in
    evaluation mode (dropout off, batch norm on its running statistics).

    Parameters
    ----------
    settings : LabSettings
    digits : Digits, optional
        The data (default: :func:`~nnlib.book.experiments.digits.load_digits`).

    Attributes
    ----------
    model : Sequential
    trainer : Trainer
    X, y : ndarray
        The training subset.
    """

    def __init__(self, settings: LabSettings, digits=None):
        if not isinstance(settings, LabSettings):
            raise TypeError(f"settings: expected a LabSettings, got {type(settings).__name__}")
        self.settings = s = settings
        self.digits = load_digits() if digits is None else digits
        idx = balanced_subset(self.digits.y_train, s.n_train)
        self.X, self.y = self.digits.X_train[idx], self.digits.y_train[idx]
        batch_size = min(s.batch_size, s.n_train)
        if s.batch_norm and s.n_train % batch_size == 1:
            raise ValueError(f"batch_size: {batch_size} leaves a last batch of one digit out of {s.n_train}, "
                             "on which batch norm has no statistics; choose another batch size")
        self.model = mlp([64] + [s.width] * s.depth + [10], s.activation, rng=s.seed, batch_norm=s.batch_norm,
                         dropout=s.dropout)
        self.trainer = Trainer(self.model, self.X, self.y, loss="softmax_cross_entropy",
                               optimizer=SGD(self.model.parameters(), lr=s.lr), batch_size=batch_size,
                               l1=s.l1, l2=s.l2, validation_data=(self.digits.X_val, self.digits.y_val), rng=s.seed)

    @property
    def history(self):
        """The :class:`~nnlib.training.History` of the epochs so far."""
        return self.trainer.history

    def epoch(self) -> dict:
        """Train one epoch; return its logs (``loss``, ``accuracy``, ``val_loss``, ``val_accuracy``, ...)."""
        return self.trainer.run_epoch()

    def train(self, epochs: int) -> "DigitsRun":
        """Train ``epochs`` more epochs; returns ``self``."""
        for _ in range(check_number(epochs, "epochs", low=1, integer=True)):
            self.epoch()
        return self

    def predictions(self, X) -> np.ndarray:
        """The predicted digits for ``X`` in evaluation mode (the mode is restored)."""
        was_training = self.model.training
        try:
            return self.model.eval().forward(X).argmax(axis=1)
        finally:
            self.model.train(was_training)

    def mistakes(self, split: str = "val") -> tuple[np.ndarray, np.ndarray]:
        """``(indices, predicted digits)`` of the examples of ``split`` the model gets wrong."""
        X, y = (self.X, self.y) if split == "train" else self.digits.split(split)
        predicted = self.predictions(X)
        wrong = np.flatnonzero(predicted != y)
        return wrong, predicted[wrong]


def _layers_of(model, kind) -> list:
    """Every layer of type ``kind`` in the tree of ``model`` (the model itself included)."""
    found = [model] if isinstance(model, kind) else []
    for child in model.children().values():
        found += _layers_of(child, kind)
    return found


def mask_average(model, X, n_masks: int, rng=None) -> np.ndarray:
    r"""Class probabilities averaged over ``n_masks`` dropout masks: dropout as an ensemble.

    .. math::

        \bar P = \frac{1}{K} \sum_{k=1}^{K} \operatorname{softmax}\bigl(f(X; m_k)\bigr)

    Each pass draws fresh masks in every :class:`~nnlib.layers.Dropout` layer; every
    other layer (batch norm) runs in evaluation mode. The model's modes and its
    layers' generators are restored afterwards.

    Parameters
    ----------
    model : Layer
        A network with at least one Dropout layer.
    X : ndarray of shape (n, d)
    n_masks : int
        :math:`K \ge 1`.
    rng : numpy.random.Generator, int or None
        Source of the masks (the layers' own generators are left untouched).

    Returns
    -------
    ndarray of shape (n, C)
    """
    n_masks = check_number(n_masks, "n_masks", low=1, integer=True)
    layers = _layers_of(model, Dropout)
    if not layers:
        raise ValueError("model: expected a network with Dropout layers, found none")
    rng, saved = as_rng(rng), [(layer, layer.rng) for layer in layers]
    was_training = model.training
    try:
        model.eval()
        for layer in layers:
            layer.train()
            layer.rng = rng
        return sum(softmax(model.forward(X)) for _ in range(n_masks)) / n_masks
    finally:
        model.train(was_training)
        for layer, generator in saved:
            layer.rng = generator


def train_mode_outputs(model, X, batch_size: int) -> np.ndarray:
    """The model's outputs when batch norm normalises with the statistics of each batch of ``batch_size`` rows.

    What a network in training mode computes for ``X`` fed in consecutive batches
    (the last one may be smaller), with dropout off. The model itself is not
    changed: the pass runs on a copy, whose running statistics move and are thrown away.

    Parameters
    ----------
    model : Layer
    X : ndarray of shape (n, d)
    batch_size : int
        At least 2 (batch statistics need two rows).

    Returns
    -------
    ndarray
        The outputs, one row per row of ``X``.
    """
    batch_size = check_number(batch_size, "batch_size", low=2, integer=True)
    twin = copy.deepcopy(model).eval()
    for layer in _layers_of(twin, BatchNorm):
        layer.train()
    starts = range(0, len(X), batch_size)
    if len(X) % batch_size == 1:  # no statistics from one row: it joins the batch before it
        starts = starts[:-1]
    bounds = list(starts) + [len(X)]
    return np.concatenate([twin.forward(X[a:b]) for a, b in zip(bounds[:-1], bounds[1:])])
