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
``step``), ``sgd`` (:class:`SGD`, :class:`Momentum` with its EMA, classical and
Nesterov forms), ``adaptive`` (:class:`AdaGrad`, :class:`RMSprop`,
:class:`Adam`, :class:`AdamW`), ``clip`` (:func:`clip_grad_norm`,
:func:`clip_grad_value`, :func:`global_norm`), and ``schedules``: learning-rate schedules
(:class:`StepDecay`, :class:`CosineDecay`, :class:`LinearWarmup`,
:class:`LambdaSchedule`) whose ``step()`` sets ``optimizer.lr`` between steps.
"""

from nnlib.optim.adaptive import AdaGrad, Adam, AdamW, RMSprop
from nnlib.optim.base import Optimizer
from nnlib.optim.clip import clip_grad_norm, clip_grad_value, global_norm
from nnlib.optim.schedules import CosineDecay, LambdaSchedule, LinearWarmup, LRSchedule, StepDecay
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
    "AdaGrad",
    "AdamW",
    "LRSchedule",
    "StepDecay",
    "CosineDecay",
    "LinearWarmup",
    "LambdaSchedule",
]
