r"""Dropout as a forward/backward pair, in its *inverted* form.

During training each entry of :math:`x` is kept with probability
:math:`1 - p` and set to zero otherwise, and the kept entries are divided by
:math:`1 - p`:

.. math::

    m_i \sim \operatorname{Bernoulli}(1 - p), \qquad
    y = \frac{m \odot x}{1 - p}, \qquad
    \mathbb{E}[y_i] = \frac{(1 - p)\, x_i}{1 - p} = x_i

so that the expected output equals the input, and evaluation uses the
network as it is (:math:`y = x`, no mask, no scaling). ``p`` is the **drop**
probability, as in PyTorch; texts that write :math:`p` for the *keep*
probability (the original paper, CS231n) mean our :math:`1 - p`. The older
form scales at test time instead (:math:`y = m \odot x` in training,
:math:`y = (1 - p)\, x` in evaluation); both have the same expected output
in training as in evaluation, but only the inverted form leaves evaluation
untouched.

The mask is drawn from the generator passed as ``rng`` (nnlib never touches
NumPy's global random state) and kept in the cache: backward multiplies by the
*same* mask.
"""

from __future__ import annotations

import numpy as np

from nnlib._validation import as_rng, check_array, check_bool, check_number
from nnlib.functional._common import cached_and_upstream, float_input

__all__ = ["dropout_forward", "dropout_backward"]


def _keep_mask(mask, shape: tuple, rng) -> np.ndarray:
    """The boolean keep-mask: the one given (checked against ``shape``), or a fresh draw with ``rng``."""
    if mask is None:
        return None
    if rng is not None:
        raise ValueError("mask, rng: expected one of them (a given mask draws nothing), got both")
    mask = check_array(mask, "mask", dtype="any", shape=shape, allow_empty=True)
    if mask.dtype != np.bool_:
        raise TypeError(f"mask: expected a boolean keep-mask (True = keep), got dtype {mask.dtype}")
    return mask


def dropout_forward(x, p: float = 0.5, *, training: bool = True, rng=None, mask=None):
    r"""Inverted dropout: zero each entry with probability ``p``, scale the rest by :math:`1/(1-p)`.

    .. math::

        \text{training:}\quad y = \frac{m \odot x}{1 - p},\ \
        m_i \sim \operatorname{Bernoulli}(1 - p)\ \text{independently};
        \qquad \text{evaluation:}\quad y = x

    Parameters
    ----------
    x : array_like, any shape
        E.g. ``(n, d)`` activations or ``(n, C, H, W)`` feature maps.
    p : float, default 0.5
        The **drop** probability, :math:`0 \le p < 1` (PyTorch's convention;
        a keep probability :math:`q` is ``p = 1 - q``).
    training : bool, default True
        ``False`` (evaluation) returns a copy of ``x``: no mask, no scaling.
    rng : numpy.random.Generator, int or None
        Source of the mask (a seed gives the same mask every call).
    mask : array_like of bool, shape of ``x``, optional
        A given keep-mask (``True`` = keep) instead of a random one, e.g. to
        reproduce another library's draw; then ``rng`` must be ``None``.

    Returns
    -------
    y : ndarray, shape and dtype of ``x``
    cache : dict
        ``{"op": "dropout", "mask": m (bool, or None in evaluation or for p = 0),
        "scale": 1/(1-p), "y": y}``.

    Raises
    ------
    ValueError
        If ``p`` is outside ``[0, 1)`` (:math:`p = 1` would divide by zero:
        nothing would be left to scale), or ``mask`` has another shape.
    TypeError
        If ``mask`` is not boolean, or ``training`` not a bool.

    Examples
    --------
    >>> y, cache = dropout_forward(np.ones((2, 4)), p=0.5, rng=0)
    >>> y                                        # kept entries are doubled
    array([[2., 0., 0., 0.],
           [2., 2., 2., 2.]])
    >>> float(dropout_forward(np.ones((2, 4)), p=0.5, training=False)[0].sum())
    8.0
    """
    x = float_input(x)
    p = check_number(p, "p", low=0.0, high=1.0, high_inclusive=False)
    training = check_bool(training, "training")
    mask = _keep_mask(mask, x.shape, rng)
    scale = 1.0 / (1.0 - p)
    if not training or (p == 0.0 and mask is None):
        y = x.copy()
        return y, {"op": "dropout", "mask": None, "scale": scale, "y": y}
    if mask is None:
        mask = as_rng(rng).random(x.shape, dtype=x.dtype) >= p
    y = np.multiply(x, mask, dtype=x.dtype)
    y *= x.dtype.type(scale)
    return y, {"op": "dropout", "mask": mask, "scale": scale, "y": y}


def dropout_backward(dy, cache):
    r"""Backward pass of :func:`dropout_forward`: the same mask, the same scale.

    .. math::

        \frac{\partial L}{\partial x} = \frac{m \odot \delta}{1 - p}
        \quad\text{(training)}, \qquad
        \frac{\partial L}{\partial x} = \delta \quad\text{(evaluation)}

    Parameters
    ----------
    dy : array_like, shape of the forward output
        :math:`\delta = \partial L/\partial y`.
    cache : dict
        From :func:`dropout_forward`.

    Returns
    -------
    dx : ndarray, shape and dtype of ``dy`` (a new array)
    grads : dict
        ``{}`` (dropout has no parameters).
    """
    _, dy = cached_and_upstream(dy, cache, "dropout", "y")
    mask = cache["mask"]
    if mask is None:
        return dy.copy(), {}
    dx = np.multiply(dy, mask, dtype=dy.dtype)
    dx *= dy.dtype.type(cache["scale"])
    return dx, {}
