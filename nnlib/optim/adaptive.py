r"""Adaptive learning rates: per-coordinate step sizes from running gradient statistics.

:class:`AdaGrad` divides by the root of the *sum* of all squared gradients so
far; :class:`RMSprop` by a running RMS of the gradient; :class:`Adam` adds
momentum and bias correction; :class:`AdamW` is Adam with decoupled weight
decay, applied to the parameters the layers declare.
"""

from __future__ import annotations

import numpy as np

from collections.abc import Mapping

from nnlib._validation import check_number, describe
from nnlib.optim.base import Optimizer, zeros_state

__all__ = ["AdaGrad", "RMSprop", "Adam", "AdamW"]


def _divided_step(param, grad, s, tmp, lr: float, eps: float) -> None:
    """``param -= lr * grad / (sqrt(s) + eps)`` in place, with ``tmp`` as the workspace."""
    np.sqrt(s, out=tmp)
    tmp += eps  # sqrt(s) + eps
    np.divide(grad, tmp, out=tmp)
    tmp *= lr
    param -= tmp  # theta = theta - lr g / (sqrt(s) + eps)


class AdaGrad(Optimizer):
    r"""AdaGrad (Duchi, Hazan & Singer, 2011): divide by the root of the summed squared gradients.

    .. math::

        s_t = s_{t-1} + g_t^2, \qquad
        \theta_t = \theta_{t-1} - \alpha\, \frac{g_t}{\sqrt{s_t} + \epsilon}

    (elementwise, :math:`s_0` = ``initial_accumulator``). A coordinate that
    has seen large gradients takes small steps; the sum never shrinks, so
    every step size decays like :math:`1/\sqrt{t}` in a steady gradient.
    This is PyTorch's ``Adagrad`` (with ``lr_decay=0``; ``eps`` outside the root).

    Parameters
    ----------
    params : dict of str -> ndarray
        Live parameter arrays, updated in place.
    lr : float, default 0.01
        Learning rate :math:`\alpha \ge 0`.
    eps : float, default 1e-10
        :math:`\epsilon > 0` (PyTorch's default).
    initial_accumulator : float, default 0.0
        :math:`s_0 \ge 0`, the same for every coordinate.

    Raises
    ------
    ValueError
        If a hyperparameter is out of range.

    Examples
    --------
    >>> w = np.array([1.0, 1.0])
    >>> opt = AdaGrad({"w": w}, lr=0.1)
    >>> opt.step({"w": np.array([2.0, -0.01])})   # s = g^2: each coordinate moves by about lr
    >>> w.round(8)
    array([0.9, 1.1])
    """

    def __init__(self, params, lr: float = 0.01, eps: float = 1e-10, initial_accumulator: float = 0.0):
        super().__init__(params, lr)
        self.eps = check_number(eps, "eps", low=0.0, low_inclusive=False)
        self.initial_accumulator = check_number(initial_accumulator, "initial_accumulator", low=0.0)

    def _update(self, param, grad, state):
        if "s" not in state:
            state["s"] = np.full_like(param, self.initial_accumulator)
        s = state["s"]
        tmp = zeros_state(state, "scratch", param)
        np.multiply(grad, grad, out=tmp)
        s += tmp  # s = s + g^2
        _divided_step(param, grad, s, tmp, self.lr, self.eps)

    def _hyperparameters(self):
        return {"lr": self.lr, "eps": self.eps, "initial_accumulator": self.initial_accumulator}


