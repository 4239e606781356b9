r"""Weight initializers.

Every initializer for a weight matrix takes the layer's fan-in and fan-out
explicitly and returns an array of shape ``(fan_in, fan_out)`` (rows are
inputs, matching ``Z = X W + b``):

* ``glorot_normal``: :math:`\mathcal N(0, \sigma^2)` with variance
  :math:`2/(n_{in} + n_{out})` (Glorot & Bengio, 2010);
* ``glorot_uniform``: :math:`U(-a, a)`, :math:`a = \sqrt{6/(n_{in} + n_{out})}`,
  variance :math:`2/(n_{in} + n_{out})` (Glorot & Bengio, 2010);
* ``he_normal``: :math:`\mathcal N(0, \sigma^2)` with variance :math:`2/n_{in}`
  (He et al., 2015);
* ``he_uniform``: :math:`U(-a, a)`, :math:`a = \sqrt{6/n_{in}}`, variance
  :math:`2/n_{in}` (He et al., 2015);
* ``lecun_normal``: :math:`\mathcal N(0, \sigma^2)` with variance :math:`1/n_{in}`
  (LeCun et al., 1998).

Notation: :math:`\mathcal N(\mu, \sigma^2)` always has the **variance** as its
second argument here, and :math:`U(-a, a)` has variance :math:`a^2/3`.
"Xavier" is Glorot's first name; ``xavier_normal``/``xavier_uniform`` and
``kaiming_normal``/``kaiming_uniform`` are accepted as aliases in
:data:`INITIALIZERS`.

The course notes write the Glorot normal rule as
:math:`\mathcal N\bigl(0, \sqrt{2/(n_{in}+n_{out})}\bigr)` with a *standard
deviation* as second argument (so its variance is :math:`2/(n_{in}+n_{out})`,
as here), and elsewhere call :math:`\mathcal N(0, 1/n_{in})` (a *variance*)
"Xavier"; that second rule is LeCun's, :func:`lecun_normal`.

Every random initializer takes ``rng`` (a ``numpy.random.Generator``, an int
seed, or ``None``) and ``dtype`` (float64 by default, or float32). Samples are
drawn in float64 and then cast, so one seed gives the same numbers (up to
rounding) in both dtypes.
"""

from __future__ import annotations

import numbers

import numpy as np

from nnlib._validation import as_rng, check_float_dtype, check_number

__all__ = [
    "zeros",
    "normal",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "lecun_normal",
    "INITIALIZERS",
]


# ---------------------------------------------------------------------- helpers


def _check_shape(shape) -> tuple[int, ...]:
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, tuple | list) or not shape:
        raise TypeError(f"shape: expected an int or a non-empty tuple of ints, got {shape!r}")
    return tuple(check_number(s, "shape entry", low=1, integer=True) for s in shape)


def _check_fans(fan_in, fan_out) -> tuple[int, int]:
    return (
        check_number(fan_in, "fan_in", low=1, integer=True),
        check_number(fan_out, "fan_out", low=1, integer=True),
    )


def _normal(fan_in: int, fan_out: int, variance: float, rng, dtype) -> np.ndarray:
    dtype = check_float_dtype(dtype)
    std = np.sqrt(variance)
    return (std * as_rng(rng).standard_normal((fan_in, fan_out))).astype(dtype, copy=False)


def _uniform(fan_in: int, fan_out: int, limit: float, rng, dtype) -> np.ndarray:
    dtype = check_float_dtype(dtype)
    return as_rng(rng).uniform(-limit, limit, size=(fan_in, fan_out)).astype(dtype, copy=False)


# ------------------------------------------------------------------ initializers


