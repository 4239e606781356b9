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
"""

from __future__ import annotations

from typing import Callable, Iterator

import numpy as np

from ._validation import as_rng, check_array, check_choice, check_labels, check_number

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

#: Largest ``n_classes`` the 2-D generators accept (beyond it the shapes crowd together).
MAX_CLASSES = 10

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

# Horizontal distance between the centres of neighbouring moons. With radius 1 and
# spacing 1.25, arcs of different classes stay at least ~0.44 apart for any K
# (spacing 1, the classic two-moons layout, makes arcs j and j + 2 touch when K > 2).
_MOON_SPACING = 1.25


# ---------------------------------------------------------------------------
# helpers shared by the generators
# ---------------------------------------------------------------------------


def _check_generator_args(n, n_classes, noise):
    """Validate the (n, n_classes, noise) triple every generator takes."""
    n_classes = check_number(n_classes, "n_classes", low=2, high=MAX_CLASSES, integer=True)
    n = check_number(n, "n", integer=True)
    if n < n_classes:
        raise ValueError(
            f"n: expected at least n_classes={n_classes} examples (one per class), got {n}"
        )
    noise = check_number(noise, "noise", low=0)
    return n, n_classes, noise


def _class_sizes(n: int, n_classes: int) -> np.ndarray:
    """Balanced class sizes: n // K each, the remainder spread over the lowest labels."""
    sizes = np.full(n_classes, n // n_classes, dtype=np.int64)
    sizes[: n % n_classes] += 1
    return sizes


def _labels(sizes: np.ndarray) -> np.ndarray:
    """Label vector ``[0]*sizes[0] + [1]*sizes[1] + ...`` as int64."""
    return np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)


def _finish(X: np.ndarray, y: np.ndarray, noise: float, rng, shuffle: bool):
    """Add Gaussian coordinate noise and (optionally) shuffle the rows."""
    X = X + noise * rng.standard_normal(X.shape)
    if shuffle:
        order = rng.permutation(len(y))
        X, y = X[order], y[order]
    return np.ascontiguousarray(X, dtype=np.float64), y


