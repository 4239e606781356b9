r"""The base of every optimizer: named parameters, a learning rate, per-parameter state.

An optimizer is built on the **live** parameter arrays of a model and updates
them **in place**, so the model sees every step without copying::

    model = mlp([2, 8, 3], "tanh", rng=0)
    opt = Adam(model.parameters(trainable_only=True), lr=1e-2)
    ...                                   # zero_grad, forward, loss, backward
    opt.step(model.gradients(trainable_only=True))

``params`` and ``grads`` are dicts with the same keys (``"0.W"``, ``"0.b"``,
...). Per-parameter state (velocities, moment estimates) is kept in
``optimizer.state[name]`` and persists across calls to :meth:`Optimizer.step`,
so calling :func:`nnlib.training.fit` repeatedly (one epoch at a time) with the
same optimizer continues the momentum/Adam trajectory. :meth:`Optimizer.reset`
forgets it.

Notation: :math:`\theta` a parameter, :math:`g_t = \nabla_\theta J(\theta_{t-1})`
its gradient at step :math:`t = 1, 2, \dots`, :math:`\alpha` the learning
rate ``lr``. All state starts at zero.
"""

from __future__ import annotations

import numpy as np

from nnlib._validation import check_named_arrays, check_number

__all__ = ["Optimizer"]


def zeros_state(state: dict, key: str, like: np.ndarray) -> np.ndarray:
    """Return ``state[key]``, creating it as zeros shaped like ``like`` on first use."""
    if key not in state:
        state[key] = np.zeros_like(like)
    return state[key]


class Optimizer:
    r"""Base class: named parameters, a learning rate and per-parameter state.

    Subclasses implement :meth:`_update` for one parameter; :meth:`step`
    validates the gradients, increments the step counter :math:`t` and calls
    :meth:`_update` for every parameter.

    Parameters
    ----------
    params : dict of str -> ndarray
        The live parameter arrays (e.g. ``model.parameters(trainable_only=True)``).
        They are updated in place; the dict is copied, the arrays are not.
    lr : float
        Learning rate :math:`\alpha \ge 0` (0 takes steps of length zero, as
        in PyTorch; a schedule may end there). May be changed between steps
        (``opt.lr = 0.01``, or by a schedule, :class:`~nnlib.optim.LRSchedule`);
        the new value is validated.

    Attributes
    ----------
    params : dict of str -> ndarray
    state : dict of str -> dict
        Per-parameter state, e.g. ``state["0.W"]["v"]`` for :class:`Momentum`.
    t : int
        Number of steps taken so far.

    Raises
    ------
    TypeError
        If ``params`` is not a dict of float arrays.
    ValueError
        If ``params`` is empty or ``lr`` is negative (or not finite).
    """

    def __init__(self, params, lr: float):
        self.params = check_named_arrays(params)
        self.lr = lr
        self.state: dict[str, dict] = {name: {} for name in self.params}
        self.t = 0

    @property
    def lr(self) -> float:
        """Learning rate :math:`\\alpha` (validated, >= 0)."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = check_number(value, "lr", low=0.0)

    def _check_grads(self, grads) -> dict:
        grads = check_named_arrays(grads, "grads")
        missing = [k for k in self.params if k not in grads]
        extra = [k for k in grads if k not in self.params]
        if missing or extra:
            raise ValueError(
                "grads: expected exactly the optimizer's parameter names "
                f"{list(self.params)}; missing {missing}, unexpected {extra}"
            )
        for key, p in self.params.items():
            if grads[key].shape != p.shape:
                raise ValueError(
                    f"grads[{key!r}]: expected shape {p.shape} (the parameter's), "
                    f"got shape {grads[key].shape}"
                )
        return grads

    def step(self, grads) -> None:
        """Apply one update to every parameter, in place.

        Parameters
        ----------
        grads : dict of str -> ndarray
            Gradients with exactly the keys and shapes of ``params``
            (e.g. ``model.gradients(trainable_only=True)``). Not modified.

        Raises
        ------
        TypeError, ValueError
            If a name is missing or extra, or a shape differs (nothing is
            updated in that case).
        """
        grads = self._check_grads(grads)
        self.t += 1
        for name, param in self.params.items():
            self._update(param, grads[name], self.state[name])

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        """Forget all state (velocities, moments) and set :math:`t = 0`."""
        self.state = {name: {} for name in self.params}
        self.t = 0

    def _hyperparameters(self) -> dict:
        return {"lr": self.lr}

    def __repr__(self) -> str:
        hp = ", ".join(f"{k}={v!r}" for k, v in self._hyperparameters().items())
        return f"{type(self).__name__}({len(self.params)} parameters, {hp})"
