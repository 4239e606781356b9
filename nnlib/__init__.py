"""nnlib: a small, fully gradient-checked NumPy neural-network library.

It is the library behind the book *Neural Networks from First Principles*. Only NumPy
is imported; the chapter helpers in :mod:`nnlib.book` need the ``book`` extra
(SymPy, matplotlib, ipywidgets) and are not imported here.

Conventions
-----------
* A batch is a stack of rows: features ``(N, D)``, images ``(N, C, H, W)``,
  sequences ``(N, T, D)``; the first axis always indexes the examples.
* ``float64`` by default; ``float32`` when asked for, and then kept (nothing is
  converted silently between the two). Integer input becomes ``float64``.
* Every operation is a pair ``y, cache = op_forward(x, ...)`` /
  ``dx, grads = op_backward(dy, cache)``. An op with several outputs returns a
  tuple ``(y1, y2)`` and its backward takes a tuple of upstream gradients
  ``(dy1, dy2)``; an op with several data inputs returns a tuple of their
  gradients (see :mod:`nnlib.functional`).
* Layers hold children; ``parameters()`` / ``gradients()`` / ``buffers()``
  name arrays by dotted path (``"encoder.lstm.W_x"``), see :mod:`nnlib.layers`.
* Every random function takes ``rng`` (a ``numpy.random.Generator``, an int
  seed or ``None``); NumPy's global random state is never touched.
* Bad input raises ``ValueError`` / ``TypeError`` naming what was expected and
  what came.

Packages and modules
--------------------
functional      forward/backward pairs, one module per family (dense, activation, softmax, ...)
layers          the Layer protocol, Sequential, Dense and activation layers
models          model builders (``mlp``)
optim           SGD, Momentum, RMSprop, Adam, gradient clipping
training        Trainer (validated once; one batch or epoch per call), fit, evaluate, predict, callbacks
data            toy data sets and utilities (split, one-hot, standardize, minibatches)
activations     elementwise activation functions and their derivatives
losses          losses on logits or probabilities, returning the mean loss and its gradient
init            weight initializers (Glorot, He, LeCun) with explicit fan-in/fan-out
regularization  L1 and L2 penalties on the parameters layers declare
gradcheck       centred finite-difference gradient checks (several outputs and inputs too)
metrics         accuracy, precision, recall, F1, confusion matrix, regression errors
perceptron      Rosenblatt's perceptron and Novikoff's mistake bound
io              save and load models (.npz + JSON, never pickle)
"""

__version__ = "0.1.0"

# Order matters once: ``layers`` is imported before ``models`` (nnlib.layers re-exports models.mlp).
from . import (  # noqa: E402  (io records __version__ in saved files)
    activations,
    functional,
    init,
    layers,
    models,
    losses,
    optim,
    regularization,
    training,
    gradcheck,
    metrics,
    data,
    perceptron,
    io,
)

__all__ = [
    "activations", "data", "functional", "gradcheck", "init", "io", "layers", "losses", "metrics", "models",
    "optim", "perceptron", "regularization", "training", "__version__",
]
