r"""The convolutional layer, a thin wrapper around :func:`nnlib.functional.conv2d_forward`."""

from __future__ import annotations

import numpy as np

from nnlib import functional as F
from nnlib import init as initializers
from nnlib._validation import as_rng, check_choice, check_float_dtype, check_number
from nnlib.functional.conv import _pair
from nnlib.layers.base import Layer, register_layer

__all__ = ["Conv2d"]


def kernel_init(init: str, C_out: int, C_in: int, kH: int, kW: int, rng=None, dtype=np.float64) -> np.ndarray:
    r"""Kernels ``(C_out, C_in, kH, kW)`` drawn by the initializer ``init`` with a convolution's fans.

    .. math::

        n_{in} = C_{in} k_H k_W, \qquad n_{out} = C_{out} k_H k_W

    (each output sees :math:`C_{in} k_H k_W` inputs; each input reaches
    :math:`C_{out} k_H k_W` outputs, away from the borders), the convention of
    PyTorch and Keras. The initializers of :mod:`nnlib.init` draw independent
    entries for an ``(n_in, n_out)`` matrix; the kernels take its first
    :math:`C_{out} C_{in} k_H k_W` entries, which have the same distribution.

    Parameters
    ----------
    init : str
        A name in :data:`nnlib.init.INITIALIZERS`.
    C_out, C_in, kH, kW : int
    rng : numpy.random.Generator, int or None
    dtype : {np.float64, np.float32}

    Returns
    -------
    ndarray, shape (C_out, C_in, kH, kW)
    """
    fan_in, fan_out = C_in * kH * kW, C_out * kH * kW
    draw = initializers.INITIALIZERS[init](fan_in, fan_out, rng=rng, dtype=dtype)
    return np.ascontiguousarray(draw.reshape(-1)[:C_out * fan_in].reshape(C_out, C_in, kH, kW))


