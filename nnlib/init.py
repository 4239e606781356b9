r"""Weight initializers: LeCun, Glorot (Xavier) and He (Kaiming), normal and uniform.

Every rule fixes the **variance** of independent, zero-mean weights from the
layer's fan-in :math:`n_{in}` and fan-out :math:`n_{out}`:

=====================  ===========================================  ====================
rule                   :math:`\mathrm{Var}(W_{ij})`                 paper
=====================  ===========================================  ====================
``lecun_*``            :math:`1/n_{in}`                             LeCun et al., 1998
``glorot_*``           :math:`2/(n_{in} + n_{out})`                 Glorot & Bengio, 2010
``he_*``               :math:`2/n_{in}`                             He et al., 2015
=====================  ===========================================  ====================

and draws the weights from :math:`\mathcal N(0, \mathrm{Var})` (``*_normal``) or
from :math:`U(-a, a)` with :math:`a = \sqrt{3\,\mathrm{Var}}` (``*_uniform``:
:math:`U(-a, a)` has variance :math:`a^2/3`).

Two ways to call them: ``glorot_normal(fan_in, fan_out, rng=..., dtype=...)`` returns a dense layer's
``(fan_in, fan_out)`` matrix (rows are inputs: ``Z = X W + b``); :func:`initialize` draws any shape, with
the fans of :func:`fan_in_and_fan_out`: ``(n_in, n_out)`` for a dense layer, ``(C_out, C_in, kH, kW)``
for a convolution, whose fan-in is :math:`C_{in} k_H k_W`.

:math:`\mathcal N(\mu, \sigma^2)` has the **variance** as second argument. "Xavier" is Glorot's
first name and "Kaiming" He's: ``xavier_*`` and ``kaiming_*`` are aliases in :data:`INITIALIZERS`.
(The course notes' "Xavier" :math:`\mathcal N(0, 1/n_{in})` is LeCun's rule, :func:`lecun_normal`.)
Every random initializer takes ``rng`` (a Generator, an int seed, or ``None``) and ``dtype``
(float64, or float32: drawn in float64 then cast, so one seed gives the same numbers in both).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from nnlib._validation import as_rng, check_choice, check_float_dtype, check_number

__all__ = [
    "zeros",
    "normal",
    "lecun_normal",
    "lecun_uniform",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "fan_in_and_fan_out",
    "weight_variance",
    "initialize",
    "INITIALIZERS",
]

#: rule name -> (distribution, gain, denominator(fan_in, fan_out)); the variance is gain / denominator
_RULES = {
    "lecun_normal": ("normal", 1.0, lambda fan_in, fan_out: fan_in),
    "lecun_uniform": ("uniform", 1.0, lambda fan_in, fan_out: fan_in),
    "glorot_normal": ("normal", 2.0, lambda fan_in, fan_out: fan_in + fan_out),
    "glorot_uniform": ("uniform", 2.0, lambda fan_in, fan_out: fan_in + fan_out),
    "he_normal": ("normal", 2.0, lambda fan_in, fan_out: fan_in),
    "he_uniform": ("uniform", 2.0, lambda fan_in, fan_out: fan_in),
    "zeros": ("zeros", 0.0, lambda fan_in, fan_out: 1),
}
_ALIASES = {"xavier_normal": "glorot_normal", "xavier_uniform": "glorot_uniform",
            "kaiming_normal": "he_normal", "kaiming_uniform": "he_uniform"}


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


def _rule(init: str) -> str:
    """The canonical rule name of ``init`` (aliases resolved), or a ValueError naming the choices."""
    check_choice(init, "init", INITIALIZERS)
    return _ALIASES.get(init, init)


def _draw(rule: str, shape: tuple, fan_in: int, fan_out: int, rng, dtype) -> np.ndarray:
    """``shape`` entries of rule ``rule`` with the variance its fans give, drawn in float64, cast to ``dtype``."""
    dtype = check_float_dtype(dtype)
    distribution, gain, denominator = _RULES[rule]
    denominator = denominator(fan_in, fan_out)
    if distribution == "zeros":
        return np.zeros(shape, dtype=dtype)
    if distribution == "normal":
        sample = math.sqrt(gain / denominator) * as_rng(rng).standard_normal(shape)
    else:
        limit = math.sqrt(3.0 * gain / denominator)  # U(-a, a) has variance a^2 / 3
        sample = as_rng(rng).uniform(-limit, limit, size=shape)
    return sample.astype(dtype, copy=False)


def _matrix(rule: str, fan_in, fan_out, rng, dtype) -> np.ndarray:
    fan_in, fan_out = _check_fans(fan_in, fan_out)
    return _draw(rule, (fan_in, fan_out), fan_in, fan_out, rng, dtype)


# ------------------------------------------------------------------ fans and variances


def fan_in_and_fan_out(shape) -> tuple[int, int]:
    r"""The fan-in and fan-out of a weight array, read from its shape.

    .. math::

        (n_{in}, n_{out}) = \begin{cases}
        (n_{in}, n_{out}) & \text{dense weights } (n_{in}, n_{out}),\\
        (C_{in}\, k_1 \cdots k_r,\ C_{out}\, k_1 \cdots k_r) &
        \text{convolution kernels } (C_{out}, C_{in}, k_1, \dots, k_r).
        \end{cases}

    A convolution's output unit sees :math:`C_{in} k_H k_W` inputs (every
    channel under the kernel), and an input reaches :math:`C_{out} k_H k_W`
    outputs (away from the borders): the convention of PyTorch and Keras.

    Parameters
    ----------
    shape : tuple of int
        At least two positive sizes: ``(n_in, n_out)`` (nnlib's dense layout,
        rows are inputs; PyTorch's ``nn.Linear`` stores the transpose), or
        ``(C_out, C_in, *kernel)`` (nnlib's and PyTorch's convolution layout).

    Returns
    -------
    (int, int)
        A ``ValueError`` for fewer than two dimensions (a bias has no fans) or a size below 1.

    Examples
    --------
    >>> fan_in_and_fan_out((64, 10))
    (64, 10)
    >>> fan_in_and_fan_out((16, 3, 5, 5))    # 16 kernels of 3 channels, 5 x 5
    (75, 400)
    """
    shape = _check_shape(shape)
    if len(shape) < 2:
        raise ValueError(f"shape: expected at least 2 dimensions ((n_in, n_out) or (C_out, C_in, kH, kW)), "
                         f"got {shape}: a bias has no fan-in; initialize it with zeros")
    if len(shape) == 2:
        return shape
    receptive_field = math.prod(shape[2:])
    return shape[1] * receptive_field, shape[0] * receptive_field


def weight_variance(init: str, fan_in: int, fan_out: int) -> float:
    r"""The variance :math:`\mathrm{Var}(W_{ij})` the rule ``init`` gives a layer with these fans.

    .. math::

        \text{LeCun: } \frac{1}{n_{in}}, \qquad \text{Glorot: } \frac{2}{n_{in} + n_{out}},
        \qquad \text{He: } \frac{2}{n_{in}}, \qquad \text{zeros: } 0

    Parameters
    ----------
    init : str
        A name in :data:`INITIALIZERS`.
    fan_in, fan_out : int
        Positive.
    """
    fan_in, fan_out = _check_fans(fan_in, fan_out)
    _, gain, denominator = _RULES[_rule(init)]
    return gain / denominator(fan_in, fan_out)


def initialize(shape, init: str = "glorot_uniform", rng=None, dtype=np.float64) -> np.ndarray:
    r"""Weights of any shape drawn by the rule ``init``, with the fans of :func:`fan_in_and_fan_out`.

    .. math::

        W \sim \mathcal N\bigl(0, v(n_{in}, n_{out})\bigr) \quad\text{or}\quad
        W \sim U\bigl(-\sqrt{3 v},\ \sqrt{3 v}\bigr)

    with :math:`v` the rule's variance (:func:`weight_variance`). For a 2-D
    ``shape`` it returns exactly what ``INITIALIZERS[init](*shape)`` returns.

    Parameters
    ----------
    shape : tuple of int
        ``(n_in, n_out)`` or ``(C_out, C_in, kH, kW)`` (any number of kernel dimensions).
    init : str, default "glorot_uniform"
        A name in :data:`INITIALIZERS`.
    rng : numpy.random.Generator, int or None
    dtype : float32 or float64, default float64

    Returns
    -------
    ndarray of the given shape and dtype (a ``ValueError`` for an unknown ``init`` or fewer than 2 dimensions)

    Examples
    --------
    >>> kernels = initialize((16, 3, 5, 5), "he_normal", rng=0)   # Var = 2 / (3 * 5 * 5)
    >>> kernels.shape
    (16, 3, 5, 5)
    """
    rule = _rule(init)
    shape = _check_shape(shape)
    fan_in, fan_out = fan_in_and_fan_out(shape)
    return _draw(rule, shape, fan_in, fan_out, rng, dtype)


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
    ndarray of the given shape and dtype (a ``TypeError`` or ``ValueError`` for a bad shape or dtype)
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
    ndarray of the given shape and dtype (a ``ValueError`` if ``std < 0`` or a size is not positive)
    """
    shape = _check_shape(shape)
    std = check_number(std, "std", low=0.0)
    dtype = check_float_dtype(dtype)
    return (std * as_rng(rng).standard_normal(shape)).astype(dtype, copy=False)


def lecun_normal(fan_in: int, fan_out: int, rng=None, dtype=np.float64) -> np.ndarray:
    r"""LeCun normal initialization (LeCun et al., 1998, "Efficient BackProp").

    .. math::

        W_{ij} \sim \mathcal N\!\left(0,\ \frac{1}{n_{in}}\right) \quad\text{(variance)}

    Keeps :math:`\mathrm{Var}(z) = n_{in}\mathrm{Var}(W)\,\mathrm{E}[a^2]` equal to
    :math:`\mathrm{E}[a^2]` for independent inputs: the forward pass of a
    linear (or tanh near 0) layer keeps its scale. The course notes label this
    rule "Xavier".

    Parameters
    ----------
    fan_in, fan_out : int
        Number of inputs and outputs of the layer (positive); only ``fan_in`` enters the variance.
    rng : numpy.random.Generator, int or None
    dtype : float32 or float64, default float64

    Returns
    -------
    ndarray, shape (fan_in, fan_out)
        A ``ValueError`` if a fan is not a positive integer (``TypeError`` if not an integer, or a bad dtype).
    """
    return _matrix("lecun_normal", fan_in, fan_out, rng, dtype)


def lecun_uniform(fan_in: int, fan_out: int, rng=None, dtype=np.float64) -> np.ndarray:
    r"""LeCun uniform initialization: the variance of :func:`lecun_normal`, bounded support.

    .. math::

        W_{ij} \sim U(-a, a), \qquad a = \sqrt{\frac{3}{n_{in}}}, \qquad
        \mathrm{Var}(W_{ij}) = \frac{a^2}{3} = \frac{1}{n_{in}}

    Parameters
    ----------
    fan_in, fan_out, rng, dtype
        As :func:`lecun_normal`; returns a ``(fan_in, fan_out)`` array.
    """
    return _matrix("lecun_uniform", fan_in, fan_out, rng, dtype)


def glorot_normal(fan_in: int, fan_out: int, rng=None, dtype=np.float64) -> np.ndarray:
    r"""Glorot (Xavier) normal initialization (Glorot & Bengio, 2010).

    .. math::

        W_{ij} \sim \mathcal N\!\left(0,\ \frac{2}{n_{in} + n_{out}}\right)
        \quad\text{(variance)}, \qquad \sigma = \sqrt{\frac{2}{n_{in} + n_{out}}}

    The forward pass keeps its variance when :math:`n_{in}\mathrm{Var}(W) = 1`,
    the backward pass when :math:`n_{out}\mathrm{Var}(W) = 1`; this variance is
    the compromise :math:`\bigl((n_{in} + n_{out})/2\bigr)\mathrm{Var}(W) = 1`.

    Parameters
    ----------
    fan_in, fan_out, rng, dtype
        As :func:`lecun_normal`; returns a ``(fan_in, fan_out)`` array.
    """
    return _matrix("glorot_normal", fan_in, fan_out, rng, dtype)


def glorot_uniform(fan_in: int, fan_out: int, rng=None, dtype=np.float64) -> np.ndarray:
    r"""Glorot (Xavier) uniform initialization (Glorot & Bengio, 2010, eq. 16).

    .. math::

        W_{ij} \sim U(-a, a), \qquad a = \sqrt{\frac{6}{n_{in} + n_{out}}},
        \qquad \mathrm{Var}(W_{ij}) = \frac{a^2}{3} = \frac{2}{n_{in} + n_{out}}

    Parameters
    ----------
    fan_in, fan_out, rng, dtype
        As :func:`lecun_normal`; returns a ``(fan_in, fan_out)`` array.
    """
    return _matrix("glorot_uniform", fan_in, fan_out, rng, dtype)


def he_normal(fan_in: int, fan_out: int, rng=None, dtype=np.float64) -> np.ndarray:
    r"""He (Kaiming) normal initialization for ReLU layers (He et al., 2015).

    .. math::

        W_{ij} \sim \mathcal N\!\left(0,\ \frac{2}{n_{in}}\right)
        \quad\text{(variance)}, \qquad \sigma = \sqrt{\frac{2}{n_{in}}}

    A ReLU of a zero-mean, symmetric pre-activation keeps half its second
    moment, :math:`\mathrm{E}[\mathrm{relu}(z)^2] = \mathrm{Var}(z)/2`; the factor 2
    makes up for it (the paper's "fan-in" mode).

    Parameters
    ----------
    fan_in, fan_out, rng, dtype
        As :func:`lecun_normal`; returns a ``(fan_in, fan_out)`` array.
    """
    return _matrix("he_normal", fan_in, fan_out, rng, dtype)


def he_uniform(fan_in: int, fan_out: int, rng=None, dtype=np.float64) -> np.ndarray:
    r"""He (Kaiming) uniform initialization (He et al., 2015, fan-in mode).

    .. math::

        W_{ij} \sim U(-a, a), \qquad a = \sqrt{\frac{6}{n_{in}}},
        \qquad \mathrm{Var}(W_{ij}) = \frac{a^2}{3} = \frac{2}{n_{in}}

    Parameters
    ----------
    fan_in, fan_out, rng, dtype
        As :func:`lecun_normal`; returns a ``(fan_in, fan_out)`` array.
    """
    return _matrix("he_uniform", fan_in, fan_out, rng, dtype)


def _zeros_init(fan_in: int, fan_out: int, rng=None, dtype=np.float64) -> np.ndarray:
    """``(fan_in, fan_out)`` zeros with the initializer signature (``rng`` is ignored)."""
    return _matrix("zeros", fan_in, fan_out, rng, dtype)


INITIALIZERS = {
    "lecun_normal": lecun_normal,
    "lecun_uniform": lecun_uniform,
    "glorot_normal": glorot_normal,
    "glorot_uniform": glorot_uniform,
    "xavier_normal": glorot_normal,
    "xavier_uniform": glorot_uniform,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
    "kaiming_normal": he_normal,
    "kaiming_uniform": he_uniform,
    "zeros": _zeros_init,
}
"""Weight initializers by name; each is called as ``f(fan_in, fan_out, rng=rng, dtype=dtype)``."""
