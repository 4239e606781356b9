r"""Numerical gradient checking: trust no backward pass that was not checked.

The idea (CS231n style): pick a random upstream gradient :math:`G` of the
output's shape and reduce the output to the scalar

.. math::

    f(x) = \sum_{i} y_i(x)\, G_i, \qquad \frac{\partial f}{\partial x} = J^\top G,

which is exactly what a backward pass computes when it is given ``dy = G``.
A random :math:`G` (rather than all ones, i.e. ``f = sum(y)``) matters: for
softmax, :math:`\sum_i y_i = 1` is constant, so the gradient of ``sum(y)`` is
identically zero and a wrong backward pass would pass the check.

The numerical gradient uses centred differences,

.. math::

    \frac{\partial f}{\partial x_k} \approx \frac{f(x + \varepsilon e_k) - f(x - \varepsilon e_k)}{2\varepsilon},

with error :math:`O(\varepsilon^2)`; in float64 with :math:`\varepsilon = 10^{-6}`
a correct backward pass agrees to a relative error of about :math:`10^{-8}` or
better. Checks must run in float64 (float32 has only ~7 significant digits)
and away from kinks (ReLU, step and :math:`|x|` at 0), where the function is
not differentiable.

Public names: :func:`numerical_gradient`, :func:`relative_error`,
:func:`check_function_gradient`, :func:`check_layer_gradients`,
:func:`check_loss_gradient` and :class:`GradientCheckError`.
"""

from __future__ import annotations

import numpy as np

from nnlib._validation import as_rng, check_number

__all__ = [
    "GradientCheckError",
    "numerical_gradient",
    "relative_error",
    "check_function_gradient",
    "check_layer_gradients",
    "check_loss_gradient",
]

_TINY = np.finfo(np.float64).tiny


class GradientCheckError(AssertionError):
    """An analytic gradient disagrees with the numerical one.

    Subclasses ``AssertionError`` so that a failing check fails a pytest test
    like a failed ``assert``. The message is a table with one row per checked
    array (name, shape, relative error, ``OK``/``FAIL``).
    """


# ---------------------------------------------------------------------- helpers


def _check_eps(eps) -> float:
    return check_number(eps, "eps", low=0.0, low_inclusive=False)


def _check_tol(tol) -> float:
    return check_number(tol, "tol", low=0.0, low_inclusive=False)


def _require_float64(arr, name: str, hint: str) -> None:
    if not isinstance(arr, np.ndarray):
        raise TypeError(f"{name}: expected a numpy.ndarray, got {type(arr).__name__}")
    if arr.dtype != np.float64:
        raise TypeError(
            f"{name}: expected dtype float64, got {arr.dtype}; gradient checks must run in float64 "
            f"(float32 carries only ~7 significant digits). {hint}"
        )


def _to_float64(x, name: str) -> np.ndarray:
    """Return a float64 *copy* of ``x`` (ints are converted; float32 is refused)."""
    arr = np.asarray(x)
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    _require_float64(arr, name, f"Convert with {name}.astype(np.float64).")
    return arr.copy()


