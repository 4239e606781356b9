"""How a passed derivation check looks: a compact ✓ with a label, expandable to its code and math.

A check is shown as an HTML ``<details>`` element. Collapsed, it is one line,
"✓ label". Expanded, it shows the claim as typeset math (the left side above,
"= right side" below when the two do not fit on one line; long sums are broken
between terms, because MathJax 3 does not break lines by itself) and the code
that made the check. The code is read from the source of the running cell (or
script): the statements since the previous check in the same cell, up to the
statement that made this one. The ``text/plain`` part is one line,
``✓ <lhs> = <rhs>   (<label>)``; tools count checks from it.
"""

from __future__ import annotations

import ast
import html
import linecache
import os
import re
import sys
import sysconfig
import textwrap
from pathlib import Path

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

# ----------------------------------------------------------------------------- the code of a check

_TOOLKIT_DIR = str(Path(__file__).resolve().parent)
_LIBRARY_DIRS = tuple(
    {os.path.realpath(p) for key in ("stdlib", "platstdlib", "purelib", "platlib") if (p := sysconfig.get_paths().get(key))}
)
_last_check: dict[str, object] = {"frame": None, "index": -1}  # (id, code) of the frame of the previous check


def _is_user_code(filename: str) -> bool:
    """True for a chapter cell, a script or a test; False for the toolkit, the standard library and packages."""
    if not linecache.getlines(filename):
        return False
    path = os.path.realpath(filename)
    return not path.startswith(_TOOLKIT_DIR) and not path.startswith(_LIBRARY_DIRS)


def _outermost_user_frame():
    """The frame of the cell (or function) that made the check, through any helper it called."""
    frame, found = sys._getframe(1), None
    while frame is not None and not _is_user_code(frame.f_code.co_filename):  # leave the toolkit
        frame = frame.f_back
    while frame is not None and _is_user_code(frame.f_code.co_filename):
        found, frame = frame, frame.f_back
    return found


def _body_of(tree: ast.Module, code) -> list[ast.stmt] | None:
    """The statements of the module, or of the function whose code object is ``code``."""
    if code.co_name == "<module>":
        return tree.body
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == code.co_name:
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            if code.co_firstlineno in (first, node.lineno):
                return node.body
    return None


def _run_key(frame) -> tuple:
    """What identifies one run of a cell (or one call of a function) across the checks made in it.

    IPython runs a cell's last expression in a code object of its own, so within a cell the frame changes;
    the execution count does not, and a re-run of the cell gets a new one.
    """
    if frame.f_code.co_name == "<module>":
        try:
            from IPython import get_ipython
        except ImportError:
            get_ipython = None
        count = getattr(get_ipython() if get_ipython else None, "execution_count", None)
        if count is not None:
            return frame.f_code.co_filename, count
    return frame.f_code.co_filename, id(frame)


def check_source() -> str | None:
    """The code that led to the check being made now, or None where no source can be read."""
    frame = _outermost_user_frame()
    if frame is None:
        return None
    lines = linecache.getlines(frame.f_code.co_filename)
    try:
        body = _body_of(ast.parse("".join(lines)), frame.f_code)
    except SyntaxError:
        return None
    here = [i for i, stmt in enumerate(body or []) if stmt.lineno <= frame.f_lineno <= stmt.end_lineno]
    if not here:
        return None
    index, key = here[0], _run_key(frame)
    same_run = _last_check["frame"] == key and _last_check["index"] <= index
    start = index if same_run and _last_check["index"] == index else (_last_check["index"] + 1 if same_run else 0)
    _last_check.update(frame=key, index=index)
    first = body[start]
    first_line = min([first.lineno] + [d.lineno for d in getattr(first, "decorator_list", [])])
    return textwrap.dedent("".join(lines[first_line - 1:body[index].end_lineno])).strip("\n")


# ----------------------------------------------------------------------------- the math of a check


def _is_written(expr) -> bool:
    """True for a sum or product built with ``evaluate=False``: SymPy would combine or reorder it."""
    return isinstance(expr, (sp.Add, sp.Mul)) and expr.func(*expr.args) != expr


def _written_product(printer, expr, times: str, minus: str) -> str:
    """A product as written, factor by factor, with ``times`` between them (``- x`` for ``-1 * x``)."""
    if expr.args[0] == -1 and len(expr.args) > 1:
        rest = sp.Mul(*expr.args[1:], evaluate=False) if len(expr.args) > 2 else expr.args[1]
        return minus + printer.parenthesize(rest, PRECEDENCE["Mul"], strict=True)
    factors = []
    for factor in expr.args:
        text = printer._print(factor)
        needs_parens = isinstance(factor, sp.Add) or factor.could_extract_minus_sign()
        factors.append(printer._add_parens(text) if needs_parens else text)
    return times.join(factors)


class _ClaimLatexPrinter(LatexPrinter):
    """LaTeX that shows a written-out sum or product as written (``1/2 · 1 - 3/5 · 2 + 1/5``)."""

    def _add_parens(self, text: str) -> str:
        return rf"\left({text}\right)"

    def _print_Add(self, expr, order=None):
        return super()._print_Add(expr, order="none" if _is_written(expr) else order)

    def _print_Mul(self, expr):
        return _written_product(self, expr, r" \cdot ", "- ") if _is_written(expr) else super()._print_Mul(expr)


class _ClaimStrPrinter(StrPrinter):
    def _add_parens(self, text: str) -> str:
        return f"({text})"

    def _print_Add(self, expr, order=None):
        return super()._print_Add(expr, order="none" if _is_written(expr) else order)

    def _print_Mul(self, expr):
        return _written_product(self, expr, "*", "-") if _is_written(expr) else super()._print_Mul(expr)


