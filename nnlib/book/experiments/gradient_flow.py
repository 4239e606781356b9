r"""Chapter 6's experiments: how gradients flow through a deep network, at initialization and while it trains.

A deep MLP classifies the digits (``nnlib.book.experiments.digits``, each pixel
standardized with the training set's statistics). With :math:`L` dense layers,
:math:`L - 1` hidden layers of the same width, the activation :math:`g` after each
hidden layer and logits at the output, layer :math:`l` computes

.. math::

    Z^{(l)} = A^{(l-1)} W^{(l)} + \mathbf 1 b^{(l)}, \qquad A^{(l)} = g\bigl(Z^{(l)}\bigr), \qquad A^{(0)} = X,

and backpropagation of the mean cross-entropy :math:`J` gives the error signals and the weight gradients

.. math::

    \delta^{(L)} = \tfrac1m (P - Y), \qquad
    \delta^{(l)} = \bigl(\delta^{(l+1)} W^{(l+1)\top}\bigr) \odot g'\bigl(Z^{(l)}\bigr), \qquad
    \frac{\partial J}{\partial W^{(l)}} = A^{(l-1)\top} \delta^{(l)} .

:func:`measure_flow` records, layer by layer, the spread of :math:`Z^{(l)}` and
:math:`A^{(l)}` and the norms of :math:`\delta^{(l)}` and
:math:`\partial J/\partial W^{(l)}` for one batch; :class:`FlowTraining` trains with
SGD (optionally clipped) and records each step's per-layer gradient norms. Nothing
here imports a user interface: chapter 6 and its widget share these runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from nnlib import losses
from nnlib._validation import check_choice, check_number
from nnlib.data import standardize
from nnlib.layers import mlp
from nnlib.optim import SGD
from nnlib.training import Trainer

from .digits import N_CLASSES, load_digits

__all__ = [
    "FLOW_ACTIVATIONS",
    "FLOW_INITS",
    "MAX_DEPTH",
    "MAX_WIDTH",
    "flow_digits",
    "deep_mlp",
    "dense_layers",
    "FlowStats",
    "measure_flow",
    "FlowTraining",
]

#: Hidden activations, by name, with the words the book uses for them.
FLOW_ACTIVATIONS = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU"}
#: Initializers (names in :data:`nnlib.init.INITIALIZERS`), with the words the book uses.
FLOW_INITS = {"lecun_normal": "LeCun", "glorot_normal": "Glorot", "he_normal": "He"}
MAX_DEPTH = 60
MAX_WIDTH = 256
N_FEATURES = 64


@lru_cache(maxsize=1)
def flow_digits() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(X_train, y_train, X_val, y_val)``: the digits, every pixel standardized with the training statistics.

    Standardized inputs have mean 0 and variance 1 per pixel (the 4 pixels that are
    0 in every training image stay 0), the inputs the variance arguments assume.
    The arrays are shared (cached): do not modify them.
    """
    digits = load_digits()
    X_train, mean, std = standardize(digits.X_train)
    X_val = standardize(digits.X_val, mean, std)[0]
    for array in (X_train, digits.y_train, X_val, digits.y_val):
        array.flags.writeable = False
    return X_train, digits.y_train, X_val, digits.y_val


def deep_mlp(depth: int, *, width: int = 64, activation: str = "tanh", init: str = "glorot_normal",
             gain: float = 1.0, rng=0):
    """A digits classifier with ``depth`` dense layers: 64 inputs, ``depth - 1`` hidden layers, 10 logits.

    Parameters
    ----------
    depth : int, 2 to :data:`MAX_DEPTH`
        Number of dense layers :math:`L` (so :math:`L - 1` hidden layers).
    width : int, 1 to :data:`MAX_WIDTH`
        Units of every hidden layer.
    activation : {"sigmoid", "tanh", "relu"}
    init : {"lecun_normal", "glorot_normal", "he_normal"}
        Initializer of every weight matrix (biases start at 0).
    gain : float, > 0
        Every weight matrix is multiplied by it after drawing (its variance by ``gain**2``).
    rng : numpy.random.Generator, int or None
        Seed of the weights.

    Returns
    -------
    nnlib.layers.Sequential
    """
    depth = check_number(depth, "depth", low=2, high=MAX_DEPTH, integer=True)
    width = check_number(width, "width", low=1, high=MAX_WIDTH, integer=True)
    check_choice(activation, "activation", FLOW_ACTIVATIONS)
    check_choice(init, "init", FLOW_INITS)
    gain = check_number(gain, "gain", low=0.0, low_inclusive=False, high=100.0)
    model = mlp([N_FEATURES] + [width] * (depth - 1) + [N_CLASSES], activation, init=init, rng=rng)
    for dense in dense_layers(model):
        dense.params["W"] *= gain
    return model