class RMSprop(Optimizer):
    r"""RMSprop (Hinton, Coursera lecture 6e): divide by a running RMS of the gradient.

    .. math::

        s_t = \beta s_{t-1} + (1 - \beta)\, g_t^2, \qquad
        \theta_t = \theta_{t-1} - \alpha\, \frac{g_t}{\sqrt{s_t} + \epsilon}

    (squares, roots and the division are elementwise; :math:`\epsilon` is
    added *outside* the square root, as in PyTorch's ``RMSprop``, whose
    ``alpha`` is this ``beta``; PyTorch's default is 0.99).

    Parameters
    ----------
    params : dict of str -> ndarray
        Live parameter arrays, updated in place.
    lr : float, default 0.001
        Learning rate :math:`\alpha \ge 0`.
    beta : float, default 0.9
        Decay of the squared-gradient average, :math:`0 \le \beta < 1`.
    eps : float, default 1e-8
        :math:`\epsilon > 0`, keeps the division finite.

    Raises
    ------
    ValueError
        If a hyperparameter is out of range.
    """

    def __init__(self, params, lr: float = 0.001, beta: float = 0.9, eps: float = 1e-8):
        super().__init__(params, lr)
        self.beta = check_number(beta, "beta", low=0.0, high=1.0, high_inclusive=False)
        self.eps = check_number(eps, "eps", low=0.0, low_inclusive=False)

    def _update(self, param, grad, state):
        s = zeros_state(state, "s", param)
        tmp = zeros_state(state, "scratch", param)
        np.multiply(grad, grad, out=tmp)
        tmp *= 1.0 - self.beta
        s *= self.beta
        s += tmp  # s = beta s + (1 - beta) g^2
        _divided_step(param, grad, s, tmp, self.lr, self.eps)

    def _hyperparameters(self):
        return {"lr": self.lr, "beta": self.beta, "eps": self.eps}


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015), bias-corrected, exactly as in the course notes.

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \hat m_t &= \frac{m_t}{1 - \beta_1^t}, \qquad
        \hat v_t = \frac{v_t}{1 - \beta_2^t} \\
        \theta_t &= \theta_{t-1} - \alpha\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}

    (elementwise; :math:`\epsilon` outside the square root, as in the paper
    and PyTorch's ``Adam``). On the first step :math:`\hat m_1 = g_1` and
    :math:`\hat v_1 = g_1^2`, so every parameter moves by about
    :math:`\alpha\,\operatorname{sign}(g_1)`.

    Parameters
    ----------
    params : dict of str -> ndarray
        Live parameter arrays, updated in place.
    lr : float, default 0.001
        Learning rate :math:`\alpha \ge 0`.
    beta1 : float, default 0.9
        Decay of the first moment, :math:`0 \le \beta_1 < 1`.
    beta2 : float, default 0.999
        Decay of the second moment, :math:`0 \le \beta_2 < 1`.
    eps : float, default 1e-8
        :math:`\epsilon > 0`.

    Raises
    ------
    ValueError
        If a hyperparameter is out of range.
    """

    def __init__(
        self,
        params,
        lr: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
    ):
        super().__init__(params, lr)
        self.beta1 = check_number(beta1, "beta1", low=0.0, high=1.0, high_inclusive=False)
        self.beta2 = check_number(beta2, "beta2", low=0.0, high=1.0, high_inclusive=False)
        self.eps = check_number(eps, "eps", low=0.0, low_inclusive=False)

    def _update(self, param, grad, state):
        b1, b2, t = self.beta1, self.beta2, self.t
        m = zeros_state(state, "m", param)
        v = zeros_state(state, "v", param)
        tmp = zeros_state(state, "scratch", param)
        np.multiply(grad, 1.0 - b1, out=tmp)
        m *= b1
        m += tmp  # m = b1 m + (1 - b1) g
        np.multiply(grad, grad, out=tmp)
        tmp *= 1.0 - b2
        v *= b2
        v += tmp  # v = b2 v + (1 - b2) g^2
        np.divide(v, 1.0 - b2**t, out=tmp)  # v_hat
        np.sqrt(tmp, out=tmp)
        tmp += self.eps  # sqrt(v_hat) + eps
        np.divide(m, tmp, out=tmp)  # m / (sqrt(v_hat) + eps)
        tmp *= self.lr / (1.0 - b1**t)  # lr * m_hat / (sqrt(v_hat) + eps)
        param -= tmp

    def _hyperparameters(self):
        return {"lr": self.lr, "beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}


class AdamW(Adam):
    r"""AdamW (Loshchilov & Hutter, 2019): Adam with *decoupled* weight decay.

    Each step first shrinks the decayed parameters, then takes Adam's step
    (:class:`Adam`, computed from the gradient of the loss alone):

    .. math::

        \theta_t = (1 - \alpha\lambda)\,\theta_{t-1}
                   - \alpha\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}

    This is PyTorch's ``AdamW``. It is *not* Adam on the loss plus the L2
    penalty :math:`\frac{\lambda}{2}\|\theta\|^2`: that penalty's gradient
    :math:`\lambda\theta` would enter :math:`\hat m_t` and be divided by
    :math:`\sqrt{\hat v_t}`, so large-gradient weights would be decayed less.
    Here every decayed weight shrinks by the same factor :math:`1 - \alpha\lambda`.

    Which parameters decay is declared by the layers (``Layer.regularized``:
    weights, not biases): pass ``decayed=model.regularized_parameters(trainable_only=True)``.
    Without ``decayed`` every parameter decays, as in PyTorch with one parameter group.

    Parameters
    ----------
    params : dict of str -> ndarray
        Live parameter arrays, updated in place.
    lr : float, default 0.001
        Learning rate :math:`\alpha \ge 0`.
    beta1, beta2, eps : float
        As in :class:`Adam`.
    weight_decay : float, default 0.01
        :math:`\lambda \ge 0` (PyTorch's default); :math:`\alpha\lambda` must not exceed 1.
    decayed : dict of str -> ndarray, or iterable of str, optional
        The parameters to decay, by name (a dict such as
        ``model.regularized_parameters()`` must hold the very arrays of ``params``).
        Default: all of ``params``.

    Attributes
    ----------
    decayed : tuple of str
        The names of the decayed parameters.

    Raises
    ------
    ValueError
        If a hyperparameter is out of range, or ``decayed`` names a parameter
        that is not in ``params`` (or holds another array under its name).
    TypeError
        If ``decayed`` is neither a dict nor an iterable of names.

    Examples
    --------
    A parameter whose gradient is zero only decays: :math:`(1 - 0.1 \cdot 0.5)\,\theta`.

    >>> w, b = np.array([2.0]), np.array([2.0])
    >>> opt = AdamW({"W": w, "b": b}, lr=0.1, weight_decay=0.5, decayed=["W"])
    >>> opt.step({"W": np.zeros(1), "b": np.zeros(1)})
    >>> w, b
    (array([1.9]), array([2.]))
    """

    def __init__(self, params, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
                 weight_decay: float = 0.01, decayed=None):
        super().__init__(params, lr, beta1, beta2, eps)
        self.weight_decay = check_number(weight_decay, "weight_decay", low=0.0)
        self.decayed = self._decayed_names(decayed)
        self._check_shrink(self.lr)

    def _decayed_names(self, decayed) -> tuple:
        if decayed is None:
            return tuple(self.params)
        if isinstance(decayed, str) or not (isinstance(decayed, Mapping) or hasattr(decayed, "__iter__")):
            raise TypeError("decayed: expected a dict of parameters (e.g. model.regularized_parameters()) "
                            f"or an iterable of parameter names, got {describe(decayed)}")
        names = tuple(decayed)
        unknown = [name for name in names if name not in self.params]
        if unknown:
            raise ValueError(f"decayed: {unknown} are not among the optimizer's parameters {list(self.params)}")
        if isinstance(decayed, Mapping):
            others = [name for name in names if decayed[name] is not self.params[name]]
            if others:
                raise ValueError(f"decayed: the arrays {others} are not the optimizer's arrays of those names "
                                 "(built from another model?)")
        return names

    def _check_shrink(self, lr: float) -> None:
        if lr * self.weight_decay > 1:
            raise ValueError(f"lr * weight_decay: expected at most 1 (the decay factor 1 - lr * weight_decay would "
                             f"flip the weights' sign), got {lr:g} * {self.weight_decay:g} = {lr * self.weight_decay:g}")

    def step(self, grads) -> None:
        r"""Decay the declared parameters by :math:`1 - \alpha\lambda`, then take Adam's step (see :class:`Adam`).

        Parameters
        ----------
        grads : dict of str -> ndarray
            Gradients of the loss alone, with the keys and shapes of ``params``. Not modified.
        """
        grads = self._check_grads(grads)
        self._check_shrink(self.lr)
        if self.weight_decay:
            shrink = 1.0 - self.lr * self.weight_decay
            for name in self.decayed:
                self.params[name] *= shrink  # theta = (1 - lr lambda) theta
        super().step(grads)

    def _hyperparameters(self):
        return {**super()._hyperparameters(), "weight_decay": self.weight_decay, "decayed": list(self.decayed)}
