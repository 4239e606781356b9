r"""Layers: stateful wrappers around the forward/backward pairs of :mod:`nnlib.functional`.

The layer protocol
------------------
Every layer has

* ``params`` and ``grads``: dicts with identical keys and shapes (empty for
  activations). ``grads[k]`` holds :math:`\partial L / \partial\, \text{params}[k]`.
* ``forward(x) -> y``: computes the output and keeps **one** cache (the last
  forward pass) for the backward pass.
* ``backward(dy) -> dx``: given :math:`\partial L/\partial y`, returns
  :math:`\partial L/\partial x` and **adds** the parameter gradients to
  ``grads`` (``+=``: two backward calls give twice the gradient, so call
  :meth:`Layer.zero_grad` before each batch). It never updates parameters and
  never modifies ``dy``. Calling it before ``forward`` raises ``RuntimeError``.
  ``backward(dy, input_grad=False)`` skips computing ``dx`` (and returns
  ``None``) when nobody needs it, e.g. for the first layer of a network
  during training; :meth:`Sequential.backward` does this for you.
* ``training`` (set by :meth:`Layer.train` / :meth:`Layer.eval`): the mode,
  for layers that act differently at training and test time. It has nothing to
  do with freezing.
* ``trainable``: **freezing**. A layer with ``trainable = False`` still passes
  gradients through to earlier layers (``dx``), but does not accumulate
  gradients for its own parameters and its parameters are left out of
  ``parameters(trainable_only=True)`` and ``gradients(trainable_only=True)``,
  which is what :func:`nnlib.training.fit` optimises. Build the optimizer from
  ``model.parameters(trainable_only=True)`` *after* freezing.

Shapes follow the book's convention: rows are examples, ``x`` has shape
``(n, features)``. ``float64`` by default; a layer built with
``dtype=np.float32`` computes in float32 and refuses float64 input (convert
explicitly with ``x.astype(np.float32)``); activation layers follow the input's
dtype. Layers check shapes and dtypes but not finiteness: NaN/inf propagate so
that :func:`nnlib.training.fit` can report divergence.
"""

from __future__ import annotations

import functools
import inspect

import numpy as np

from nnlib import functional as F
from nnlib import init as initializers
from nnlib._validation import as_rng, check_array, check_choice, check_number

__all__ = [
    "Layer",
    "Dense",
    "Sigmoid",
    "Tanh",
    "ReLU",
    "LeakyReLU",
    "Softmax",
    "Step",
    "Identity",
    "Sequential",
    "mlp",
    "LAYERS",
    "ACTIVATION_LAYERS",
    "register_layer",
]

LAYERS: dict[str, type] = {}
"""Layer classes by class name; :func:`nnlib.io.load_model` rebuilds models from it."""


def register_layer(cls: type) -> type:
    """Class decorator: add a layer class to :data:`LAYERS` so that saved models can name it.

    A layer that should survive :func:`nnlib.io.save_model` / :func:`nnlib.io.load_model`
    must be registered and implement :meth:`Layer.config` (constructor
    arguments as JSON-compatible values).

    Parameters
    ----------
    cls : type
        A subclass of :class:`Layer`.

    Returns
    -------
    type
        ``cls`` itself, so this works as a decorator.

    Raises
    ------
    TypeError
        If ``cls`` is not a subclass of :class:`Layer`.
    """
    if not (isinstance(cls, type) and issubclass(cls, Layer)):
        raise TypeError(f"cls: expected a subclass of Layer, got {cls!r}")
    LAYERS[cls.__name__] = cls
    return cls


def _check_float_dtype(dtype) -> np.dtype:
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype: expected np.float32 or np.float64, got {dtype!r}") from None
    if dt not in (np.float32, np.float64):
        raise TypeError(f"dtype: expected np.float32 or np.float64, got {dt}")
    return dt


