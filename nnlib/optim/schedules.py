r"""Learning-rate schedules: objects whose :meth:`~LRSchedule.step` sets ``optimizer.lr``.

A schedule works with any optimizer of :mod:`nnlib.optim`. It remembers the
optimizer's learning rate when it is built, :math:`\alpha_0` (``base_lr``),
sets the rate of step :math:`t = 0` at once, and each call of
:meth:`~LRSchedule.step` advances :math:`t` by one and sets
:math:`\alpha_t = \alpha_0 \, f(t)`::

    opt = SGD(model.parameters(), lr=0.1)
    schedule = CosineDecay(opt, total_steps=40, warmup_steps=4)
    for epoch in range(40):
        trainer.run_epoch()        # every batch of the epoch uses opt.lr
        schedule.step()            # the rate of the next epoch

Whether :math:`t` counts epochs or batches is up to the caller (call ``step``
once per epoch, or once per batch). The semantics are PyTorch's
``torch.optim.lr_scheduler``: :class:`StepDecay` is ``StepLR``,
:class:`CosineDecay` (without warm-up) ``CosineAnnealingLR`` for
:math:`t \le T`, :class:`LinearWarmup` ``LinearLR`` and :class:`LambdaSchedule`
``LambdaLR``. Set ``opt.lr`` by hand only through a schedule's ``base_lr``:
the next ``step`` overwrites it.
"""

from __future__ import annotations

import math

from nnlib._validation import check_number, describe
from nnlib.optim.base import Optimizer

__all__ = ["LRSchedule", "StepDecay", "CosineDecay", "LinearWarmup", "LambdaSchedule"]


class LRSchedule:
    r"""Base class: :math:`\alpha_t = \alpha_0\, f(t)`; subclasses implement the factor :meth:`factor`.

    Parameters
    ----------
    optimizer : Optimizer
        Its current ``lr`` becomes ``base_lr`` :math:`\alpha_0`; it is then set to
        :math:`\alpha_0 f(0)`.

    Attributes
    ----------
    optimizer : Optimizer
    base_lr : float
        :math:`\alpha_0`.
    t : int
        Calls of :meth:`step` so far.

    Raises
    ------
    TypeError
        If ``optimizer`` is not an nnlib optimizer.
    """

    def __init__(self, optimizer):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"optimizer: expected an nnlib.optim optimizer (e.g. SGD), got {describe(optimizer)}")
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.t = 0
        self.optimizer.lr = self.lr_at(0)

    def factor(self, t: int) -> float:
        """The factor :math:`f(t)` by which ``base_lr`` is multiplied at step ``t``."""
        raise NotImplementedError(f"{type(self).__name__} does not implement factor(t)")

    def lr_at(self, t: int) -> float:
        r"""The learning rate :math:`\alpha_0 f(t)` of step ``t`` (does not change the optimizer).

        Parameters
        ----------
        t : int
            A step, :math:`t \ge 0`.
        """
        t = check_number(t, "t", low=0, integer=True)
        return self.base_lr * self.factor(t)

    def step(self) -> float:
        """Advance to the next step and set ``optimizer.lr`` to its rate; return that rate."""
        self.t += 1
        self.optimizer.lr = self.lr_at(self.t)
        return self.optimizer.lr

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_lr={self.base_lr:g}, t={self.t}, lr={self.optimizer.lr:g})"


