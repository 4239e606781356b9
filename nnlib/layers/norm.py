r"""Normalisation layers: :class:`BatchNorm` (batch statistics, running statistics as buffers) and :class:`LayerNorm`.

Both are thin wrappers around :mod:`nnlib.functional.norm`; their scale
:math:`\gamma` and shift :math:`\beta` are parameters that weight decay and
L1/L2 leave alone (``regularized = ()``): they set the scale of a feature, not
the complexity of the function. To penalise :math:`\gamma` anyway, set
``layer.regularized = ("gamma",)`` on the instance.
"""

from __future__ import annotations

import numpy as np

from nnlib import functional as F
from nnlib._validation import check_bool, check_float_dtype, check_number
from nnlib.layers.base import Layer, register_layer

__all__ = ["BatchNorm", "LayerNorm"]


class _Normalization(Layer):
    """What both layers share: γ = 1 and β = 0 of one size, the input check, the backward pass."""

    regularized = ()
    _backward = None  # the functional backward

    def __init__(self, num_features: int, eps: float, dtype):
        super().__init__()
        self.num_features = check_number(num_features, "num_features", low=1, integer=True)
        self.eps = check_number(eps, "eps", low=0.0, low_inclusive=False)
        self.dtype = check_float_dtype(dtype)
        self.params = {"gamma": np.ones(self.num_features, dtype=self.dtype),
                       "beta": np.zeros(self.num_features, dtype=self.dtype)}
        self.grads = {name: np.zeros_like(p) for name, p in self.params.items()}

    def _checked_input(self, x, axis: int, expected: str) -> np.ndarray:
        x = self._float_input(x, self.dtype)
        if x.ndim < (2 if axis == 1 else 1) or x.ndim > 4 or x.shape[axis] != self.num_features:
            raise ValueError(f"{self!r}: expected input of shape {expected}, got {x.shape}")
        return x

    def backward(self, dy, input_grad: bool = True):
        r"""Return :math:`\partial L/\partial x` (``None`` if not ``input_grad``); add :math:`\partial L/\partial\gamma`,
        :math:`\partial L/\partial\beta` to ``grads`` (unless frozen)."""
        cache = self._require_cache()
        dx, grads = self._named_errors(type(self)._backward, dy, cache)
        if self._trainable:
            np.add(self.grads["gamma"], grads["gamma"], out=self.grads["gamma"])
            np.add(self.grads["beta"], grads["beta"], out=self.grads["beta"])
        return dx if input_grad else None

    def output_shape(self, input_shape):
        """The input's shape."""
        return tuple(input_shape)