@functools.lru_cache(maxsize=None)
def _accepts_input_grad(cls: type) -> bool:
    """Whether ``cls.backward`` takes the ``input_grad`` keyword (layers written elsewhere may not)."""
    try:
        return "input_grad" in inspect.signature(cls.backward).parameters
    except (TypeError, ValueError):  # pragma: no cover - builtins without signatures
        return False


class Layer:
    r"""Base class of all layers (see the module docstring for the protocol).

    A layer is a function :math:`y = f(x; \theta)` with parameters
    :math:`\theta` (``params``). Given :math:`\delta = \partial L/\partial y`,
    the backward pass returns the vector-Jacobian product and accumulates the
    parameter gradients:

    .. math::

        \frac{\partial L}{\partial x} = \Bigl(\frac{\partial y}{\partial x}\Bigr)^{\!\top} \delta,
        \qquad
        \text{grads}[\theta] \mathrel{+}= \Bigl(\frac{\partial y}{\partial \theta}\Bigr)^{\!\top} \delta

    Subclasses set ``self.params`` / ``self.grads`` in ``__init__`` and
    implement :meth:`forward` and :meth:`backward`; parameter-free layers
    leave both dicts empty.

    Attributes
    ----------
    params : dict of str -> ndarray
        Parameters (live arrays: optimizers update them in place).
    grads : dict of str -> ndarray
        Accumulated gradients, same keys and shapes as ``params``.
    training : bool
        Mode flag set by :meth:`train` / :meth:`eval` (default ``True``).
    trainable : bool
        Freezing flag (default ``True``); see the module docstring.
    """

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.training = True
        self.trainable = True
        self._cache = None

    # -- the protocol ---------------------------------------------------------------

    def forward(self, x):
        """Compute the output for a batch ``x`` and keep the cache for :meth:`backward`."""
        raise NotImplementedError

    def backward(self, dy, input_grad: bool = True):
        """Return ``dL/dx`` for the last forward pass and add parameter gradients to ``grads``."""
        raise NotImplementedError

    def __call__(self, x):
        """Same as :meth:`forward`."""
        return self.forward(x)

    def zero_grad(self) -> None:
        """Set every gradient to zero, in place (the arrays stay the same objects)."""
        for g in self.grads.values():
            g.fill(0)

    def train(self, mode: bool = True) -> "Layer":
        """Set training mode (``mode=True``) or evaluation mode; returns ``self``."""
        self.training = bool(mode)
        return self

    def eval(self) -> "Layer":
        """Set evaluation mode (same as ``train(False)``); returns ``self``."""
        return self.train(False)

    def parameters(self, trainable_only: bool = False) -> dict:
        """The parameters by name (live arrays); empty if frozen and ``trainable_only``."""
        if trainable_only and not self.trainable:
            return {}
        return dict(self.params)

    def gradients(self, trainable_only: bool = False) -> dict:
        """The gradients by name (live arrays), with the keys of :meth:`parameters`."""
        if trainable_only and not self.trainable:
            return {}
        return dict(self.grads)

    @property
    def n_params(self) -> int:
        """Number of scalar parameters."""
        return int(sum(p.size for p in self.parameters().values()))

    def config(self) -> dict:
        """Constructor arguments as JSON-compatible values (used by :mod:`nnlib.io`)."""
        return {}

    def output_shape(self, input_shape: tuple) -> tuple | None:
        """Output shape for an input of ``input_shape`` (``None`` stands for the batch size).

        Returns ``None`` if the layer cannot tell without data.
        """
        return None

    # -- helpers for subclasses -----------------------------------------------------

    def _require_cache(self):
        if self._cache is None:
            raise RuntimeError(
                f"{self!r}: backward() was called before forward(); "
                "run forward(x) on a batch first (backward uses what forward stored)"
            )
        return self._cache

    def _float_input(self, x, dtype: np.dtype | None = None) -> np.ndarray:
        """``x`` as a float array; integer input becomes ``dtype`` (float64 by default).

        A *float* array whose dtype differs from ``dtype`` is refused: nothing is
        converted silently between float32 and float64.
        """
        arr = check_array(x, f"{self!r}: input", dtype="float", finite=False)
        if dtype is not None and arr.dtype != dtype:
            given = getattr(x, "dtype", None)
            if given is not None and np.dtype(given).kind == "f":
                raise TypeError(
                    f"{self!r}: expected input of dtype {dtype} (the layer's dtype), got {arr.dtype}; "
                    f"convert with x.astype(np.{dtype}) or build the layer with dtype=np.{arr.dtype}"
                )
            arr = arr.astype(dtype)
        return arr

    def _named_errors(self, fn, *args):
        """Call ``fn(*args)``, prefixing the layer's name to shape/dtype errors."""
        try:
            return fn(*args)
        except (ValueError, TypeError) as exc:
            raise type(exc)(f"{self!r}.backward: {exc}") from None

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{type(self).__name__}({args})"