def latex_of(expr) -> str:
    """LaTeX of a side of a claim; written-out sums and products keep their form."""
    return _ClaimLatexPrinter().doprint(expr)


def text_of(expr) -> str:
    """One-line plain text of a side of a claim (matrices as nested lists)."""
    if isinstance(expr, sp.MatrixBase):
        return f"Matrix({_ClaimStrPrinter().doprint(expr.tolist())})"
    return _ClaimStrPrinter().doprint(expr).replace("\n", "")


LINE_WIDTH = 56  # characters of typeset math that fit on one line of the book's text column


def _matrix_width(match: re.Match) -> str:
    """A matrix is as wide as its widest row (its rows are stacked, not written side by side)."""
    rows = match.group(1).split(r"\\")
    widest = max(sum(_visible_width(cell) + 2 for cell in row.split("&")) for row in rows)
    return "x" * widest


def _visible_width(latex: str) -> int:
    """A rough width of typeset LaTeX, in characters (a command counts as one, braces as none)."""
    latex = re.sub(r"\\begin\{matrix\}(.*?)\\end\{matrix\}", _matrix_width, latex)
    latex = re.sub(r"\\(left|right|displaystyle|mathrm|operatorname|text|mathbf|quad)\b|\\[,;!]", "", latex)
    latex = re.sub(r"\\[A-Za-z]+", "x", latex)
    operators = len(re.findall(r"[-+=<>]", latex))  # each with a space on both sides
    return len(re.sub(r"[{}^_\s]", "", latex)) + 2 * operators


def _pieces(expr) -> tuple[list[str], str] | None:
    """The LaTeX pieces a long sum or product can be broken between, and the sign that joins them."""
    if isinstance(expr, sp.Add) and not isinstance(expr, sp.MatrixExpr):
        pieces = []
        for term in expr.args if _is_written(expr) else expr.as_ordered_terms():
            text = latex_of(term)
            pieces.append(text if not pieces else (f"- {text[1:]}" if text.startswith("-") else f"+ {text}"))
        return pieces, ""
    if isinstance(expr, sp.Mul) and not isinstance(expr, sp.MatrixExpr):
        factors = list(expr.args if _is_written(expr) else expr.as_ordered_factors())
        sign = "- " if factors[0] == -1 else ""
        factors = factors[1:] if sign else factors
        printer = _ClaimLatexPrinter()
        pieces = [printer.parenthesize(f, PRECEDENCE["Mul"], strict=isinstance(f, sp.Add)) for f in factors]
        return [sign + pieces[0], *[rf"\cdot {p}" for p in pieces[1:]]], ""
    return None


def _lines(expr) -> list[str]:
    """LaTeX of ``expr``, as several lines between the terms of a long sum or the factors of a long product."""
    latex = latex_of(expr)
    broken = _pieces(expr) if _visible_width(latex) > LINE_WIDTH else None
    if broken is None:
        return [latex]
    lines, current = [], ""
    for piece in broken[0]:
        if current and _visible_width(current + piece) > LINE_WIDTH:
            lines.append(current)
            current = piece
        else:
            current = f"{current} {piece}".strip()
    return lines + [current]


def identity_latex(lhs, rhs, relation: str = "=") -> str:
    """``lhs = rhs`` on one line when it fits, else aligned: the left side, then ``= right side``."""
    one_line = f"{latex_of(lhs)} {relation} {latex_of(rhs)}"
    if _visible_width(one_line) <= LINE_WIDTH:
        return one_line
    rows = [f"&{line}" if k == 0 else rf"&\quad {line}" for k, line in enumerate(_lines(lhs))]
    for k, line in enumerate(_lines(rhs)):
        rows.append(f"{relation}{{}} &{line}" if k == 0 else rf"&\quad {line}")
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


# ----------------------------------------------------------------------------- the HTML of a check

_CHECK_MARK = '<span style="color:#1a7f37;font-weight:bold">✓</span>'


def label_html(label: str) -> str:
    """The label as HTML text; ``$...$`` in it becomes inline math."""
    parts = str(label).split("$")
    if len(parts) % 2 == 0:  # an odd number of $: no math, show them as they are
        return html.escape(str(label))
    return "".join(
        html.escape(p) if k % 2 == 0 else rf'<span class="math notranslate nohighlight">\({html.escape(p)}\)</span>'
        for k, p in enumerate(parts)
    )


def _code_html(code: str) -> str:
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import PythonLexer
    except ImportError:  # pygments comes with IPython; plain text without it
        return f'<div class="highlight"><pre>{html.escape(code)}</pre></div>'
    return highlight(code, PythonLexer(), HtmlFormatter(cssclass="highlight"))


def check_html(label: str, latex: str | None, code: str | None) -> str:
    """The ``<details>`` element of one passed check (``latex`` None: the sides are not shown)."""
    parts = []
    if latex is not None:
        parts.append(f'<div class="math notranslate nohighlight" style="overflow-x:auto">\\[{html.escape(latex)}\\]</div>')
    if code:
        parts.append('<div style="font-size:0.85em;margin:0 0 0.25em">The SymPy code of this check:</div>')
        parts.append(_code_html(code))
    return (
        '<details class="nnfp-check" style="margin:0.1em 0">'
        f'<summary style="cursor:pointer">{_CHECK_MARK} {label_html(label)}</summary>'
        f'<div class="nnfp-check-body" style="padding:0.2em 0 0.4em 1.4em">{"".join(parts)}</div></details>'
    )
