r"""The checks: a functional pair, a layer or model, a loss, each against centred differences."""

from __future__ import annotations

import inspect

import numpy as np

from nnlib._validation import as_rng
from nnlib.gradcheck.numeric import (
    GradientCheckError,
    check_tol,
    numerical_gradient,
    raise_if_failed,
    relative_error,
    require_float64,
    to_float64,
)

__all__ = ["check_function_gradient", "check_layer_gradients", "check_loss_gradient"]


def _random_like(y, rng) -> tuple:
    """A standard-normal upstream gradient shaped like ``y``: one array per output (``y`` an array or a tuple)."""
    outputs = y if isinstance(y, tuple) else (y,)
    return tuple(rng.standard_normal(np.shape(out)) for out in outputs)


def _as_sent(G: tuple, y):
    """What backward receives: the tuple for a multi-output ``y``, the one array otherwise."""
    return G if isinstance(y, tuple) else G[0]


def _weighted_sum(y, G: tuple) -> float:
    """:math:`f = \\sum_k \\sum_i y_{k,i} G_{k,i}`, the scalar whose gradient backward computes for ``dy = G``."""
    outputs = y if isinstance(y, tuple) else (y,)
    if len(outputs) != len(G):
        raise GradientCheckError(f"the forward pass returned {len(outputs)} outputs, then {len(G)}")
    return float(sum(np.sum(np.asarray(out) * g) for out, g in zip(outputs, G)))


def _send_upstream(backward, y, G: tuple, *args):
    """Call ``backward`` with a copy of the upstream gradient(s) and check that it did not modify them."""
    sent = tuple(g.copy() for g in G)
    result = backward(_as_sent(sent, y), *args)
    if not all(np.array_equal(s, g) for s, g in zip(sent, G)):
        raise GradientCheckError("backward modified its upstream gradient dy in place; it must not")
    return result


def _compare(analytic: dict, arrays: dict, f, eps: float) -> tuple[dict, dict]:
    """Relative error of each analytic gradient against the numerical gradient of ``f`` for that array."""
    errors, shapes = {}, {}
    for name, arr in arrays.items():
        grad = np.asarray(analytic[name])
        if grad.shape != arr.shape:
            raise GradientCheckError(
                f"gradient for {name!r}: expected shape {arr.shape} (the input's), got {grad.shape}"
            )
        errors[name] = relative_error(grad, numerical_gradient(f, arr, eps))
        shapes[name] = arr.shape
    return errors, shapes


# --------------------------------------------------------------- function checks


def _data_input_names(forward, k: int) -> tuple:
    """Names of the first ``k`` inputs: ``("x",)`` for one, else the forward's parameter names (or x0, x1, ...)."""
    if k == 1:
        return ("x",)
    try:
        positional = [p.name for p in inspect.signature(forward).parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):  # builtins without a signature
        positional = []
    return tuple(positional[:k]) if len(positional) >= k else tuple(f"x{i}" for i in range(k))


def _analytic_by_name(forward, data_grads: tuple, grads: dict, names, n_inputs: int) -> dict:
    """Map each input's name to the gradient backward returned for it (validating ``names``)."""
    k = len(data_grads)
    names = (*_data_input_names(forward, k), *grads) if names is None else tuple(names)
    if len(names) != n_inputs:
        raise ValueError(
            f"names: expected {n_inputs} names (one per input), got {len(names)}: {names}; "
            f"backward returned {k} input gradient(s) and grads for {sorted(grads)}"
        )
    missing = [n for n in names[k:] if n not in grads]
    if missing:
        raise ValueError(f"names: {missing} are not keys of the grads returned by backward {sorted(grads)}")
    return {**dict(zip(names[:k], data_grads)), **{n: grads[n] for n in names[k:]}}


