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
from nnlib.layers.base import Layer, input_gradient, register_layer

__all__ = ["Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softmax", "Step", "Identity", "ACTIVATION_LAYERS"]


class _Activation(Layer):
    """An elementwise (or row-wise) activation: a parameter-free layer over a functional pair.

    A subclass names its op, ``class Sigmoid(_Activation, op="sigmoid")``: its
    pair is ``nnlib.functional.sigmoid_forward`` / ``sigmoid_backward`` and its
    ``output_activation`` is ``"sigmoid"``. One with options passes them to the
    op through :meth:`_op_args` (and rebuilds from :meth:`config`).
    """

    _forward = None  # functional.<op>_forward
    _backward = None  # functional.<op>_backward

    def __init_subclass__(cls, op: str | None = None, **kwargs):
        super().__init_subclass__(**kwargs)
        if op is not None:
            cls.output_activation = op
            cls._forward = staticmethod(getattr(F, f"{op}_forward"))
            cls._backward = staticmethod(getattr(F, f"{op}_backward"))

    def _op_args(self) -> dict:
        """Keyword arguments of the functional forward (``alpha``, ``axis``)."""
        return {}

    def forward(self, x):
        x = self._float_input(x)
        y, self._cache = type(self)._forward(x, **self._op_args())
        return y

    def backward(self, dy, input_grad: bool = True):
        return input_gradient(self, type(self)._backward, dy, input_grad)

    def output_shape(self, input_shape):
        return tuple(input_shape)


@register_layer
class Sigmoid(_Activation, op="sigmoid"):
    r"""Logistic sigmoid layer (stable for any input).

    .. math::

        y = \sigma(x) = \frac{1}{1 + e^{-x}}, \qquad
        \frac{\partial L}{\partial x} = \delta \odot y \odot (1 - y)

    Input and output: any shape, e.g. ``(n, d)``; the output has the input's dtype.
    """


@register_layer
class Tanh(_Activation, op="tanh"):
    r"""Hyperbolic-tangent layer.

    .. math::

        y = \tanh(x), \qquad \frac{\partial L}{\partial x} = \delta \odot (1 - y^2)

    Input and output: any shape; the output has the input's dtype.
    """


@register_layer
class ReLU(_Activation, op="relu"):
    r"""Rectified-linear layer (convention :math:`\operatorname{ReLU}'(0) = 0`).

    .. math::

        y = \max(0, x), \qquad \frac{\partial L}{\partial x} = \delta \odot \mathbb{1}[x > 0]

    Input and output: any shape; the output has the input's dtype.
    """


@register_layer
class LeakyReLU(_Activation, op="leaky_relu"):
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

    def __init__(self, alpha: float = 0.01):
        super().__init__()
        self.alpha = check_number(alpha, "alpha", low=0.0)

    def _op_args(self) -> dict:
        return {"alpha": self.alpha}

    def config(self) -> dict:
        """``{"alpha": alpha}``."""
        return {"alpha": self.alpha}


@register_layer
class Softmax(_Activation, op="softmax"):
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

    def __init__(self, axis: int = -1):
        super().__init__()
        self.axis = check_number(axis, "axis", integer=True)

    def _op_args(self) -> dict:
        return {"axis": self.axis}

    def config(self) -> dict:
        """``{"axis": axis}``."""
        return {"axis": self.axis}


@register_layer
class Step(_Activation, op="step"):
    r"""Heaviside step layer (the perceptron's activation); passes no gradient.

    .. math::

        y = \mathbb{1}[x \ge 0], \qquad \frac{\partial L}{\partial x} = 0

    Useful to show *why* step networks cannot be trained by backpropagation.
    """


@register_layer
class Identity(_Activation, op="identity"):
    r"""Identity layer (a "linear" activation), :math:`y = x`, :math:`\partial L/\partial x = \delta`.

    Returns copies, so changing the output never changes the input.
    """


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
