r"""Elementwise activations and their derivatives: step, sigmoid, tanh, ReLU, leaky ReLU, softplus.

Each returns an array of the input's shape (a NumPy scalar for a scalar);
``<name>_derivative`` returns :math:`f'(x)` elementwise. Conventions at the
kinks are stated in each docstring.
"""

from __future__ import annotations

import numpy as np

from nnlib._validation import check_array, check_number

__all__ = [
    "step",
    "step_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "tanh",
    "tanh_derivative",
    "relu",
    "relu_derivative",
    "leaky_relu",
    "leaky_relu_derivative",
    "softplus",
    "softplus_derivative",
    "ACTIVATIONS",
]


def as_float(x, name: str = "x") -> np.ndarray:
    """Return ``x`` as a float32/float64 array (ints become float64; NaN/inf allowed)."""
    return check_array(x, name, dtype="float", finite=False, allow_empty=True)


def _unwrap(out: np.ndarray):
    """Return a NumPy scalar for 0-d results (so ``sigmoid(0.0)`` prints as ``0.5``)."""
    return out[()] if out.ndim == 0 else out


def _check_alpha(alpha) -> float:
    return check_number(alpha, "alpha", low=0.0)


# ----------------------------------------------------------------------------- step


def step(x):
    r"""Heaviside step function (the perceptron's activation).

    .. math::

        \operatorname{step}(x) = \begin{cases} 1 & x \ge 0 \\ 0 & x < 0 \end{cases}

    The value at :math:`x = 0` is 1 (the course notes' convention).

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    ndarray, same shape and float dtype as ``x``
        Zeros and ones.

    Examples
    --------
    >>> step([-1.0, 0.0, 2.0])
    array([0., 1., 1.])
    """
    x = as_float(x)
    return _unwrap((x >= 0).astype(x.dtype))


def step_derivative(x):
    r"""Derivative of :func:`step`, taken as 0 everywhere.

    .. math::

        \operatorname{step}'(x) = 0 \quad (x \ne 0)

    At :math:`x = 0` the derivative does not exist (the function jumps); this
    function returns 0 there too. This is why a step network cannot be trained
    by gradient descent: no gradient flows through it.

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    ndarray, same shape and float dtype as ``x``
        All zeros.
    """
    x = as_float(x)
    return _unwrap(np.zeros_like(x))


# -------------------------------------------------------------------------- sigmoid


def sigmoid(x):
    r"""Logistic sigmoid, computed without overflow.

    .. math::

        \sigma(x) = \frac{1}{1 + e^{-x}}
        = \begin{cases} \dfrac{1}{1 + e^{-|x|}} & x \ge 0 \\[1ex]
                        \dfrac{e^{-|x|}}{1 + e^{-|x|}} & x < 0 \end{cases}

    The second form only ever exponentiates :math:`-|x| \le 0`, so it cannot
    overflow (``sigmoid(-1000.0)`` is ``0.0`` with no warning) and
    ``sigmoid(0.0)`` is exactly ``0.5``.

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    ndarray, same shape and float dtype as ``x``
        Values in :math:`[0, 1]`.

    Examples
    --------
    >>> sigmoid([-1000.0, 0.0, 1000.0])
    array([0. , 0.5, 1. ])
    """
    x = as_float(x)
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return _unwrap(np.where(x >= 0, 1 / (1 + e), e / (1 + e)))


def sigmoid_derivative(x):
    r"""Derivative of :func:`sigmoid`.

    .. math::

        \sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)
        = \frac{e^{-|x|}}{\bigl(1 + e^{-|x|}\bigr)^2} \le \tfrac14

    The last form is used: it is symmetric in :math:`x` and free of the
    cancellation in :math:`1 - \sigma(x)` for large :math:`x`.

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    ndarray, same shape and float dtype as ``x``
        Values in :math:`[0, 1/4]`.
    """
    x = as_float(x)
    e = np.exp(-np.abs(x))
    return _unwrap(e / (1 + e) ** 2)


