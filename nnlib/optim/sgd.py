r"""Gradient descent: plain :class:`SGD` and :class:`Momentum` (its EMA and classical forms, and Nesterov's).

Nesterov's accelerated gradient is ``Momentum(..., nesterov=True)``, as in
PyTorch's ``SGD(momentum=beta, nesterov=True)``.
"""

from __future__ import annotations

import numpy as np

from nnlib._validation import check_bool, check_choice, check_number
from nnlib.optim.base import Optimizer, zeros_state

__all__ = ["SGD", "Momentum"]


class SGD(Optimizer):
    r"""Plain (mini-batch) gradient descent.

    .. math::

        \theta_t = \theta_{t-1} - \alpha\, g_t

    Parameters
    ----------
    params : dict of str -> ndarray
        Live parameter arrays, updated in place.
    lr : float, default 0.01
        Learning rate :math:`\alpha \ge 0`.

    Examples
    --------
    >>> W = np.array([1.0, 2.0])
    >>> SGD({"W": W}, lr=0.1).step({"W": np.array([1.0, -1.0])})
    >>> W
    array([0.9, 2.1])
    """

    def __init__(self, params, lr: float = 0.01):
        super().__init__(params, lr)

    def _update(self, param, grad, state):
        step = zeros_state(state, "scratch", param)
        np.multiply(grad, self.lr, out=step)
        param -= step  # theta = theta - lr g


class Momentum(Optimizer):
    r"""Gradient descent with momentum (velocity :math:`v`, :math:`v_0 = 0`).

    ``form="ema"`` (default) is the course notes' exponential moving average:

    .. math::

        v_t = \beta v_{t-1} + (1 - \beta)\, g_t, \qquad
        \theta_t = \theta_{t-1} - \alpha\, v_t

    ``form="classical"`` is the heavy-ball form used by PyTorch's
    ``SGD(momentum=beta)`` (with ``dampening=0``) and Keras:

    .. math::

        v_t = \beta v_{t-1} + g_t, \qquad
        \theta_t = \theta_{t-1} - \alpha\, v_t

    The two differ only by the scale of :math:`v`: the EMA velocity is
    :math:`(1-\beta)` times the classical one, so ``Momentum(lr=a, beta=b,
    form="ema")`` takes exactly the steps of ``Momentum(lr=a * (1 - b),
    beta=b, form="classical")``. With :math:`\beta = 0.9` the EMA form
    therefore needs a 10x larger learning rate for the same step size;
    in a steady gradient the classical step approaches
    :math:`\alpha g / (1 - \beta)` and the EMA step :math:`\alpha g`.

    ``nesterov=True`` is Nesterov's accelerated gradient in the form of
    Sutskever et al. (2013) and PyTorch's ``SGD(nesterov=True)``: the step
    uses the gradient *and* the velocity it is about to be carried by,

    .. math::

        v_t = \beta v_{t-1} + g_t, \qquad
        \theta_t = \theta_{t-1} - \alpha\,(g_t + \beta v_t)

    (the EMA form replaces :math:`g_t` by :math:`(1 - \beta) g_t` in both
    places, again the classical steps with :math:`\alpha (1 - \beta)`). This is
    the classical look-ahead method — evaluate the gradient at
    :math:`\theta + \beta \Delta\theta` — written in the variable
    :math:`\theta_t` = look-ahead point, so that :math:`g_t` is the gradient at
    the current parameters.

    Parameters
    ----------
    params : dict of str -> ndarray
        Live parameter arrays, updated in place.
    lr : float, default 0.01
        Learning rate :math:`\alpha \ge 0`.
    beta : float, default 0.9
        Momentum coefficient, :math:`0 \le \beta < 1` (0 gives plain SGD in
        both forms, with or without Nesterov).
    form : {"ema", "classical"}, default "ema"
    nesterov : bool, default False
        Nesterov's accelerated gradient.

    Raises
    ------
    ValueError
        If ``lr < 0``, ``beta`` is outside ``[0, 1)`` or ``form`` is unknown.
    TypeError
        If ``nesterov`` is not a bool.

    Examples
    --------
    Two steps of Nesterov's method with :math:`\alpha = 0.1`, :math:`\beta = 0.9`:
    :math:`v_1 = 2`, :math:`\theta_1 = 1 - 0.1\,(2 + 0.9 \cdot 2) = 0.62`.

    >>> w = np.array([1.0])
    >>> opt = Momentum({"w": w}, lr=0.1, beta=0.9, form="classical", nesterov=True)
    >>> opt.step({"w": np.array([2.0])})
    >>> w
    array([0.62])
    """

    FORMS = ("ema", "classical")

    def __init__(self, params, lr: float = 0.01, beta: float = 0.9, form: str = "ema", nesterov: bool = False):
        super().__init__(params, lr)
        self.beta = check_number(beta, "beta", low=0.0, high=1.0, high_inclusive=False)
        self.form = check_choice(form, "form", self.FORMS)
        self.nesterov = check_bool(nesterov, "nesterov")

    def _update(self, param, grad, state):
        v = zeros_state(state, "v", param)
        tmp = zeros_state(state, "scratch", param)
        g_scale = 1.0 - self.beta if self.form == "ema" else 1.0
        v *= self.beta
        np.multiply(grad, g_scale, out=tmp)
        v += tmp  # v = beta v + g   (EMA form: + (1 - beta) g)
        if self.nesterov:
            tmp *= self.lr
            param -= tmp  # theta = theta - lr g  (EMA form: lr (1 - beta) g) ...
            np.multiply(v, self.lr * self.beta, out=tmp)
            param -= tmp  # ... - lr beta v
        else:
            np.multiply(v, self.lr, out=tmp)
            param -= tmp  # theta = theta - lr v

    def _hyperparameters(self):
        return {"lr": self.lr, "beta": self.beta, "form": self.form, "nesterov": self.nesterov}
