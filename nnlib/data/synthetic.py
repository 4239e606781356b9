"""Synthetic 2-D classification sets: linearly separable bands, moons, circles, spirals, Gaussian clusters.

Every generator has the signature ``make_<shape>(n, n_classes, noise, rng)``
and the guarantees listed in :mod:`nnlib.data`.
"""

from __future__ import annotations

import numpy as np

from nnlib._validation import as_rng, check_number
from nnlib.data._common import check_generator_args, class_sizes, finish, labels_for, polar

__all__ = ["make_linearly_separable", "make_moons", "make_circles", "make_spirals", "make_gaussian_clusters"]

# Horizontal distance between the centres of neighbouring moons. With radius 1 and
# spacing 1.25, arcs of different classes stay at least ~0.44 apart for any K
# (spacing 1, the classic two-moons layout, makes arcs j and j + 2 touch when K > 2).
_MOON_SPACING = 1.25


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
    n, n_classes, noise = check_generator_args(n, n_classes, noise)
    margin = check_number(margin, "margin", low=0)
    rng = as_rng(rng)

    band = 1.0 + 2.0 * margin  # width of one class's band, margins included
    edges = (np.arange(n_classes + 1) - n_classes / 2.0) * band  # band edges along w*
    half_length = n_classes * band / 2.0  # extent along the lines: a square picture

    angle = rng.uniform(0.0, 2.0 * np.pi)
    w_star = np.array([np.cos(angle), np.sin(angle)])
    along = np.array([-w_star[1], w_star[0]])  # unit vector along the lines
    shift = rng.uniform(-0.5, 0.5)  # moves the whole picture along w*, so b* != 0

    sizes = class_sizes(n, n_classes)
    y = labels_for(sizes)
    # u: signed position along w*, v: position along the lines.
    u = rng.uniform(edges[y] + margin, edges[y + 1] - margin)
    v = rng.uniform(-half_length, half_length, size=n)
    X = np.outer(u + shift, w_star) + np.outer(v, along)
    # w*.x = u + shift, and line j sits at u = edges[j]:  w*.x + b_j = u - edges[j].
    b_star = -(shift + edges[1:-1])

    X, y = finish(X, y, noise, rng, shuffle)
    if not return_boundary:
        return X, y
    return X, y, w_star, (float(b_star[0]) if n_classes == 2 else b_star)


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
    n, n_classes, noise = check_generator_args(n, n_classes, noise)
    rng = as_rng(rng)
    y = labels_for(class_sizes(n, n_classes))
    t = rng.uniform(0.0, np.pi, size=n)
    sign = np.where(y % 2 == 0, 1.0, -1.0)
    centre = np.column_stack([_MOON_SPACING * y, 0.5 * (y % 2)])
    X = centre + sign[:, None] * np.column_stack([np.cos(t), np.sin(t)])
    return finish(X, y, noise, rng, shuffle)


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
    n, n_classes, noise = check_generator_args(n, n_classes, noise)
    rng = as_rng(rng)
    y = labels_for(class_sizes(n, n_classes))
    radius = (y + 1.0) / n_classes
    X = polar(radius, rng.uniform(0.0, 2.0 * np.pi, size=n))
    return finish(X, y, noise, rng, shuffle)


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
    n, n_classes, noise = check_generator_args(n, n_classes, noise)
    turns = check_number(turns, "turns", low=0, low_inclusive=False, high=5)
    rng = as_rng(rng)
    y = labels_for(class_sizes(n, n_classes))
    s = rng.uniform(0.0, 1.0, size=n)
    angle = 2.0 * np.pi * y / n_classes + 2.0 * np.pi * turns * s
    X = polar(0.1 + 0.9 * s, angle)
    return finish(X, y, noise, rng, shuffle)


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
    n, n_classes, noise = check_generator_args(n, n_classes, noise)
    radius = check_number(radius, "radius", low=0, low_inclusive=False)
    rng = as_rng(rng)
    y = labels_for(class_sizes(n, n_classes))
    X = polar(np.full(n, radius), 2.0 * np.pi * y / n_classes)
    return finish(X, y, noise, rng, shuffle)
