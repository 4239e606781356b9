"""What the 2-D classification generators share: argument checks, balanced labels, noise and shuffling."""

from __future__ import annotations

import numpy as np

from nnlib._validation import check_number

#: Largest ``n_classes`` the 2-D generators accept (beyond it the shapes crowd together).
MAX_CLASSES = 10


def check_generator_args(n, n_classes, noise):
    """Validate the (n, n_classes, noise) triple every generator takes."""
    n_classes = check_number(n_classes, "n_classes", low=2, high=MAX_CLASSES, integer=True)
    n = check_number(n, "n", integer=True)
    if n < n_classes:
        raise ValueError(
            f"n: expected at least n_classes={n_classes} examples (one per class), got {n}"
        )
    noise = check_number(noise, "noise", low=0)
    return n, n_classes, noise


def class_sizes(n: int, n_classes: int) -> np.ndarray:
    """Balanced class sizes: n // K each, the remainder spread over the lowest labels."""
    sizes = np.full(n_classes, n // n_classes, dtype=np.int64)
    sizes[: n % n_classes] += 1
    return sizes


def labels_for(sizes: np.ndarray) -> np.ndarray:
    """Label vector ``[0]*sizes[0] + [1]*sizes[1] + ...`` as int64."""
    return np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)


def finish(X: np.ndarray, y: np.ndarray, noise: float, rng, shuffle: bool):
    """Add Gaussian coordinate noise and (optionally) shuffle the rows."""
    X = X + noise * rng.standard_normal(X.shape)
    if shuffle:
        order = rng.permutation(len(y))
        X, y = X[order], y[order]
    return np.ascontiguousarray(X, dtype=np.float64), y


def polar(radius: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Points (r cos a, r sin a) as an (n, 2) array."""
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
