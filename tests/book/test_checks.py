"""Tests for nnlib.book.checks: SymPy derivation checks, and how a passed check is shown."""

import importlib.util
import json
import re
from pathlib import Path

import numpy as np
import pytest

sp = pytest.importorskip("sympy")
pytest.importorskip("IPython")

from book.rich_display import shown  # noqa: E402,F401  (a fixture)

from nnlib.book import checks  # noqa: E402
from nnlib.book._check_display import LINE_WIDTH, identity_latex  # noqa: E402
from nnlib.book.checks import DerivationError, check_equal, check_true, checks_done, checks_passed  # noqa: E402

x = sp.Symbol("x", real=True)
p = sp.Symbol("p", positive=True)
sigmoid = 1 / (1 + sp.exp(-x))



# ----------------------------------------------------------------------------- check_equal proves


def test_true_identity_passes_counts_and_prints_claim_result_label(capsys):
    before = checks_passed()
    check_equal(sp.Derivative(sigmoid, x), sigmoid * (1 - sigmoid), label="sigmoid derivative")
    assert checks_passed() == before + 1
    line = capsys.readouterr().out.strip()
    assert line.startswith("✓ Derivative(1/(1 + exp(-x)), x) = ") and line.endswith("   (sigmoid derivative)")


def test_identity_needing_a_rewrite_in_exp_passes():
    check_equal(sp.tanh(x), (sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x)), label="tanh")
    check_equal(sp.Derivative(sp.tanh(x), x), 1 - sp.tanh(x) ** 2, label="tanh'")
    check_equal(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1, label="Pythagoras")
    check_equal(sp.Mul(3, sp.Rational(1, 4), evaluate=False), 0.75, label="exact in binary floating point")


def test_false_identity_raises_with_both_sides_and_difference():
    before = checks_passed()
    wrong = sigmoid * (1 + sigmoid)
    with pytest.raises(DerivationError) as info:
        check_equal(sp.Derivative(sigmoid, x), wrong, label="wrong step")
    message = str(info.value)
    assert sp.sstr(sp.Derivative(sigmoid, x)) in message
    assert sp.sstr(wrong) in message
    assert "lhs - rhs simplifies to" in message
    assert "wrong step" in message
    assert checks_passed() == before  # a failed check is not counted


def test_derivation_error_is_an_assertion_error():
    assert issubclass(DerivationError, AssertionError)


def test_counterexample_is_reported_for_a_false_identity():
    n = sp.Symbol("n", integer=True)
    with pytest.raises(DerivationError, match=r"differ, e\.g\. at n = 2"):
        check_equal(n**2, n, label="wrong")
    with pytest.raises(DerivationError, match=r"at x = -7/5"):  # a negative value for a real symbol
        check_equal(sp.sqrt(x**2), x, label="wrong")


def test_true_identity_sympy_cannot_prove_is_not_passed_silently():
    # atan(p) + atan(1/p) = pi/2 holds for p > 0, but SymPy cannot simplify it: a check
    # based on sampling numbers would pass; this one must refuse.
    with pytest.raises(DerivationError, match="could not reduce this to 0"):
        check_equal(sp.atan(p) + sp.atan(1 / p), sp.pi / 2, label="unprovable")


def test_floats_get_a_hint_to_use_rationals():
    with pytest.raises(DerivationError, match="Rational"):
        check_equal(sp.Add(sp.Float(0.1), sp.Float(0.2), evaluate=False), sp.Rational(3, 10), label="floats")


def test_matrices_equal_entrywise():
    a, b, c, d = sp.symbols("a b c d")
    A = sp.Matrix([[a, b], [c, d]])
    B = sp.Matrix([[d, -b], [-c, a]])
    check_equal(sp.MatMul(A, B, evaluate=False), (a * d - b * c) * sp.eye(2), label="adjugate")
    W, X = sp.MatrixSymbol("W", 3, 2), sp.MatrixSymbol("X", 4, 3)
    check_equal(sp.Transpose(X * W), W.T * X.T, label="batch convention transposed")


