r"""Weight penalties added to the training loss.

Both penalties act on **weight matrices only**: parameters whose name ends in
``"W"`` (``"W"``, ``"0.W"``, ``"2.W"``, ...). Biases are not penalised; they
do not make the function more complex, only shift it.

Each function returns ``(value, grads)``: the penalty (a float, to be added to
the data loss) and a dict with the gradient of the penalty for each penalised
name (to be added to the gradient of the data loss). Names that are not
penalised are absent from ``grads``. :func:`nnlib.training.fit` does this for
you through its ``l1=`` and ``l2=`` arguments.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from nnlib._validation import check_number

__all__ = ["l1_penalty", "l2_penalty", "is_weight"]


def is_weight(name: str) -> bool:
    """Whether the parameter ``name`` is a weight matrix (penalised): its name ends in ``"W"``.

    Parameters
    ----------
    name : str
        A parameter name such as ``"0.W"`` or ``"0.b"`` (from ``Sequential.parameters()``).

    Returns
    -------
    bool
        True for weights, False for biases and anything else.
    """
    return name.endswith("W")


def _weights(params) -> dict:
    if not isinstance(params, Mapping):
        raise TypeError(
            f"params: expected a dict mapping names to arrays (e.g. model.parameters()), "
            f"got {type(params).__name__}"
        )
    out = {}
    for name, value in params.items():
        if is_weight(name):
            if not isinstance(value, np.ndarray) or value.dtype.kind != "f":
                raise TypeError(
                    f"params[{name!r}]: expected a float array, got {type(value).__name__}"
                    + (f" of dtype {value.dtype}" if isinstance(value, np.ndarray) else "")
                )
            out[name] = value
    return out


def l2_penalty(params, lam: float):
    r"""L2 penalty (weight decay) in the notes' form, on weight matrices only.

    .. math::

        R(W) = \frac{\lambda}{2} \sum_{l} \lVert W^{(l)} \rVert_F^2
             = \frac{\lambda}{2} \sum_{l} \sum_{i,j} \bigl(W^{(l)}_{ij}\bigr)^2,
        \qquad
        \frac{\partial R}{\partial W^{(l)}} = \lambda\, W^{(l)}

    With plain SGD the penalty turns the update into
    :math:`W \leftarrow (1 - \alpha\lambda) W - \alpha\, \partial L/\partial W`:
    the weights decay by a factor each step.

    Parameters
    ----------
    params : dict of str -> ndarray
        Parameters (e.g. ``model.parameters()``); only names ending in ``"W"``
        are used.
    lam : float
        :math:`\lambda \ge 0`.

    Returns
    -------
    value : float
        :math:`R`.
    grads : dict of str -> ndarray
        :math:`\lambda W` for each weight name (new arrays, same shape and dtype).

    Raises
    ------
    TypeError
        If ``params`` is not a dict of float arrays.
    ValueError
        If ``lam < 0``.

    Examples
    --------
    >>> value, grads = l2_penalty({"W": np.array([[1.0, 2.0]]), "b": np.array([5.0])}, 0.1)
    >>> value                                   # 0.1 / 2 * (1 + 4)
    0.25
    >>> grads
    {'W': array([[0.1, 0.2]])}
    """
    lam = check_number(lam, "lam", low=0.0)
    weights = _weights(params)
    value = 0.0
    grads = {}
    for name, W in weights.items():
        flat = W.reshape(-1)
        value += 0.5 * lam * float(np.dot(flat, flat))
        grads[name] = lam * W
    return value, grads


def l1_penalty(params, lam: float):
    r"""L1 penalty on weight matrices only; pushes weights to exactly zero.

    .. math::

        R(W) = \lambda \sum_{l} \sum_{i,j} \bigl|W^{(l)}_{ij}\bigr|,
        \qquad
        \frac{\partial R}{\partial W^{(l)}} = \lambda\, \operatorname{sign}\bigl(W^{(l)}\bigr)

    :math:`|w|` has no derivative at 0; the subgradient :math:`\operatorname{sign}(0) = 0`
    is used there.

    Parameters
    ----------
    params : dict of str -> ndarray
        Parameters; only names ending in ``"W"`` are used.
    lam : float
        :math:`\lambda \ge 0`.

    Returns
    -------
    value : float
        :math:`R`.
    grads : dict of str -> ndarray
        :math:`\lambda \operatorname{sign}(W)` for each weight name.

    Raises
    ------
    TypeError
        If ``params`` is not a dict of float arrays.
    ValueError
        If ``lam < 0``.

    Examples
    --------
    >>> value, grads = l1_penalty({"W": np.array([[1.0, -2.0]])}, 0.1)
    >>> round(value, 12), grads["W"]
    (0.3, array([[ 0.1, -0.1]]))
    """
    lam = check_number(lam, "lam", low=0.0)
    weights = _weights(params)
    value = 0.0
    grads = {}
    for name, W in weights.items():
        value += lam * float(np.abs(W).sum())
        grads[name] = lam * np.sign(W)
    return value, grads
