r"""The fully connected layer, a thin wrapper around :func:`nnlib.functional.linear_forward`."""

from __future__ import annotations

import numpy as np

from nnlib import functional as F
from nnlib import init as initializers
from nnlib._validation import as_rng, check_choice, check_float_dtype, check_number
from nnlib.layers.base import Layer, register_layer

__all__ = ["Dense"]


@register_layer
class Dense(Layer):
    r"""Fully connected (affine) layer, :math:`Z = X W + b`.

    .. math::

        Z = X W + \mathbf{1} b^\top
        \qquad\text{backward:}\qquad
        \frac{\partial L}{\partial X} = \delta W^\top, \quad
        \frac{\partial L}{\partial W} \mathrel{+}= X^\top \delta, \quad
        \frac{\partial L}{\partial b} \mathrel{+}= \sum_{i} \delta_{i,:}

    with :math:`\delta = \partial L / \partial Z` (see
    :func:`nnlib.functional.linear_forward` / :func:`~nnlib.functional.linear_backward`).

    Parameters
    ----------
    in_features : int
        :math:`d_{in} \ge 1`, the number of input columns.
    out_features : int
        :math:`d_{out} \ge 1`, the number of units.
    init : str, default "glorot_uniform"
        Weight initializer, a name in :data:`nnlib.init.INITIALIZERS`
        (e.g. ``"he_normal"`` for ReLU networks). Biases start at zero.
    rng : numpy.random.Generator, int or None
        Randomness for the initializer.
    dtype : {np.float64, np.float32}
        dtype of the parameters and of the accepted input.

    Attributes
    ----------
    params : {"W": (d_in, d_out), "b": (d_out,)}
    grads : same keys and shapes
    regularized : ("W",)
        Weight decay and L1/L2 apply to the weights, not to the bias.

    Raises
    ------
    ValueError
        (from ``forward``) if ``x`` is not of shape ``(n, in_features)``, e.g.
        ``Dense(2 -> 8): expected input of shape (n, 2), got (5, 3)``.
    TypeError
        (from ``forward``) if ``x`` is a float array of the other float dtype.

    Examples
    --------
    >>> layer = Dense(2, 3, rng=0)
    >>> layer.forward(np.ones((5, 2))).shape
    (5, 3)
    >>> layer.params["W"].shape, layer.n_params
    ((2, 3), 9)
    """

    regularized = ("W",)

    def __init__(self, in_features: int, out_features: int, init: str = "glorot_uniform",
                 rng=None, dtype=np.float64):
        super().__init__()
        self.in_features = check_number(in_features, "in_features", low=1, integer=True)
        self.out_features = check_number(out_features, "out_features", low=1, integer=True)
        self.init = check_choice(init, "init", initializers.INITIALIZERS)
        self.dtype = check_float_dtype(dtype)
        W = initializers.INITIALIZERS[self.init](
            self.in_features, self.out_features, rng=as_rng(rng), dtype=self.dtype
        )
        self.params = {"W": np.ascontiguousarray(W, dtype=self.dtype),
                       "b": np.zeros(self.out_features, dtype=self.dtype)}
        self.grads = {name: np.zeros_like(p) for name, p in self.params.items()}

    def forward(self, x):
        """Return :math:`Z = XW + b`, shape ``(n, out_features)``, for ``x`` of shape ``(n, in_features)``."""
        x = self._float_input(x, self.dtype)
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(
                f"{self!r}: expected input of shape (n, {self.in_features}), got {x.shape}"
            )
        z, self._cache = F.linear_forward(x, self.params["W"], self.params["b"])
        return z

    def backward(self, dy, input_grad: bool = True):
        r"""Return :math:`\delta W^\top` (or ``None`` if not ``input_grad``); add :math:`X^\top\delta`, :math:`\sum_i \delta_i` to ``grads``.

        Parameters
        ----------
        dy : ndarray, shape (n, out_features)
            :math:`\delta = \partial L / \partial Z`, same dtype as the output.
        input_grad : bool, default True
            Compute and return :math:`\partial L / \partial X`.

        Returns
        -------
        dx : ndarray, shape (n, in_features), or None
        """
        cache = self._require_cache()
        if not self._trainable:  # frozen: pass the gradient on, keep grads untouched
            return self._named_errors(F.linear_backward, dy, cache)[0] if input_grad else None
        dx, grads = self._named_errors(F.linear_backward, dy, cache, input_grad)
        np.add(self.grads["W"], grads["W"], out=self.grads["W"])
        np.add(self.grads["b"], grads["b"], out=self.grads["b"])
        return dx

    @property
    def input_shape(self) -> tuple:
        """``(None, in_features)``."""
        return (None, self.in_features)

    def output_shape(self, input_shape):
        """``(..., out_features)``."""
        return (*input_shape[:-1], self.out_features)

    def config(self) -> dict:
        """``in_features``, ``out_features``, ``init`` and ``dtype`` (its name)."""
        return {"in_features": self.in_features, "out_features": self.out_features,
                "init": self.init, "dtype": self.dtype.name}

    def __repr__(self) -> str:
        extra = "" if self.dtype == np.float64 else ", float32"
        return f"Dense({self.in_features} -> {self.out_features}{extra})"