def test_symbolic_shape_matrices():
    n, m, k = sp.symbols("n m k", integer=True, positive=True)
    X, W = sp.MatrixSymbol("X", n, m), sp.MatrixSymbol("W", m, k)
    check_equal(sp.Transpose(X * W), W.T * X.T, label="transpose of a product")
    A, B = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("B", n, n)
    with pytest.raises(DerivationError, match="could not prove"):
        check_equal(sp.Transpose(A * B), A.T * B.T, label="wrong order")  # the order of the factors matters


def test_matrix_entry_that_differs_is_named():
    with pytest.raises(DerivationError, match=r"lhs - rhs\[1, 0\] simplifies to: -1"):
        check_equal(sp.Matrix([x, sp.Add(1, 1, evaluate=False)]), sp.Matrix([x, 3]), label="wrong entry")


def test_matrix_shape_mismatch_raises_clearly():
    with pytest.raises(DerivationError, match="shape mismatch, lhs is 2x1 but rhs is 1x2"):
        check_equal(sp.Matrix([x, 2]), sp.Matrix([[x, 2]]), label="shapes")
    with pytest.raises(DerivationError, match="lhs is 1x1 but rhs is scalar"):
        check_equal(sp.Matrix([x]), x, label="shapes")


@pytest.mark.parametrize("bad", [np.ones(2), "x + 1", [1, 2], True])
def test_non_sympy_values_are_rejected(bad):
    with pytest.raises(TypeError, match="check_equal"):
        check_equal(bad, bad, label="bad input")


def test_relation_in_check_equal_is_rejected():
    with pytest.raises(TypeError, match="use check_true"):
        check_equal(sp.Eq(x, 1), 1, label="relation")


@pytest.mark.parametrize("label", [None, "", "   ", 3])
def test_a_label_is_required(label):
    with pytest.raises(TypeError, match="label must be a few words"):
        check_equal(sp.Derivative(x**2, x), 2 * x, label=label)


# ----------------------------------------------------------------------------- the left side is the claim


@pytest.mark.parametrize(
    "lhs, rhs",
    [
        (sp.Rational(1, 10), sp.Rational(1, 10)),  # "1/10 = 1/10"
        (sp.Integer(0), sp.S.Zero),  # "0 = 0"
        (2 * x, sp.Mul(2, x, evaluate=False)),  # different objects, the same display
        (sp.Matrix([x, 1]), sp.Matrix([x, 1])),
    ],
)
def test_sides_identical_before_simplification_are_refused(lhs, rhs):
    before = checks_passed()
    with pytest.raises(ValueError, match="left side must state the claim"):
        check_equal(lhs, rhs, label="a tautology")
    assert checks_passed() == before


@pytest.mark.parametrize("lhs", [sp.Rational(-1, 2), sp.Float(0.5), sp.pi, sp.Matrix([1, sp.Rational(1, 2)])])
def test_a_bare_number_on_the_left_is_refused(lhs):
    with pytest.raises(ValueError, match="bare number"):
        check_equal(lhs, sp.Symbol("c"), label="a computed value")


def test_an_unevaluated_claim_about_numbers_is_accepted(capsys, shown):
    from nnlib.book.symbolic import written_dot

    claim = written_dot([sp.Rational(1, 2), sp.Rational(-3, 5)], [1, 2], sp.Rational(1, 5))
    check_equal(claim, sp.Rational(-1, 2), label="z of the first example")
    assert shown[-1]["text/plain"].startswith("✓ 1/2*1 - 3/5*2 + 1/5 = -1/2   (z of the first example)")
    # typeset in the order written, each product with its dot
    assert r"\frac{1}{2} \cdot 1 - \frac{3}{5} \cdot 2 + \frac{1}{5} = - \frac{1}{2}" in shown[-1]["text/html"]


# ----------------------------------------------------------------------------- check_true


def test_true_inequalities_pass():
    before = checks_passed()
    check_true(sp.Ge(sigmoid * (1 - sigmoid), 0, evaluate=False), label="sigma' >= 0")
    check_true(sp.Gt(p + 1, 1, evaluate=False), label="p + 1 > 1")
    check_true(sp.Le(-((sigmoid - sp.Rational(1, 2)) ** 2), 0, evaluate=False), label="minus a square")
    check_true(sp.Eq(sp.Derivative(sigmoid, x), sigmoid * (1 - sigmoid)), label="as an equation")
    assert checks_passed() == before + 4