# ----------------------------------------------------------------------------- Dense


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

    def __init__(self, in_features: int, out_features: int, init: str = "glorot_uniform",
                 rng=None, dtype=np.float64):
        super().__init__()
        self.in_features = check_number(in_features, "in_features", low=1, integer=True)
        self.out_features = check_number(out_features, "out_features", low=1, integer=True)
        self.init = check_choice(init, "init", initializers.INITIALIZERS)
        self.dtype = _check_float_dtype(dtype)
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
        if not self.trainable:  # frozen: pass the gradient on, keep grads untouched
            return self._named_errors(F.linear_backward, dy, cache)[0] if input_grad else None
        dx, grads = self._named_errors(F.linear_backward, dy, cache, input_grad)
        np.add(self.grads["W"], grads["W"], out=self.grads["W"])
        np.add(self.grads["b"], grads["b"], out=self.grads["b"])
        return dx

    def output_shape(self, input_shape):
        return (*input_shape[:-1], self.out_features)

    def config(self) -> dict:
        return {"in_features": self.in_features, "out_features": self.out_features,
                "init": self.init, "dtype": self.dtype.name}

    def __repr__(self) -> str:
        extra = "" if self.dtype == np.float64 else ", float32"
        return f"Dense({self.in_features} -> {self.out_features}{extra})"


# ----------------------------------------------------------------------- activations


class _Activation(Layer):
    """An elementwise (or row-wise) activation: a parameter-free layer over a functional pair."""

    _forward = None  # functional.<act>_forward
    _backward = None  # functional.<act>_backward

    def forward(self, x):
        x = self._float_input(x)
        y, self._cache = type(self)._forward(x, **self.config())
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

    _forward = staticmethod(F.sigmoid_forward)
    _backward = staticmethod(F.sigmoid_backward)


@register_layer
class Tanh(_Activation):
    r"""Hyperbolic-tangent layer.

    .. math::

        y = \tanh(x), \qquad \frac{\partial L}{\partial x} = \delta \odot (1 - y^2)

    Input and output: any shape; the output has the input's dtype.
    """

    _forward = staticmethod(F.tanh_forward)
    _backward = staticmethod(F.tanh_backward)


@register_layer
class ReLU(_Activation):
    r"""Rectified-linear layer (convention :math:`\operatorname{ReLU}'(0) = 0`).

    .. math::

        y = \max(0, x), \qquad \frac{\partial L}{\partial x} = \delta \odot \mathbb{1}[x > 0]

    Input and output: any shape; the output has the input's dtype.
    """

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

    _forward = staticmethod(F.leaky_relu_forward)
    _backward = staticmethod(F.leaky_relu_backward)

    def __init__(self, alpha: float = 0.01):
        super().__init__()
        self.alpha = check_number(alpha, "alpha", low=0.0)

    def config(self) -> dict:
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

    _forward = staticmethod(F.softmax_forward)
    _backward = staticmethod(F.softmax_backward)

    def __init__(self, axis: int = -1):
        super().__init__()
        self.axis = check_number(axis, "axis", integer=True)

    def config(self) -> dict:
        return {"axis": self.axis}