class StepDecay(LRSchedule):
    r"""Multiply the rate by :math:`\gamma` every ``step_size`` steps (PyTorch's ``StepLR``).

    .. math::

        \alpha_t = \alpha_0\, \gamma^{\lfloor t / s \rfloor}

    Parameters
    ----------
    optimizer : Optimizer
    step_size : int
        :math:`s \ge 1` steps between two decays.
    gamma : float, default 0.1
        :math:`\gamma > 0` (below 1 to decay).

    Examples
    --------
    >>> import numpy as np
    >>> from nnlib.optim import SGD
    >>> opt = SGD({"w": np.zeros(1)}, lr=1.0)
    >>> schedule = StepDecay(opt, step_size=2, gamma=0.5)
    >>> [opt.lr] + [schedule.step() for _ in range(4)]
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __init__(self, optimizer, step_size: int, gamma: float = 0.1):
        self.step_size = check_number(step_size, "step_size", low=1, integer=True)
        self.gamma = check_number(gamma, "gamma", low=0.0, low_inclusive=False)
        super().__init__(optimizer)

    def factor(self, t: int) -> float:
        return self.gamma ** (t // self.step_size)


def _warmup_factor(t: int, warmup_steps: int, start_factor: float) -> float:
    """The linear ramp from ``start_factor`` at t = 0 to 1 at t = ``warmup_steps`` (1 after)."""
    if t >= warmup_steps:
        return 1.0
    return start_factor + (1.0 - start_factor) * t / warmup_steps


class LinearWarmup(LRSchedule):
    r"""Raise the rate linearly for ``warmup_steps`` steps, then keep it (PyTorch's ``LinearLR``).

    .. math::

        \alpha_t = \alpha_0 \Bigl(f_0 + (1 - f_0)\,\frac{\min(t, W)}{W}\Bigr)

    Large early steps, taken while the optimizer's statistics (Adam's
    :math:`\hat v`, a batch-norm layer's) are still poor, can throw the
    parameters far off; a warm-up starts small.

    Parameters
    ----------
    optimizer : Optimizer
    warmup_steps : int
        :math:`W \ge 1`.
    start_factor : float, default 0.0
        :math:`f_0 \in [0, 1]`, the factor at :math:`t = 0` (PyTorch needs it above 0).
    """

    def __init__(self, optimizer, warmup_steps: int, start_factor: float = 0.0):
        self.warmup_steps = check_number(warmup_steps, "warmup_steps", low=1, integer=True)
        self.start_factor = check_number(start_factor, "start_factor", low=0.0, high=1.0)
        super().__init__(optimizer)

    def factor(self, t: int) -> float:
        return _warmup_factor(t, self.warmup_steps, self.start_factor)


class CosineDecay(LRSchedule):
    r"""Half a cosine from ``base_lr`` down to ``min_lr`` over ``total_steps``, after an optional warm-up.

    Without warm-up (:math:`W = 0`) this is PyTorch's ``CosineAnnealingLR`` with
    ``T_max`` :math:`= T` and ``eta_min`` :math:`= \alpha_\text{min}`:

    .. math::

        \alpha_t = \alpha_\text{min} + (\alpha_0 - \alpha_\text{min})\,
                   \frac{1 + \cos\bigl(\pi\, (t - W) / (T - W)\bigr)}{2}, \qquad W \le t \le T,

    and :math:`\alpha_t = \alpha_\text{min}` after :math:`T` (PyTorch's recursion
    would climb back up). With :math:`W > 0` the first :math:`W` steps ramp up
    linearly as in :class:`LinearWarmup` (from :math:`f_0 \alpha_0`).

    Parameters
    ----------
    optimizer : Optimizer
    total_steps : int
        :math:`T`, the step at which the rate reaches ``min_lr``; :math:`T > W`.
    min_lr : float, default 0.0
        :math:`0 \le \alpha_\text{min} \le \alpha_0`.
    warmup_steps : int, default 0
        :math:`W \ge 0`.
    start_factor : float, default 0.0
        :math:`f_0 \in [0, 1]`, the warm-up's factor at :math:`t = 0`.

    Examples
    --------
    >>> import numpy as np
    >>> from nnlib.optim import SGD
    >>> opt = SGD({"w": np.zeros(1)}, lr=1.0)
    >>> schedule = CosineDecay(opt, total_steps=4)
    >>> [round(schedule.lr_at(t), 4) for t in range(6)]
    [1.0, 0.8536, 0.5, 0.1464, 0.0, 0.0]
    """

    def __init__(self, optimizer, total_steps: int, min_lr: float = 0.0, warmup_steps: int = 0,
                 start_factor: float = 0.0):
        self.warmup_steps = check_number(warmup_steps, "warmup_steps", low=0, integer=True)
        self.total_steps = check_number(total_steps, "total_steps", low=self.warmup_steps + 1, integer=True)
        self.start_factor = check_number(start_factor, "start_factor", low=0.0, high=1.0)
        self.min_lr = check_number(min_lr, "min_lr", low=0.0, high=optimizer.lr if isinstance(optimizer, Optimizer)
                                   else None)
        super().__init__(optimizer)

    def factor(self, t: int) -> float:
        if t < self.warmup_steps:
            return _warmup_factor(t, self.warmup_steps, self.start_factor)
        progress = min(1.0, (t - self.warmup_steps) / (self.total_steps - self.warmup_steps))
        floor = self.min_lr / self.base_lr if self.base_lr else 0.0
        return floor + (1.0 - floor) * (1.0 + math.cos(math.pi * progress)) / 2.0


class LambdaSchedule(LRSchedule):
    r"""Any factor you write: :math:`\alpha_t = \alpha_0\, f(t)` (PyTorch's ``LambdaLR``).

    Parameters
    ----------
    optimizer : Optimizer
    factor : callable
        ``factor(t) -> float`` for ``t = 0, 1, 2, ...``; must return a finite number
        :math:`\ge 0` (checked when the rate is set).

    Examples
    --------
    An inverse-square-root decay:

    >>> import numpy as np
    >>> from nnlib.optim import SGD
    >>> opt = SGD({"w": np.zeros(1)}, lr=0.5)
    >>> schedule = LambdaSchedule(opt, lambda t: 1 / (1 + t) ** 0.5)
    >>> schedule.step(), schedule.step()
    (0.35355339059327373, 0.2886751345948129)
    """

    def __init__(self, optimizer, factor):
        if not callable(factor):
            raise TypeError(f"factor: expected a function of the step t, got {describe(factor)}")
        self._factor = factor
        super().__init__(optimizer)

    def factor(self, t: int) -> float:
        value = self._factor(t)
        return check_number(value, f"factor({t})", low=0.0)