@register_layer
class Conv2d(Layer):
    r"""2-D convolution layer (a cross-correlation, as in every library) over images ``(N, C, H, W)``.

    .. math::

        y_{n,o,h,w} = b_o + \sum_{c=1}^{C_{in}} \sum_{i=0}^{k_H-1} \sum_{j=0}^{k_W-1}
            W_{o,c,i,j}\; \tilde x_{n,\,c,\; s h + i,\; s w + j}

    with :math:`\tilde x` the input padded with ``padding`` zeros on each side.
    Backward, with :math:`\delta = \partial L/\partial y`:
    :math:`\partial L/\partial W` is the cross-correlation of :math:`\tilde x`
    with :math:`\delta`, and :math:`\partial L/\partial x` the full convolution
    of :math:`\delta` with the kernels (see
    :func:`nnlib.functional.conv2d_backward`).

    Parameters
    ----------
    in_channels : int
        :math:`C_{in} \ge 1`.
    out_channels : int
        :math:`C_{out} \ge 1`, the number of kernels (feature maps).
    kernel_size : int or (int, int)
        :math:`(k_H, k_W)`.
    stride : int or (int, int), default 1
    padding : int or (int, int), default 0
        Zeros added on *each* side; ``padding = (k - 1) // 2`` keeps the size
        for odd ``k`` and stride 1 ("same").
    init : str, default "glorot_uniform"
        Kernel initializer, a name in :data:`nnlib.init.INITIALIZERS`, with fan-in
        :math:`C_{in} k_H k_W` and fan-out :math:`C_{out} k_H k_W`
        (``"he_normal"`` for ReLU networks). Biases start at zero.
    rng : numpy.random.Generator, int or None
    dtype : {np.float64, np.float32}

    Attributes
    ----------
    params : {"W": (C_out, C_in, kH, kW), "b": (C_out,)}
    grads : same keys and shapes
    regularized : ("W",)

    Notes
    -----
    Shapes: input ``(N, C_in, H, W)``, output ``(N, C_out, H_out, W_out)`` with
    :math:`H_{out} = \lfloor (H + 2p - k_H)/s \rfloor + 1` (see
    :func:`nnlib.functional.conv_output_size`).

    Examples
    --------
    >>> layer = Conv2d(1, 4, 3, padding=1, rng=0)
    >>> layer.forward(np.zeros((2, 1, 8, 8))).shape, layer.n_params
    ((2, 4, 8, 8), 40)
    """

    regularized = ("W",)

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 init: str = "glorot_uniform", rng=None, dtype=np.float64):
        super().__init__()
        self.in_channels = check_number(in_channels, "in_channels", low=1, integer=True)
        self.out_channels = check_number(out_channels, "out_channels", low=1, integer=True)
        self.kernel_size = _pair(kernel_size, "kernel_size", 1)
        self.stride = _pair(stride, "stride", 1)
        self.padding = _pair(padding, "padding", 0)
        self.init = check_choice(init, "init", initializers.INITIALIZERS)
        self.dtype = check_float_dtype(dtype)
        W = kernel_init(self.init, self.out_channels, self.in_channels, *self.kernel_size,
                        rng=as_rng(rng), dtype=self.dtype)
        self.params = {"W": W, "b": np.zeros(self.out_channels, dtype=self.dtype)}
        self.grads = {name: np.zeros_like(p) for name, p in self.params.items()}

    def forward(self, x):
        """Return the feature maps ``(N, C_out, H_out, W_out)`` of images ``x`` ``(N, C_in, H, W)``."""
        x = self._float_input(x, self.dtype)
        if x.ndim != 4 or x.shape[1] != self.in_channels:
            raise ValueError(f"{self!r}: expected images of shape "
                             f"(N, {self.in_channels}, H, W), got {x.shape}")
        W, b = self.params["W"], self.params["b"]
        try:
            y, self._cache = F.conv2d_forward(x, W, b, self.stride, self.padding)
        except ValueError as exc:  # e.g. images smaller than the kernel
            raise ValueError(f"{self!r}: {exc}") from None
        return y

    def backward(self, dy, input_grad: bool = True):
        r"""Return :math:`\partial L/\partial x` (or ``None`` if not ``input_grad``); add
        :math:`\partial L/\partial W`, :math:`\partial L/\partial b` to ``grads``.

        Parameters
        ----------
        dy : ndarray, shape (N, C_out, H_out, W_out)
            :math:`\delta = \partial L/\partial y`, same dtype as the output.
        input_grad : bool, default True
            Compute :math:`\partial L/\partial x` (a first layer does not need it: a third of the work).

        Returns
        -------
        dx : ndarray, shape (N, C_in, H, W), or None
        """
        cache = self._require_cache()
        dx, grads = self._named_errors(F.conv2d_backward, dy, cache, input_grad)
        if self._trainable:  # frozen: pass the gradient on, keep grads untouched
            np.add(self.grads["W"], grads["W"], out=self.grads["W"])
            np.add(self.grads["b"], grads["b"], out=self.grads["b"])
        return dx

    @property
    def input_shape(self) -> tuple:
        """``(None, in_channels, None, None)``: any batch and image size."""
        return (None, self.in_channels, None, None)

    def output_shape(self, input_shape):
        """``(N, out_channels, H_out, W_out)``; ``None`` for a size that is not known."""
        N, _, H, W = input_shape
        sizes = [None if n is None else F.conv_output_size(n, k, p, s)
                 for n, k, p, s in zip((H, W), self.kernel_size, self.padding, self.stride)]
        return (N, self.out_channels, *sizes)

    def config(self) -> dict:
        """The constructor's arguments (pairs as lists) and ``dtype`` (its name)."""
        return {"in_channels": self.in_channels, "out_channels": self.out_channels,
                "kernel_size": list(self.kernel_size), "stride": list(self.stride),
                "padding": list(self.padding), "init": self.init, "dtype": self.dtype.name}

    def __repr__(self) -> str:
        def size(pair):
            return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]}x{pair[1]}"

        extra = "".join(f", {name}={size(v)}" for name, v, default in
                        (("stride", self.stride, (1, 1)), ("padding", self.padding, (0, 0))) if v != default)
        k = f"{self.kernel_size[0]}x{self.kernel_size[1]}"
        dtype = "" if self.dtype == np.float64 else ", float32"
        return f"Conv2d({self.in_channels} -> {self.out_channels}, {k}{extra}{dtype})"
