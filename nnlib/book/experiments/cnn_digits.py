"""Chapter 8's convolutional network on the digits: the model, its training run, and what it learned.

The network (:func:`digits_cnn`) reads 8 x 8 digits as images ``(N, 1, 8, 8)``::

    Conv2d(1 -> 8, 3x3, padding 1) -> ReLU -> MaxPool 2x2      (N, 8, 4, 4)
    Conv2d(8 -> 16, 3x3, padding 1) -> ReLU -> MaxPool 2x2     (N, 16, 2, 2)
    Flatten -> Dense(64 -> 10)                                 (N, 10) logits

and :class:`CNNRun` trains it with the recipe of chapter 4's reference MLP (plain
SGD, the same mini-batches and epochs) so that the two can be compared. The
run is shared by the chapter's experiment and its live widget; it has no user
interface. Everything random is seeded.
"""

from __future__ import annotations

import contextlib

import numpy as np

from nnlib._validation import as_rng, check_number
from nnlib.book.experiments.digits import load_digits
from nnlib.layers import Conv2d, Dense, Flatten, MaxPool2d, ReLU, Sequential
from nnlib.optim import SGD
from nnlib.training import Trainer

__all__ = ["digits_cnn", "CNN_TRAINING", "CNNRun", "FEATURE_LAYERS", "one_blas_thread"]

CNN_TRAINING = {"lr": 0.1, "batch_size": 32, "epochs": 40}
"""The recipe of chapter 4's reference MLP (plain SGD, learning rate, mini-batch, epochs), used unchanged."""

FEATURE_LAYERS = {"conv1": 1, "conv2": 4}
"""Where the feature maps are read: the outputs of the ReLUs after each convolution (indices in the model)."""


_CONTROLLER = []  # threadpoolctl's controller, made on first use


def one_blas_thread():
    """A context in which NumPy's BLAS uses one thread (if threadpoolctl is installed; else it changes nothing).

    This network's matrices are small: a second BLAS thread only waits (spinning, on a busy
    machine), and one thread trains it about a third faster.
    """
    if not _CONTROLLER:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - the book's requirements install it
            _CONTROLLER.append(None)
        else:
            _CONTROLLER.append(ThreadpoolController())
    controller = _CONTROLLER[0]
    return contextlib.nullcontext() if controller is None else controller.limit(limits=1, user_api="blas")


def digits_cnn(channels=(8, 16), rng=0, dtype=np.float64) -> Sequential:
    """The chapter's CNN for 8 x 8 digits: two conv-ReLU-pool blocks and a linear read-out.

    Parameters
    ----------
    channels : (int, int), default (8, 16)
        Feature maps of the two convolutions.
    rng : numpy.random.Generator, int or None
        Seed of the initial weights (He normal for the convolutions, chapter 6).
    dtype : {np.float64, np.float32}

    Returns
    -------
    nnlib.layers.Sequential
        Logits ``(N, 10)`` for images ``(N, 1, 8, 8)``; train with ``loss="softmax_cross_entropy"``.
    """
    c1, c2 = (check_number(c, "channels", low=1, integer=True) for c in channels)
    rng = as_rng(rng)
    same = {"padding": 1, "init": "he_normal", "rng": rng, "dtype": dtype}
    return Sequential(
        Conv2d(1, c1, 3, **same), ReLU(), MaxPool2d(2),   # (N, c1, 4, 4)
        Conv2d(c1, c2, 3, **same), ReLU(), MaxPool2d(2),  # (N, c2, 2, 2)
        Flatten(), Dense(c2 * 2 * 2, 10, rng=rng, dtype=dtype),
    )


class CNNRun:
    """One training run of :func:`digits_cnn` on the digits' training split, an epoch at a time.

    Parameters
    ----------
    lr : float
        SGD learning rate.
    batch_size : int
    channels : (int, int)
    rng : int
        Seed of the weights and of the batches' order (the same seed replays the same run).

    Attributes
    ----------
    model : Sequential
    trainer : nnlib.training.Trainer
    digits : nnlib.book.experiments.digits.Digits
    history : list of dict
        Per epoch: ``epoch``, ``loss``, ``accuracy`` (training) and ``val_accuracy``.
    """

    def __init__(self, lr=CNN_TRAINING["lr"], batch_size=CNN_TRAINING["batch_size"], channels=(8, 16), rng=0):
        self.digits = load_digits()
        self.model = digits_cnn(channels, rng=rng)
        self.optimizer = SGD(self.model.parameters(trainable_only=True), lr=lr)
        self.trainer = Trainer(self.model, self.digits.images("train"), self.digits.y_train,
                               loss="softmax_cross_entropy", optimizer=self.optimizer, batch_size=batch_size,
                               rng=np.random.default_rng(rng + 1))
        self.history: list[dict] = []

    @property
    def epoch(self) -> int:
        """Epochs completed."""
        return len(self.history)

    def run_epoch(self) -> dict:
        """Train one epoch; return and record its loss, training and validation accuracy."""
        with one_blas_thread():
            logs = self.trainer.run_epoch()
        row = {"epoch": self.epoch + 1, "loss": float(logs["loss"]), "accuracy": float(logs["accuracy"]),
               "val_accuracy": self.accuracy("val")}
        self.history.append(row)
        return row

    def accuracy(self, split: str) -> float:
        """Fraction of the split's digits classified correctly (eval mode)."""
        X, y = self.digits.images(split), self.digits.split(split)[1]
        self.model.eval()
        try:
            with one_blas_thread():
                return float(np.mean(self.model.forward(X).argmax(axis=1) == y))
        finally:
            self.model.train()

    def filters(self) -> np.ndarray:
        """The first convolution's kernels, ``(C1, 3, 3)``."""
        return self.model[0].params["W"][:, 0]

    def feature_maps(self, image: np.ndarray) -> dict:
        """The feature maps of one image ``(8, 8)`` after each conv-ReLU: ``{"conv1": (C1, 8, 8), "conv2": (C2, 4, 4)}``."""
        x = np.asarray(image, dtype=self.model[0].dtype).reshape(1, 1, 8, 8)
        maps, last = {}, max(FEATURE_LAYERS.values())
        for index, layer in enumerate(self.model.layers[:last + 1]):
            x = layer.forward(x)
            for name, where in FEATURE_LAYERS.items():
                if where == index:
                    maps[name] = x[0].copy()
        return maps
