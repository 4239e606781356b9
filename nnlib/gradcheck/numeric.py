r"""The numerics of gradient checking: centred differences, the relative error, the report table."""

from __future__ import annotations

import numpy as np

from nnlib._validation import check_number

__all__ = ["GradientCheckError", "numerical_gradient", "relative_error"]

_TINY = np.finfo(np.float64).tiny


class GradientCheckError(AssertionError):
    """An analytic gradient disagrees with the numerical one.

    Subclasses ``AssertionError`` so that a failing check fails a pytest test
    like a failed ``assert``. The message is a table with one row per checked
    array (name, shape, relative error, ``OK``/``FAIL``).
    """


def _check_eps(eps) -> float:
    return check_number(eps, "eps", low=0.0, low_inclusive=False)


def check_tol(tol) -> float:
    return check_number(tol, "tol", low=0.0, low_inclusive=False)


def require_float64(arr, name: str, hint: str) -> None:
    if not isinstance(arr, np.ndarray):
        raise TypeError(f"{name}: expected a numpy.ndarray, got {type(arr).__name__}")
    if arr.dtype != np.float64:
        raise TypeError(
            f"{name}: expected dtype float64, got {arr.dtype}; gradient checks must run in float64 "
            f"(float32 carries only ~7 significant digits). {hint}"
        )


def to_float64(x, name: str) -> np.ndarray:
    """Return a float64 *copy* of ``x`` (ints are converted; float32 is refused)."""
    arr = np.asarray(x)
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    require_float64(arr, name, f"Convert with {name}.astype(np.float64).")
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


def raise_if_failed(errors: dict, shapes: dict, tol: float, title: str) -> None:
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
    require_float64(x, "x", "Convert with x.astype(np.float64).")
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