def _polar(radius: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Points (r cos a, r sin a) as an (n, 2) array."""
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


# ---------------------------------------------------------------------------
# classification generators
# ---------------------------------------------------------------------------


def make_linearly_separable(
    n: int = 100,
    n_classes: int = 2,
    margin: float = 0.1,
    noise: float = 0.0,
    rng=None,
    *,
    shuffle: bool = True,
    return_boundary: bool = False,
):
    """Points in the plane separated by parallel lines, with a guaranteed margin.

    A random unit normal :math:`\\mathbf{w}^*` (uniform direction) and offsets
    :math:`b^*_1 > \\dots > b^*_{K-1}` define :math:`K - 1` parallel lines
    :math:`\\mathbf{w}^{*\\top}\\mathbf{x} + b^*_j = 0`. Class :math:`c` fills the band
    between line :math:`c` and line :math:`c + 1` (class 0 and class :math:`K-1` the
    outer bands), each band being 1 unit wide plus the margin on both sides. Because
    :math:`\\lVert\\mathbf{w}^*\\rVert = 1`, :math:`\\mathbf{w}^{*\\top}\\mathbf{x} + b^*_j`
    is the signed distance to line :math:`j`, and with ``noise=0`` every point satisfies

    .. math::

        \\mathbf{w}^{*\\top}\\mathbf{x}_i + b^*_j \\ge \\text{margin} \\text{ if } y_i \\ge j,
        \\qquad
        \\mathbf{w}^{*\\top}\\mathbf{x}_i + b^*_j \\le -\\text{margin} \\text{ if } y_i < j,

    i.e. every point is at least ``margin`` away from every true separating line. For
    two classes there is one line and class 1 lies on its positive side
    (:math:`\\mathbf{w}^{*\\top}\\mathbf{x} + b^* \\ge \\text{margin}`), matching the
    perceptron's convention :math:`z \\ge 0 \\Rightarrow \\hat y = 1`.

    With ``noise > 0`` the same clean points are jittered, so the margin, and even
    separability, is no longer guaranteed.

    Parameters
    ----------
    n : int
        Number of examples, ``n >= n_classes``.
    n_classes : int
        Number of classes :math:`K`, ``2 <= K <= MAX_CLASSES``.
    margin : float
        Minimum distance (before noise) between any point and any true separating
        line, ``margin >= 0``.
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate, ``>= 0``.
    rng : numpy.random.Generator, int or None
        Source of randomness (direction, offset, points, noise, shuffling).
    shuffle : bool
        Shuffle the rows (otherwise they are sorted by class).
    return_boundary : bool
        Also return the true boundary ``(w_star, b_star)``.

    Returns
    -------
    X : ndarray of shape (n, 2), float64
    y : ndarray of shape (n,), int64
    w_star : ndarray of shape (2,), float64
        Only with ``return_boundary=True``: the unit normal :math:`\\mathbf{w}^*`
        (pointing from class 0 towards class :math:`K-1`).
    b_star : float or ndarray of shape (K - 1,)
        Only with ``return_boundary=True``: the offset :math:`b^*` (a float) when
        ``n_classes == 2``; otherwise the :math:`K-1` offsets, line :math:`j` (1-based)
        being ``b_star[j - 1]``.

    Raises
    ------
    ValueError
        For ``n < n_classes``, ``n_classes`` outside ``[2, MAX_CLASSES]``, a negative
        ``margin`` or ``noise``.

    Examples
    --------
    >>> X, y, w, b = make_linearly_separable(50, margin=0.3, rng=0, return_boundary=True)
    >>> bool(np.all((2 * y - 1) * (X @ w + b) >= 0.3))
    True
    """
    n, n_classes, noise = _check_generator_args(n, n_classes, noise)
    margin = check_number(margin, "margin", low=0)
    rng = as_rng(rng)

    band = 1.0 + 2.0 * margin  # width of one class's band, margins included
    edges = (np.arange(n_classes + 1) - n_classes / 2.0) * band  # band edges along w*
    half_length = n_classes * band / 2.0  # extent along the lines: a square picture

    angle = rng.uniform(0.0, 2.0 * np.pi)
    w_star = np.array([np.cos(angle), np.sin(angle)])
    along = np.array([-w_star[1], w_star[0]])  # unit vector along the lines
    shift = rng.uniform(-0.5, 0.5)  # moves the whole picture along w*, so b* != 0

    sizes = _class_sizes(n, n_classes)
    y = _labels(sizes)
    # u: signed position along w*, v: position along the lines.
    u = rng.uniform(edges[y] + margin, edges[y + 1] - margin)
    v = rng.uniform(-half_length, half_length, size=n)
    X = np.outer(u + shift, w_star) + np.outer(v, along)
    # w*.x = u + shift, and line j sits at u = edges[j]:  w*.x + b_j = u - edges[j].
    b_star = -(shift + edges[1:-1])

    X, y = _finish(X, y, noise, rng, shuffle)
    if not return_boundary:
        return X, y
    return X, y, w_star, (float(b_star[0]) if n_classes == 2 else b_star)


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
    n, n_classes, noise = _check_generator_args(n, n_classes, noise)
    if n_classes != 2:
        raise ValueError(f"n_classes: XOR has exactly 2 classes, got {n_classes}")
    rng = as_rng(rng)
    y = _labels(_class_sizes(n, 2))
    sign_1 = rng.choice([-1.0, 1.0], size=n)
    sign_2 = np.where(y == 0, sign_1, -sign_1)  # same signs: class 0; opposite signs: class 1
    magnitude = rng.uniform(0.1, 1.1, size=(n, 2))
    X = magnitude * np.column_stack([sign_1, sign_2])
    return _finish(X, y, noise, rng, shuffle)


def make_moons(
    n: int = 200, n_classes: int = 2, noise: float = 0.1, rng=None, *, shuffle: bool = True
):
    """Interleaved half-circle arcs ("moons"), one arc per class.

    Arc :math:`c` is a half circle of radius 1 centred at
    :math:`(1.25\\,c,\\; 0.5\\,(c \\bmod 2))`, opening downwards for even :math:`c`
    and upwards for odd :math:`c`, so each arc hooks into its neighbours:

    .. math::

        \\mathbf{x} = \\bigl(1.25\\,c + s_c \\cos t,\\; 0.5\\,(c \\bmod 2) + s_c \\sin t\\bigr),
        \\quad t \\sim \\mathcal{U}[0, \\pi], \\quad s_c = (-1)^c.

    For two classes these are the familiar two moons (with the second moon shifted
    right by 1.25 instead of 1, so that for :math:`K > 2` non-neighbouring arcs do not
    touch). Before noise, points of different classes are at least about 0.44 apart.

    Parameters
    ----------
    n : int
        Number of examples, ``n >= n_classes``.
    n_classes : int
        Number of arcs :math:`K`, ``2 <= K <= MAX_CLASSES``.
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
        For ``n < n_classes``, ``n_classes`` outside ``[2, MAX_CLASSES]`` or negative noise.
    """
    n, n_classes, noise = _check_generator_args(n, n_classes, noise)
    rng = as_rng(rng)
    y = _labels(_class_sizes(n, n_classes))
    t = rng.uniform(0.0, np.pi, size=n)
    sign = np.where(y % 2 == 0, 1.0, -1.0)
    centre = np.column_stack([_MOON_SPACING * y, 0.5 * (y % 2)])
    X = centre + sign[:, None] * np.column_stack([np.cos(t), np.sin(t)])
    return _finish(X, y, noise, rng, shuffle)


def make_circles(
    n: int = 200, n_classes: int = 2, noise: float = 0.05, rng=None, *, shuffle: bool = True
):
    """Concentric rings, one ring per class, class 0 innermost.

    .. math::

        \\mathbf{x} = r_c\\,(\\cos t, \\sin t), \\qquad r_c = \\frac{c + 1}{K},
        \\qquad t \\sim \\mathcal{U}[0, 2\\pi),

    so the outermost ring has radius 1 and neighbouring rings are :math:`1/K` apart.

    Parameters
    ----------
    n : int
        Number of examples, ``n >= n_classes``.
    n_classes : int
        Number of rings :math:`K`, ``2 <= K <= MAX_CLASSES``.
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
        For ``n < n_classes``, ``n_classes`` outside ``[2, MAX_CLASSES]`` or negative noise.
    """
    n, n_classes, noise = _check_generator_args(n, n_classes, noise)
    rng = as_rng(rng)
    y = _labels(_class_sizes(n, n_classes))
    radius = (y + 1.0) / n_classes
    X = _polar(radius, rng.uniform(0.0, 2.0 * np.pi, size=n))
    return _finish(X, y, noise, rng, shuffle)


def make_spirals(
    n: int = 300,
    n_classes: int = 2,
    noise: float = 0.0,
    rng=None,
    *,
    turns: float = 1.0,
    shuffle: bool = True,
):
    """Interleaved spiral arms, one arm per class.

    Arm :math:`c` is an Archimedean spiral rotated by :math:`2\\pi c / K`:

    .. math::

        \\mathbf{x} = r\\,(\\cos\\theta, \\sin\\theta), \\qquad
        r = 0.1 + 0.9\\,s, \\qquad
        \\theta = \\frac{2\\pi c}{K} + 2\\pi\\,\\text{turns}\\cdot s,
        \\qquad s \\sim \\mathcal{U}[0, 1].

    The radius runs from 0.1 to 1, so arms never meet at the origin; at a given angle
    neighbouring arms are :math:`0.9 / (K \\cdot \\text{turns})` apart radially.

    Parameters
    ----------
    n : int
        Number of examples, ``n >= n_classes``.
    n_classes : int
        Number of arms :math:`K`, ``2 <= K <= MAX_CLASSES``.
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate, ``>= 0``.
    rng : numpy.random.Generator, int or None
    turns : float
        How many full turns each arm makes, ``0 < turns <= 5``.
    shuffle : bool
        Shuffle the rows (otherwise they are sorted by class).

    Returns
    -------
    X : ndarray of shape (n, 2), float64
    y : ndarray of shape (n,), int64

    Raises
    ------
    ValueError
        For ``n < n_classes``, ``n_classes`` outside ``[2, MAX_CLASSES]``, negative noise
        or ``turns`` outside ``(0, 5]``.
    """
    n, n_classes, noise = _check_generator_args(n, n_classes, noise)
    turns = check_number(turns, "turns", low=0, low_inclusive=False, high=5)
    rng = as_rng(rng)
    y = _labels(_class_sizes(n, n_classes))
    s = rng.uniform(0.0, 1.0, size=n)
    angle = 2.0 * np.pi * y / n_classes + 2.0 * np.pi * turns * s
    X = _polar(0.1 + 0.9 * s, angle)
    return _finish(X, y, noise, rng, shuffle)


def make_gaussian_clusters(
    n: int = 200,
    n_classes: int = 2,
    noise: float = 0.5,
    rng=None,
    *,
    radius: float = 2.0,
    shuffle: bool = True,
):
    """Gaussian blobs whose centres sit evenly on a circle, one blob per class.

    .. math::

        \\boldsymbol{\\mu}_c = \\text{radius}\\,\\Bigl(\\cos\\frac{2\\pi c}{K},
        \\sin\\frac{2\\pi c}{K}\\Bigr), \\qquad
        \\mathbf{x} \\sim \\mathcal{N}(\\boldsymbol{\\mu}_c, \\sigma^2 I_2),
        \\quad \\sigma = \\text{noise}.

    Here ``noise`` is the blobs' standard deviation (with ``noise=0`` every point of a
    class sits on its centre).

    Parameters
    ----------
    n : int
        Number of examples, ``n >= n_classes``.
    n_classes : int
        Number of blobs :math:`K`, ``2 <= K <= MAX_CLASSES``.
    noise : float
        Standard deviation :math:`\\sigma` of each blob, ``>= 0``.
    rng : numpy.random.Generator, int or None
    radius : float
        Distance of every centre from the origin, ``> 0``.
    shuffle : bool
        Shuffle the rows (otherwise they are sorted by class).

    Returns
    -------
    X : ndarray of shape (n, 2), float64
    y : ndarray of shape (n,), int64

    Raises
    ------
    ValueError
        For ``n < n_classes``, ``n_classes`` outside ``[2, MAX_CLASSES]``, negative noise
        or a non-positive radius.
    """
    n, n_classes, noise = _check_generator_args(n, n_classes, noise)
    radius = check_number(radius, "radius", low=0, low_inclusive=False)
    rng = as_rng(rng)
    y = _labels(_class_sizes(n, n_classes))
    X = _polar(np.full(n, radius), 2.0 * np.pi * y / n_classes)
    return _finish(X, y, noise, rng, shuffle)


# ---------------------------------------------------------------------------
# regression generators
# ---------------------------------------------------------------------------

_TARGETS_1D: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sin": np.sin,
    "abs": np.abs,
    "step": lambda x: (x >= 0).astype(np.float64),
    "cubic": lambda x: x**3 / 9.0,
}

_TARGETS_2D: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sincos": lambda X: np.sin(X[:, 0]) * np.cos(X[:, 1]),
    "plane": lambda X: 0.5 * X[:, 0] + 0.25 * X[:, 1],
    "bump": lambda X: np.exp(-0.5 * (X[:, 0] ** 2 + X[:, 1] ** 2)),
}


def _check_range(x_range, name: str) -> tuple[float, float]:
    if not isinstance(x_range, (tuple, list)) or len(x_range) != 2:
        raise TypeError(f"{name}: expected a pair (low, high), got {x_range!r}")
    low = check_number(x_range[0], f"{name}[0]")
    high = check_number(x_range[1], f"{name}[1]")
    if not low < high:
        raise ValueError(f"{name}: expected low < high, got ({low}, {high})")
    return low, high


def _target_column(fn, targets: dict, X: np.ndarray) -> np.ndarray:
    """Evaluate a named or callable target on X and return it as an (n, 1) column."""
    if isinstance(fn, str):
        f = targets[check_choice(fn, "fn", targets)]
    elif callable(fn):
        f = fn
    else:
        raise TypeError(f"fn: expected one of {sorted(targets)} or a callable, got {fn!r}")
    n = X.shape[0]
    values = check_array(f(X), "fn(X)", ndim=(1, 2))
    if values.shape not in ((n,), (n, 1)):
        raise ValueError(f"fn(X): expected shape ({n},) or ({n}, 1), got shape {values.shape}")
    return values.astype(np.float64).reshape(n, 1)


def make_regression_1d(
    n: int = 100,
    noise: float = 0.1,
    rng=None,
    *,
    fn="sin",
    x_range: tuple[float, float] = (-3.0, 3.0),
):
    """Noisy samples of a 1-D function, for universal-approximation demos.

    .. math::

        x_i \\sim \\mathcal{U}[a, b], \\qquad y_i = f(x_i) + \\sigma\\,\\varepsilon_i,
        \\qquad \\varepsilon_i \\sim \\mathcal{N}(0, 1).

    Named targets: ``"sin"`` :math:`\\sin x`, ``"abs"`` :math:`|x|`, ``"step"``
    :math:`\\mathbb{1}[x \\ge 0]`, ``"cubic"`` :math:`x^3 / 9`.

    Parameters
    ----------
    n : int
        Number of examples, ``>= 1``.
    noise : float
        Standard deviation :math:`\\sigma` of the noise added to ``y``, ``>= 0``.
    rng : numpy.random.Generator, int or None
    fn : str or callable
        A named target or a function mapping ``X`` of shape (n, 1) to an array of shape
        (n,) or (n, 1) (returned as a column).
    x_range : (float, float)
        The interval :math:`[a, b]` the inputs are drawn from (unsorted).

    Returns
    -------
    X : ndarray of shape (n, 1), float64
    y : ndarray of shape (n, 1), float64

    Raises
    ------
    ValueError
        For ``n < 1``, negative noise, an unknown target name, ``low >= high`` or a
        target returning the wrong shape or non-finite values.
    """
    n = check_number(n, "n", low=1, integer=True)
    noise = check_number(noise, "noise", low=0)
    low, high = _check_range(x_range, "x_range")
    rng = as_rng(rng)
    X = rng.uniform(low, high, size=(n, 1))
    y = _target_column(fn, _TARGETS_1D, X)
    return X, y + noise * rng.standard_normal((n, 1))


def make_regression_2d(
    n: int = 200,
    noise: float = 0.1,
    rng=None,
    *,
    fn="sincos",
    x_range: tuple[float, float] = (-3.0, 3.0),
):
    """Noisy samples of a function of two inputs (the Playground's regression task).

    .. math::

        \\mathbf{x}_i \\sim \\mathcal{U}[a, b]^2, \\qquad
        y_i = f(\\mathbf{x}_i) + \\sigma\\,\\varepsilon_i,
        \\qquad \\varepsilon_i \\sim \\mathcal{N}(0, 1).

    Named targets: ``"sincos"`` :math:`\\sin x_1 \\cos x_2`, ``"plane"``
    :math:`0.5 x_1 + 0.25 x_2`, ``"bump"`` :math:`\\exp(-\\lVert\\mathbf{x}\\rVert^2 / 2)`.

    Parameters
    ----------
    n : int
        Number of examples, ``>= 1``.
    noise : float
        Standard deviation :math:`\\sigma` of the noise added to ``y``, ``>= 0``.
    rng : numpy.random.Generator, int or None
    fn : str or callable
        A named target or a function mapping ``X`` of shape (n, 2) to an array of shape
        (n,) or (n, 1) (returned as a column).
    x_range : (float, float)
        The interval :math:`[a, b]` both coordinates are drawn from.

    Returns
    -------
    X : ndarray of shape (n, 2), float64
    y : ndarray of shape (n, 1), float64

    Raises
    ------
    ValueError
        For ``n < 1``, negative noise, an unknown target name, ``low >= high`` or a
        target returning the wrong shape or non-finite values.
    """
    n = check_number(n, "n", low=1, integer=True)
    noise = check_number(noise, "noise", low=0)
    low, high = _check_range(x_range, "x_range")
    rng = as_rng(rng)
    X = rng.uniform(low, high, size=(n, 2))
    y = _target_column(fn, _TARGETS_2D, X)
    return X, y + noise * rng.standard_normal((n, 1))


# ---------------------------------------------------------------------------
# utilities
# ---------------------------------------------------------------------------


def _check_examples(X, name: str) -> np.ndarray:
    """An array with at least one axis; axis 0 indexes the examples."""
    X = check_array(X, name, dtype="any")
    if X.ndim == 0:
        raise ValueError(f"{name}: expected an array whose first axis indexes examples, got a scalar")
    return X


def _check_paired(X, y) -> tuple[np.ndarray, np.ndarray]:
    X = _check_examples(X, "X")
    y = _check_examples(y, "y")
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"y: expected {X.shape[0]} rows (one per row of X), got {y.shape[0]} "
            f"(X has shape {X.shape}, y has shape {y.shape})"
        )
    return X, y


def _stratified_test_counts(counts: np.ndarray, n_test: int) -> np.ndarray:
    """Split n_test over classes proportionally to counts (largest-remainder rounding)."""
    exact = n_test * counts / counts.sum()
    take = np.floor(exact).astype(np.int64)
    leftover = n_test - int(take.sum())
    # Give the remaining examples to the classes with the largest fractional parts.
    by_remainder = np.argsort(-(exact - take), kind="stable")
    take[by_remainder[:leftover]] += 1
    return take


def train_test_split(X, y, test_size: float = 0.25, rng=None, *, stratify: bool = False):
    """Randomly split examples into a training and a test set.

    The test set gets :math:`n_{\\text{test}} = \\operatorname{round}(\\text{test\\_size}\\cdot n)`
    examples, the training set the other :math:`n - n_{\\text{test}}`. With
    ``stratify=True`` (``y`` must then be integer class labels) class :math:`c`, which
    has :math:`n_c` examples, contributes :math:`\\lfloor n_{\\text{test}} n_c / n \\rfloor`
    or :math:`\\lceil n_{\\text{test}} n_c / n \\rceil` of them to the test set, so both sets
    keep the class ratios as closely as whole numbers allow.

    Parameters
    ----------
    X : ndarray of shape (n, ...)
        Examples along axis 0.
    y : ndarray of shape (n, ...)
        Targets along axis 0 (labels of shape (n,) when ``stratify=True``).
    test_size : float
        Fraction of the examples that go to the test set, in ``(0, 1)``.
    rng : numpy.random.Generator, int or None
    stratify : bool
        Keep the class proportions of ``y`` in both parts.

    Returns
    -------
    X_train : ndarray of shape (n - n_test, ...)
    X_test : ndarray of shape (n_test, ...)
    y_train : ndarray of shape (n - n_test, ...)
    y_test : ndarray of shape (n_test, ...)
        Copies, rows in random order.

    Raises
    ------
    ValueError
        When X and y have different numbers of rows, ``test_size`` is outside
        ``(0, 1)``, or the split would leave either part empty.
    """
    X, y = _check_paired(X, y)
    test_size = check_number(test_size, "test_size", low=0, high=1, low_inclusive=False,
                             high_inclusive=False)
    rng = as_rng(rng)
    n = X.shape[0]
    n_test = int(round(test_size * n))
    if not 0 < n_test < n:
        raise ValueError(
            f"test_size: {test_size} of {n} examples gives a test set of {n_test}; "
            f"both parts need at least one example"
        )
    if stratify:
        labels = check_labels(y, "y")
        counts = np.bincount(labels)
        take = _stratified_test_counts(counts, n_test)
        test_parts = [rng.permutation(np.flatnonzero(labels == c))[:k] for c, k in enumerate(take)]
        is_test = np.zeros(n, dtype=bool)
        is_test[np.concatenate(test_parts)] = True
        test_idx = rng.permutation(np.flatnonzero(is_test))
        train_idx = rng.permutation(np.flatnonzero(~is_test))
    else:
        order = rng.permutation(n)
        test_idx, train_idx = order[:n_test], order[n_test:]
    return X[train_idx], X[test_idx], y[train_idx], y[test_idx]


def one_hot(y, n_classes: int | None = None, *, dtype=np.float64) -> np.ndarray:
    """One-hot encode integer class labels.

    .. math::

        Y_{ic} = \\mathbb{1}[y_i = c], \\qquad i = 1, \\dots, n,\\; c = 0, \\dots, C - 1.

    Parameters
    ----------
    y : array_like of shape (n,)
        Integer labels in ``[0, n_classes)``.
    n_classes : int, optional
        Number of classes :math:`C`; default ``max(y) + 1``.
    dtype : {numpy.float64, numpy.float32}

    Returns
    -------
    Y : ndarray of shape (n, C)

    Raises
    ------
    ValueError
        For labels that are negative or ``>= n_classes``, or ``y`` that is not 1-D.
    TypeError
        For non-integer labels.

    Examples
    --------
    >>> one_hot([0, 2, 1]).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    if np.dtype(dtype) not in (np.float32, np.float64):
        raise TypeError(f"dtype: expected float32 or float64, got {np.dtype(dtype)}")
    if n_classes is not None:
        n_classes = check_number(n_classes, "n_classes", low=1, integer=True)
    y = check_labels(y, "y", n_classes=n_classes)
    if n_classes is None:
        n_classes = int(y.max()) + 1
    Y = np.zeros((y.shape[0], n_classes), dtype=dtype)
    Y[np.arange(y.shape[0]), y] = 1
    return Y


def standardize(X, mean=None, std=None):
    """Shift and scale every column (feature) to mean 0 and standard deviation 1.

    .. math::

        \\tilde X_{ij} = \\frac{X_{ij} - \\mu_j}{s_j}, \\qquad
        \\mu_j = \\frac{1}{n}\\sum_i X_{ij}, \\qquad
        s_j = \\sqrt{\\frac{1}{n}\\sum_i (X_{ij} - \\mu_j)^2}

    (population standard deviation, ``ddof=0``). A constant column (all values equal,
    :math:`s_j = 0`) is centred but not scaled: its ``std`` is reported as 1, so the
    returned statistics can always be reused without dividing by zero.

    Compute the statistics on the training set and pass them back in to transform the
    validation and test sets the same way: ``standardize(X_test, mean, std)``.

    Parameters
    ----------
    X : ndarray of shape (n, d)
    mean : ndarray of shape (d,), optional
        Column means to use; give ``mean`` and ``std`` together or neither.
    std : ndarray of shape (d,), optional
        Column scales to use, all ``> 0``.

    Returns
    -------
    X_std : ndarray of shape (n, d)
        Same float dtype as ``X`` (float32 stays float32).
    mean : ndarray of shape (d,)
    std : ndarray of shape (d,)

    Raises
    ------
    ValueError
        When only one of ``mean`` / ``std`` is given, they have the wrong shape, or
        ``std`` has entries ``<= 0``.
    """
    X = check_array(X, "X", ndim=2)
    if (mean is None) != (std is None):
        raise ValueError("mean, std: expected both (statistics to reuse) or neither (compute them)")
    if mean is None:
        mean = X.mean(axis=0)
        std = X.std(axis=0)
        constant = np.ptp(X, axis=0) == 0  # exact test; X.std may be 1e-17 for constants
        std[constant] = 1
    else:
        d = X.shape[1]
        mean = check_array(mean, "mean", shape=(d,)).astype(X.dtype)
        std = check_array(std, "std", shape=(d,)).astype(X.dtype)
        if np.any(std <= 0):
            raise ValueError(f"std: expected every entry > 0, got {std[std <= 0][:5].tolist()}")
    return (X - mean) / std, mean, std


def minibatches(X, y, batch_size: int, shuffle: bool = True, rng=None) -> Iterator:
    """Iterate over ``(X_batch, y_batch)`` pairs covering every example once.

    The examples are visited in the order of a permutation :math:`\\pi` (a fresh random
    one when ``shuffle=True``, the identity otherwise); batch :math:`k` holds rows
    :math:`\\pi(kB), \\dots, \\pi(\\min((k+1)B, n) - 1)`. There are
    :math:`\\lceil n / B \\rceil` batches; the last one is smaller when :math:`B` does not
    divide :math:`n` (it is kept, not dropped).

    The arguments are checked when ``minibatches`` is called, not when iteration
    starts.

    Parameters
    ----------
    X : ndarray of shape (n, ...)
    y : ndarray of shape (n, ...)
    batch_size : int
        :math:`B \\ge 1` (a value above ``n`` gives one batch).
    shuffle : bool
        Visit the examples in random order.
    rng : numpy.random.Generator, int or None
        Used only when ``shuffle=True``.

    Yields
    ------
    X_batch : ndarray of shape (b, ...)
    y_batch : ndarray of shape (b, ...)
        With ``shuffle=False`` these are views of ``X`` and ``y``: do not modify them
        in place.

    Raises
    ------
    ValueError
        When X and y have different numbers of rows or ``batch_size < 1``.
    """
    X, y = _check_paired(X, y)
    batch_size = check_number(batch_size, "batch_size", low=1, integer=True)
    order = as_rng(rng).permutation(X.shape[0]) if shuffle else None
    return _batches(X, y, batch_size, order)


def _batches(X, y, batch_size, order):
    for start in range(0, X.shape[0], batch_size):
        if order is None:
            yield X[start : start + batch_size], y[start : start + batch_size]
        else:
            idx = order[start : start + batch_size]
            yield X[idx], y[idx]