def _format_report(rows: list[tuple[str, tuple, float]], tol: float, title: str) -> str:
    """Aligned table: name, shape, relative error, OK/FAIL."""
    header = ("name", "shape", "relative error", "status")
    lines = [
        (name, str(tuple(shape)), f"{err:.3e}", "OK" if err <= tol else "FAIL")
        for name, shape, err in rows
    ]
    widths = [max(len(r[i]) for r in [header, *lines]) for i in range(4)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    table = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
    table += [fmt.format(*line) for line in lines]
    table = [row.rstrip() for row in table]
    n_fail = sum(err > tol for _, _, err in rows)
    return f"{title}: {n_fail} of {len(rows)} gradients over tol = {tol:.1e}\n" + "\n".join(table)


def _raise_if_failed(errors: dict, shapes: dict, tol: float, title: str) -> None:
    # NaN errors count as failures (nan > tol is False, so test "not <=").
    if any(not err <= tol for err in errors.values()):
        rows = [(name, shapes[name], err) for name, err in errors.items()]
        raise GradientCheckError(_format_report(rows, tol, title))


# ------------------------------------------------------------------- primitives


def numerical_gradient(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    r"""Centred-difference gradient of a scalar function, one entry at a time.

    .. math::

        \bigl(\nabla f(x)\bigr)_k \approx \frac{f(x + \varepsilon e_k) - f(x - \varepsilon e_k)}{2\varepsilon}

    ``x`` is perturbed **in place** (so ``f`` may close over ``x`` or over an
    array that shares its memory, such as a layer's live weight matrix) and
    restored exactly after each entry, also when ``f`` raises.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` (anything ``float()`` accepts, e.g. a 0-d array).
    x : ndarray of float64, any shape
        The point at which to differentiate.
    eps : float, default 1e-6
        Step size :math:`\varepsilon > 0`.

    Returns
    -------
    ndarray of float64, same shape as ``x``

    Raises
    ------
    TypeError
        If ``x`` is not a float64 ndarray.

    Examples
    --------
    >>> x = np.array([1.0, 2.0])
    >>> numerical_gradient(lambda v: float(np.sum(v ** 2)), x).round(6)
    array([2., 4.])
    """
    _require_float64(x, "x", "Convert with x.astype(np.float64).")
    eps = _check_eps(eps)
    grad = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        original = x[k]
        try:
            x[k] = original + eps
            f_plus = float(f(x))
            x[k] = original - eps
            f_minus = float(f(x))
        finally:
            x[k] = original
        grad[k] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a, b) -> float:
    r"""Relative error between two arrays, scaled by their magnitudes.

    .. math::

        \operatorname{rel}(a, b) = \frac{\max_k |a_k - b_k|}
        {\max\bigl(\max_k |a_k| + \max_k |b_k|,\ \text{tiny}\bigr)}

    where tiny is the smallest positive normal float64 (so two all-zero arrays
    give 0, not NaN). This is a global variant of the CS231n measure
    :math:`|a-b| / \max(|a|, |b|)`: scaling by the largest entries instead of
    entry by entry keeps a tiny entry (e.g. a gradient that is almost 0) from
    producing a huge error from round-off alone. The value lies in
    :math:`[0, 1]`; about 1e-7 or less means agreement in float64.

    Parameters
    ----------
    a, b : array_like, same shape

    Returns
    -------
    float
        NaN if either array contains NaN.

    Raises
    ------
    ValueError
        If the shapes differ.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"b: expected the same shape as a {a.shape}, got shape {b.shape}")
    if a.size == 0:
        return 0.0
    scale = max(np.max(np.abs(a)) + np.max(np.abs(b)), _TINY)
    return float(np.max(np.abs(a - b)) / scale)


# --------------------------------------------------------------- function checks


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
    of ``y``'s shape, and compares ``dx, grads = backward(G, cache)`` with the
    centred-difference gradients of :math:`f = \sum_i y_i G_i` with respect to
    every input:

    .. math::

        \frac{\partial f}{\partial \text{input}} = J_{\text{input}}^\top G
        \quad \text{vs.} \quad \text{numerical\_gradient}(f, \text{input})

    It also checks that ``backward`` did not modify ``G``.
    Keyword arguments of the op (``alpha``, ``axis``) go in through a lambda:
    ``check_function_gradient(lambda x: leaky_relu_forward(x, alpha=0.2), leaky_relu_backward, x)``.

    Parameters
    ----------
    forward : callable
        ``forward(*inputs) -> (y, cache)``.
    backward : callable
        ``backward(dy, cache) -> (dx, grads)``, with ``dx`` the gradient for
        ``inputs[0]`` and ``grads`` a dict for the other inputs.
    *inputs : array_like
        The inputs, float64 (or integer, converted to float64). They are copied.
    names : sequence of str, optional
        One name per input. ``names[0]`` labels ``dx``; ``names[1:]`` must be
        keys of ``grads``. Default: ``"x"`` followed by the keys of ``grads``
        in order (e.g. ``("x", "W", "b")`` for the linear op).
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
    tol = _check_tol(tol)
    arrays = [_to_float64(v, f"inputs[{i}]") for i, v in enumerate(inputs)]

    y, cache = forward(*arrays)
    y = np.asarray(y)
    G = rng.standard_normal(y.shape)
    G_sent = G.copy()
    dx, grads = backward(G_sent, cache)
    if not np.array_equal(G_sent, G):
        raise GradientCheckError("backward modified its upstream gradient dy in place; it must not")

    if names is None:
        names = ("x", *grads.keys())
    names = tuple(names)
    if len(names) != len(arrays):
        raise ValueError(
            f"names: expected {len(arrays)} names (one per input), got {len(names)}: {names}; "
            f"backward returned grads for {sorted(grads)}"
        )
    missing = [n for n in names[1:] if n not in grads]
    if missing:
        raise ValueError(f"names: {missing} are not keys of the grads returned by backward {sorted(grads)}")

    analytic = {names[0]: dx, **{n: grads[n] for n in names[1:]}}

    def f(_):
        out, _cache = forward(*arrays)
        return float(np.sum(np.asarray(out) * G))

    errors, shapes = {}, {}
    for name, arr in zip(names, arrays):
        grad = np.asarray(analytic[name])
        if grad.shape != arr.shape:
            raise GradientCheckError(
                f"gradient for {name!r}: expected shape {arr.shape} (the input's), got {grad.shape}"
            )
        errors[name] = relative_error(grad, numerical_gradient(f, arr, eps))
        shapes[name] = arr.shape
    _raise_if_failed(errors, shapes, tol, "Gradient check failed")
    return errors


# ------------------------------------------------------------------ layer checks


def _named_parameters(layer) -> tuple[dict, dict]:
    """The layer's parameters and gradients as two dicts with the same keys (live arrays).

    Uses ``layer.params`` / ``layer.grads`` when they are dicts with entries,
    otherwise ``layer.parameters()`` / ``layer.gradients()`` (containers such as
    ``Sequential``, with dotted names ``"0.W"``). A layer without parameters
    gives two empty dicts.
    """
    params = getattr(layer, "params", None)
    grads = getattr(layer, "grads", None)
    if not (isinstance(params, dict) and params) and callable(getattr(layer, "parameters", None)):
        params = dict(layer.parameters())
        grads = dict(layer.gradients()) if callable(getattr(layer, "gradients", None)) else grads
    params = {} if params is None else dict(params)
    grads = {} if grads is None else dict(grads)
    if set(params) != set(grads):
        raise ValueError(
            f"layer: expected params and grads with the same keys, got params {sorted(params)} "
            f"and grads {sorted(grads)}"
        )
    return params, grads


def check_layer_gradients(layer, x, rng=None, eps: float = 1e-6, tol: float = 1e-6) -> dict:
    r"""Check a layer's (or a whole model's) backward pass numerically.

    Works on any object with the layer protocol: ``forward(x) -> y``,
    ``backward(dy) -> dx`` accumulating into the gradient dict,
    ``zero_grad()``, and parameters as ``params``/``grads`` dicts (or
    ``parameters()``/``gradients()`` for a ``Sequential``, whose dotted names
    such as ``"0.W"`` appear in the result). With a random :math:`G`:

    .. math::

        f(x, \theta) = \sum_i \text{layer}(x; \theta)_i\, G_i, \qquad
        \frac{\partial f}{\partial x} = \text{backward}(G), \qquad
        \frac{\partial f}{\partial \theta} = \text{grads}[\theta]

    Each parameter array is perturbed in place (and restored) while the
    numerical gradient is taken, so the check sees the live weights.

    The forward pass must be deterministic (put dropout-like layers in eval
    mode or fix their mask). The layer's gradients are zeroed first and hold
    the analytic gradient for ``G`` afterwards; its parameters are unchanged.

    Parameters
    ----------
    layer : object following the layer protocol
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
        parameter by its (dotted) name.

    Raises
    ------
    TypeError
        If ``x`` or a parameter is not float64 (build the layer with
        ``dtype=np.float64`` to check it).
    GradientCheckError
        If any error exceeds ``tol`` (message: a table of all errors), or a
        gradient has the wrong shape.
    """
    rng = as_rng(rng)
    tol = _check_tol(tol)
    x = _to_float64(x, "x")
    params, grads = _named_parameters(layer)
    for name, value in params.items():
        _require_float64(
            value, f"parameter {name!r}",
            "Build the layer with dtype=np.float64 to check its gradients.",
        )
    if "x" in params:
        raise ValueError("layer: a parameter is named 'x', which clashes with the input's name in the report")

    y = np.asarray(layer.forward(x))
    G = rng.standard_normal(y.shape)
    layer.zero_grad()
    dx = np.asarray(layer.backward(G.copy()))
    analytic = {"x": dx, **{name: np.array(grads[name], copy=True) for name in params}}
    arrays = {"x": x, **params}

    def f(_):
        return float(np.sum(np.asarray(layer.forward(x)) * G))

    errors, shapes = {}, {}
    for name, arr in arrays.items():
        if analytic[name].shape != arr.shape:
            raise GradientCheckError(
                f"gradient for {name!r}: expected shape {arr.shape}, got {analytic[name].shape}"
            )
        errors[name] = relative_error(analytic[name], numerical_gradient(f, arr, eps))
        shapes[name] = arr.shape
    layer.forward(x)  # leave the cache consistent with the unperturbed input
    _raise_if_failed(errors, shapes, tol, f"Gradient check of {type(layer).__name__} failed")
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
    tol = _check_tol(tol)
    y_pred = _to_float64(y_pred, "y_pred")
    _, grad = loss_fn(y_pred, y_true)
    grad = np.asarray(grad)
    if grad.shape != y_pred.shape:
        raise GradientCheckError(f"loss gradient: expected shape {y_pred.shape}, got {grad.shape}")
    numeric = numerical_gradient(lambda v: loss_fn(v, y_true)[0], y_pred, eps)
    error = relative_error(grad, numeric)
    name = getattr(loss_fn, "__name__", "loss")
    _raise_if_failed({name: error}, {name: y_pred.shape}, tol, "Loss gradient check failed")
    return error
