"""Symbolic derivation checks for the chapters.

Every identity a chapter states is computed with SymPy and asserted with one of
these functions. A check that holds is shown as rendered math with a check mark;
a check that fails raises :class:`DerivationError`, so a wrong derivation fails
the book build instead of being printed.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> s = 1 / (1 + sp.exp(-x))
>>> check_equal(sp.diff(s, x), s * (1 - s), label="derivative of the sigmoid")  # doctest: +SKIP

Equality is *proved*, never sampled: ``lhs - rhs`` must simplify to ``0``.
When SymPy cannot simplify it (even though the two sides may be equal) the
check fails too and says so; rewrite the step so that it simplifies.
"""

from __future__ import annotations

import re

import numpy as np
import sympy as sp

__all__ = ["DerivationError", "check_equal", "check_true", "checks_done"]

_RELATIONS = (sp.Rel, sp.logic.boolalg.BooleanAtom, sp.logic.boolalg.BooleanFunction)
_passed = 0  # checks passed in this kernel (one kernel runs one chapter)


class DerivationError(AssertionError):
    """A derivation check failed: the two sides differ, or equality could not be proved."""


# ----------------------------------------------------------------------------- display


def _display(plain: str, latex: str | None = None, html: str | None = None) -> None:
    """Show a result: rich output inside IPython, ``print(plain)`` anywhere else."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # IPython is optional for scripts
        get_ipython = None
    if get_ipython is None or get_ipython() is None:
        print(plain)
        return
    bundle = {"text/plain": plain}
    if latex is not None:
        bundle["text/latex"] = f"$\\displaystyle {latex}$"
    if html is not None:
        bundle["text/html"] = html
    display(bundle, raw=True)


def _latex_label(label: str | None) -> str:
    """The label as LaTeX text (characters special to TeX are replaced by spaces)."""
    if not label:
        return ""
    return r"\qquad\text{" + re.sub(r"[\\{}$%&#_^~]", " ", str(label)) + "}"


def _passed_check(latex: str, plain: str, label: str | None, show: bool = True) -> None:
    global _passed
    _passed += 1
    if not show:  # only the label: for identities whose two sides would fill pages
        _display(f"✓ {label or 'checked'}", latex=r"\checkmark" + _latex_label(label or "checked"))
        return
    suffix = f"   ({label})" if label else ""
    _display(f"✓ {plain}{suffix}", latex=latex + r"\quad\checkmark" + _latex_label(label))


# ----------------------------------------------------------------------------- proving


def _text(obj) -> str:
    """One-line plain text of a SymPy object (matrices as nested lists)."""
    if isinstance(obj, sp.MatrixBase):
        return f"Matrix({sp.sstr(obj.tolist())})"
    return sp.sstr(obj)


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


def _simplifies_to_zero(diff: sp.Expr) -> tuple[bool, sp.Expr]:
    """Try to prove ``diff == 0`` symbolically. Return ``(proved, simplified diff)``."""
    if diff == 0:
        return True, diff
    diff = diff.doit()  # evaluate what is written unevaluated: Derivative, Subs, Limit, Integral, Sum
    simplified = sp.simplify(diff)
    if simplified == 0:
        return True, simplified
    attempts = (
        sp.expand,
        sp.trigsimp,
        lambda e: sp.simplify(sp.expand(e)),
        lambda e: sp.simplify(e.rewrite(sp.exp)),  # tanh, cosh, ... written with exp
    )
    for attempt in attempts:
        try:
            if attempt(diff) == 0:
                return True, sp.S.Zero
        except (TypeError, ValueError, NotImplementedError, AttributeError):
            continue
    # For constants `equals` proves algebraic identities (minimal polynomials). With free
    # symbols it would compare values at random points, which proves nothing: not used.
    if not diff.free_symbols and diff.equals(0) is True:
        return True, sp.S.Zero
    return False, simplified


_TRIAL_VALUES = (sp.Rational(1, 3), -sp.Rational(7, 5), sp.Rational(5, 2))


def _counterexample(diff: sp.Expr) -> str | None:
    """A point where ``diff`` is clearly not 0, as text (used only to *disprove*)."""
    symbols = sorted(diff.free_symbols, key=str)
    if not all(isinstance(s, sp.Symbol) for s in symbols):
        return None
    for k, value in enumerate(_TRIAL_VALUES):
        point = {}
        for s in symbols:  # a value allowed by the symbol's assumptions
            v = sp.Integer(k + 2) if s.is_integer else abs(value)
            point[s] = -v if s.is_nonpositive else (v if s.is_nonnegative else v * sp.sign(value))
        try:
            number = complex(diff.subs(point).evalf())
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if abs(number) > 1e-9:
            where = ", ".join(f"{s} = {v}" for s, v in point.items()) or "every point"
            shown = number.real if number.imag == 0 else number
            return f"at {where}: lhs - rhs = {shown:.6g}"
    return None


def _failure_message(lhs, rhs, label, differences: list[tuple[str, sp.Expr, sp.Expr]]) -> str:
    """Plain-text report: both sides, and for each differing entry its simplified difference."""
    title = f"derivation check failed{f' ({label})' if label else ''}: could not prove lhs = rhs"
    lines = [title, f"  lhs: {_text(lhs)}", f"  rhs: {_text(rhs)}"]
    for where, diff, simplified in differences:
        lines.append(f"  lhs - rhs{where} simplifies to: {_text(simplified)}")
        if not isinstance(simplified, sp.MatrixExpr) and (simplified.is_zero is False or simplified.is_number):
            lines.append("    -> the two sides differ")
        elif (witness := _counterexample(diff)) is not None:
            lines.append(f"    -> the two sides differ, e.g. {witness}")
        else:
            lines.append(
                "    -> SymPy could not reduce this to 0; rewrite the step (expand, factor,"
                " .rewrite(sympy.exp)) until it does"
            )
        if diff.has(sp.Float):
            lines.append("    (it contains floating-point numbers; use sympy.Rational for exact arithmetic)")
    return "\n".join(lines)


def _matrix_shape_error(lhs, rhs, label) -> DerivationError:
    def shape(m):
        return "scalar" if not isinstance(m, (sp.MatrixBase, sp.MatrixExpr)) else "x".join(map(str, m.shape))

    return DerivationError(
        f"derivation check failed{f' ({label})' if label else ''}: shape mismatch, "
        f"lhs is {shape(lhs)} but rhs is {shape(rhs)}\n  lhs: {_text(lhs)}\n  rhs: {_text(rhs)}"
    )


# ----------------------------------------------------------------------------- public API


def check_equal(lhs, rhs, label: str | None = None, show: bool = True) -> None:
    """Assert that two SymPy expressions (or matrices) are equal, and show the identity.

    Equality is proved by showing that ``lhs - rhs`` simplifies to zero.
    Unevaluated objects (``sympy.Derivative``, ``Subs``, ``Limit``,
    ``Integral``, ``Sum``) are evaluated with ``doit()``; then
    :func:`sympy.simplify` is tried, then :func:`sympy.expand`,
    :func:`sympy.trigsimp` and a rewrite in terms of ``exp``, and for constants
    (no free symbols) :meth:`sympy.Expr.equals`. Expressions are never compared
    at random points, so an equality SymPy cannot simplify fails, with a
    message saying so. (Values are substituted only to *disprove*: when the
    check fails, the message shows a point where the two sides differ, if one
    of a few simple points is such a point.)

    Parameters
    ----------
    lhs, rhs : sympy.Expr, number, sympy.Matrix or sympy.MatrixExpr
        The two sides. Matrices are compared entry by entry and must have the
        same shape; a matrix is never equal to a scalar.
    label : str, optional
        A few words naming the step, shown next to the rendered identity.
    show : bool, default True
        Render the identity. With ``False`` only a check mark and the label are shown
        (for expressions that would fill pages); the check itself is the same.

    Raises
    ------
    DerivationError
        If the shapes differ, or ``lhs - rhs`` could not be simplified to zero.
        The message shows both sides and the simplified difference (and, when a
        point is found where the sides differ, that point).
    TypeError
        If a side is not a SymPy object or number (e.g. a NumPy array, a list,
        a string or a relation such as ``sympy.Eq``).

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> check_equal((x + 1) ** 2, x**2 + 2 * x + 1)  # doctest: +SKIP
    """
    lhs, rhs = _as_sympy(lhs, "lhs"), _as_sympy(rhs, "rhs")
    lhs_is_matrix = isinstance(lhs, (sp.MatrixBase, sp.MatrixExpr))
    rhs_is_matrix = isinstance(rhs, (sp.MatrixBase, sp.MatrixExpr))
    if lhs_is_matrix or rhs_is_matrix:
        if not (lhs_is_matrix and rhs_is_matrix) or lhs.shape != rhs.shape:
            raise _matrix_shape_error(lhs, rhs, label)
        differences = _matrix_differences(lhs, rhs)
    else:
        proved, simplified = _simplifies_to_zero(lhs - rhs)
        differences = [] if proved else [("", lhs - rhs, simplified)]
    if differences:
        raise DerivationError(_failure_message(lhs, rhs, label, differences))
    if show:
        _passed_check(f"{sp.latex(lhs)} = {sp.latex(rhs)}", f"{_text(lhs)} = {_text(rhs)}", label)
    else:
        _passed_check("", "", label, show=False)


def _explicit(matrix) -> sp.Matrix:
    """An explicit matrix of entries (a MatrixSymbol A becomes [[A[0, 0], ...], ...])."""
    return sp.Matrix(matrix if isinstance(matrix, sp.MatrixBase) else matrix.as_explicit())


def _matrix_differences(lhs, rhs) -> list[tuple[str, sp.Expr, sp.Expr]]:
    """Entries of ``lhs - rhs`` that could not be proved zero, as (where, diff, simplified)."""
    if all(isinstance(n, (int, sp.Integer)) for n in lhs.shape):
        diff = _explicit(lhs) - _explicit(rhs)
        differences = []
        for (i, j), entry in zip(((i, j) for i in range(diff.rows) for j in range(diff.cols)), diff):
            proved, simplified = _simplifies_to_zero(entry)
            if not proved:
                differences.append((f"[{i}, {j}]", entry, simplified))
        return differences
    diff = (lhs - rhs).doit()  # symbolic shape, e.g. (n, m): prove it at the matrix level
    simplified = sp.simplify(diff)
    proved = simplified == 0 or getattr(simplified, "is_ZeroMatrix", False)
    return [] if proved else [("", diff, simplified)]


_SIGN_OF_DIFFERENCE = {  # relation lhs OP rhs holds when (lhs - rhs) has this property
    ">": "is_positive",
    ">=": "is_nonnegative",
    "<": "is_negative",
    "<=": "is_nonpositive",
    "!=": "is_nonzero",
}


def check_true(relation, label: str | None = None) -> None:
    """Assert that a SymPy relation or boolean holds, and show it.

    The relation holds when :func:`sympy.simplify` turns it into ``sympy.true``.
    Failing that, an equation ``sympy.Eq(a, b)`` is proved like
    :func:`check_equal`, and an inequality ``a > b`` (``>=``, ``<``, ``<=``, ``!=``)
    by the sign SymPy's assumptions give to ``simplify(a - b)`` — so declare
    symbols with assumptions, e.g. ``sympy.Symbol("x", positive=True)``.

    SymPy evaluates some relations as soon as they are built (``x**2 + 1 > 0``
    with a real ``x`` is already ``True``); pass ``evaluate=False``, e.g.
    ``sympy.Gt(x**2 + 1, 0, evaluate=False)``, so the reader sees the relation.

    Parameters
    ----------
    relation : sympy.core.relational.Relational or sympy.logic.boolalg.Boolean
        For example ``sympy.Eq(a, b)``, ``sympy.Le(a, b)``, ``a > 0``,
        ``sympy.And(...)``.
    label : str, optional
        A few words naming the step, shown next to the rendered relation.

    Raises
    ------
    DerivationError
        If the relation simplifies to ``false``, or could not be proved.
    TypeError
        If ``relation`` is a Python ``bool`` (Python's ``==`` compares the form
        of two expressions, not their value: use ``sympy.Eq``) or not a SymPy
        boolean.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> check_true(sp.Ge(x**2, 0))  # doctest: +SKIP
    """
    if isinstance(relation, (bool, np.bool_)):
        raise TypeError(
            "check_true: got a Python bool; build the relation with SymPy, e.g. sympy.Eq(a, b) "
            "or sympy.Le(a, b) (Python's == compares the form of expressions, not their value)"
        )
    relation = sp.sympify(relation, strict=True)
    if not isinstance(relation, _RELATIONS):
        raise TypeError(f"check_true: expected a SymPy relation or boolean, got {sp.sstr(relation)}")
    if not _holds(relation):
        simplified = sp.simplify(relation.doit())
        verdict = "is false" if simplified is sp.false else "could not be proved"
        message = (
            f"derivation check failed{f' ({label})' if label else ''}: the relation {verdict}\n"
            f"  relation:   {sp.sstr(relation)}\n  simplified: {sp.sstr(simplified)}"
        )
        if isinstance(relation, sp.Rel):
            message += f"\n  lhs - rhs simplifies to: {sp.sstr(sp.simplify((relation.lhs - relation.rhs).doit()))}"
        raise DerivationError(message)
    _passed_check(sp.latex(relation), sp.sstr(relation), label)


def _holds(relation) -> bool:
    """True if ``relation`` is proved true (see :func:`check_true`)."""
    if relation is sp.true or sp.simplify(relation.doit()) is sp.true:
        return True
    if isinstance(relation, sp.Eq):
        return _simplifies_to_zero(relation.lhs - relation.rhs)[0]
    if isinstance(relation, sp.Rel) and relation.rel_op in _SIGN_OF_DIFFERENCE:
        difference = sp.simplify((relation.lhs - relation.rhs).doit())
        return getattr(difference, _SIGN_OF_DIFFERENCE[relation.rel_op]) is True
    return False


def checks_done() -> int:
    """Show how many derivation checks passed in this kernel, and return that number.

    Call it in the last cell of a chapter: the count is kept per Python
    process, and each chapter runs in its own kernel.

    Returns
    -------
    int
        The number of :func:`check_equal` and :func:`check_true` calls that passed.
    """
    text = f"{_passed} derivation check{'s' if _passed != 1 else ''} passed in this chapter"
    _display(f"✓ {text}", html=f"<p><strong>✓ {text}</strong></p>")
    return _passed
