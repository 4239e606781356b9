r"""Optimizers: gradient-based update rules over *named* parameters.

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

Gradient clipping by global norm is the separate function :func:`clip_grad_norm`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from nnlib._validation import check_choice, check_number

__all__ = [
    "Optimizer",
    "SGD",
    "Momentum",
    "RMSprop",
    "Adam",
    "clip_grad_norm",
    "global_norm",
]


def _check_param_dict(params, name: str = "params") -> dict:
    """Validate a dict name -> float ndarray (live arrays; never copied or converted)."""
    if not isinstance(params, Mapping):
        hint = " (pass model.parameters())" if hasattr(params, "parameters") else ""
        raise TypeError(
            f"{name}: expected a dict mapping names to arrays{hint}, got {type(params).__name__}"
        )
    out = {}
    for key, value in params.items():
        if not isinstance(key, str):
            raise TypeError(f"{name}: expected string names, got key {key!r}")
        if not isinstance(value, np.ndarray):
            raise TypeError(
                f"{name}[{key!r}]: expected a NumPy array (updated in place), "
                f"got {type(value).__name__}"
            )
        if value.dtype not in (np.float32, np.float64):
            raise TypeError(
                f"{name}[{key!r}]: expected a float32 or float64 array, got dtype {value.dtype}"
            )
        out[key] = value
    if not out:
        raise ValueError(f"{name}: expected at least one parameter, got an empty dict")
    return out


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
        Learning rate :math:`\alpha > 0`. May be changed between steps
        (``opt.lr = 0.01``); the new value is validated.

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
        If ``params`` is empty or ``lr <= 0``.
    """

    def __init__(self, params, lr: float):
        self.params = _check_param_dict(params)
        self.lr = lr
        self.state: dict[str, dict] = {name: {} for name in self.params}
        self.t = 0

    @property
    def lr(self) -> float:
        """Learning rate :math:`\\alpha` (validated, > 0)."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = check_number(value, "lr", low=0.0, low_inclusive=False)

    def _check_grads(self, grads) -> dict:
        grads = _check_param_dict(grads, "grads")
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


def _buffer(state: dict, key: str, like: np.ndarray) -> np.ndarray:
    """Return ``state[key]``, creating it as zeros shaped like ``like`` on first use."""
    if key not in state:
        state[key] = np.zeros_like(like)
    return state[key]


class SGD(Optimizer):
    r"""Plain (mini-batch) gradient descent.

    .. math::

        \theta_t = \theta_{t-1} - \alpha\, g_t

    Parameters
    ----------
    params : dict of str -> ndarray
        Live parameter arrays, updated in place.
    lr : float, default 0.01
        Learning rate :math:`\alpha > 0`.

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
        step = _buffer(state, "scratch", param)
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

    Parameters
    ----------
    params : dict of str -> ndarray
        Live parameter arrays, updated in place.
    lr : float, default 0.01
        Learning rate :math:`\alpha > 0`.
    beta : float, default 0.9
        Momentum coefficient, :math:`0 \le \beta < 1` (0 gives plain SGD in
        both forms).
    form : {"ema", "classical"}, default "ema"

    Raises
    ------
    ValueError
        If ``lr <= 0``, ``beta`` is outside ``[0, 1)`` or ``form`` is unknown.
    """

    FORMS = ("ema", "classical")

    def __init__(self, params, lr: float = 0.01, beta: float = 0.9, form: str = "ema"):
        super().__init__(params, lr)
        self.beta = check_number(beta, "beta", low=0.0, high=1.0, high_inclusive=False)
        self.form = check_choice(form, "form", self.FORMS)

    def _update(self, param, grad, state):
        v = _buffer(state, "v", param)
        tmp = _buffer(state, "scratch", param)
        v *= self.beta
        if self.form == "ema":
            np.multiply(grad, 1.0 - self.beta, out=tmp)
            v += tmp  # v = beta v + (1 - beta) g
        else:
            v += grad  # v = beta v + g
        np.multiply(v, self.lr, out=tmp)
        param -= tmp  # theta = theta - lr v

    def _hyperparameters(self):
        return {"lr": self.lr, "beta": self.beta, "form": self.form}


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
        s = _buffer(state, "s", param)
        tmp = _buffer(state, "scratch", param)
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
        m = _buffer(state, "m", param)
        v = _buffer(state, "v", param)
        tmp = _buffer(state, "scratch", param)
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


def clip_grad_norm(grads, max_norm: float) -> float:
    r"""Rescale gradients in place so that their *global* L2 norm is at most ``max_norm``.

    .. math::

        \|g\| = \sqrt{\sum_{k} \sum_{i} g_{k,i}^2}, \qquad
        g_k \leftarrow g_k \cdot \frac{c}{\|g\|} \quad \text{if } \|g\| > c

    where :math:`k` runs over all arrays in ``grads`` and :math:`c` is
    ``max_norm``. The direction of the full gradient is kept; only its length
    changes. Gradients already within the bound are left untouched.

    Parameters
    ----------
    grads : dict of str -> ndarray
        Gradient arrays (e.g. ``model.gradients()``), modified in place.
    max_norm : float
        :math:`c > 0`.

    Returns
    -------
    total_norm : float
        :math:`\|g\|` *before* clipping. If it is NaN or inf the gradients are
        left unchanged (scaling cannot repair them); callers such as
        :func:`nnlib.training.fit` check it and stop.

    Raises
    ------
    TypeError
        If ``grads`` is not a dict of float arrays.
    ValueError
        If ``max_norm <= 0``.

    Examples
    --------
    >>> g = {"W": np.array([3.0, 0.0]), "b": np.array([4.0])}
    >>> clip_grad_norm(g, 1.0)
    5.0
    >>> g["W"], g["b"]
    (array([0.6, 0. ]), array([0.8]))
    """
    max_norm = check_number(max_norm, "max_norm", low=0.0, low_inclusive=False)
    total_norm = global_norm(grads)
    if math.isfinite(total_norm) and total_norm > max_norm:
        scale = max_norm / total_norm
        for g in grads.values():
            g *= scale
    return total_norm


def global_norm(grads) -> float:
    r"""The global L2 norm of a dict of gradient arrays (what :func:`clip_grad_norm` bounds).

    .. math::

        \|g\| = \sqrt{\sum_{k} \sum_{i} g_{k,i}^2}

    Parameters
    ----------
    grads : dict of str -> ndarray

    Returns
    -------
    float
        NaN or inf if an entry is, or if the sum of squares overflows.
    """
    grads = _check_param_dict(grads, "grads")
    squares = 0.0
    for g in grads.values():
        flat = g.reshape(-1)
        squares += float(np.dot(flat, flat))
    return math.sqrt(squares)
