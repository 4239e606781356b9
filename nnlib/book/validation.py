"""The one set of argument checks of ``nnlib.book`` (experiments, widgets and their controls).

They follow nnlib's convention (:mod:`nnlib._validation`, re-used here): a value of
the wrong *type* raises :class:`TypeError`, a value out of range or not among the
choices raises :class:`ValueError`, and every message names the argument, what
was expected and what came, e.g.
``lr: expected a value in (0, 10], got 0.0``.
"""

from __future__ import annotations

import numbers

from nnlib._validation import as_rng, check_number

__all__ = ["as_rng", "check_number", "check_option", "check_positive_int", "check_names"]


def check_option(value, name: str, allowed):
    """Return ``value`` if it is one of ``allowed`` (listed in their order in the error).

    Unlike ``value in allowed``, ``True`` does not pass for ``1`` nor ``1.0`` for ``1``:
    an option matches only a value of the same type (``None`` matches ``None``).

    Parameters
    ----------
    value : object
    name : str
        The argument's name, for the message.
    allowed : sequence
        The options, in the order the message lists them.

    Raises
    ------
    ValueError
        ``name: expected one of 'a', 'b', got 'c'``.
    """
    allowed = tuple(allowed)
    if not any(value is option or (type(value) is type(option) and value == option) for option in allowed):
        raise ValueError(f"{name}: expected one of {', '.join(repr(option) for option in allowed)}, got {value!r}")
    return value


def check_positive_int(value, name: str) -> int:
    """Return ``value`` as an int if it is an integer >= 1.

    Raises
    ------
    TypeError
        If ``value`` is not an integer (``2.5``, ``True``, ``"3"``).
    ValueError
        If it is smaller than 1.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected a positive integer, got {type(value).__name__} {value!r}")
    return check_number(value, name, low=1, integer=True)


def check_names(names, name: str, allowed) -> tuple:
    """Return the non-empty selection ``names`` of ``allowed``, in the order of ``allowed``.

    Parameters
    ----------
    names : iterable of str
        Not a single string (``"x1"`` would be read as ``("x", "1")``).
    name : str
        The argument's name, for the message.
    allowed : sequence of str

    Raises
    ------
    ValueError
        If ``names`` is a string, empty, or holds a name not in ``allowed``.
    """
    expected = f"a non-empty sequence of names from {list(allowed)}"
    if isinstance(names, str) or not hasattr(names, "__iter__"):
        raise ValueError(f"{name}: expected {expected}, got {names!r}")
    names = tuple(names)
    if not names or any(not isinstance(item, str) or item not in allowed for item in names):
        raise ValueError(f"{name}: expected {expected}, got {names!r}")
    return tuple(item for item in allowed if item in names)
