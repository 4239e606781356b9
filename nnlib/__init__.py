"""nnlib: a small, fully gradient-checked NumPy neural-network library.

It is the library behind the book *Neural Networks from First Principles*. Only NumPy
is imported; the chapter helpers in :mod:`nnlib.book` need the ``book`` extra
(SymPy, matplotlib, ipywidgets) and are not imported here.

Modules
-------
activations     elementwise activation functions and their derivatives
functional      forward/backward pairs: ``op_forward(x) -> (y, cache)``, ``op_backward(dy, cache) -> (dx, grads)``
losses          losses on logits or probabilities, returning the mean loss and its gradient
init            weight initializers (Glorot, He, LeCun) with explicit fan-in/fan-out
layers          Dense and activation layers, Sequential, the ``mlp`` constructor
optim           SGD, Momentum, RMSprop, Adam, gradient clipping
regularization  L1 and L2 penalties
training        fit / evaluate / predict, callbacks, early stopping
gradcheck       centred finite-difference gradient checks
metrics         accuracy, precision, recall, F1, confusion matrix, regression errors
data            toy data sets and utilities (split, one-hot, standardize, minibatches)
perceptron      Rosenblatt's perceptron and Novikoff's mistake bound
io              save and load models (.npz + JSON, never pickle)
"""

__version__ = "0.1.0"

from . import (  # noqa: E402  (io records __version__ in saved files)
    activations,
    data,
    functional,
    gradcheck,
    init,
    io,
    layers,
    losses,
    metrics,
    optim,
    perceptron,
    regularization,
    training,
)

__all__ = [
    "activations", "data", "functional", "gradcheck", "init", "io", "layers", "losses",
    "metrics", "optim", "perceptron", "regularization", "training", "__version__",
]
