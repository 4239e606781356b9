"""How the derivation checks prove (or disprove) an identity, and how they report a failure.

:func:`simplifies_to_zero` proves ``lhs - rhs == 0`` symbolically, never by
sampling; :func:`counterexample` substitutes a few simple values only to
*disprove*; :func:`failure_message` writes the report that
:class:`nnlib.book.checks.DerivationError` carries.
"""

from __future__ import annotations

import sympy as sp

from nnlib.book._check_display import text_of as _text


def simplifies_to_zero(diff: sp.Expr) -> tuple[bool, sp.Expr]:
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
        lambda e: sp.simplify(sp.piecewise_fold(e.rewrite(sp.Piecewise))),  # Max, Abs, Heaviside as cases
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


def counterexample(diff: sp.Expr) -> str | None:
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


def failure_message(lhs, rhs, label, differences: list[tuple[str, sp.Expr, sp.Expr]]) -> str:
    """Plain-text report: both sides, and for each differing entry its simplified difference."""
    title = f"derivation check failed{f' ({label})' if label else ''}: could not prove lhs = rhs"
    lines = [title, f"  lhs: {_text(lhs)}", f"  rhs: {_text(rhs)}"]
    for where, diff, simplified in differences:
        lines.append(f"  lhs - rhs{where} simplifies to: {_text(simplified)}")
        if not isinstance(simplified, sp.MatrixExpr) and (simplified.is_zero is False or simplified.is_number):
            lines.append("    -> the two sides differ")
        elif (witness := counterexample(diff)) is not None:
            lines.append(f"    -> the two sides differ, e.g. {witness}")
        else:
            lines.append(
                "    -> SymPy could not reduce this to 0; rewrite the step (expand, factor,"
                " .rewrite(sympy.exp)) until it does"
            )
        if diff.has(sp.Float):
            lines.append("    (it contains floating-point numbers; use sympy.Rational for exact arithmetic)")
    return "\n".join(lines)


def matrix_shape_message(lhs, rhs, label) -> str:
    def shape(m):
        return "scalar" if not isinstance(m, (sp.MatrixBase, sp.MatrixExpr)) else "x".join(map(str, m.shape))

    return (
        f"derivation check failed{f' ({label})' if label else ''}: shape mismatch, "
        f"lhs is {shape(lhs)} but rhs is {shape(rhs)}\n  lhs: {_text(lhs)}\n  rhs: {_text(rhs)}"
    )


def _explicit(matrix) -> sp.Matrix:
    """An explicit matrix of entries (a MatrixSymbol A becomes [[A[0, 0], ...], ...])."""
    return sp.Matrix(matrix if isinstance(matrix, sp.MatrixBase) else matrix.as_explicit())


def matrix_differences(lhs, rhs) -> list[tuple[str, sp.Expr, sp.Expr]]:
    """Entries of ``lhs - rhs`` that could not be proved zero, as (where, diff, simplified)."""
    if all(isinstance(n, (int, sp.Integer)) for n in lhs.shape):
        diff = _explicit(lhs) - _explicit(rhs)
        differences = []
        for (i, j), entry in zip(((i, j) for i in range(diff.rows) for j in range(diff.cols)), diff):
            proved, simplified = simplifies_to_zero(entry)
            if not proved:
                differences.append((f"[{i}, {j}]", entry, simplified))
        return differences
    diff = (lhs - rhs).doit()  # symbolic shape, e.g. (n, m): prove it at the matrix level
    simplified = sp.simplify(diff)
    proved = simplified == 0 or getattr(simplified, "is_ZeroMatrix", False)
    return [] if proved else [("", diff, simplified)]
