r"""Adaptive learning rates: per-coordinate step sizes from running gradient statistics.

:class:`RMSprop` divides by a running RMS of the gradient; :class:`Adam` adds
momentum and bias correction. AdaGrad and AdamW (decoupled weight decay) belong
here too.
"""

from __future__ import annotations

import numpy as np

from nnlib._validation import check_number
from nnlib.optim.base import Optimizer, zeros_state

__all__ = ["RMSprop", "Adam"]


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
        Learning rate :math:`\alpha > 0`.
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
        np.sqrt(s, out=tmp)
        tmp += self.eps  # sqrt(s) + eps
        np.divide(grad, tmp, out=tmp)
        tmp *= self.lr
        param -= tmp  # theta = theta - lr g / (sqrt(s) + eps)

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
        Learning rate :math:`\alpha > 0`.
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
