"""Activation functions and their derivatives, as plain elementwise functions.

Every function takes an array (or a number) and returns an array of the same
shape. The derivative of an elementwise activation :math:`f` is named
``<name>_derivative`` and returns :math:`f'(x)` elementwise, so the chain rule
reads ``dx = dy * f_derivative(x)``. Softmax and log-softmax act along an axis
(default: the last one, i.e. along each row of a batch ``(n, C)``); their
derivative is a Jacobian, given by :func:`softmax_jacobian`.

Numerical conventions
---------------------
* ``float32`` input gives ``float32`` output; integer and bool input become
  ``float64``.
* :func:`sigmoid`, :func:`softplus`, :func:`softmax` and :func:`log_softmax`
  never overflow: they are finite and warning-free at :math:`|x| = 1000`.
* At a kink the derivative is a convention, stated in each docstring:
  ``relu_derivative(0) = 0`` (the course notes' convention),
  ``leaky_relu_derivative(0) = alpha``, and ``step_derivative(x) = 0`` for
  every ``x`` (the true derivative is 0 for :math:`x \\ne 0` and does not exist
  at 0).
* NaN and inf are propagated, not rejected.
"""

# Each module's __all__ is its public list; this package re-exports them all.
from nnlib.activations import along_axis, elementwise
from nnlib.activations.along_axis import *  # noqa: F403
from nnlib.activations.elementwise import *  # noqa: F403

__all__ = [*elementwise.__all__, *along_axis.__all__]
