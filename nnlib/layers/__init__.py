r"""Layers: stateful wrappers around the forward/backward pairs of :mod:`nnlib.functional`.

Every layer follows one protocol, that of :class:`Layer` (module
``nnlib.layers.base``): own ``params``/``grads``, children, recursive
:meth:`~Layer.parameters` / :meth:`~Layer.gradients` / :meth:`~Layer.buffers`
by dotted name, declared ``regularized`` parameters, ``train()``/``eval()``
separate from freezing (``trainable``), a ``forward`` that keeps one cache and
a ``backward`` that returns ``dx`` and accumulates gradients.

Where the layers live
---------------------
``base`` (:class:`Layer`, the registry :data:`LAYERS` used by
:mod:`nnlib.io`), ``container`` (:class:`Sequential`), ``dense``
(:class:`Dense`), ``conv`` (:class:`Conv2d`), ``pool`` (:class:`MaxPool2d`,
:class:`AvgPool2d`, :class:`Flatten`), ``activation`` (:class:`Sigmoid`, :class:`Tanh`,
:class:`ReLU`, ...), ``dropout`` (:class:`Dropout`) and ``norm``
(:class:`BatchNorm`, whose running statistics are buffers, and
:class:`LayerNorm`). Each later family gets its own module here, a thin layer
over the matching module of :mod:`nnlib.functional`:
``rnn``/``lstm``/``gru`` and ``attention``. Model builders such
as :func:`nnlib.models.mlp` live in :mod:`nnlib.models`; ``mlp`` stays
importable from here.
"""

from nnlib.layers.activation import (
    ACTIVATION_LAYERS,
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Step,
    Tanh,
)
from nnlib.layers.base import LAYERS, Layer, register_layer
from nnlib.layers.container import Sequential
from nnlib.layers.conv import Conv2d
from nnlib.layers.dense import Dense
from nnlib.layers.dropout import Dropout
from nnlib.layers.norm import BatchNorm, LayerNorm
from nnlib.layers.pool import AvgPool2d, Flatten, MaxPool2d

# Last: nnlib.models builds on the layers above (nnlib/__init__.py imports this package first).
from nnlib.models.mlp import mlp  # noqa: E402

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
    "Dropout",
    "BatchNorm",
    "LayerNorm",
    "Sequential",
    "Conv2d",
    "MaxPool2d",
    "AvgPool2d",
    "Flatten",
    "mlp",
    "LAYERS",
    "ACTIVATION_LAYERS",
    "register_layer",
]
