r"""Pooling and flattening layers: parameter-free wrappers around :mod:`nnlib.functional.pool`.

Each layer's ``forward`` is one functional call; the math lives in the
functional docstrings. They accept images of either float dtype and keep it.
"""

from __future__ import annotations

import math

from nnlib import functional as F
from nnlib.functional.conv import _output_hw, _pair
from nnlib.layers.base import Layer, input_gradient, register_layer

__all__ = ["MaxPool2d", "AvgPool2d", "Flatten"]


class _Pool2d(Layer):
    """A ``kH x kW`` window moved with a stride over images ``(N, C, H, W)``; no parameters."""

    _forward = None  # functional.<op>_forward
    _backward = None  # functional.<op>_backward

    def __init__(self, kernel_size=2, stride=None):
        super().__init__()
        self.kernel_size = _pair(kernel_size, "kernel_size", 1)
        self.stride = self.kernel_size if stride is None else _pair(stride, "stride", 1)

    def forward(self, x):
        x = self._float_input(x)
        if x.ndim != 4:
            raise ValueError(f"{self!r}: expected images of shape (N, C, H, W), got {x.shape}")
        try:
            y, self._cache = type(self)._forward(x, self.kernel_size, self.stride)
        except ValueError as exc:  # a window larger than the image
            raise ValueError(f"{self!r}: {exc}") from None
        return y

    def backward(self, dy, input_grad: bool = True):
        return input_gradient(self, type(self)._backward, dy, input_grad)

    def output_shape(self, input_shape):
        """``(N, C, H_out, W_out)``, :math:`H_{out} = \\lfloor (H - k_H)/s_H \\rfloor + 1`; ``None`` if unknown."""
        N, C, H, W = input_shape
        if H is None or W is None:
            return (N, C, None, None)
        return (N, C, *_output_hw((N, C, H, W), self.kernel_size, self.stride, (0, 0)))

    def config(self) -> dict:
        """``kernel_size`` and ``stride`` as lists."""
        return {"kernel_size": list(self.kernel_size), "stride": list(self.stride)}

    def __repr__(self) -> str:
        k, s = self.kernel_size, self.stride
        stride = "" if s == k else f", stride={s[0] if s[0] == s[1] else f'{s[0]}x{s[1]}'}"
        return f"{type(self).__name__}({k[0]}x{k[1]}{stride})"


@register_layer
class MaxPool2d(_Pool2d):
    r"""Max pooling: each output is the largest input of its window.

    .. math::

        y_{n,c,h,w} = \max_{0 \le i < k_H,\; 0 \le j < k_W} x_{n,c,\,s_H h + i,\,s_W w + j}

    Backward routes each :math:`\delta_{n,c,h,w}` to its window's winner
    (ties: the first in row-major order); the other inputs get zero (see
    :func:`nnlib.functional.max_pool2d_backward`).

    Parameters
    ----------
    kernel_size : int or (int, int), default 2
    stride : int or (int, int), optional
        Default: the kernel size (windows side by side).

    Notes
    -----
    Shapes: input ``(N, C, H, W)``, output ``(N, C, H_out, W_out)``,
    :math:`H_{out} = \lfloor (H - k_H)/s_H \rfloor + 1`.

    Examples
    --------
    >>> MaxPool2d(2).forward(np.arange(16.0).reshape(1, 1, 4, 4))
    array([[[[ 5.,  7.],
             [13., 15.]]]])
    """

    _forward = staticmethod(F.max_pool2d_forward)
    _backward = staticmethod(F.max_pool2d_backward)


@register_layer
class AvgPool2d(_Pool2d):
    r"""Average pooling: each output is the mean of its window.

    .. math::

        y_{n,c,h,w} = \frac{1}{k_H k_W} \sum_{i=0}^{k_H-1} \sum_{j=0}^{k_W-1} x_{n,c,\,s_H h + i,\,s_W w + j}

    Backward splits each :math:`\delta_{n,c,h,w}` evenly, :math:`\delta/(k_H k_W)`
    to every input of the window (see :func:`nnlib.functional.avg_pool2d_backward`).

    Parameters
    ----------
    kernel_size : int or (int, int), default 2
    stride : int or (int, int), optional
        Default: the kernel size.

    Notes
    -----
    Shapes as :class:`MaxPool2d`.

    Examples
    --------
    >>> AvgPool2d(2).forward(np.arange(16.0).reshape(1, 1, 4, 4))
    array([[[[ 2.5,  4.5],
             [10.5, 12.5]]]])
    """

    _forward = staticmethod(F.avg_pool2d_forward)
    _backward = staticmethod(F.avg_pool2d_backward)


@register_layer
class Flatten(Layer):
    r"""Flatten each example to a row, the bridge from feature maps to dense layers.

    .. math::

        y_{n,\,(c H + h) W + w} = x_{n,c,h,w}

    Notes
    -----
    Shapes: input ``(N, C, H, W)`` (or any ``(N, ...)``), output ``(N, C*H*W)``.

    Examples
    --------
    >>> Flatten().forward(np.zeros((5, 3, 4, 4))).shape
    (5, 48)
    """

    def forward(self, x):
        x = self._float_input(x)
        if x.ndim < 2:
            raise ValueError(f"{self!r}: expected an input of shape (N, ...), got {x.shape}")
        y, self._cache = F.flatten_forward(x)
        return y

    def backward(self, dy, input_grad: bool = True):
        return input_gradient(self, F.flatten_backward, dy, input_grad)

    def output_shape(self, input_shape):
        """``(N, C*H*W)``; ``None`` features if a size is unknown."""
        rest = input_shape[1:]
        features = None if any(n is None for n in rest) else math.prod(rest)
        return (input_shape[0], features)

    def __repr__(self) -> str:
        return "Flatten()"
