"""The handwritten digits that scikit-learn ships: the book's real data set.

1,797 grey-scale images of 8 x 8 pixels, digits 0 to 9, about 180 of each
(the UCI optical-recognition digits, as bundled inside scikit-learn's package:
:func:`sklearn.datasets.load_digits` reads them from disk, nothing is downloaded).
Pixel values 0 to 16 are scaled to ``[0, 1]``.

Every chapter that trains on digits uses :func:`load_digits` with its defaults, so
the split — 60 % training, 20 % validation, 20 % test, stratified by class, seed 0 —
is the same everywhere and results can be compared across chapters.

scikit-learn is a dependency of the book, never of ``nnlib``: this module lives
in ``nnlib.book`` and imports it only when called.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from nnlib._validation import as_rng, check_number
from nnlib.data import train_test_split
from nnlib.layers import mlp

__all__ = ["Digits", "load_digits", "reference_mlp", "REFERENCE_TRAINING", "IMAGE_SHAPE", "N_CLASSES"]

IMAGE_SHAPE = (1, 8, 8)
"""One digit as an image ``(C, H, W)``: one channel of 8 x 8 pixels."""

N_CLASSES = 10
"""The ten digits 0-9."""


REFERENCE_TRAINING = {"lr": 0.1, "batch_size": 32, "epochs": 40}
"""How the book trains :func:`reference_mlp` with plain SGD: learning rate, mini-batch size, epochs
(about 1 s on a 2-core machine; 99 % training, ~97 % validation, ~95 % test accuracy with seed 0)."""


def reference_mlp(rng=0):
    """The book's reference digits classifier: a 64-64-10 MLP with one tanh hidden layer.

    Chapter 4 trains it with SGD (:data:`REFERENCE_TRAINING`); later chapters change one thing
    at a time (the optimizer, the initialization, regularization, convolutions) and compare
    with it. The output layer gives logits: train it with ``loss="softmax_cross_entropy"``.

    Parameters
    ----------
    rng : numpy.random.Generator, int or None
        Seed of the initial weights.

    Returns
    -------
    nnlib.layers.Sequential
    """
    return mlp([64, 64, 10], activation="tanh", rng=rng)


@lru_cache(maxsize=1)
def _raw() -> tuple[np.ndarray, np.ndarray]:
    """All 1,797 digits as read from scikit-learn's package data: pixels 0-16, labels 0-9."""
    try:
        from sklearn.datasets import load_digits as sklearn_load_digits
    except ImportError as error:  # pragma: no cover - the book's requirements install it
        raise ImportError(
            "the digits come with scikit-learn, a dependency of the book (not of nnlib): "
            "pip install scikit-learn"
        ) from error
    bunch = sklearn_load_digits()
    return bunch.data.astype(np.float64), bunch.target.astype(np.intp)


@dataclass(frozen=True)
class Digits:
    """The digits split into training, validation and test sets.

    ``X_*`` hold one flattened image per row, shape ``(n, 64)``, values in ``[0, 1]``;
    ``y_*`` the labels 0-9, shape ``(n,)``. :meth:`images` gives the same pixels as
    images ``(n, 1, 8, 8)`` for convolutional networks.

    Attributes
    ----------
    X_train, X_val, X_test : ndarray of shape (n, 64)
    y_train, y_val, y_test : ndarray of shape (n,), integer
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    def split(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """``(X, y)`` of the split ``"train"``, ``"val"`` or ``"test"``."""
        if name not in ("train", "val", "test"):
            raise ValueError(f"name: expected 'train', 'val' or 'test', got {name!r}")
        return getattr(self, f"X_{name}"), getattr(self, f"y_{name}")

    def images(self, name: str) -> np.ndarray:
        """The split's pixels as images of shape ``(n, 1, 8, 8)`` (a view, not a copy)."""
        return self.split(name)[0].reshape(-1, *IMAGE_SHAPE)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name} {len(self.split(name)[1])}" for name in ("train", "val", "test"))
        return f"Digits({sizes}; 8x8 pixels in [0, 1], {self.X_train.dtype})"


def load_digits(val_size: float = 0.2, test_size: float = 0.2, rng=0, dtype=np.float64) -> Digits:
    """The 1,797 digits, scaled to ``[0, 1]`` and split, stratified by class.

    Parameters
    ----------
    val_size, test_size : float
        Fractions of all 1,797 digits held out for validation and for testing;
        each in ``(0, 1)``, together below 1. The defaults (0.2 and 0.2) give 1,078
        training, 360 validation and 359 test digits.
    rng : numpy.random.Generator, int or None
        Seed of the split (the same seed gives the same split).
    dtype : numpy dtype
        ``float64`` (default) or ``float32`` for the pixels.

    Returns
    -------
    Digits

    Raises
    ------
    ValueError
        If a fraction is outside ``(0, 1)`` or the two leave no training data.
    TypeError
        If ``dtype`` is not a float dtype.

    Examples
    --------
    >>> digits = load_digits()
    >>> digits.X_train.shape, digits.images("test").shape
    ((1078, 64), (359, 1, 8, 8))
    """
    val_size = check_number(val_size, "val_size", low=0, high=1, low_inclusive=False, high_inclusive=False)
    test_size = check_number(test_size, "test_size", low=0, high=1, low_inclusive=False, high_inclusive=False)
    if val_size + test_size >= 1:
        raise ValueError(
            f"val_size + test_size: expected below 1 (some digits must be left to train on), "
            f"got {val_size} + {test_size} = {val_size + test_size}"
        )
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise TypeError(f"dtype: expected float32 or float64, got {dtype}")
    rng = as_rng(rng)
    pixels, labels = _raw()
    X = (pixels / 16.0).astype(dtype)
    X_rest, X_test, y_rest, y_test = train_test_split(X, labels, test_size, rng=rng, stratify=True)
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest, y_rest, val_size / (1 - test_size), rng=rng, stratify=True
    )
    return Digits(X_train, y_train, X_val, y_val, X_test, y_test)
