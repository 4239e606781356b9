"""Checks every functional op shares: its input, its cache, its upstream gradient(s).

An op validates what it is given and nothing more: shapes and dtypes, never
finiteness (NaN and inf propagate, so that a training loop can detect
divergence in the loss and report it).
"""

from __future__ import annotations

import numpy as np

from nnlib._validation import check_array, describe


def float_input(x, name: str = "x", ndim=None) -> np.ndarray:
    """A forward input: float32/float64 array kept as it is, integers -> float64; NaN/inf allowed."""
    return check_array(x, name, ndim=ndim, dtype="float", finite=False)


def same_dtype_as(x: np.ndarray, **arrays) -> None:
    """Parameters must share the input's float dtype (no silent casts): ``same_dtype_as(x, W=W, b=b)``."""
    for name, arr in arrays.items():
        if arr.dtype != x.dtype:
            raise TypeError(
                f"{name}: expected dtype {x.dtype} (the dtype of x), got {arr.dtype}; "
                f"convert with .astype(np.{x.dtype})"
            )


def check_cache(cache, op: str) -> dict:
    """The cache dict made by ``<op>_forward``; any other object or another op's cache is refused."""
    if not isinstance(cache, dict) or "op" not in cache:
        raise TypeError(f"cache: expected the cache dict returned by {op}_forward, got {type(cache).__name__}")
    if cache["op"] != op:
        raise ValueError(f"cache: expected a cache from {op}_forward, got one from {cache['op']}_forward")
    return cache


def check_upstream(dy, shape: tuple, dtype: np.dtype, name: str = "dy") -> np.ndarray:
    """The upstream gradient of one output: exactly the output's shape and dtype (no broadcasting)."""
    dy = check_array(dy, name, dtype="float", finite=False)
    if dy.shape != tuple(shape):
        raise ValueError(f"{name}: expected the shape of the forward output {tuple(shape)}, got shape {dy.shape}")
    if dy.dtype != dtype:
        raise TypeError(
            f"{name}: expected dtype {np.dtype(dtype)} (the dtype of the forward output), got {dy.dtype}"
        )
    return dy


def cached_and_upstream(dy, cache, op: str, key: str) -> tuple[np.ndarray, np.ndarray]:
    """For an op whose output has the shape and dtype of ``cache[key]`` (an elementwise or along-an-axis op):
    check the cache, then ``dy`` against that array; return ``(cache[key], dy)``."""
    saved = check_cache(cache, op)[key]
    return saved, check_upstream(dy, saved.shape, saved.dtype)


def check_upstreams(dys, outputs: dict, dtype: np.dtype) -> tuple:
    """The upstream gradients of a multi-output op: a tuple, one gradient per output, in order.

    Parameters
    ----------
    dys : tuple of array_like
        :math:`(\\partial L/\\partial y_1, \\dots, \\partial L/\\partial y_k)`.
    outputs : dict of str -> tuple
        The outputs' names and shapes in order, e.g. ``{"h": (n, d), "c": (n, d)}``;
        gradient ``k`` is called ``"d" + name`` in messages (``dh``, ``dc``).
    dtype : numpy.dtype
        The outputs' dtype.

    Returns
    -------
    tuple of ndarray
    """
    if not isinstance(dys, (tuple, list)) or len(dys) != len(outputs):
        names = ", ".join("d" + name for name in outputs)
        raise TypeError(f"dy: expected a tuple of {len(outputs)} upstream gradients ({names}), got {describe(dys)}")
    return tuple(check_upstream(dy, shape, dtype, "d" + name) for dy, (name, shape) in zip(dys, outputs.items()))