def zeros(shape, dtype=np.float64) -> np.ndarray:
    r"""All-zero array (the usual bias initialization).

    .. math::

        b = 0

    Zero *weights* would make every unit of a layer compute the same thing
    and receive the same gradient, so they never become different; use a
    random initializer for weights.

    Parameters
    ----------
    shape : int or tuple of int
        Positive sizes, e.g. ``(d_out,)`` for a bias.
    dtype : float32 or float64, default float64

    Returns
    -------
    ndarray of the given shape and dtype

    Raises
    ------
    TypeError
        If ``shape`` is not an int/tuple of ints or ``dtype`` is not a float type.
    ValueError
        If a size is not positive.
    """
    return np.zeros(_check_shape(shape), dtype=check_float_dtype(dtype))


def normal(shape, std: float, rng=None, dtype=np.float64) -> np.ndarray:
    r"""Samples from a normal distribution with a given **standard deviation**.

    .. math::

        w \sim \mathcal N(0, \sigma^2), \qquad \sigma = \text{std}, \quad \mathrm{Var}(w) = \text{std}^2

    Parameters
    ----------
    shape : int or tuple of int
    std : float
        Standard deviation :math:`\sigma \ge 0` (not the variance).
    rng : numpy.random.Generator, int or None
    dtype : float32 or float64, default float64

    Returns
    -------
    ndarray of the given shape and dtype

    Raises
    ------
    ValueError
        If ``std < 0`` or a size is not positive.
    """
    shape = _check_shape(shape)
    std = check_number(std, "std", low=0.0)
    dtype = check_float_dtype(dtype)
    return (std * as_rng(rng).standard_normal(shape)).astype(dtype, copy=False)


def glorot_normal(fan_in: int, fan_out: int, rng=None, dtype=np.float64) -> np.ndarray:
    r"""Glorot (Xavier) normal initialization (Glorot & Bengio, 2010).

    .. math::

        W_{ij} \sim \mathcal N\!\left(0,\ \frac{2}{n_{in} + n_{out}}\right)
        \quad\text{(variance)}, \qquad \sigma = \sqrt{\frac{2}{n_{in} + n_{out}}}

    The variance is the harmonic compromise between keeping the forward
    activations' variance (:math:`n_{in}\mathrm{Var}(W) = 1`) and the backward
    gradients' variance (:math:`n_{out}\mathrm{Var}(W) = 1`) constant, derived
    for tanh/sigmoid-like units near 0.

    Parameters
    ----------
    fan_in, fan_out : int
        Number of inputs and outputs of the layer (positive).
    rng : numpy.random.Generator, int or None
    dtype : float32 or float64, default float64

    Returns
    -------
    ndarray, shape (fan_in, fan_out)

    Raises
    ------
    ValueError
        If ``fan_in`` or ``fan_out`` is not a positive integer.
    TypeError
        If they are not integers or ``dtype`` is not a float type.
    """
    fan_in, fan_out = _check_fans(fan_in, fan_out)
    return _normal(fan_in, fan_out, 2.0 / (fan_in + fan_out), rng, dtype)


def glorot_uniform(fan_in: int, fan_out: int, rng=None, dtype=np.float64) -> np.ndarray:
    r"""Glorot (Xavier) uniform initialization (Glorot & Bengio, 2010, eq. 16).

    .. math::

        W_{ij} \sim U(-a, a), \qquad a = \sqrt{\frac{6}{n_{in} + n_{out}}},
        \qquad \mathrm{Var}(W_{ij}) = \frac{a^2}{3} = \frac{2}{n_{in} + n_{out}}

    Same variance as :func:`glorot_normal`, bounded support.

    Parameters
    ----------
    fan_in, fan_out : int
        Positive.
    rng : numpy.random.Generator, int or None
    dtype : float32 or float64, default float64

    Returns
    -------
    ndarray, shape (fan_in, fan_out)

    Raises
    ------
    ValueError, TypeError
        As :func:`glorot_normal`.
    """
    fan_in, fan_out = _check_fans(fan_in, fan_out)
    return _uniform(fan_in, fan_out, np.sqrt(6.0 / (fan_in + fan_out)), rng, dtype)