def test_false_inequality_raises():
    with pytest.raises(DerivationError, match="is false"):
        check_true(sp.Lt(sp.Rational(1, 4), sp.Rational(1, 5), evaluate=False), label="wrong")
    with pytest.raises(DerivationError, match="could not be proved"):
        check_true(sp.Gt(x, 0), label="x is real, not positive")
    with pytest.raises(DerivationError, match="is false"):
        check_true(sp.Eq(sp.Derivative(sigmoid, x), sigmoid * (1 + sigmoid)), label="wrong")


def test_python_bool_is_rejected_in_check_true():
    with pytest.raises(TypeError, match="sympy.Eq"):
        check_true(x == x, label="bool")
    with pytest.raises(TypeError, match="relation"):
        check_true(x + 1, label="not a relation")


def test_an_evaluated_or_trivial_relation_is_refused():
    with pytest.raises(ValueError, match="evaluate=False"):
        check_true(sp.Lt(sp.Rational(1, 5), sp.Rational(1, 4)), label="already True")
    with pytest.raises(ValueError, match="left side must state the claim"):
        check_true(sp.Eq(sp.Integer(0), sp.Integer(0), evaluate=False), label="0 = 0")


def test_check_true_plain_text_writes_the_relation(capsys):
    check_true(sp.Le(x**2 - 2 * x + 1, (x - 1) ** 2, evaluate=False), label="a square")
    assert capsys.readouterr().out.strip() == "✓ x**2 - 2*x + 1 <= (x - 1)**2   (a square)"


# ----------------------------------------------------------------------------- how a passed check is shown


def test_a_check_is_a_compact_expandable_line_with_math_and_code(shown):
    f = sp.Function("f")
    claim = sp.Derivative(f(x) ** 2, x)
    check_equal(claim, 2 * f(x) * sp.Derivative(f(x), x), label="chain_rule: f^2 ~ 2 f f'")
    html = shown[-1]["text/html"]
    assert html.startswith('<details class="nnfp-check"')
    summary = re.search(r"<summary[^>]*>(.*?)</summary>", html).group(1)
    assert summary.endswith("chain_rule: f^2 ~ 2 f f&#x27;")  # _ ^ ~ kept: the label reads as written
    assert "✓" in summary and "\\[" not in summary  # the math is inside, not in the line
    assert r"\frac{d}{d x} f^{2}{\left(x \right)}" in html  # the claim, unevaluated
    code = re.sub("<[^>]+>", "", html)
    assert "claim = sp.Derivative" in code and "check_equal(claim" in code  # the code of the check
    assert "text/latex" not in shown[-1]


def test_dollar_signs_in_a_label_become_inline_math(shown):
    check_equal(sp.Derivative(x**3, x), 3 * x**2, label="the power rule for $x^3$ & more")
    # (the class "math" makes MathJax typeset it in the book, where pages are otherwise ignored)
    assert r'the power rule for <span class="math notranslate nohighlight">\(x^3\)</span> &amp; more' in shown[-1]["text/html"]


def test_the_code_shown_is_what_led_to_this_check_only(shown):
    a = sp.Symbol("a")
    first_side = a**2 - 1
    check_equal(first_side, (a - 1) * (a + 1), label="first")
    second_side = sp.Derivative(a**2, a)
    check_equal(second_side, 2 * a, label="second")
    first_code, second_code = (re.sub("<[^>]+>", "", b["text/html"]) for b in shown[-2:])
    assert "first_side = a**2 - 1" in first_code and "second_side" not in first_code
    assert "second_side = sp.Derivative" in second_code and "first_side" not in second_code


def test_a_check_in_a_loop_shows_the_loop(shown):
    for k in (2, 3):
        check_equal(sp.Derivative(x**k, x), k * x ** (k - 1), label=f"power rule, k = {k}")
    for bundle in shown[-2:]:
        assert "for k in (2, 3):" in re.sub("<[^>]+>", "", bundle["text/html"])


