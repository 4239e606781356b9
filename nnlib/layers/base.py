r"""The layer protocol: :class:`Layer`, the base of every layer and model.

A layer is a function :math:`y = f(x; \theta)` with state:

* ``params`` and ``grads``: its **own** parameters and their accumulated
  gradients, dicts with identical keys and shapes (empty for activations).
* **children**: the sub-layers it holds. A child is any :class:`Layer` stored
  in a public attribute (``self.encoder = Dense(...)`` registers it under the
  name ``"encoder"``), in the order the attributes were first assigned. A
  container that keeps its children elsewhere overrides :meth:`Layer.children`
  (:class:`~nnlib.layers.Sequential` names its list entries ``"0"``, ``"1"``, ...).
* :meth:`Layer.parameters` / :meth:`Layer.gradients`: every parameter of the
  layer and its descendants by **dotted name** (``"encoder.lstm.W_x"``,
  ``"0.W"``), as live arrays: optimizers update them in place.
* **buffers** (:meth:`Layer.register_buffer`, :meth:`Layer.buffers`): arrays
  saved and loaded with the model but never optimized, e.g. the running
  statistics of batch normalisation.
* ``regularized``: the names of the layer's own parameters that weight decay
  and the L1/L2 penalties apply to, **declared** by each layer class
  (:class:`~nnlib.layers.Dense` declares ``("W",)``: weights, not biases);
  :meth:`Layer.regularized_parameters` collects them by dotted name.
* ``training`` (:meth:`Layer.train` / :meth:`Layer.eval`, recursive): the mode,
  for layers that act differently at training and test time. It has nothing to
  do with freezing.
* ``trainable``: **freezing**. A frozen layer still passes gradients through
  to earlier layers (``dx``) but accumulates nothing for its own parameters,
  which are left out of ``parameters(trainable_only=True)`` and
  ``gradients(trainable_only=True)``, what :func:`nnlib.training.fit`
  optimises. Build the optimizer *after* freezing.

The two passes:

* ``forward(x) -> y`` computes the output and keeps **one** cache (the last
  forward pass) for the backward pass.
* ``backward(dy) -> dx``: given :math:`\partial L/\partial y`, returns
  :math:`\partial L/\partial x` and **adds** the parameter gradients to
  ``grads`` (``+=``: two backward calls give twice the gradient, so call
  :meth:`Layer.zero_grad` before each batch). It never updates parameters and
  never modifies ``dy``. Calling it before ``forward`` raises ``RuntimeError``.
  ``backward(dy, input_grad=False)`` skips computing ``dx`` (and returns
  ``None``) when nobody needs it, e.g. for the first layer of a network.

Options of a single call (``input_grad``) and the mode are not part of
:meth:`Layer.config`, which holds only what rebuilds the layer
(:mod:`nnlib.io` saves it).

Shapes follow the book's convention: rows are examples, ``x`` has shape
``(n, features)``. ``float64`` by default; a layer built with
``dtype=np.float32`` computes in float32 and refuses float64 input (convert
explicitly with ``x.astype(np.float32)``). Layers check shapes and dtypes but
not finiteness: NaN/inf propagate so that training can report divergence.
"""

from __future__ import annotations

import numpy as np

from nnlib._validation import check_array, describe

__all__ = ["Layer", "LAYERS", "register_layer"]

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


