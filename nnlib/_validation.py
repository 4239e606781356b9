"""Input checks shared by every part of nnlib: the one set of validators.

Each check either returns a clean value or raises ``ValueError`` / ``TypeError``
whose message names the argument, what was expected and what was received, e.g.

    ValueError: X: expected a 2-D array of shape (n, 3), got shape (5, 4)

Nothing here broadcasts, reshapes or casts silently.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np

FLOAT_DTYPES = (np.float32, np.float64)


def as_rng(rng) -> np.random.Generator:
    """Return a ``np.random.Generator`` from ``rng`` (Generator, int seed or None).

    nnlib never touches NumPy's global random state: every random thing goes
    through a Generator made here.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        if rng is not None and rng < 0:
            raise ValueError(f"rng: expected a non-negative integer seed, got {rng}")
        return np.random.default_rng(rng)
    raise TypeError(
        f"rng: expected a numpy.random.Generator, an int seed or None, got {type(rng).__name__}"
    )


def describe(value) -> str:
    """A short description of ``value`` for error messages: ``"list of 3 items"``, ``"ndarray of shape (2, 2)"``."""
    kind = type(value).__name__
    if isinstance(value, np.ndarray):
        return f"ndarray of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"{kind} of {len(value)} item{'' if len(value) == 1 else 's'}"
    if value is None or isinstance(value, (numbers.Number, str)):
        return f"{kind} {value!r}"
    return kind


def shape_str(shape) -> str:
    """``(n, 3)`` for ``(None, 3)``: how shapes with a free batch size are written in messages."""
    return "(" + ", ".join("n" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


# ------------------------------------------------------------------------------ arrays


def _as_array(x, name: str) -> np.ndarray:
    if isinstance(x, np.ndarray):
        return x
    try:
        return np.asarray(x)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name}: expected an array, got {type(x).__name__} ({exc})") from None


def _convert_kind(arr: np.ndarray, name: str, dtype: str) -> np.ndarray:
    """Apply the ``dtype`` rule of :func:`check_array` ("float", "int" or "any")."""
    kind = arr.dtype.kind
    if dtype == "float":
        if kind == "f":
            return arr if arr.dtype in FLOAT_DTYPES else arr.astype(np.float64)
        if kind in "biu":
            return arr.astype(np.float64)
        raise TypeError(f"{name}: expected a real numeric array, got dtype {arr.dtype}")
    if dtype == "int":
        if kind in "iub":
            return arr.astype(np.int64, copy=False)
        if kind == "f":
            if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
                raise TypeError(f"{name}: expected integer labels, got non-integer floats")
            return arr.astype(np.int64)
        raise TypeError(f"{name}: expected an integer array, got dtype {arr.dtype}")
    if dtype != "any":
        raise ValueError(f"dtype: expected 'float', 'int' or 'any', got {dtype!r}")
    return arr


def _check_shape(arr: np.ndarray, name: str, ndim, shape) -> None:
    if shape is not None:
        ndim = len(shape)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            extra = f" of shape {shape_str(shape)}" if shape is not None else ""
            raise ValueError(f"{name}: expected a {want} array{extra}, got shape {arr.shape}")
    if shape is not None:
        for want, got in zip(shape, arr.shape):
            if want is not None and want != got:
                raise ValueError(f"{name}: expected shape {shape_str(shape)}, got shape {arr.shape}")