def check_function_gradient(
    forward,
    backward,
    *inputs,
    names=None,
    rng=None,
    eps: float = 1e-6,
    tol: float = 1e-6,
) -> dict:
    r"""Check a forward/backward pair from :mod:`nnlib.functional` numerically.

    Runs ``y, cache = forward(*inputs)``, draws :math:`G \sim \mathcal{N}(0, 1)`
    of ``y``'s shape (one :math:`G_k` per output when ``y`` is a tuple), and
    compares ``backward(G, cache)`` with the centred-difference gradients of
    :math:`f = \sum_k \sum_i y_{k,i} G_{k,i}` with respect to every input:

    .. math::

        \frac{\partial f}{\partial \text{input}} = \sum_k J_{k,\text{input}}^\top G_k
        \quad \text{vs.} \quad \text{numerical\_gradient}(f, \text{input})

    It also checks that ``backward`` did not modify :math:`G`.
    Keyword arguments of the op (``alpha``, ``axis``) go in through a lambda:
    ``check_function_gradient(lambda x: leaky_relu_forward(x, alpha=0.2), leaky_relu_backward, x)``.

    Parameters
    ----------
    forward : callable
        ``forward(*inputs) -> (y, cache)``; ``y`` an array or a tuple of arrays.
    backward : callable
        ``backward(dy, cache) -> (dx, grads)``, ``dy`` shaped like ``y`` (a
        tuple for a tuple). ``dx`` is the gradient for ``inputs[0]``, or a
        tuple of gradients for the first ``len(dx)`` inputs (the data inputs);
        ``grads`` is a dict for the remaining inputs (the parameters).
    *inputs : array_like
        The inputs, float64 (or integer, converted to float64). They are copied.
    names : sequence of str, optional
        One name per input: the data inputs first (they label ``dx``), then
        keys of ``grads``. Default: ``"x"`` for one data input (the forward's
        argument names for several), followed by the keys of ``grads`` in
        order (e.g. ``("x", "W", "b")`` for the linear op).
    rng : numpy.random.Generator, int or None
        Source of :math:`G`.
    eps : float, default 1e-6
        Finite-difference step.
    tol : float, default 1e-6
        Largest accepted :func:`relative_error`.

    Returns
    -------
    dict
        ``{name: relative error}`` for every input.

    Raises
    ------
    GradientCheckError
        If an error exceeds ``tol``, a gradient has the wrong shape, or
        ``backward`` modified ``dy``.
    TypeError
        If an input is float32 (check in float64).
    ValueError
        If ``names`` does not match the inputs and ``grads``.

    Examples
    --------
    >>> from nnlib.functional import linear_forward, linear_backward
    >>> rng = np.random.default_rng(0)
    >>> x, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    >>> errors = check_function_gradient(linear_forward, linear_backward, x, W, b, rng=0)
    >>> sorted(errors), max(errors.values()) < 1e-8
    (['W', 'b', 'x'], True)
    """
    if not inputs:
        raise ValueError("inputs: expected at least one input array, got none")
    rng = as_rng(rng)
    tol = check_tol(tol)
    arrays = [to_float64(v, f"inputs[{i}]") for i, v in enumerate(inputs)]

    y, cache = forward(*arrays)
    G = _random_like(y, rng)
    dx, grads = _send_upstream(backward, y, G, cache)
    data_grads = tuple(dx) if isinstance(dx, (tuple, list)) else (dx,)
    analytic = _analytic_by_name(forward, data_grads, grads, names, len(arrays))

    def f(_):
        return _weighted_sum(forward(*arrays)[0], G)

    errors, shapes = _compare(analytic, dict(zip(analytic, arrays)), f, eps)
    raise_if_failed(errors, shapes, tol, "Gradient check failed")
    return errors


# ------------------------------------------------------------------ layer checks


