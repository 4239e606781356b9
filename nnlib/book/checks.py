"""Symbolic derivation checks for the chapters.

Every identity a chapter states is computed with SymPy and asserted with one of
these functions. The derivation itself is typeset in the chapter's text; a check
that holds shows as a compact ✓ with a label, which expands to the claim as
typeset math and the SymPy code that checked it. A check that fails raises
:class:`DerivationError`, so a wrong derivation fails the book build instead of
being printed.

The left side states the claim, written unevaluated so that the reader sees
what is claimed (``sympy.Derivative``, ``Subs``, ``Sum``, ``Integral``,
``Limit``, or ``evaluate=False``); the right side is the result:

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> s = 1 / (1 + sp.exp(-x))
>>> check_equal(sp.Derivative(s, x), s * (1 - s), label="derivative of the sigmoid")  # doctest: +SKIP

Equality is *proved*, never sampled: ``lhs - rhs`` must simplify to ``0``.
When SymPy cannot simplify it (even though the two sides may be equal) the
check fails too and says so; rewrite the step so that it simplifies. Two sides
that read the same before any simplification (``1/10 = 1/10``) are refused:
such a display shows the reader nothing.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from nnlib.book import _check_display, _proof
from nnlib.book._output import show as _show

__all__ = ["DerivationError", "check_equal", "check_true", "checks_done", "checks_passed"]

_RELATIONS = (sp.Rel, sp.logic.boolalg.BooleanAtom, sp.logic.boolalg.BooleanFunction)
_passed = 0  # checks passed in this kernel (one kernel runs one chapter)


class DerivationError(AssertionError):
    """A derivation check failed: the two sides differ, or equality could not be proved."""


# ----------------------------------------------------------------------------- claims and display


def _require_label(label, function: str) -> str:
    if not isinstance(label, str) or not label.strip():
        raise TypeError(
            f"{function}: label must be a few words naming the step (shown next to the check mark), got {label!r}"
        )
    return label.strip()


def _is_bare_number(value) -> bool:
    if isinstance(value, sp.MatrixBase):
        return all(_is_bare_number(entry) for entry in value)
    return getattr(value, "is_Atom", False) and getattr(value, "is_number", False)


def _refuse_non_claim(lhs, rhs, label: str, function: str, numbers_allowed: bool = False) -> None:
    """Raise ValueError when the left side does not state a claim the reader can see.

    An equation needs a claim on the left; a relation (``error <= tolerance``) may
    compare numbers, but not a side with itself.
    """
    hint = (
        "the left side must state the claim, written unevaluated (sympy.Derivative, Subs, Sum, Integral, "
        "Limit, or evaluate=False), and the right side its result"
    )
    same = lhs == rhs or _text(lhs) == _text(rhs) or _check_display.latex_of(lhs) == _check_display.latex_of(rhs)
    if same:
        raise ValueError(
            f"{function} ({label}): both sides read {_text(lhs)} before any simplification, "
            f"so the display would show the reader nothing; {hint}"
        )
    if not numbers_allowed and _is_bare_number(lhs):
        raise ValueError(f"{function} ({label}): the left side is the bare number {_text(lhs)}, not a claim; {hint}")


def _passed_check(label: str, plain: str | None, latex: str | None, show_sides: bool = True) -> None:
    """Count a passed check and show it (a ✓ with the label, expandable to the math and the code)."""
    global _passed
    _passed += 1
    text = f"✓ {plain}   ({label})" if show_sides else f"✓ {label}"
    code = _check_display.check_source()
    _show({"text/plain": text, "text/html": _check_display.check_html(label, latex if show_sides else None, code)})


# ----------------------------------------------------------------------------- proving


def _text(obj) -> str:
    """One-line plain text of a SymPy object (matrices as nested lists, written sums in order)."""
    return _check_display.text_of(obj)


def _as_sympy(value, side: str):
    """Convert a number or SymPy object to SymPy; reject what cannot be proved exactly."""
    if isinstance(value, (sp.MatrixBase, sp.MatrixExpr)):
        return value
    if isinstance(value, (bool, str, list, tuple, np.ndarray)):
        raise TypeError(
            f"check_equal: {side} must be a SymPy expression, a number or a sympy.Matrix, "
            f"got {type(value).__name__} (wrap arrays and lists in sympy.Matrix)"
        )
    value = sp.sympify(value, strict=True)
    if isinstance(value, _RELATIONS):
        raise TypeError(f"check_equal: {side} is a relation ({value}); use check_true for relations")
    return value


# ----------------------------------------------------------------------------- public API


def check_equal(lhs, rhs, label: str, show: bool = True) -> None:
    """Assert that a claim ``lhs`` equals ``rhs``, and show it as a ✓ with ``label``.

    The left side states the claim, the right side its result: write the left
    side unevaluated (``sympy.Derivative(f, x)``, ``sympy.Subs``, ``Sum``,
    ``Integral``, ``Limit``, ``sympy.Add(..., evaluate=False)``) so that the
    reader sees what is claimed. Two sides that are identical before any
    simplification, or a left side that is a bare number, are refused with a
    ``ValueError``: such a display (``1/10 = 1/10``) shows the reader nothing.

    Equality is proved by showing that ``lhs - rhs`` simplifies to zero.
    Unevaluated objects are evaluated with ``doit()``; then
    :func:`sympy.simplify` is tried, then :func:`sympy.expand`,
    :func:`sympy.trigsimp` and a rewrite in terms of ``exp``, and for constants
    (no free symbols) :meth:`sympy.Expr.equals`. Expressions are never compared
    at random points, so an equality SymPy cannot simplify fails, with a
    message saying so. (Values are substituted only to *disprove*: when the
    check fails, the message shows a point where the two sides differ, if one
    of a few simple points is such a point.)

    A passed check is shown as one line, "✓ label", that expands to the claim
    typeset as math (on two lines, the left side and then "= right side", when
    it is wide) and to the code of the check. Its ``text/plain`` form is
    ``✓ <lhs> = <rhs>   (<label>)``.

    Parameters
    ----------
    lhs : sympy.Expr, sympy.Matrix or sympy.MatrixExpr
        The claim, e.g. ``sympy.Derivative(sigma, z)``.
    rhs : sympy.Expr, number, sympy.Matrix or sympy.MatrixExpr
        What the claim equals. Matrices are compared entry by entry and must
        have the same shape; a matrix is never equal to a scalar.
    label : str
        A few words naming the step, shown next to the check mark. ``$...$``
        in it is typeset as inline math.
    show : bool, default True
        Show the two sides when the check is expanded. With ``False`` only the
        label and the code are shown (for sides that would fill pages); the
        check itself is the same.

    Raises
    ------
    DerivationError
        If the shapes differ, or ``lhs - rhs`` could not be simplified to zero.
        The message shows both sides and the simplified difference (and, when a
        point is found where the sides differ, that point).
    ValueError
        If the two sides are identical before simplification, or the left side
        is a bare number (or a matrix of bare numbers): the left side must
        state the claim.
    TypeError
        If a side is not a SymPy object or number (e.g. a NumPy array, a list,
        a string or a relation such as ``sympy.Eq``), or the label is missing.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> check_equal(sp.expand((x + 1) ** 2, evaluate=False), x**2 + 2 * x + 1,
    ...             label="the square of a sum")  # doctest: +SKIP
    """
    label = _require_label(label, "check_equal")
    lhs, rhs = _as_sympy(lhs, "lhs"), _as_sympy(rhs, "rhs")
    _refuse_non_claim(lhs, rhs, label, "check_equal")
    lhs_is_matrix = isinstance(lhs, (sp.MatrixBase, sp.MatrixExpr))
    rhs_is_matrix = isinstance(rhs, (sp.MatrixBase, sp.MatrixExpr))
    if lhs_is_matrix or rhs_is_matrix:
        if not (lhs_is_matrix and rhs_is_matrix) or lhs.shape != rhs.shape:
            raise DerivationError(_proof.matrix_shape_message(lhs, rhs, label))
        differences = _proof.matrix_differences(lhs, rhs)
    else:
        proved, simplified = _proof.simplifies_to_zero(lhs - rhs)
        differences = [] if proved else [("", lhs - rhs, simplified)]
    if differences:
        raise DerivationError(_proof.failure_message(lhs, rhs, label, differences))
    if show:
        _passed_check(label, f"{_text(lhs)} = {_text(rhs)}", _check_display.identity_latex(lhs, rhs))
    else:
        _passed_check(label, None, None, show_sides=False)


_SIGN_OF_DIFFERENCE = {  # relation lhs OP rhs holds when (lhs - rhs) has this property
    ">": "is_positive",
    ">=": "is_nonnegative",
    "<": "is_negative",
    "<=": "is_nonpositive",
    "!=": "is_nonzero",
}


def check_true(relation, label: str) -> None:
    """Assert that a SymPy relation or boolean holds, and show it as a ✓ with ``label``.

    The relation holds when :func:`sympy.simplify` turns it into ``sympy.true``.
    Failing that, an equation ``sympy.Eq(a, b)`` is proved like
    :func:`check_equal`, and an inequality ``a > b`` (``>=``, ``<``, ``<=``, ``!=``)
    by the sign SymPy's assumptions give to ``simplify(a - b)`` — so declare
    symbols with assumptions, e.g. ``sympy.Symbol("x", positive=True)``.

    SymPy evaluates some relations as soon as they are built (``x**2 + 1 > 0``
    with a real ``x`` is already ``True``); pass ``evaluate=False``, e.g.
    ``sympy.Gt(x**2 + 1, 0, evaluate=False)``, so the reader sees the relation.
    A relation that arrives already evaluated (``True``), or whose two sides are
    identical, is refused: it shows the reader nothing.

    Parameters
    ----------
    relation : sympy.core.relational.Relational or sympy.logic.boolalg.Boolean
        For example ``sympy.Eq(a, b)``, ``sympy.Le(a, b)``, ``a > 0``,
        ``sympy.And(...)``.
    label : str
        A few words naming the step, shown next to the check mark. ``$...$``
        in it is typeset as inline math.

    Raises
    ------
    DerivationError
        If the relation simplifies to ``false``, or could not be proved.
    ValueError
        If the relation was already evaluated to ``True``/``False``, or its two
        sides are identical.
    TypeError
        If ``relation`` is a Python ``bool`` (Python's ``==`` compares the form
        of two expressions, not their value: use ``sympy.Eq``) or not a SymPy
        boolean, or the label is missing.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> check_true(sp.Ge(x**2, 0, evaluate=False), label="a square is not negative")  # doctest: +SKIP
    """
    label = _require_label(label, "check_true")
    if isinstance(relation, (bool, np.bool_)):
        raise TypeError(
            "check_true: got a Python bool; build the relation with SymPy, e.g. sympy.Eq(a, b) "
            "or sympy.Le(a, b) (Python's == compares the form of expressions, not their value)"
        )
    relation = sp.sympify(relation, strict=True)
    if not isinstance(relation, _RELATIONS):
        raise TypeError(f"check_true: expected a SymPy relation or boolean, got {sp.sstr(relation)}")
    if isinstance(relation, sp.logic.boolalg.BooleanAtom):
        raise ValueError(
            f"check_true ({label}): the relation was evaluated to {relation} before check_true saw it, "
            "so the reader would see no claim; build it with evaluate=False, e.g. sympy.Le(a, b, evaluate=False)"
        )
    if isinstance(relation, sp.Rel):
        _refuse_non_claim(relation.lhs, relation.rhs, label, "check_true", numbers_allowed=True)
    if not _holds(relation):
        simplified = sp.simplify(relation.doit())
        verdict = "is false" if simplified is sp.false else "could not be proved"
        message = (
            f"derivation check failed ({label}): the relation {verdict}\n"
            f"  relation:   {sp.sstr(relation)}\n  simplified: {sp.sstr(simplified)}"
        )
        if isinstance(relation, sp.Rel):
            message += f"\n  lhs - rhs simplifies to: {sp.sstr(sp.simplify((relation.lhs - relation.rhs).doit()))}"
        raise DerivationError(message)
    if isinstance(relation, sp.Rel):
        symbol = _RELATION_SYMBOLS[relation.rel_op]
        plain = f"{_text(relation.lhs)} {symbol[0]} {_text(relation.rhs)}"
        latex = _check_display.identity_latex(relation.lhs, relation.rhs, symbol[1])
    else:
        plain, latex = sp.sstr(relation), sp.latex(relation)
    _passed_check(label, plain, latex)


_RELATION_SYMBOLS = {  # rel_op: (plain text, LaTeX)
    "==": ("=", "="), "!=": ("!=", r"\neq"), "<": ("<", "<"), "<=": ("<=", r"\leq"), ">": (">", ">"), ">=": (">=", r"\geq"),
}


def _holds(relation) -> bool:
    """True if ``relation`` is proved true (see :func:`check_true`)."""
    if relation is sp.true or sp.simplify(relation.doit()) is sp.true:
        return True
    if isinstance(relation, sp.Eq):
        return _proof.simplifies_to_zero(relation.lhs - relation.rhs)[0]
    if isinstance(relation, sp.Rel) and relation.rel_op in _SIGN_OF_DIFFERENCE:
        difference = sp.simplify((relation.lhs - relation.rhs).doit())
        return getattr(difference, _SIGN_OF_DIFFERENCE[relation.rel_op]) is True
    return False


def checks_passed() -> int:
    """The number of :func:`check_equal` and :func:`check_true` calls that passed in this kernel."""
    return _passed


def checks_done() -> None:
    """Show, as one quiet line, how many derivation checks passed in this chapter.

    Call it in the last cell of a chapter, tagged ``remove-input``: the count is
    kept per Python process, and each chapter runs in its own kernel. It returns
    nothing, so the cell shows no stray number; :func:`checks_passed` returns
    the count.
    """
    n = _passed
    text = f"{n} derivation check{'s' if n != 1 else ''} passed in this chapter when it was run."
    _show({
        "text/plain": text,
        "text/html": f'<p class="nnfp-checks-done" style="font-size:0.85em;opacity:0.75;text-align:right">'
        f"✓ {text}</p>",
    })