def check_array(
    x,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    shape: tuple[int | None, ...] | None = None,
    dtype: str = "float",
    finite: bool = True,
    allow_empty: bool = False,
) -> np.ndarray:
    """Validate ``x`` and return it as an ndarray.

    Parameters
    ----------
    x : array_like
        The value to check.
    name : str
        Argument name used in error messages.
    ndim : int or tuple of int, optional
        Allowed number of dimensions.
    shape : tuple, optional
        Expected shape; ``None`` entries match any size. Implies ``ndim``.
    dtype : {"float", "int", "any"}
        ``"float"``: float32/float64 arrays are kept as they are; bool and integer
        arrays are converted to float64 (a list of ints is a fine input);
        complex, object and string arrays raise ``TypeError``.
        ``"int"``: integer arrays (or floats that are whole numbers) become int64.
    finite : bool
        Reject NaN and inf (float arrays only).
    allow_empty : bool
        Accept arrays with a zero-length axis.
    """
    arr = _convert_kind(_as_array(x, name), name, dtype)
    _check_shape(arr, name, ndim, shape)
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name}: expected a non-empty array, got shape {arr.shape}")
    if finite and arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        n_nan = int(np.isnan(arr).sum())
        n_inf = int(np.isinf(arr).sum())
        raise ValueError(
            f"{name}: expected finite values, got {n_nan} NaN and {n_inf} inf "
            f"among {arr.size} entries"
        )
    return arr


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise unless ``a`` and ``b`` have exactly the same shape (no broadcasting)."""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_b}: expected the same shape as {name_a} {a.shape}, got shape {b.shape}"
        )


def check_float_dtype(dtype, name: str = "dtype") -> np.dtype:
    """Validate a float dtype request: ``np.float32`` or ``np.float64`` (or their names)."""
    try:
        dt = np.dtype(dtype)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected np.float32 or np.float64, got {dtype!r}") from None
    if dt not in FLOAT_DTYPES:
        raise TypeError(f"{name}: expected np.float32 or np.float64, got {dt}")
    return dt


def check_named_arrays(arrays, name: str = "params") -> dict:
    """Validate a non-empty dict of string names -> float ndarrays (live arrays: never copied).

    The shape of the parameters and gradients that optimizers, penalties and
    clipping take, e.g. ``model.parameters()``.
    """
    if not isinstance(arrays, Mapping):
        hint = " (pass model.parameters())" if hasattr(arrays, "parameters") else ""
        raise TypeError(f"{name}: expected a dict mapping names to arrays{hint}, got {describe(arrays)}")
    for key, value in arrays.items():
        if not isinstance(key, str):
            raise TypeError(f"{name}: expected string names, got key {key!r} ({type(key).__name__})")
        if not isinstance(value, np.ndarray):
            raise TypeError(f"{name}[{key!r}]: expected a NumPy array (updated in place), got {type(value).__name__}")
        if value.dtype not in FLOAT_DTYPES:
            raise TypeError(f"{name}[{key!r}]: expected a float32 or float64 array, got dtype {value.dtype}")
    if not arrays:
        raise ValueError(f"{name}: expected at least one array, got an empty dict")
    return dict(arrays)


# ------------------------------------------------------------------------------ labels


def check_labels(y, name: str, n_classes: int | None = None, n: int | None = None) -> np.ndarray:
    """Validate a 1-D integer label vector with values in ``[0, n_classes)``."""
    y = check_array(y, name, ndim=1, dtype="int")
    if n is not None and y.shape[0] != n:
        raise ValueError(f"{name}: expected {n} labels (one per example), got {y.shape[0]}")
    if y.min() < 0 or (n_classes is not None and y.max() >= n_classes):
        bad = y[(y < 0) | ((y >= n_classes) if n_classes is not None else False)]
        rng_txt = f"[0, {n_classes - 1}]" if n_classes is not None else ">= 0"
        raise ValueError(f"{name}: expected labels in {rng_txt}, got {bad[:5].tolist()}")
    return y


def check_binary_labels(y, name: str, n: int) -> np.ndarray:
    """Validate ``n`` labels in {0, 1}; the message suggests the fix for labels in {-1, +1}."""
    y = check_array(y, name, ndim=1, dtype="int")
    if y.shape[0] != n:
        raise ValueError(f"{name}: expected {n} labels (one per row of X), got {y.shape[0]}")
    bad = np.setdiff1d(np.unique(y), [0, 1])
    if bad.size:
        raise ValueError(
            f"{name}: expected labels in {{0, 1}}, got {bad[:5].tolist()}; "
            "for labels in {-1, +1} pass (y + 1) // 2 (the two conventions are equivalent)"
        )
    return y


# ------------------------------------------------------------------------------ scalars


def check_number(
    value,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    integer: bool = False,
):
    """Validate a scalar hyperparameter and its range; return it as float or int."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        kind = "an integer" if integer else "a number"
        raise TypeError(f"{name}: expected {kind}, got {type(value).__name__} {value!r}")
    if integer:
        if not float(value).is_integer():
            raise TypeError(f"{name}: expected an integer, got {value!r}")
        value = int(value)
    else:
        value = float(value)
        if not np.isfinite(value):
            raise ValueError(f"{name}: expected a finite number, got {value}")
    too_low = low is not None and (value < low or (not low_inclusive and value == low))
    too_high = high is not None and (value > high or (not high_inclusive and value == high))
    if too_low or too_high:
        lo = "(-inf" if low is None else ("[" if low_inclusive else "(") + f"{low:g}"
        hi = "inf)" if high is None else f"{high:g}" + ("]" if high_inclusive else ")")
        raise ValueError(f"{name}: expected a value in {lo}, {hi}, got {value!r}")
    return value


def check_axis(axis, ndim: int) -> int:
    """Validate an axis of an ``ndim``-D array; return it as a non-negative index."""
    axis = check_number(axis, "axis", integer=True)
    if ndim == 0:
        raise ValueError("x: expected an array with at least 1 dimension, got a scalar (0-D)")
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis: expected an integer in [{-ndim}, {ndim - 1}] for a {ndim}-D array, got {axis}")
    return axis % ndim


def check_bool(value, name: str) -> bool:
    """Validate a flag: ``True`` or ``False`` (NumPy bools too), nothing truthy."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: expected True or False, got {describe(value)}")
    return bool(value)


def check_choice(value, name: str, choices) -> str:
    """Validate that ``value`` is one of ``choices``."""
    try:
        known = value in choices
    except TypeError:  # an unhashable value (a list, a dict) asked of a dict of names
        raise TypeError(f"{name}: expected one of {sorted(choices, key=repr)}, got {describe(value)}") from None
    if not known:
        raise ValueError(f"{name}: expected one of {sorted(choices, key=repr)}, got {value!r}")
    return value
