r"""The activation chapter's experiment: a batch sent up a deep stack of random layers, a gradient sent down.

A stack of random dense layers, each followed by the same activation, gets a
batch of standard-normal inputs; a random upstream gradient is sent back from
the top. :func:`run_deep_stack` records the pre-activations, activations and
backpropagated gradients of every layer, using nnlib's own
:class:`~nnlib.layers.Dense` and activation layers. Layer :math:`l` computes

.. math::

    Z^{(l)} = A^{(l-1)} \bigl(s\,W^{(l)}\bigr) + b\,\mathbf 1^\top, \qquad
    A^{(l)} = f\bigl(Z^{(l)}\bigr), \qquad A^{(0)} = X \sim \mathcal N(0, 1),

with :math:`W^{(l)}` drawn by the chosen initializer, :math:`s` the *scale*
and :math:`b` the *shift*. Going down, with :math:`G \sim \mathcal N(0, 1)`
the gradient arriving at the top,

.. math::

    \delta^{(L)} = G \odot f'\bigl(Z^{(L)}\bigr), \qquad
    \delta^{(l)} = \bigl(\delta^{(l+1)} (s W^{(l+1)})^\top\bigr) \odot f'\bigl(Z^{(l)}\bigr).

Initializer variances (``fan_in = fan_out = width``):
``"glorot_normal"`` :math:`2/(n_\text{in} + n_\text{out})`,
``"he_normal"`` :math:`2/n_\text{in}`, ``"standard_normal"`` :math:`1`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nnlib import activations as act
from nnlib import layers
from nnlib.book.validation import as_rng, check_number, check_option

__all__ = [
    "ACTIVATION_LAYERS",
    "ACTIVATION_LABELS",
    "INIT_CHOICES",
    "DeepStackRun",
    "build_stack",
    "run_deep_stack",
]

#: Activation name -> (layer factory, f, f'), the leaky ReLU with nnlib's default alpha = 0.01.
ACTIVATION_LAYERS = {
    "sigmoid": (layers.Sigmoid, act.sigmoid, act.sigmoid_derivative),
    "tanh": (layers.Tanh, act.tanh, act.tanh_derivative),
    "relu": (layers.ReLU, act.relu, act.relu_derivative),
    "leaky_relu": (layers.LeakyReLU, act.leaky_relu, act.leaky_relu_derivative),
}

#: Initializer label -> (name, variance of W as a function of (fan_in, fan_out)).
INIT_CHOICES = {
    "glorot_normal": ("Glorot normal", lambda fan_in, fan_out: 2.0 / (fan_in + fan_out)),
    "he_normal": ("He normal", lambda fan_in, fan_out: 2.0 / fan_in),
    "standard_normal": ("N(0, 1)", lambda fan_in, fan_out: 1.0),
}

ACTIVATION_LABELS = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU"}

MAX_DEPTH = 50
MAX_WIDTH = 512
MAX_EXAMPLES = 4096


@dataclass
class DeepStackRun:
    """What one forward and backward pass through a random stack recorded.

    Attributes
    ----------
    activation, init : str
        The names used.
    scale, shift : float
        Weight multiplier and the constant added to every pre-activation.
    pre_activations, activations, gradients : list of ndarray, each (n, width)
        :math:`Z^{(l)}`, :math:`A^{(l)}` and :math:`\\delta^{(l)} = \\partial L/\\partial Z^{(l)}`
        for layers :math:`l = 1, \\dots, L` (index 0 is the first layer).
    """

    activation: str
    init: str
    scale: float
    shift: float
    pre_activations: list = field(repr=False)
    activations: list = field(repr=False)
    gradients: list = field(repr=False)

    @property
    def depth(self) -> int:
        """Number of layers :math:`L`."""
        return len(self.activations)

    @property
    def activation_std(self) -> np.ndarray:
        """Standard deviation of :math:`A^{(l)}` over the batch and the units, shape (L,)."""
        return np.array([a.std() for a in self.activations])

    @property
    def gradient_std(self) -> np.ndarray:
        """Standard deviation of :math:`\\delta^{(l)}` over the batch and the units, shape (L,)."""
        return np.array([g.std() for g in self.gradients])

    @property
    def saturated_fraction(self) -> np.ndarray:
        """Share of entries with :math:`|f'(Z^{(l)})| < 0.01` in each layer, shape (L,)."""
        df = ACTIVATION_LAYERS[self.activation][2]
        return np.array([np.mean(np.abs(df(z)) < 0.01) for z in self.pre_activations])


def _check_settings(activation, depth, scale, shift, init, width, n):
    activation = check_option(activation, "activation", ACTIVATION_LAYERS)
    init = check_option(init, "init", INIT_CHOICES)
    depth = check_number(depth, "depth", low=1, high=MAX_DEPTH, integer=True)
    scale = check_number(scale, "scale", low=0.0, low_inclusive=False, high=100.0)
    shift = check_number(shift, "shift", low=-100.0, high=100.0)
    width = check_number(width, "width", low=1, high=MAX_WIDTH, integer=True)
    n = check_number(n, "n", low=1, high=MAX_EXAMPLES, integer=True)
    return activation, depth, scale, shift, init, width, n


def build_stack(activation: str, depth: int, *, scale: float = 1.0, shift: float = 0.0,
                init: str = "glorot_normal", width: int = 64, rng=None) -> list:
    """The list of layers ``[Dense, act, Dense, act, ...]`` of a random stack.

    The weights come from ``init`` (``"standard_normal"`` draws N(0, 1) entries)
    and are then multiplied by ``scale``; every bias is set to ``shift``.
    Layers are drawn in order from ``rng``, so a deeper stack with the same
    seed starts with the same layers.
    """
    rng = as_rng(rng)
    layer_factory = ACTIVATION_LAYERS[activation][0]
    stack = []
    for _ in range(depth):
        if init == "standard_normal":
            dense = layers.Dense(width, width, init="zeros")
            dense.params["W"][:] = rng.standard_normal((width, width))
        else:
            dense = layers.Dense(width, width, init=init, rng=rng)
        dense.params["W"] *= scale
        dense.params["b"][:] = shift
        stack += [dense, layer_factory()]
    return stack


def run_deep_stack(activation: str = "sigmoid", *, depth: int = 10, scale: float = 1.0, shift: float = 0.0,
                   init: str = "glorot_normal", width: int = 64, n: int = 256, rng=0) -> DeepStackRun:
    """Send a batch up and a random gradient down a stack of random layers.

    Parameters
    ----------
    activation : {"sigmoid", "tanh", "relu", "leaky_relu"}
        The activation after every dense layer (leaky ReLU with alpha = 0.01).
    depth : int, 1 to 50
        Number of dense + activation layers.
    scale : float, > 0
        Every weight matrix is multiplied by it (its variance by ``scale**2``).
    shift : float
        Every bias, i.e. the constant added to every pre-activation.
    init : {"glorot_normal", "he_normal", "standard_normal"}
        Initializer of the weights before scaling.
    width : int
        Units per layer (and input features).
    n : int
        Examples in the batch.
    rng : numpy.random.Generator, int or None
        Source of the inputs, the weights and the upstream gradient (in that order).

    Returns
    -------
    DeepStackRun

    Raises
    ------
    ValueError, TypeError
        For an unknown name or an out-of-range number (e.g. ``depth=0``).
    """
    activation, depth, scale, shift, init, width, n = _check_settings(
        activation, depth, scale, shift, init, width, n)
    rng = as_rng(rng)
    x = rng.standard_normal((n, width))
    stack = build_stack(activation, depth, scale=scale, shift=shift, init=init, width=width, rng=rng)

    pre_activations, activations = [], []
    for dense, nonlinearity in zip(stack[::2], stack[1::2]):
        z = dense.forward(x)
        x = nonlinearity.forward(z)
        pre_activations.append(z)
        activations.append(x)

    upstream = rng.standard_normal(x.shape)
    gradients = [None] * depth
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for l in range(depth - 1, -1, -1):
            delta = stack[2 * l + 1].backward(upstream)
            gradients[l] = delta
            upstream = stack[2 * l].backward(delta)
    return DeepStackRun(activation, init, scale, shift, pre_activations, activations, gradients)