@register_layer
class Step(_Activation):
    r"""Heaviside step layer (the perceptron's activation); passes no gradient.

    .. math::

        y = \mathbb{1}[x \ge 0], \qquad \frac{\partial L}{\partial x} = 0

    Useful to show *why* step networks cannot be trained by backpropagation.
    """

    _forward = staticmethod(F.step_forward)
    _backward = staticmethod(F.step_backward)


@register_layer
class Identity(_Activation):
    r"""Identity layer (a "linear" activation), :math:`y = x`, :math:`\partial L/\partial x = \delta`.

    Returns copies, so changing the output never changes the input.
    """

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
"""Activation layer classes by name, as accepted by :func:`mlp`."""


# ------------------------------------------------------------------------ Sequential


@register_layer
class Sequential(Layer):
    r"""A chain of layers, applied in order: :math:`y = f_{L}(\cdots f_2(f_1(x)))`.

    .. math::

        h_0 = x, \quad h_l = f_l(h_{l-1}), \qquad
        \frac{\partial L}{\partial h_{l-1}} = \operatorname{backward}_l\Bigl(\frac{\partial L}{\partial h_l}\Bigr)

    Parameters are named ``"<index>.<name>"`` after the layer's position, e.g.
    ``"0.W"``, ``"0.b"``, ``"2.W"`` (activations have none; nested models give
    ``"1.0.W"``).

    Parameters
    ----------
    *layers : Layer, or one list of layers
        ``Sequential(Dense(2, 8), Tanh(), Dense(8, 1))`` or
        ``Sequential([Dense(2, 8), Tanh(), Dense(8, 1)])``.

    Attributes
    ----------
    layers : list of Layer
    params, grads : dict of str -> ndarray
        All parameters/gradients by dotted name (live arrays, like
        :meth:`parameters` / :meth:`gradients`).

    Notes
    -----
    Freezing: set ``model[i].trainable = False`` (or ``model.trainable = False``
    for every layer), then build the optimizer from
    ``model.parameters(trainable_only=True)``.

    Examples
    --------
    >>> model = Sequential(Dense(2, 8, rng=0), Tanh(), Dense(8, 3, rng=1))
    >>> list(model.parameters())
    ['0.W', '0.b', '2.W', '2.b']
    >>> model.forward(np.zeros((4, 2))).shape
    (4, 3)
    """

    def __init__(self, *layers):
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"layers[{i}]: expected a Layer, got {type(layer).__name__}")
        self.layers: list[Layer] = list(layers)
        self.training = True
        self._cache = None

    # -- parameters -----------------------------------------------------------------

    def parameters(self, trainable_only: bool = False) -> dict:
        """All parameters by dotted name, e.g. ``{"0.W": W0, "0.b": b0, ...}`` (live arrays).

        Parameters
        ----------
        trainable_only : bool, default False
            Leave out the parameters of frozen layers (``trainable = False``).
        """
        return {
            f"{i}.{name}": arr
            for i, layer in enumerate(self.layers)
            for name, arr in layer.parameters(trainable_only).items()
        }

    def gradients(self, trainable_only: bool = False) -> dict:
        """All gradients, with the same keys as :meth:`parameters` (live arrays)."""
        return {
            f"{i}.{name}": arr
            for i, layer in enumerate(self.layers)
            for name, arr in layer.gradients(trainable_only).items()
        }

    @property
    def params(self) -> dict:
        return self.parameters()

    @property
    def grads(self) -> dict:
        return self.gradients()

    @property
    def trainable(self) -> bool:
        """``True`` if any layer is trainable; setting it sets every layer."""
        return any(layer.trainable for layer in self.layers)

    @trainable.setter
    def trainable(self, value: bool) -> None:
        for layer in self.layers:
            layer.trainable = bool(value)

    def zero_grad(self) -> None:
        for layer in self.layers:
            layer.zero_grad()

    def train(self, mode: bool = True) -> "Sequential":
        self.training = bool(mode)
        for layer in self.layers:
            layer.train(mode)
        return self

    # -- forward / backward ---------------------------------------------------------

    def forward(self, x):
        """Apply every layer in order; each keeps its own cache."""
        for layer in self.layers:
            x = layer.forward(x)
        self._cache = True
        return x

    def backward(self, dy, input_grad: bool = True):
        r"""Backpropagate ``dy`` through the layers in reverse order.

        Parameters
        ----------
        dy : ndarray
            :math:`\partial L/\partial y` for the output of the last forward pass.
        input_grad : bool, default True
            Return :math:`\partial L/\partial x`. With ``False`` (what training
            uses) the backward pass stops at the first layer with trainable
            parameters and skips its :math:`\partial L/\partial x`; ``None``
            is returned. The accumulated parameter gradients are the same.

        Returns
        -------
        dx : ndarray, shape of the input, or None
        """
        self._require_cache()
        start = 0 if input_grad else self._first_trainable_layer()
        for i in range(len(self.layers) - 1, start - 1, -1):
            layer = self.layers[i]
            if i == start and not input_grad and _accepts_input_grad(type(layer)):
                layer.backward(dy, input_grad=False)
            else:
                dy = layer.backward(dy)
        return dy if input_grad else None

    def _first_trainable_layer(self) -> int:
        for i, layer in enumerate(self.layers):
            if layer.parameters(trainable_only=True):
                return i
        return len(self.layers)

    # -- containers -----------------------------------------------------------------

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(self.layers[index])
        return self.layers[index]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)

    def config(self) -> dict:
        """``{"layers": [...]}``; :mod:`nnlib.io` describes nested layers itself."""
        return {"layers": [type(layer).__name__ for layer in self.layers]}

    def output_shape(self, input_shape):
        shape = tuple(input_shape)
        for layer in self.layers:
            if shape is None:
                return None
            shape = layer.output_shape(shape)
        return shape

    def _input_shape(self):
        """(None, d_in) if the first layer with a known input width is the first layer."""
        first = self.layers[0] if self.layers else None
        if isinstance(first, Dense):
            return (None, first.in_features)
        if isinstance(first, Sequential):
            return first._input_shape()
        return None

    def summary(self, input_shape: tuple | None = None) -> str:
        """A table of the layers with output shapes and parameter counts.

        Parameters
        ----------
        input_shape : tuple, optional
            Shape of one batch, ``None`` for the batch size, e.g. ``(None, 2)``.
            Inferred when the first layer is :class:`Dense`.

        Returns
        -------
        str
            Print it. Output shapes show ``n`` for the batch size (``?`` if unknown).
        """
        shape = tuple(input_shape) if input_shape is not None else self._input_shape()
        rows = [("#", "layer", "output shape", "params", "trainable")]
        for i, layer in enumerate(self.layers):
            shape = layer.output_shape(shape) if shape is not None else None
            shape_txt = "?" if shape is None else "(" + ", ".join(
                "n" if s is None else str(s) for s in shape) + ")"
            n = layer.n_params
            rows.append((str(i), repr(layer), shape_txt, f"{n:,}",
                         ("yes" if layer.trainable else "no (frozen)") if n else ""))
        widths = [max(len(r[c]) for r in rows) for c in range(5)]
        fmt = "  ".join(f"{{:<{w}}}" for w in widths[:3]) + f"  {{:>{widths[3]}}}  {{}}"
        lines = [fmt.format(*rows[0]).rstrip(), "-" * (sum(widths) + 8)]
        lines += [fmt.format(*r).rstrip() for r in rows[1:]]
        total = self.n_params
        trainable = int(sum(p.size for p in self.parameters(trainable_only=True).values()))
        lines += ["-" * (sum(widths) + 8),
                  f"Total parameters: {total:,} (trainable: {trainable:,}, frozen: {total - trainable:,})"]
        return "\n".join(lines)

    def __repr__(self) -> str:
        if not self.layers:
            return "Sequential()"
        body = "\n".join(f"  ({i}): {layer!r}".replace("\n", "\n  ")
                         for i, layer in enumerate(self.layers))
        return f"Sequential(\n{body}\n)"