def dense_layers(model) -> list:
    """The dense layers of ``model`` (a Sequential), in order: the layers :math:`l = 1, \\dots, L`."""
    return [layer for layer in model.layers if "W" in layer.params]


@dataclass
class FlowStats:
    """What one forward and backward pass recorded, one entry per dense layer :math:`l = 1, \\dots, L`.

    Attributes
    ----------
    pre_activation_std : ndarray (L,)
        Standard deviation of :math:`Z^{(l)}` over the batch and the units.
    activation_std : ndarray (L,)
        Standard deviation of :math:`A^{(l)} = g(Z^{(l)})` (of the logits :math:`Z^{(L)}` for the last).
    delta_norm : ndarray (L,)
        :math:`\\lVert\\delta^{(l)}\\rVert` (Frobenius norm of :math:`\\partial J/\\partial Z^{(l)}`).
    weight_grad_norm : ndarray (L,)
        :math:`\\lVert\\partial J/\\partial W^{(l)}\\rVert`.
    weight_norm : ndarray (L,)
        :math:`\\lVert W^{(l)}\\rVert`.
    loss : float
        The mean cross-entropy :math:`J` of the batch.
    """

    pre_activation_std: np.ndarray
    activation_std: np.ndarray
    delta_norm: np.ndarray
    weight_grad_norm: np.ndarray
    weight_norm: np.ndarray
    loss: float

    @property
    def depth(self) -> int:
        """Number of dense layers :math:`L`."""
        return len(self.weight_grad_norm)

    @property
    def gradient_ratio(self) -> float:
        """:math:`\\lVert\\partial J/\\partial W^{(1)}\\rVert / \\lVert\\partial J/\\partial W^{(L)}\\rVert`: first layer over last."""
        return float(self.weight_grad_norm[0] / self.weight_grad_norm[-1])

    @property
    def delta_ratio(self) -> float:
        """:math:`\\lVert\\delta^{(1)}\\rVert / \\lVert\\delta^{(L)}\\rVert`: the error signal at the first layer over the last."""
        return float(self.delta_norm[0] / self.delta_norm[-1])

    @property
    def learning_speed(self) -> np.ndarray:
        """:math:`\\lVert\\partial J/\\partial W^{(l)}\\rVert / \\lVert W^{(l)}\\rVert`: the relative change one SGD step of rate 1 makes."""
        return self.weight_grad_norm / self.weight_norm


def measure_flow(model, X, y) -> FlowStats:
    """One forward and backward pass of ``model`` on ``(X, y)`` with the mean cross-entropy; per-layer statistics.

    The model's gradients are overwritten (zeroed, then the batch's); its parameters are unchanged.

    Parameters
    ----------
    model : nnlib.layers.Sequential
        Dense layers, each but the last followed by an activation layer (:func:`deep_mlp`).
    X : ndarray (m, 64)
    y : ndarray (m,) of int labels

    Returns
    -------
    FlowStats
    """
    model.zero_grad()
    pre, post = [], []
    a = X
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for layer in model.layers:
            a = layer.forward(a)
            (pre if "W" in layer.params else post).append(a)
        post.append(pre[-1])  # the logits are the last layer's output
        loss, upstream = losses.softmax_cross_entropy_loss(a, y)
        deltas = []
        for layer in reversed(model.layers):
            if "W" in layer.params:
                deltas.append(upstream)  # dJ/dZ of this dense layer
            upstream = layer.backward(upstream)
    deltas.reverse()
    dense = dense_layers(model)
    return FlowStats(
        pre_activation_std=np.array([z.std() for z in pre]),
        activation_std=np.array([a.std() for a in post]),
        delta_norm=np.array([np.linalg.norm(d) for d in deltas]),
        weight_grad_norm=np.array([np.linalg.norm(layer.grads["W"]) for layer in dense]),
        weight_norm=np.array([np.linalg.norm(layer.params["W"]) for layer in dense]),
        loss=float(loss),
    )


