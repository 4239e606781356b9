"""Toy data sets and data utilities for the book's experiments.

Every classification generator has the same signature and the same guarantees::

    X, y = make_<shape>(n, n_classes, noise, rng)

* ``X`` has shape ``(n, 2)`` and dtype float64; ``y`` has shape ``(n,)`` and dtype
  int64 with labels ``0, ..., n_classes - 1``.
* Classes are balanced: class :math:`c` gets :math:`\\lfloor n / K \\rfloor` examples,
  plus one more when :math:`c < n \\bmod K` (the remainder goes to the lowest labels).
  For example ``n=10, n_classes=3`` gives class sizes ``(4, 3, 3)``.
* ``noise`` is the standard deviation :math:`\\sigma` of isotropic Gaussian noise added
  to both coordinates of every point after the noise-free shape has been drawn:

  .. math::

      \\mathbf{x}_i = \\mathbf{x}_i^{\\text{clean}} + \\sigma\\,\\boldsymbol{\\varepsilon}_i,
      \\qquad \\boldsymbol{\\varepsilon}_i \\sim \\mathcal{N}(\\mathbf{0}, I_2).

* The rows are shuffled (``shuffle=True``), so the labels do not come sorted.
* Everything random is drawn from ``rng`` (a ``np.random.Generator``, an int seed or
  ``None``): the same seed gives the same data set.

``logic_gate`` is the exception: it always returns the fixed 4-row truth table of a
two-input Boolean gate, so it only makes sense for 2 classes.

The regression generators ``make_regression_1d`` / ``make_regression_2d`` return
``y`` as a column of shape ``(n, 1)``, the shape a network with one output produces.

Modules: ``synthetic`` (the 2-D classification shapes), ``logic`` (truth tables
and XOR points), ``regression`` (1-D and 2-D regression sets), ``utils``
(split, one-hot, standardize, minibatches). Sequence tasks (copy, reverse,
addition, the adding problem) will get a module ``sequences``.
"""

from nnlib.data._common import MAX_CLASSES
from nnlib.data.logic import logic_gate, make_xor
from nnlib.data.regression import make_regression_1d, make_regression_2d
from nnlib.data.synthetic import (
    make_circles,
    make_gaussian_clusters,
    make_linearly_separable,
    make_moons,
    make_spirals,
)
from nnlib.data.utils import minibatches, one_hot, standardize, train_test_split

__all__ = [
    "MAX_CLASSES",
    "make_linearly_separable",
    "logic_gate",
    "make_xor",
    "make_moons",
    "make_circles",
    "make_spirals",
    "make_gaussian_clusters",
    "make_regression_1d",
    "make_regression_2d",
    "train_test_split",
    "one_hot",
    "standardize",
    "minibatches",
]
