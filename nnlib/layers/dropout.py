r"""The dropout layer, a thin wrapper around :func:`nnlib.functional.dropout_forward`."""

from __future__ import annotations

from nnlib import functional as F
from nnlib._validation import as_rng, check_number
from nnlib.layers.base import Layer, input_gradient, register_layer

__all__ = ["Dropout"]


@register_layer
class Dropout(Layer):
    r"""Inverted dropout: in training mode, zero each input with probability ``p`` and scale the rest by :math:`1/(1-p)`.

    .. math::

        \text{training:}\ y = \frac{m \odot x}{1 - p},\ m_i \sim \operatorname{Bernoulli}(1 - p);
        \qquad \text{evaluation:}\ y = x

    A fresh mask is drawn at every training-mode ``forward`` (from the layer's
    own generator) and kept for ``backward``; :meth:`eval` turns the layer into
    the identity. See :func:`nnlib.functional.dropout_forward`.

    Parameters
    ----------
    p : float, default 0.5
        The **drop** probability, :math:`0 \le p < 1` (PyTorch's meaning; a
        text's keep probability :math:`q` is ``p = 1 - q``).
    rng : numpy.random.Generator, int or None
        Source of the masks. It is not saved with the model (a loaded model
        draws from a fresh generator).

    Attributes
    ----------
    params : {}
        Dropout has no parameters.
    rng : numpy.random.Generator

    Notes
    -----
    Shape: any, e.g. ``(n, d)`` or images ``(n, C, H, W)`` (each entry dropped
    independently); the output has the input's shape and dtype.

    Examples
    --------
    >>> import numpy as np
    >>> layer = Dropout(0.25, rng=0)
    >>> y = layer.forward(np.ones((1000, 10)))
    >>> round(float((y == 0).mean()), 2), float(y.max())
    (0.25, 1.3333333333333333)
    >>> float(layer.eval().forward(np.ones((2, 3))).sum())
    6.0
    """

    def __init__(self, p: float = 0.5, rng=None):
        super().__init__()
        self.p = check_number(p, "p", low=0.0, high=1.0, high_inclusive=False)
        self.rng = as_rng(rng)

    def forward(self, x):
        """Mask and scale ``x`` (training mode) or return a copy of it (evaluation mode)."""
        x = self._float_input(x)
        y, self._cache = F.dropout_forward(x, self.p, training=self.training, rng=self.rng)
        return y

    def backward(self, dy, input_grad: bool = True):
        r"""Return :math:`m \odot \delta / (1 - p)` with the mask of the last forward pass (``None`` if not ``input_grad``)."""
        return input_gradient(self, F.dropout_backward, dy, input_grad)

    def output_shape(self, input_shape):
        """The input's shape."""
        return tuple(input_shape)

    def config(self) -> dict:
        """``{"p": p}``."""
        return {"p": self.p}