def check_layer_gradients(layer, x, rng=None, eps: float = 1e-6, tol: float = 1e-6) -> dict:
    r"""Check a layer's (or a whole model's) backward pass numerically.

    Works on any layer (:class:`nnlib.layers.Layer` protocol): ``forward(x)``,
    ``backward(dy)`` accumulating into the gradients, ``zero_grad()``, and
    ``parameters()`` / ``gradients()`` by dotted name (``"0.W"``, ``"1.0.W"``
    for nested models), which appear in the result. With a random :math:`G`
    (one per output for a layer with several):

    .. math::

        f(x, \theta) = \sum_i \text{layer}(x; \theta)_i\, G_i, \qquad
        \frac{\partial f}{\partial x} = \text{backward}(G), \qquad
        \frac{\partial f}{\partial \theta} = \text{grads}[\theta]

    Each parameter array is perturbed in place (and restored) while the
    numerical gradient is taken, so the check sees the live weights.

    The forward pass must be deterministic (put dropout-like layers in eval
    mode or fix their mask). The layer's gradients are zeroed first and hold
    the analytic gradient for ``G`` afterwards; its parameters and buffers
    (running statistics a training-mode forward may update) are unchanged.

    Parameters
    ----------
    layer : Layer
        Its parameters must be float64.
    x : array_like, float64 (or integer), shape accepted by ``layer.forward``
        Copied; the caller's array is not modified.
    rng : numpy.random.Generator, int or None
        Source of :math:`G`.
    eps : float, default 1e-6
        Finite-difference step.
    tol : float, default 1e-6
        Largest accepted :func:`relative_error`.

    Returns
    -------
    dict
        ``{"x": error, name: error, ...}``: the input first, then each
        parameter by its dotted name.

    Raises
    ------
    TypeError
        If ``x`` or a parameter is not float64 (build the layer with
        ``dtype=np.float64`` to check it).
    GradientCheckError
        If any error exceeds ``tol`` (message: a table of all errors), a
        gradient has the wrong shape, or ``backward`` modified ``dy``.
    """
    rng = as_rng(rng)
    tol = check_tol(tol)
    x = to_float64(x, "x")
    params, grads = layer.parameters(), layer.gradients()
    if list(params) != list(grads):
        raise ValueError(f"layer: expected parameters and gradients with the same names, got {list(params)} "
                         f"and {list(grads)}")
    for name, value in params.items():
        require_float64(value, f"parameter {name!r}", "Build the layer with dtype=np.float64 to check its gradients.")
    if "x" in params:
        raise ValueError("layer: a parameter is named 'x', which clashes with the input's name in the report")
    buffers = {name: value.copy() for name, value in layer.buffers().items()}

    y = layer.forward(x)
    G = _random_like(y, rng)
    layer.zero_grad()
    dx = _send_upstream(layer.backward, y, G)
    analytic = {"x": dx, **{name: grads[name].copy() for name in params}}
    errors, shapes = _compare(analytic, {"x": x, **params}, lambda _: _weighted_sum(layer.forward(x), G), eps)
    layer.forward(x)  # leave the cache consistent with the unperturbed input
    for name, value in layer.buffers().items():
        np.copyto(value, buffers[name])
    raise_if_failed(errors, shapes, tol, f"Gradient check of {type(layer).__name__} failed")
    return errors


def check_loss_gradient(loss_fn, y_pred, y_true, tol: float = 1e-6, eps: float = 1e-6) -> float:
    r"""Check the gradient a loss function returns against centred differences.

    .. math::

        \text{loss\_fn}(\hat y, y) = (L, \nabla_{\hat y} L) \quad\text{with}\quad
        \nabla_{\hat y} L \approx \text{numerical\_gradient}(L(\cdot, y), \hat y)

    Parameters
    ----------
    loss_fn : callable
        ``loss_fn(y_pred, y_true) -> (loss: float, grad: same shape as y_pred)``,
        e.g. :func:`nnlib.losses.mse_loss`.
    y_pred : array_like, float64 (or integer)
        Copied.
    y_true : array_like
        Passed through unchanged.
    tol : float, default 1e-6
    eps : float, default 1e-6

    Returns
    -------
    float
        The relative error.

    Raises
    ------
    GradientCheckError
        If the error exceeds ``tol`` or the gradient has the wrong shape.
    TypeError
        If ``y_pred`` is float32.
    """
    tol = check_tol(tol)
    y_pred = to_float64(y_pred, "y_pred")
    _, grad = loss_fn(y_pred, y_true)
    grad = np.asarray(grad)
    if grad.shape != y_pred.shape:
        raise GradientCheckError(f"loss gradient: expected shape {y_pred.shape}, got {grad.shape}")
    numeric = numerical_gradient(lambda v: loss_fn(v, y_true)[0], y_pred, eps)
    error = relative_error(grad, numeric)
    name = getattr(loss_fn, "__name__", "loss")
    raise_if_failed({name: error}, {name: y_pred.shape}, tol, "Loss gradient check failed")
    return error
