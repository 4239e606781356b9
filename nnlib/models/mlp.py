r"""Model builders: whole networks from a few numbers.

:func:`mlp` builds the multilayer perceptron of chapter 4. Later chapters add
their builders here (a small convolutional network, an encoder-decoder, ...),
each returning an ordinary :class:`~nnlib.layers.Layer` tree.
"""

from __future__ import annotations

import numpy as np

from nnlib._validation import as_rng, check_bool, check_choice, check_number
from nnlib.layers.activation import ACTIVATION_LAYERS
from nnlib.layers.base import Layer
from nnlib.layers.container import Sequential
from nnlib.layers.dense import Dense
from nnlib.layers.dropout import Dropout
from nnlib.layers.norm import BatchNorm

__all__ = ["mlp"]

_RELU_FAMILY = ("relu", "leaky_relu")  # hidden activations that get He initialization by default


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
        dtype=np.float64, batch_norm: bool = False, dropout: float = 0.0) -> Sequential:
    r"""Build a multilayer perceptron: Dense layers with an activation between them.

    .. math::

        h_0 = x, \quad h_l = f\bigl(h_{l-1} W^{(l)} + b^{(l)}\bigr)\ (l < L), \quad
        \hat y = h_{L-1} W^{(L)} + b^{(L)}

    ``mlp([2, 8, 8, 3], "tanh")`` is
    ``Sequential(Dense(2, 8), Tanh(), Dense(8, 8), Tanh(), Dense(8, 3))``. By
    default there is no output activation: the model outputs logits (or raw
    regression values) and the losses take logits.

    With ``batch_norm`` and ``dropout`` each hidden block becomes
    ``Dense -> BatchNorm -> activation -> Dropout`` (chapter 7): batch
    normalisation before the nonlinearity, as Ioffe and Szegedy place it, and
    dropout on the block's output. The output layer has neither.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths :math:`[d_0, d_1, \dots, d_L]` (input first), at least 2, each >= 1.
    activation : str or callable, default "tanh"
        Hidden activation: a name in :data:`nnlib.layers.ACTIVATION_LAYERS` or a zero-argument
        callable returning a layer (e.g. ``lambda: LeakyReLU(0.1)``).
    output : str or callable, optional
        Output activation (e.g. ``"sigmoid"``), or ``None`` for none.
    init : str, optional
        Weight initializer for every Dense layer. Default: ``"he_normal"`` for
        ReLU/LeakyReLU hidden layers, ``"glorot_uniform"`` otherwise.
    rng : numpy.random.Generator, int or None
        One generator is shared by all layers (reproducible with an int seed).
    dtype : {np.float64, np.float32}
    batch_norm : bool, default False
        Add a :class:`~nnlib.layers.BatchNorm` after each hidden Dense layer.
    dropout : float, default 0
        Drop probability of a :class:`~nnlib.layers.Dropout` after each hidden
        activation (none for 0); its masks come from a generator spawned from ``rng``.

    Returns
    -------
    Sequential

    Raises
    ------
    ValueError
        If ``sizes`` has fewer than 2 entries or an entry < 1, a name is unknown, or
        ``dropout`` is outside ``[0, 1)``.

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
        init = "he_normal" if probe.output_activation in _RELU_FAMILY else "glorot_uniform"
    batch_norm = check_bool(batch_norm, "batch_norm")
    dropout = check_number(dropout, "dropout", low=0.0, high=1.0, high_inclusive=False)
    rng = as_rng(rng)
    masks = rng.spawn(1)[0] if dropout else None
    layers: list[Layer] = []
    for i, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Dense(d_in, d_out, init=init, rng=rng, dtype=dtype))
        if i < len(hidden):
            layers += [BatchNorm(d_out, dtype=dtype)] if batch_norm else []
            layers.append(hidden[i])
            layers += [Dropout(dropout, rng=masks)] if dropout else []
    if output is not None:
        layers.append(_make_activation(output, "output"))
    return Sequential(layers)