def he_normal(fan_in: int, fan_out: int, rng=None, dtype=np.float64) -> np.ndarray:
    r"""He (Kaiming) normal initialization for ReLU layers (He et al., 2015).

    .. math::

        W_{ij} \sim \mathcal N\!\left(0,\ \frac{2}{n_{in}}\right)
        \quad\text{(variance)}, \qquad \sigma = \sqrt{\frac{2}{n_{in}}}

    ReLU zeroes half of its inputs on average, halving the second moment;
    the factor 2 compensates so activations keep their scale with depth
    (the "fan-in" mode of the paper).

    Parameters
    ----------
    fan_in, fan_out : int
        Positive; only ``fan_in`` enters the variance.
    rng : numpy.random.Generator, int or None
    dtype : float32 or float64, default float64

    Returns
    -------
    ndarray, shape (fan_in, fan_out)

    Raises
    ------
    ValueError, TypeError
        As :func:`glorot_normal`.
    """
    fan_in, fan_out = _check_fans(fan_in, fan_out)
    return _normal(fan_in, fan_out, 2.0 / fan_in, rng, dtype)


def he_uniform(fan_in: int, fan_out: int, rng=None, dtype=np.float64) -> np.ndarray:
    r"""He (Kaiming) uniform initialization (He et al., 2015, fan-in mode).

    .. math::

        W_{ij} \sim U(-a, a), \qquad a = \sqrt{\frac{6}{n_{in}}},
        \qquad \mathrm{Var}(W_{ij}) = \frac{a^2}{3} = \frac{2}{n_{in}}

    Parameters
    ----------
    fan_in, fan_out : int
        Positive; only ``fan_in`` enters the variance.
    rng : numpy.random.Generator, int or None
    dtype : float32 or float64, default float64

    Returns
    -------
    ndarray, shape (fan_in, fan_out)

    Raises
    ------
    ValueError, TypeError
        As :func:`glorot_normal`.
    """
    fan_in, fan_out = _check_fans(fan_in, fan_out)
    return _uniform(fan_in, fan_out, np.sqrt(6.0 / fan_in), rng, dtype)


def lecun_normal(fan_in: int, fan_out: int, rng=None, dtype=np.float64) -> np.ndarray:
    r"""LeCun normal initialization (LeCun et al., 1998, "Efficient BackProp").

    .. math::

        W_{ij} \sim \mathcal N\!\left(0,\ \frac{1}{n_{in}}\right)
        \quad\text{(variance)}, \qquad \sigma = \frac{1}{\sqrt{n_{in}}}

    Keeps the variance of :math:`z = \sum_j x_j W_{jk}` equal to that of the
    inputs when the inputs are independent with unit variance. (The course
    notes label this rule "Xavier"; Glorot/Xavier uses :math:`2/(n_{in}+n_{out})`.)

    Parameters
    ----------
    fan_in, fan_out : int
        Positive; only ``fan_in`` enters the variance.
    rng : numpy.random.Generator, int or None
    dtype : float32 or float64, default float64

    Returns
    -------
    ndarray, shape (fan_in, fan_out)

    Raises
    ------
    ValueError, TypeError
        As :func:`glorot_normal`.
    """
    fan_in, fan_out = _check_fans(fan_in, fan_out)
    return _normal(fan_in, fan_out, 1.0 / fan_in, rng, dtype)


def _zeros_init(fan_in: int, fan_out: int, rng=None, dtype=np.float64) -> np.ndarray:
    """``(fan_in, fan_out)`` zeros with the initializer signature (``rng`` is ignored)."""
    fan_in, fan_out = _check_fans(fan_in, fan_out)
    return zeros((fan_in, fan_out), dtype=dtype)


INITIALIZERS = {
    "glorot_normal": glorot_normal,
    "glorot_uniform": glorot_uniform,
    "xavier_normal": glorot_normal,
    "xavier_uniform": glorot_uniform,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
    "kaiming_normal": he_normal,
    "kaiming_uniform": he_uniform,
    "lecun_normal": lecun_normal,
    "zeros": _zeros_init,
}
"""Weight initializers by name; each is called as ``f(fan_in, fan_out, rng=rng, dtype=dtype)``."""