def test_show_false_hides_the_sides_but_still_checks(shown):
    before = checks_passed()
    check_equal(sp.Mul(sp.exp(x), sp.exp(-x), evaluate=False), 1, label="exp cancels", show=False)
    assert shown[-1]["text/plain"] == "✓ exp cancels"
    assert "\\[" not in shown[-1]["text/html"]
    assert checks_passed() == before + 1
    with pytest.raises(DerivationError):
        check_equal(sp.exp(x), 1, label="wrong", show=False)


def test_short_identities_take_one_line_and_wide_ones_wrap():
    assert identity_latex(sp.Derivative(x**2, x), 2 * x) == r"\frac{d}{d x} x^{2} = 2 x"
    terms = sp.symbols("w_1:13")
    wide = sp.Add(*[t * sp.Symbol(f"x_{i}") for i, t in enumerate(terms)])
    latex = identity_latex(sp.Derivative(wide, x), wide)
    assert latex.startswith(r"\begin{aligned}&") and r"\\ ={} &" in latex  # the right side on its own line
    rows = latex.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}").split(r" \\ ")
    assert len(rows) >= 3 and rows[2].startswith(r"&\quad +")  # a long sum continues on the next line
    assert sum(row.count("w_{") for row in rows[1:]) == 12  # the right side holds every term once


def test_rows_of_a_wrapped_sum_fit_the_line_width():
    from nnlib.book._check_display import _lines, _visible_width

    expr = sp.Add(*[sp.Symbol(f"a_{i}") * sp.exp(-sp.Symbol(f"b_{i}")) for i in range(20)])
    rows = _lines(expr)
    assert len(rows) > 1 and all(_visible_width(row) <= LINE_WIDTH + 12 for row in rows)
    product = sp.Mul(*[sp.Function("f")(sp.Symbol(f"a_{i}") + sp.Symbol(f"b_{i}")) for i in range(12)])
    rows = _lines(product)  # a long product breaks between its factors
    assert len(rows) > 1 and all(row.startswith(r"\cdot") for row in rows[1:])
    assert sum(row.count("f{") + row.count("f\\left") for row in rows) == 12


def test_the_plain_line_is_what_the_chapter_report_counts(capsys):
    """/work/shared/tools/chapter_report.py counts ✓ lines and those whose two sides read the same."""
    check_equal(sp.Derivative(x**2, x), 2 * x, label="power rule")
    line = capsys.readouterr().out.strip()
    body = re.sub(r"\s{3}\(.*\)$", "", line[1:].strip())  # as the report parses it
    lhs, rhs = body.split(" = ")
    assert lhs == "Derivative(x**2, x)" and rhs == "2*x" and lhs != rhs


# ----------------------------------------------------------------------------- the chapter's count


def test_checks_done_is_a_quiet_line_and_returns_nothing(shown):
    check_equal(sp.Derivative(x * x, x), 2 * x, label="product")
    assert checks_done() is None
    plain, html = shown[-1]["text/plain"], shown[-1]["text/html"]
    assert re.fullmatch(r"\d+ derivation checks passed in this chapter when it was run\.", plain)
    assert not plain.startswith("✓")  # not counted as a check by the chapter report
    assert f"{checks_passed()} derivation checks passed" in html


def test_chapter_report_finds_no_tautology_in_a_chapter_made_of_checks(tmp_path, shown):
    """The report's parser, run on these displays, counts the checks and no 'same'."""
    report = importlib.util.spec_from_file_location("chapter_report", "/work/shared/tools/chapter_report.py")
    if report is None or not Path(report.origin).exists():
        pytest.skip("the chapter report tool is not available here")
    module = importlib.util.module_from_spec(report)
    report.loader.exec_module(module)
    check_equal(sp.Derivative(x**2, x), 2 * x, label="power rule")
    check_true(sp.Ge(x**2, 0, evaluate=False), label="a square")
    checks_done()
    outputs = [{"data": {"text/plain": b["text/plain"]}} for b in shown[-3:]]
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text(json.dumps({"cells": [{"outputs": outputs}]}))
    assert module.check_displays(notebook) == (2, 0)
