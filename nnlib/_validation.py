"""Input checks shared by every part of nnlib.

Each check either returns a clean value or raises ``ValueError`` / ``TypeError``
whose message names the argument, what was expected and what was received, e.g.

    ValueError: X: expected a 2-D array of shape (n, 3), got shape (5, 4)

Nothing here broadcasts, reshapes or casts silently.
"""

from __future__ import annotations

import numbers

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


def _shape_str(shape) -> str:
    return "(" + ", ".join("n" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


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
    if isinstance(x, np.ndarray):
        arr = x
    else:
        try:
            arr = np.asarray(x)
        except Exception as exc:  # ragged lists and the like
            raise TypeError(f"{name}: expected an array, got {type(x).__name__} ({exc})") from None

    kind = arr.dtype.kind
    if dtype == "float":
        if kind == "f":
            if arr.dtype not in FLOAT_DTYPES:
                arr = arr.astype(np.float64)
        elif kind in "biu":
            arr = arr.astype(np.float64)
        else:
            raise TypeError(f"{name}: expected a real numeric array, got dtype {arr.dtype}")
    elif dtype == "int":
        if kind in "iu":
            arr = arr.astype(np.int64, copy=False)
        elif kind == "b":
            arr = arr.astype(np.int64)
        elif kind == "f":
            if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
                raise TypeError(f"{name}: expected integer labels, got non-integer floats")
            arr = arr.astype(np.int64)
        else:
            raise TypeError(f"{name}: expected an integer array, got dtype {arr.dtype}")
    elif dtype != "any":
        raise ValueError(f"dtype: expected 'float', 'int' or 'any', got {dtype!r}")

    if shape is not None:
        ndim = len(shape)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            extra = f" of shape {_shape_str(shape)}" if shape is not None else ""
            raise ValueError(f"{name}: expected a {want} array{extra}, got shape {arr.shape}")
    if shape is not None:
        for want, got in zip(shape, arr.shape):
            if want is not None and want != got:
                raise ValueError(
                    f"{name}: expected shape {_shape_str(shape)}, got shape {arr.shape}"
                )
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


def check_choice(value, name: str, choices) -> str:
    """Validate that ``value`` is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name}: expected one of {sorted(choices, key=repr)}, got {value!r}")
    return value
