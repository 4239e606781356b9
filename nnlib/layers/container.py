r"""Containers: :class:`Sequential`, a chain of layers applied in order."""

from __future__ import annotations

import functools
import inspect

from nnlib._validation import shape_str
from nnlib.layers.base import Layer, register_layer

__all__ = ["Sequential"]


@functools.lru_cache(maxsize=None)
def _accepts_input_grad(cls: type) -> bool:
    """Whether ``cls.backward`` takes the ``input_grad`` keyword (layers written elsewhere may not)."""
    try:
        return "input_grad" in inspect.signature(cls.backward).parameters
    except (TypeError, ValueError):  # pragma: no cover - builtins without signatures
        return False


@register_layer
class Sequential(Layer):
    r"""A chain of layers, applied in order: :math:`y = f_{L}(\cdots f_2(f_1(x)))`.

    .. math::

        h_0 = x, \quad h_l = f_l(h_{l-1}), \qquad
        \frac{\partial L}{\partial h_{l-1}} = \operatorname{backward}_l\Bigl(\frac{\partial L}{\partial h_l}\Bigr)

    Its children are its layers, named by position: parameters are called
    ``"<index>.<name>"``, e.g. ``"0.W"``, ``"0.b"``, ``"2.W"`` (activations
    have none; a nested model gives ``"1.0.W"``). The container has no
    parameters of its own.

    Parameters
    ----------
    *layers : Layer, or one list of layers
        ``Sequential(Dense(2, 8), Tanh(), Dense(8, 1))`` or
        ``Sequential([Dense(2, 8), Tanh(), Dense(8, 1)])``.

    Attributes
    ----------
    layers : list of Layer
        The chain; replacing an entry (``model.layers[3] = Tanh()``) replaces the child.
    output_activation : str or None
        That of the last layer (``"sigmoid"`` for a model ending in :class:`~nnlib.layers.Sigmoid`).

    Notes
    -----
    Freezing: set ``model[i].trainable = False`` (or ``model.trainable = False``
    for every layer), then build the optimizer from
    ``model.parameters(trainable_only=True)``.

    Examples
    --------
    >>> import numpy as np
    >>> from nnlib.layers import Dense, Tanh
    >>> model = Sequential(Dense(2, 8, rng=0), Tanh(), Dense(8, 3, rng=1))
    >>> list(model.parameters())
    ['0.W', '0.b', '2.W', '2.b']
    >>> model.forward(np.zeros((4, 2))).shape
    (4, 3)
    """

    def __init__(self, *layers):
        super().__init__()
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"layers[{i}]: expected a Layer, got {type(layer).__name__}")
        self.layers: list[Layer] = list(layers)

    def children(self) -> dict:
        """The layers, named by their position: ``{"0": first, "1": second, ...}``."""
        return {str(i): layer for i, layer in enumerate(self.layers)}

    @classmethod
    def from_config(cls, config: dict, children: dict) -> "Sequential":
        """A Sequential of the given children, in order (its config is empty)."""
        return cls(list(children.values()))

    @property
    def output_activation(self) -> str | None:
        """The last layer's ``output_activation`` (``None`` when empty)."""
        return self.layers[-1].output_activation if self.layers else None

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

    # -- a list of layers -----------------------------------------------------------

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(self.layers[index])
        return self.layers[index]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)

    # -- description ----------------------------------------------------------------

    @property
    def input_shape(self) -> tuple | None:
        """The first layer's ``input_shape`` (``None`` if it cannot tell)."""
        return self.layers[0].input_shape if self.layers else None

    def output_shape(self, input_shape):
        """Chain the layers' ``output_shape``; ``None`` as soon as one cannot tell."""
        shape = tuple(input_shape)
        for layer in self.layers:
            if shape is None:
                return None
            shape = layer.output_shape(shape)
        return shape

    def summary(self, input_shape: tuple | None = None) -> str:
        """A table of the layers with output shapes and parameter counts.

        Parameters
        ----------
        input_shape : tuple, optional
            Shape of one batch, ``None`` for the batch size, e.g. ``(None, 2)``.
            Inferred when the first layer knows it (e.g. :class:`~nnlib.layers.Dense`).

        Returns
        -------
        str
            Print it. Output shapes show ``n`` for the batch size (``?`` if unknown).
        """
        shape = tuple(input_shape) if input_shape is not None else self.input_shape
        rows = [("#", "layer", "output shape", "params", "trainable")]
        for i, layer in enumerate(self.layers):
            shape = layer.output_shape(shape) if shape is not None else None
            n = layer.n_params
            rows.append((str(i), repr(layer), "?" if shape is None else shape_str(shape), f"{n:,}",
                         ("yes" if layer.trainable else "no (frozen)") if n else ""))
        widths = [max(len(r[c]) for r in rows) for c in range(5)]
        fmt = "  ".join(f"{{:<{w}}}" for w in widths[:3]) + f"  {{:>{widths[3]}}}  {{}}"
        rule = "-" * (sum(widths) + 8)
        total = self.n_params
        trainable = int(sum(p.size for p in self.parameters(trainable_only=True).values()))
        return "\n".join([fmt.format(*rows[0]).rstrip(), rule, *(fmt.format(*r).rstrip() for r in rows[1:]), rule,
                          f"Total parameters: {total:,} (trainable: {trainable:,}, frozen: {total - trainable:,})"])

    def __repr__(self) -> str:
        if not self.layers:
            return "Sequential()"
        body = "\n".join(f"  ({i}): {layer!r}".replace("\n", "\n  ")
                         for i, layer in enumerate(self.layers))
        return f"Sequential(\n{body}\n)"