class Layer:
    r"""Base class of all layers and models (see the module docstring for the protocol).

    Given :math:`\delta = \partial L/\partial y`, the backward pass returns the
    vector-Jacobian product and accumulates the parameter gradients:

    .. math::

        \frac{\partial L}{\partial x} = \Bigl(\frac{\partial y}{\partial x}\Bigr)^{\!\top} \delta,
        \qquad
        \text{grads}[\theta] \mathrel{+}= \Bigl(\frac{\partial y}{\partial \theta}\Bigr)^{\!\top} \delta

    Subclasses call ``super().__init__()``, set ``self.params`` /
    ``self.grads`` (or assign child layers to attributes) and implement
    :meth:`forward` and :meth:`backward`.

    Attributes
    ----------
    params : dict of str -> ndarray
        The layer's own parameters (live arrays: optimizers update them in place).
    grads : dict of str -> ndarray
        Their accumulated gradients, same keys and shapes.
    regularized : tuple of str
        Class attribute: the own parameters weight decay and L1/L2 apply to.
    output_activation : str or None
        Class attribute: the activation the layer applies to its output last
        (``"sigmoid"``, ``"softmax"``, ...), or ``None`` for raw outputs (logits).
    training : bool
        Mode flag set by :meth:`train` / :meth:`eval` (default ``True``).
    """

    regularized: tuple[str, ...] = ()
    output_activation: str | None = None

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self._buffers: dict[str, np.ndarray] = {}
        self.training = True
        self._trainable = True
        self._cache = None

    # -- the two passes ---------------------------------------------------------------

    def forward(self, x):
        """Compute the output for a batch ``x`` and keep the cache for :meth:`backward`."""
        raise NotImplementedError(f"{type(self).__name__} does not implement forward()")

    def backward(self, dy, input_grad: bool = True):
        """Return ``dL/dx`` for the last forward pass and add parameter gradients to ``grads``."""
        raise NotImplementedError(f"{type(self).__name__} does not implement backward()")

    def __call__(self, x):
        """Same as :meth:`forward`."""
        return self.forward(x)

    # -- the tree of layers -----------------------------------------------------------

    def children(self) -> dict:
        """The direct sub-layers by name: the :class:`Layer` values of public attributes, in assignment order."""
        return {name: value for name, value in vars(self).items()
                if isinstance(value, Layer) and not name.startswith("_")}

    def _named_layers(self, prefix: str = ""):
        """Yield ``(prefix, layer)`` for this layer and every descendant, parents first."""
        yield prefix, self
        for name, child in self.children().items():
            yield from child._named_layers(f"{prefix}{name}.")

    def _collect(self, arrays_of, trainable_only: bool) -> dict:
        """``{dotted name: array}`` over the tree, ``arrays_of(layer)`` giving each layer's own arrays."""
        return {prefix + name: array
                for prefix, layer in self._named_layers()
                if layer._trainable or not trainable_only
                for name, array in arrays_of(layer).items()}

    def parameters(self, trainable_only: bool = False) -> dict:
        """Every parameter of this layer and its descendants by dotted name (live arrays).

        Parameters
        ----------
        trainable_only : bool, default False
            Leave out the parameters of frozen layers.
        """
        return self._collect(lambda layer: layer.params, trainable_only)

    def gradients(self, trainable_only: bool = False) -> dict:
        """Every gradient, with the keys of :meth:`parameters` (live arrays).

        Parameters
        ----------
        trainable_only : bool, default False
            Leave out the gradients of frozen layers.
        """
        return self._collect(lambda layer: layer.grads, trainable_only)

    def buffers(self) -> dict:
        """Every buffer of this layer and its descendants by dotted name (live arrays)."""
        return self._collect(lambda layer: layer._buffers, False)

    def regularized_parameters(self, trainable_only: bool = False) -> dict:
        """The parameters weight decay and L1/L2 apply to, as each layer declares them (``regularized``).

        Parameters
        ----------
        trainable_only : bool, default False
            Leave out the parameters of frozen layers.
        """
        return self._collect(lambda layer: {name: layer._declared(name) for name in layer.regularized},
                             trainable_only)

    def _declared(self, name: str) -> np.ndarray:
        if name not in self.params:
            raise ValueError(f"{self!r}: declares {name!r} in regularized, but has no such parameter "
                             f"(its parameters are {list(self.params)})")
        return self.params[name]

    def register_buffer(self, name: str, value) -> np.ndarray:
        """Add a buffer: an array saved and loaded with the model but never optimized.

        Parameters
        ----------
        name : str
            Not a parameter's name, without dots.
        value : array_like
            The initial value (numeric).

        Returns
        -------
        ndarray
            The stored array (update it in place).
        """
        if not isinstance(name, str) or not name or "." in name:
            raise TypeError(f"name: expected a non-empty string without dots, got {describe(name)}")
        if name in self.params:
            raise ValueError(f"name: {name!r} is already a parameter of {self!r}")
        self._buffers[name] = check_array(value, f"buffer {name!r}", dtype="any", finite=False, allow_empty=True)
        return self._buffers[name]

    # -- modes ------------------------------------------------------------------------

    def train(self, mode: bool = True) -> "Layer":
        """Set training mode (``mode=True``) or evaluation mode, here and in every descendant; returns ``self``."""
        for _, layer in self._named_layers():
            layer.training = bool(mode)
        return self

    def eval(self) -> "Layer":
        """Set evaluation mode (same as ``train(False)``); returns ``self``."""
        return self.train(False)

    @property
    def trainable(self) -> bool:
        """Whether training updates the layer (its own parameters, or any descendant's); setting it (un)freezes
        the whole subtree."""
        children = self.children().values()
        if not children:
            return self._trainable
        return (self._trainable and bool(self.params)) or any(child.trainable for child in children)

    @trainable.setter
    def trainable(self, value: bool) -> None:
        for _, layer in self._named_layers():
            layer._trainable = bool(value)

    def zero_grad(self) -> None:
        """Set every gradient of the tree to zero, in place (the arrays stay the same objects)."""
        for g in self.gradients().values():
            g.fill(0)

    # -- description ------------------------------------------------------------------

    @property
    def n_params(self) -> int:
        """Number of scalar parameters (descendants included)."""
        return int(sum(p.size for p in self.parameters().values()))

    @property
    def input_shape(self) -> tuple | None:
        """Shape of the input batch the layer expects (``None`` for the batch size), if it knows it."""
        return None

    def output_shape(self, input_shape: tuple) -> tuple | None:
        """Output shape for an input of ``input_shape`` (``None`` stands for the batch size).

        Returns ``None`` if the layer cannot tell without data.
        """
        return None

    def config(self) -> dict:
        """Constructor arguments as JSON-compatible values: what rebuilds the layer (used by :mod:`nnlib.io`)."""
        return {}

    @classmethod
    def from_config(cls, config: dict, children: dict) -> "Layer":
        """Rebuild a layer from its :meth:`config` and its rebuilt children (what :func:`nnlib.io.load_model` does).

        The default builds ``cls(**config)`` and puts ``children`` (a dict named
        as :meth:`children` names them) in place of the ones the constructor
        made. A layer that keeps its children elsewhere than in attributes
        overrides this.
        """
        layer = cls(**config)
        if list(layer.children()) != list(children):
            raise ValueError(f"{cls.__name__}: its config builds children {list(layer.children())}, "
                             f"but the description lists {list(children)}")
        for name, child in children.items():
            setattr(layer, name, child)
        return layer

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{type(self).__name__}({args})"

    # -- helpers for subclasses -------------------------------------------------------

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


def input_gradient(layer: Layer, backward_op, dy, input_grad: bool):
    """The ``backward`` of a layer without parameters: ``dx`` of ``backward_op(dy, cache)`` (``None`` if not ``input_grad``)."""
    cache = layer._require_cache()
    if not input_grad:
        return None
    return layer._named_errors(backward_op, dy, cache)[0]
