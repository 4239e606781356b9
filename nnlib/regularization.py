r"""Weight penalties added to the training loss: L1 and L2.

Which parameters are penalised is **declared by the layers**, never inferred
from a name: each layer class lists its ``regularized`` parameters
(:class:`~nnlib.layers.Dense` declares its weights ``W``, not its bias ``b``:
a bias does not make the function more complex, it only shifts it), and
:meth:`nnlib.layers.Layer.regularized_parameters` collects them by dotted name.

Each penalty takes either a model (its declared parameters are penalised) or a
dict of arrays (every entry is penalised) and returns ``(value, grads)``: the
penalty (a float, to be added to the data loss) and a dict with its gradient
for each penalised name (to be added to the gradient of the data loss).
:func:`nnlib.training.fit` does this for you through its ``l1=`` and ``l2=``
arguments.
"""

from __future__ import annotations

import numpy as np

from nnlib._validation import check_named_arrays, check_number

__all__ = ["l1_penalty", "l2_penalty", "is_weight"]


def is_weight(name: str) -> bool:
    """Whether a parameter ``name`` ends in ``"W"``: the naming rule of nnlib's weight matrices.

    Kept for code written against earlier versions. The penalties no longer use
    it: each layer declares what is penalised (``Layer.regularized``).

    Parameters
    ----------
    name : str
        A parameter name such as ``"0.W"`` or ``"0.b"``.

    Returns
    -------
    bool
        True for names ending in ``"W"``.
    """
    if not isinstance(name, str):
        raise TypeError(f"name: expected a parameter name (str), got {type(name).__name__} {name!r}")
    return name.endswith("W")


def _penalised(params) -> dict:
    """The arrays to penalise: a model's declared ones, or every entry of a dict."""
    regularized = getattr(params, "regularized_parameters", None)
    if callable(regularized):
        return regularized()
    return check_named_arrays(params, "params")


def l2_penalty(params, lam: float):
    r"""L2 penalty (weight decay) in the notes' form.

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
    params : Layer or dict of str -> ndarray
        A model (the parameters its layers declare ``regularized`` are
        penalised: the weights, not the biases), or a dict of float arrays,
        all of which are penalised (e.g. ``model.regularized_parameters()``).
    lam : float
        :math:`\lambda \ge 0`.

    Returns
    -------
    value : float
        :math:`R`.
    grads : dict of str -> ndarray
        :math:`\lambda W` for each penalised name (new arrays, same shape and dtype).

    Raises
    ------
    TypeError
        If ``params`` is neither a model nor a dict of string names to float arrays.
    ValueError
        If ``lam < 0``.

    Examples
    --------
    >>> value, grads = l2_penalty({"W": np.array([[1.0, 2.0]])}, 0.1)
    >>> value                                   # 0.1 / 2 * (1 + 4)
    0.25
    >>> grads
    {'W': array([[0.1, 0.2]])}
    """
    lam = check_number(lam, "lam", low=0.0)
    value, grads = 0.0, {}
    for name, W in _penalised(params).items():
        flat = W.reshape(-1)
        value += 0.5 * lam * float(np.dot(flat, flat))
        grads[name] = lam * W
    return value, grads


def l1_penalty(params, lam: float):
    r"""L1 penalty; pushes weights to exactly zero.

    .. math::

        R(W) = \lambda \sum_{l} \sum_{i,j} \bigl|W^{(l)}_{ij}\bigr|,
        \qquad
        \frac{\partial R}{\partial W^{(l)}} = \lambda\, \operatorname{sign}\bigl(W^{(l)}\bigr)

    :math:`|w|` has no derivative at 0; the subgradient :math:`\operatorname{sign}(0) = 0`
    is used there.

    Parameters
    ----------
    params : Layer or dict of str -> ndarray
        A model (its declared ``regularized`` parameters are penalised) or a
        dict of float arrays (all penalised).
    lam : float
        :math:`\lambda \ge 0`.

    Returns
    -------
    value : float
        :math:`R`.
    grads : dict of str -> ndarray
        :math:`\lambda \operatorname{sign}(W)` for each penalised name.

    Raises
    ------
    TypeError
        If ``params`` is neither a model nor a dict of string names to float arrays.
    ValueError
        If ``lam < 0``.

    Examples
    --------
    >>> value, grads = l1_penalty({"W": np.array([[1.0, -2.0]])}, 0.1)
    >>> round(value, 12), grads["W"]
    (0.3, array([[ 0.1, -0.1]]))
    """
    lam = check_number(lam, "lam", low=0.0)
    value, grads = 0.0, {}
    for name, W in _penalised(params).items():
        value += lam * float(np.abs(W).sum())
        grads[name] = lam * np.sign(W)
    return value, grads
