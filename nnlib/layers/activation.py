r"""Activation layers: parameter-free wrappers around the pairs of :mod:`nnlib.functional`.

Each layer's ``forward`` is one functional call; the math lives in the
functional docstrings. Input and output: any shape, e.g. ``(n, d)``; the output
has the input's dtype. Each class states its ``output_activation`` (e.g.
``"sigmoid"``), which tells training and prediction that a model ending in it
outputs probabilities, not logits.
"""

from __future__ import annotations

from nnlib import functional as F
from nnlib._validation import check_number
from nnlib.layers.base import Layer, register_layer

__all__ = ["Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softmax", "Step", "Identity", "ACTIVATION_LAYERS"]


class _Activation(Layer):
    """An elementwise (or row-wise) activation: a parameter-free layer over a functional pair.

    A subclass names its pair (``_forward``, ``_backward``) and its
    ``output_activation``; one with options passes them to the op through
    :meth:`_op_args` (and rebuilds from :meth:`config`).
    """

    _forward = None  # functional.<act>_forward
    _backward = None  # functional.<act>_backward

    def _op_args(self) -> dict:
        """Keyword arguments of the functional forward (``alpha``, ``axis``)."""
        return {}

    def forward(self, x):
        x = self._float_input(x)
        y, self._cache = type(self)._forward(x, **self._op_args())
        return y

    def backward(self, dy, input_grad: bool = True):
        cache = self._require_cache()
        if not input_grad:
            return None
        return self._named_errors(type(self)._backward, dy, cache)[0]

    def output_shape(self, input_shape):
        return tuple(input_shape)


@register_layer
class Sigmoid(_Activation):
    r"""Logistic sigmoid layer (stable for any input).

    .. math::

        y = \sigma(x) = \frac{1}{1 + e^{-x}}, \qquad
        \frac{\partial L}{\partial x} = \delta \odot y \odot (1 - y)

    Input and output: any shape, e.g. ``(n, d)``; the output has the input's dtype.
    """

    output_activation = "sigmoid"
    _forward = staticmethod(F.sigmoid_forward)
    _backward = staticmethod(F.sigmoid_backward)


@register_layer
class Tanh(_Activation):
    r"""Hyperbolic-tangent layer.

    .. math::

        y = \tanh(x), \qquad \frac{\partial L}{\partial x} = \delta \odot (1 - y^2)

    Input and output: any shape; the output has the input's dtype.
    """

    output_activation = "tanh"
    _forward = staticmethod(F.tanh_forward)
    _backward = staticmethod(F.tanh_backward)


@register_layer
class ReLU(_Activation):
    r"""Rectified-linear layer (convention :math:`\operatorname{ReLU}'(0) = 0`).

    .. math::

        y = \max(0, x), \qquad \frac{\partial L}{\partial x} = \delta \odot \mathbb{1}[x > 0]

    Input and output: any shape; the output has the input's dtype.
    """

    output_activation = "relu"
    _forward = staticmethod(F.relu_forward)
    _backward = staticmethod(F.relu_backward)


@register_layer
class LeakyReLU(_Activation):
    r"""Leaky ReLU layer with negative-side slope :math:`\alpha`.

    .. math::

        y = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}, \qquad
        \frac{\partial L}{\partial x} = \delta \odot
        \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}

    Parameters
    ----------
    alpha : float, default 0.01
        Slope for :math:`x \le 0`, :math:`\alpha \ge 0`.

    Raises
    ------
    ValueError
        If ``alpha < 0``.
    """

    output_activation = "leaky_relu"
    _forward = staticmethod(F.leaky_relu_forward)
    _backward = staticmethod(F.leaky_relu_backward)

    def __init__(self, alpha: float = 0.01):
        super().__init__()
        self.alpha = check_number(alpha, "alpha", low=0.0)

    def _op_args(self) -> dict:
        return {"alpha": self.alpha}

    def config(self) -> dict:
        """``{"alpha": alpha}``."""
        return {"alpha": self.alpha}


@register_layer
class Softmax(_Activation):
    r"""Softmax layer along ``axis`` (default: over the classes of each row).

    .. math::

        y_i = \frac{e^{x_i}}{\sum_j e^{x_j}}, \qquad
        \frac{\partial L}{\partial x} = y \odot \bigl(\delta - \langle \delta, y\rangle\bigr)

    To *train* a classifier, leave this layer out and use the loss
    ``"softmax_cross_entropy"`` on the logits (fused, stable); add it only when
    you want the model itself to output probabilities.

    Parameters
    ----------
    axis : int, default -1
    """

    output_activation = "softmax"
    _forward = staticmethod(F.softmax_forward)
    _backward = staticmethod(F.softmax_backward)

    def __init__(self, axis: int = -1):
        super().__init__()
        self.axis = check_number(axis, "axis", integer=True)

    def _op_args(self) -> dict:
        return {"axis": self.axis}

    def config(self) -> dict:
        """``{"axis": axis}``."""
        return {"axis": self.axis}


@register_layer
class Step(_Activation):
    r"""Heaviside step layer (the perceptron's activation); passes no gradient.

    .. math::

        y = \mathbb{1}[x \ge 0], \qquad \frac{\partial L}{\partial x} = 0

    Useful to show *why* step networks cannot be trained by backpropagation.
    """

    output_activation = "step"
    _forward = staticmethod(F.step_forward)
    _backward = staticmethod(F.step_backward)


@register_layer
class Identity(_Activation):
    r"""Identity layer (a "linear" activation), :math:`y = x`, :math:`\partial L/\partial x = \delta`.

    Returns copies, so changing the output never changes the input.
    """

    output_activation = "identity"
    _forward = staticmethod(F.identity_forward)
    _backward = staticmethod(F.identity_backward)


ACTIVATION_LAYERS: dict[str, type] = {
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "softmax": Softmax,
    "step": Step,
    "identity": Identity,
}
"""Activation layer classes by name, as accepted by :func:`nnlib.models.mlp`."""