class FlowTraining:
    """SGD on the digits for a deep MLP, recording every step's per-layer weight-gradient norms.

    Each :meth:`step` is one mini-batch update of a :class:`nnlib.training.Trainer`
    (plain SGD, as chapters 3 and 4 teach it; optionally clipped by global norm or
    by value); the gradients recorded are those the step used (after clipping).

    Parameters
    ----------
    model : nnlib.layers.Sequential
        From :func:`deep_mlp`.
    lr : float, default 0.1
        Learning rate :math:`\\eta`.
    batch_size : int, default 32
    clip_norm, clip_value : float, optional
        As for :class:`nnlib.training.Trainer`.
    rng : numpy.random.Generator, int or None
        Order of the mini-batches.

    Attributes
    ----------
    losses : list of float
        The loss of each step's batch (before its update).
    grad_norms : list of ndarray (L,)
        :math:`\\lVert\\partial J/\\partial W^{(l)}\\rVert` of each step, as used by the update.
    val_accuracy : list of float
        Validation accuracy after each completed epoch.
    initial_weights : list of ndarray
        Copies of :math:`W^{(l)}` before training (for :meth:`relative_change`).
    """

    def __init__(self, model, *, lr: float = 0.1, batch_size: int = 32, clip_norm=None, clip_value=None, rng=0):
        X, y, X_val, y_val = flow_digits()
        self.model = model
        self.dense = dense_layers(model)
        self.trainer = Trainer(model, X, y, loss="softmax_cross_entropy", optimizer=SGD(model.parameters(), lr=lr),
                               batch_size=batch_size, clip_norm=clip_norm, clip_value=clip_value,
                               validation_data=(X_val, y_val), rng=rng)
        self.initial_weights = [layer.params["W"].copy() for layer in self.dense]
        self.losses, self.grad_norms, self.val_accuracy = [], [], []

    @property
    def n_steps(self) -> int:
        """Steps done."""
        return len(self.losses)

    def step(self) -> dict:
        """One SGD step; returns ``{"loss": ..., "epoch": ...}`` (and ``"val_accuracy"`` at the end of an epoch).

        Raises :class:`nnlib.training.TrainingDivergedError` if the loss or a gradient is not finite.
        """
        logs = self.trainer.step()
        self.losses.append(logs["loss"])
        self.grad_norms.append(np.array([np.linalg.norm(layer.grads["W"]) for layer in self.dense]))
        out = {"loss": logs["loss"], "epoch": logs["epoch"]}
        if "epoch_logs" in logs:
            self.val_accuracy.append(logs["epoch_logs"]["val_accuracy"])
            out["val_accuracy"] = self.val_accuracy[-1]
        return out

    def run(self, epochs: int) -> "FlowTraining":
        """Train for ``epochs`` whole epochs (from an epoch boundary); returns self."""
        for _ in range(check_number(epochs, "epochs", low=1, integer=True) * self.trainer.batches_per_epoch):
            self.step()
        return self

    def relative_change(self) -> np.ndarray:
        """:math:`\\lVert W^{(l)} - W^{(l)}_0\\rVert / \\lVert W^{(l)}_0\\rVert` per layer: how far each layer has moved."""
        return np.array([np.linalg.norm(layer.params["W"] - w0) / np.linalg.norm(w0)
                         for layer, w0 in zip(self.dense, self.initial_weights)])
