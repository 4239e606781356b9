"""Logic tables and XOR points: the data sets a single perceptron can and cannot fit.

``logic_gate`` always returns the fixed 4-row truth table of a two-input
Boolean gate (2 classes); ``make_xor`` is its many-point, noisy version.
"""

from __future__ import annotations

import numpy as np

from nnlib._validation import as_rng, check_choice
from nnlib.data._common import check_generator_args, class_sizes, finish, labels_for

__all__ = ["logic_gate", "make_xor"]

# Truth tables of the two-input gates, rows in the order of _GATE_INPUTS.
_GATE_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
_GATE_OUTPUTS = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "xor": [0, 1, 1, 0],
    "nand": [1, 1, 1, 0],
    "nor": [1, 0, 0, 0],
    "xnor": [1, 0, 0, 1],
}


def logic_gate(name: str):
    """The 4-row truth table of a two-input logic gate.

    .. math::

        \\text{and}: y = x_1 x_2, \\quad
        \\text{or}: y = x_1 + x_2 - x_1 x_2, \\quad
        \\text{xor}: y = x_1 + x_2 - 2 x_1 x_2,

    ``nand``, ``nor`` and ``xnor`` are :math:`1 - y` of ``and``, ``or`` and ``xor``.
    Always 2 classes and 4 rows, no noise and no randomness: ``xor`` and ``xnor`` are
    the classic data sets no single perceptron can fit; the other four are linearly
    separable.

    Parameters
    ----------
    name : {"and", "or", "xor", "nand", "nor", "xnor"}

    Returns
    -------
    X : ndarray of shape (4, 2), float64
        The inputs ``[[0, 0], [0, 1], [1, 0], [1, 1]]``.
    y : ndarray of shape (4,), int64
        The gate's output for each row.

    Raises
    ------
    ValueError
        For an unknown gate name.

    Examples
    --------
    >>> logic_gate("xor")[1].tolist()
    [0, 1, 1, 0]
    """
    name = check_choice(name, "name", _GATE_OUTPUTS)
    return _GATE_INPUTS.copy(), np.array(_GATE_OUTPUTS[name], dtype=np.int64)


def make_xor(n: int = 200, n_classes: int = 2, noise: float = 0.05, rng=None, *, shuffle: bool = True):
    """Points in the four quadrants, labelled by the XOR of the signs of their coordinates.

    .. math::

        |x_1|, |x_2| \\sim \\mathcal{U}[0.1, 1.1], \\qquad
        y = [x_1 > 0] \\oplus [x_2 > 0],

    so class 0 fills the first and third quadrants and class 1 the second and fourth,
    with a margin of 0.1 around the axes before noise. This is the many-point version
    of the XOR truth table (:func:`logic_gate`): no single line separates the classes.

    Parameters
    ----------
    n : int
        Number of examples, ``n >= 2``; the classes are balanced.
    n_classes : int
        Must be 2 (XOR has two classes); accepted so every generator has the same signature.
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate, ``>= 0``.
    rng : numpy.random.Generator, int or None
    shuffle : bool
        Shuffle the rows (otherwise they are sorted by class).

    Returns
    -------
    X : ndarray of shape (n, 2), float64
    y : ndarray of shape (n,), int64

    Raises
    ------
    ValueError
        For ``n_classes != 2``, ``n < 2`` or negative noise.
    """
    n, n_classes, noise = check_generator_args(n, n_classes, noise)
    if n_classes != 2:
        raise ValueError(f"n_classes: XOR has exactly 2 classes, got {n_classes}")
    rng = as_rng(rng)
    y = labels_for(class_sizes(n, 2))
    sign_1 = rng.choice([-1.0, 1.0], size=n)
    sign_2 = np.where(y == 0, sign_1, -sign_1)  # same signs: class 0; opposite signs: class 1
    magnitude = rng.uniform(0.1, 1.1, size=(n, 2))
    X = magnitude * np.column_stack([sign_1, sign_2])
    return finish(X, y, noise, rng, shuffle)