@register_layer
class BatchNorm(_Normalization):
    r"""Batch normalisation over features ``(n, C)`` or over the channels of images ``(n, C, H, W)``.

    .. math::

        y = \gamma_c\, \frac{x - \mu_c}{\sqrt{\sigma_c^2 + \epsilon}} + \beta_c

    **Training mode**: :math:`\mu_c, \sigma_c^2` are the statistics of the
    batch (over the examples, and over the positions for images; the variance
    divided by :math:`m`, the number of values), and every forward pass
    updates the running statistics:

    .. math::

        \hat\mu_c \leftarrow (1 - \text{momentum})\, \hat\mu_c + \text{momentum}\; \mu_c, \qquad
        \hat\sigma_c^2 \leftarrow (1 - \text{momentum})\, \hat\sigma_c^2 + \text{momentum}\; \tfrac{m}{m - 1}\, \sigma_c^2

    **Evaluation mode** (:meth:`eval`): :math:`\hat\mu_c, \hat\sigma_c^2` are
    used instead, so an example's output no longer depends on the rest of its
    batch, and nothing is updated.

    Conventions, made explicit: ``momentum`` is the weight of the *new* batch
    (PyTorch's 0.1; Keras and TensorFlow write ``momentum=0.99`` for the weight
    of the *old* average, i.e. ``1 - momentum`` here), and the running
    variance stores the unbiased :math:`\tfrac{m}{m-1}\sigma^2` (PyTorch) unless
    ``unbiased=False`` (the biased :math:`\sigma^2`). Normalising a batch
    always uses the biased variance.

    Parameters
    ----------
    num_features : int
        :math:`C`, the size of axis 1 of the input.
    eps : float, default 1e-5
        :math:`\epsilon > 0`, added to the variance.
    momentum : float, default 0.1
        Weight of the current batch in the running statistics, in ``(0, 1]``.
    unbiased : bool, default True
        Store the unbiased batch variance in ``running_var``.
    dtype : {np.float64, np.float32}

    Attributes
    ----------
    params : {"gamma": (C,), "beta": (C,)}
        Start at ones and zeros (the layer starts as a pure standardisation).
    grads : same keys and shapes
    buffers : {"running_mean": (C,), "running_var": (C,)}
        Start at zeros and ones; saved and loaded with the model, never optimized.
    regularized : ()
        Weight decay and L1/L2 leave :math:`\gamma` and :math:`\beta` alone.

    Raises
    ------
    ValueError
        (from ``forward``) if the input is not ``(n, C)``, ``(n, C, L)`` or
        ``(n, C, H, W)``, or (training mode) holds one value per feature.

    Examples
    --------
    >>> bn = BatchNorm(2)
    >>> y = bn.forward(np.array([[1.0, 10.0], [3.0, 30.0]]))
    >>> y.round(3)
    array([[-1., -1.],
           [ 1.,  1.]])
    >>> bn.buffers()["running_mean"], bn.buffers()["running_var"]   # 0.9 * (0, 1) + 0.1 * (mean, 2/1 * var)
    (array([0.2, 2. ]), array([ 1.1, 20.9]))
    """

    _backward = staticmethod(F.batch_norm_backward)

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, unbiased: bool = True,
                 dtype=np.float64):
        super().__init__(num_features, eps, dtype)
        self.momentum = check_number(momentum, "momentum", low=0.0, high=1.0, low_inclusive=False)
        self.unbiased = check_bool(unbiased, "unbiased")
        self.register_buffer("running_mean", np.zeros(self.num_features, dtype=self.dtype))
        self.register_buffer("running_var", np.ones(self.num_features, dtype=self.dtype))

    def forward(self, x):
        """Normalise ``x`` with the batch's statistics (training mode, and update the running ones) or the running ones."""
        C = self.num_features
        x = self._checked_input(x, 1, f"(n, {C}), (n, {C}, L) or (n, {C}, H, W)")
        gamma, beta = self.params["gamma"], self.params["beta"]
        if not self.training:
            y, self._cache = F.batch_norm_forward(x, gamma, beta, eps=self.eps, mean=self._buffers["running_mean"],
                                                  var=self._buffers["running_var"])
            return y
        y, self._cache = F.batch_norm_forward(x, gamma, beta, eps=self.eps)
        self._update_running_statistics(self._cache)
        return y

    def _update_running_statistics(self, cache: dict) -> None:
        m, w = cache["count"], self.dtype.type(self.momentum)
        var = cache["var"] * self.dtype.type(m / (m - 1)) if self.unbiased else cache["var"]
        for name, batch in (("running_mean", cache["mean"]), ("running_var", var)):
            running = self._buffers[name]
            running *= 1 - w
            running += w * batch

    @property
    def input_shape(self) -> tuple:
        """``(None, num_features)`` (images ``(None, C, H, W)`` are accepted too)."""
        return (None, self.num_features)

    def config(self) -> dict:
        """``num_features``, ``eps``, ``momentum``, ``unbiased`` and ``dtype`` (its name)."""
        return {"num_features": self.num_features, "eps": self.eps, "momentum": self.momentum,
                "unbiased": self.unbiased, "dtype": self.dtype.name}

    def __repr__(self) -> str:
        extra = "" if self.dtype == np.float64 else ", float32"
        return f"BatchNorm({self.num_features}{extra})"


@register_layer
class LayerNorm(_Normalization):
    r"""Layer normalisation: each example (each position of a sequence) standardised over its own features.

    .. math::

        y_{n,k} = \gamma_k\, \frac{x_{n,k} - \mu_n}{\sqrt{\sigma_n^2 + \epsilon}} + \beta_k, \qquad
        \mu_n, \sigma_n^2 \text{ over } k = 1, \dots, D

    No batch statistics, so no running statistics: training and evaluation
    compute the same thing, and an example's output never depends on the rest
    of its batch. See :func:`nnlib.functional.layer_norm_forward`.

    Parameters
    ----------
    num_features : int
        :math:`D`, the size of the last axis.
    eps : float, default 1e-5
    dtype : {np.float64, np.float32}

    Attributes
    ----------
    params : {"gamma": (D,), "beta": (D,)}
    grads : same keys and shapes
    regularized : ()

    Notes
    -----
    Shape: ``(n, D)`` or sequences ``(n, T, D)``; the output has the input's shape.

    Examples
    --------
    >>> LayerNorm(3).forward(np.array([[1.0, 2.0, 3.0], [10.0, 20.0, 30.0]])).round(3)
    array([[-1.225,  0.   ,  1.225],
           [-1.225,  0.   ,  1.225]])
    """

    _backward = staticmethod(F.layer_norm_backward)

    def __init__(self, num_features: int, eps: float = 1e-5, dtype=np.float64):
        super().__init__(num_features, eps, dtype)

    def forward(self, x):
        """Normalise each row (the last axis) of ``x`` by its own mean and variance."""
        D = self.num_features
        x = self._checked_input(x, -1, f"(n, {D}) or (n, T, {D})")
        y, self._cache = F.layer_norm_forward(x, self.params["gamma"], self.params["beta"], eps=self.eps)
        return y

    @property
    def input_shape(self) -> tuple:
        """``(None, num_features)``."""
        return (None, self.num_features)

    def config(self) -> dict:
        """``num_features``, ``eps`` and ``dtype`` (its name)."""
        return {"num_features": self.num_features, "eps": self.eps, "dtype": self.dtype.name}

    def __repr__(self) -> str:
        extra = "" if self.dtype == np.float64 else ", float32"
        return f"LayerNorm({self.num_features}{extra})"
