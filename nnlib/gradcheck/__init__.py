r"""Numerical gradient checking: trust no backward pass that was not checked.

The idea (CS231n style): pick a random upstream gradient :math:`G` of the
output's shape and reduce the output to the scalar

.. math::

    f(x) = \sum_{i} y_i(x)\, G_i, \qquad \frac{\partial f}{\partial x} = J^\top G,

which is exactly what a backward pass computes when it is given ``dy = G``.
A random :math:`G` (rather than all ones, i.e. ``f = sum(y)``) matters: for
softmax, :math:`\sum_i y_i = 1` is constant, so the gradient of ``sum(y)`` is
identically zero and a wrong backward pass would pass the check.

The numerical gradient uses centred differences,

.. math::

    \frac{\partial f}{\partial x_k} \approx \frac{f(x + \varepsilon e_k) - f(x - \varepsilon e_k)}{2\varepsilon},

with error :math:`O(\varepsilon^2)`; in float64 with :math:`\varepsilon = 10^{-6}`
a correct backward pass agrees to a relative error of about :math:`10^{-8}` or
better. Checks must run in float64 (float32 has only ~7 significant digits)
and away from kinks (ReLU, step and :math:`|x|` at 0), where the function is
not differentiable.

An op with several outputs (e.g. a recurrent step returning :math:`h, c`) is
reduced the same way with one random :math:`G_k` per output,
:math:`f = \sum_k \sum_i y_{k,i} G_{k,i}`, and its backward is given the tuple
:math:`(G_1, \dots, G_K)`; an op with several data inputs returns a tuple of
their gradients (see :mod:`nnlib.functional`).

Public names: :func:`numerical_gradient`, :func:`relative_error`,
:func:`check_function_gradient`, :func:`check_layer_gradients`,
:func:`check_loss_gradient` and :class:`GradientCheckError`.
"""

from nnlib.gradcheck.checks import check_function_gradient, check_layer_gradients, check_loss_gradient
from nnlib.gradcheck.numeric import GradientCheckError, numerical_gradient, relative_error

__all__ = [
    "GradientCheckError",
    "numerical_gradient",
    "relative_error",
    "check_function_gradient",
    "check_layer_gradients",
    "check_loss_gradient",
]