# ------------------------------------------------------------------------------- mlp


_RELU_FAMILY = (ReLU, LeakyReLU)


def _make_activation(spec, name: str) -> Layer:
    if isinstance(spec, str):
        return ACTIVATION_LAYERS[check_choice(spec, name, ACTIVATION_LAYERS)]()
    if callable(spec):
        layer = spec()
        if not isinstance(layer, Layer):
            raise TypeError(f"{name}: expected a name or a callable returning a Layer, "
                            f"got a callable returning {type(layer).__name__}")
        return layer
    raise TypeError(f"{name}: expected an activation name {sorted(ACTIVATION_LAYERS)} "
                    f"or a Layer class, got {type(spec).__name__}")


def mlp(sizes, activation="tanh", output=None, init: str | None = None, rng=None,
        dtype=np.float64) -> Sequential:
    r"""Build a multilayer perceptron: Dense layers with an activation between them.

    .. math::

        h_0 = x, \quad h_l = f\bigl(h_{l-1} W^{(l)} + b^{(l)}\bigr)\ (l < L), \quad
        \hat y = h_{L-1} W^{(L)} + b^{(L)}

    ``mlp([2, 8, 8, 3], "tanh")`` is
    ``Sequential(Dense(2, 8), Tanh(), Dense(8, 8), Tanh(), Dense(8, 3))``. By
    default there is no output activation: the model outputs logits (or raw
    regression values) and the losses take logits.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths :math:`[d_0, d_1, \dots, d_L]` (input first), at least 2, each >= 1.
    activation : str or callable, default "tanh"
        Hidden activation: a name in :data:`ACTIVATION_LAYERS` or a zero-argument
        callable returning a layer (e.g. ``lambda: LeakyReLU(0.1)``).
    output : str or callable, optional
        Output activation (e.g. ``"sigmoid"``), or ``None`` for none.
    init : str, optional
        Weight initializer for every Dense layer. Default: ``"he_normal"`` for
        ReLU/LeakyReLU hidden layers, ``"glorot_uniform"`` otherwise.
    rng : numpy.random.Generator, int or None
        One generator is shared by all layers (reproducible with an int seed).
    dtype : {np.float64, np.float32}

    Returns
    -------
    Sequential

    Raises
    ------
    ValueError
        If ``sizes`` has fewer than 2 entries or an entry < 1, or a name is unknown.

    Examples
    --------
    >>> model = mlp([2, 8, 3], "relu", rng=0)
    >>> model
    Sequential(
      (0): Dense(2 -> 8)
      (1): ReLU()
      (2): Dense(8 -> 3)
    )
    """
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(f"sizes: expected a list of layer widths, got {type(sizes).__name__}")
    if len(sizes) < 2:
        raise ValueError(f"sizes: expected at least 2 widths (input and output), got {list(sizes)}")
    sizes = [check_number(s, f"sizes[{i}]", low=1, integer=True) for i, s in enumerate(sizes)]
    hidden = [_make_activation(activation, "activation") for _ in range(len(sizes) - 2)]
    if init is None:
        probe = hidden[0] if hidden else _make_activation(activation, "activation")
        init = "he_normal" if isinstance(probe, _RELU_FAMILY) else "glorot_uniform"
    rng = as_rng(rng)
    layers: list[Layer] = []
    for i, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Dense(d_in, d_out, init=init, rng=rng, dtype=dtype))
        if i < len(hidden):
            layers.append(hidden[i])
    if output is not None:
        layers.append(_make_activation(output, "output"))
    return Sequential(layers)