# ----------------------------------------------------------------------------- tanh


def tanh(x):
    r"""Hyperbolic tangent.

    .. math::

        \tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    ndarray, same shape and float dtype as ``x``
        Values in :math:`[-1, 1]`.
    """
    return _unwrap(np.tanh(as_float(x)))


def tanh_derivative(x):
    r"""Derivative of :func:`tanh`.

    .. math::

        \tanh'(x) = 1 - \tanh^2(x)

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    ndarray, same shape and float dtype as ``x``
        Values in :math:`[0, 1]`.
    """
    t = np.tanh(as_float(x))
    return _unwrap(1 - t * t)


# ----------------------------------------------------------------------------- relu


def relu(x):
    r"""Rectified linear unit.

    .. math::

        \operatorname{ReLU}(x) = \max(0, x)

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    ndarray, same shape and float dtype as ``x``
    """
    x = as_float(x)
    return _unwrap(np.maximum(x, 0))


def relu_derivative(x):
    r"""Derivative of :func:`relu`, with the convention :math:`\operatorname{ReLU}'(0) = 0`.

    .. math::

        \operatorname{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}

    At :math:`x = 0` the derivative does not exist; 0 (any value in
    :math:`[0, 1]` is a valid subgradient) is the course notes' and PyTorch's
    choice.

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    ndarray, same shape and float dtype as ``x``
        Zeros and ones.
    """
    x = as_float(x)
    return _unwrap((x > 0).astype(x.dtype))


# ----------------------------------------------------------------------- leaky relu


def leaky_relu(x, alpha: float = 0.01):
    r"""Leaky ReLU: a small slope ``alpha`` for negative inputs.

    .. math::

        \operatorname{LeakyReLU}_\alpha(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}

    Parameters
    ----------
    x : array_like, any shape
    alpha : float, default 0.01
        Slope for :math:`x \le 0`; must be :math:`\ge 0` (``alpha=0`` is ReLU).

    Returns
    -------
    ndarray, same shape and float dtype as ``x``

    Raises
    ------
    ValueError
        If ``alpha < 0``.
    """
    x = as_float(x)
    alpha = _check_alpha(alpha)
    return _unwrap(np.where(x > 0, x, alpha * x))


def leaky_relu_derivative(x, alpha: float = 0.01):
    r"""Derivative of :func:`leaky_relu`, with the convention :math:`f'(0) = \alpha`.

    .. math::

        \operatorname{LeakyReLU}_\alpha'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}

    Parameters
    ----------
    x : array_like, any shape
    alpha : float, default 0.01
        Slope for :math:`x \le 0`; must be :math:`\ge 0`.

    Returns
    -------
    ndarray, same shape and float dtype as ``x``
    """
    x = as_float(x)
    alpha = _check_alpha(alpha)
    return _unwrap(np.where(x > 0, 1.0, alpha).astype(x.dtype))


# ------------------------------------------------------------------------- softplus


def softplus(x):
    r"""Softplus, a smooth ReLU, computed without overflow.

    .. math::

        \operatorname{softplus}(x) = \log\bigl(1 + e^{x}\bigr)
        = \max(x, 0) + \log\bigl(1 + e^{-|x|}\bigr)

    The second form is used (with ``log1p``): it never exponentiates a positive
    number, so ``softplus(1000.0)`` is ``1000.0`` with no warning.

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    ndarray, same shape and float dtype as ``x``
        Positive values.
    """
    x = as_float(x)
    return _unwrap(np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x))))


def softplus_derivative(x):
    r"""Derivative of :func:`softplus`: the sigmoid.

    .. math::

        \operatorname{softplus}'(x) = \frac{e^{x}}{1 + e^{x}} = \sigma(x)

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    ndarray, same shape and float dtype as ``x``
    """
    return sigmoid(x)


ACTIVATIONS = {
    "step": (step, step_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
    "softplus": (softplus, softplus_derivative),
}
"""Elementwise activations by name: ``name -> (function, derivative)``."""
