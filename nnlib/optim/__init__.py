r"""Optimizers: gradient-based update rules over *named* parameters, and gradient clipping.

An optimizer is built on the **live** parameter arrays of a model and updates
them **in place**::

    model = mlp([2, 8, 3], "tanh", rng=0)
    opt = Adam(model.parameters(trainable_only=True), lr=1e-2)
    ...                                   # zero_grad, forward, loss, backward
    opt.step(model.gradients(trainable_only=True))

Where the optimizers live
-------------------------
``base`` (:class:`Optimizer`: parameters, learning rate, per-parameter state,
``step``), ``sgd`` (:class:`SGD`, :class:`Momentum`; Nesterov goes here),
``adaptive`` (:class:`RMSprop`, :class:`Adam`; AdaGrad and AdamW go here),
``clip`` (:func:`clip_grad_norm`, :func:`clip_grad_value`, :func:`global_norm`). Learning-rate
schedules, which change ``optimizer.lr`` between steps, get a module
``schedules`` of their own.
"""

from nnlib.optim.adaptive import Adam, RMSprop
from nnlib.optim.base import Optimizer
from nnlib.optim.clip import clip_grad_norm, clip_grad_value, global_norm
from nnlib.optim.sgd import SGD, Momentum

__all__ = [
    "Optimizer",
    "SGD",
    "Momentum",
    "RMSprop",
    "Adam",
    "clip_grad_norm",
    "clip_grad_value",
    "global_norm",
]
