"""Tests for nnlib.book.checks (SymPy derivation checks) and nnlib.book.show_source."""

import numpy as np
import pytest

sp = pytest.importorskip("sympy")
pytest.importorskip("IPython")

from nnlib.book import checks, show_source  # noqa: E402
from nnlib.book.checks import DerivationError, check_equal, check_true, checks_done  # noqa: E402

x = sp.Symbol("x", real=True)
p = sp.Symbol("p", positive=True)
sigmoid = 1 / (1 + sp.exp(-x))


def count():
    return checks._passed


# ----------------------------------------------------------------------------- check_equal


def test_true_identity_passes_counts_and_prints(capsys):
    before = count()
    check_equal(sp.diff(sigmoid, x), sigmoid * (1 - sigmoid), label="sigmoid derivative")
    assert count() == before + 1
    out = capsys.readouterr().out
    assert "✓" in out and "sigmoid derivative" in out


def test_identity_needing_a_rewrite_in_exp_passes():
    check_equal(sp.tanh(x), (sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x)))
    check_equal(sp.diff(sp.tanh(x), x), 1 - sp.tanh(x) ** 2)
    check_equal(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1)
    check_equal(sp.Rational(3, 4), 0.75)  # exact in binary floating point


def test_false_identity_raises_with_both_sides_and_difference():
    before = count()
    wrong = sigmoid * (1 + sigmoid)
    with pytest.raises(DerivationError) as info:
        check_equal(sp.diff(sigmoid, x), wrong, label="wrong step")
    message = str(info.value)
    assert sp.sstr(sp.diff(sigmoid, x)) in message
    assert sp.sstr(wrong) in message
    assert "lhs - rhs simplifies to" in message
    assert "wrong step" in message
    assert count() == before  # a failed check is not counted


def test_derivation_error_is_an_assertion_error():
    assert issubclass(DerivationError, AssertionError)


def test_counterexample_is_reported_for_a_false_identity():
    n = sp.Symbol("n", integer=True)
    with pytest.raises(DerivationError, match=r"differ, e\.g\. at n = 2"):
        check_equal(n**2, n)
    with pytest.raises(DerivationError, match=r"at x = -7/5"):  # a negative value for a real symbol
        check_equal(sp.sqrt(x**2), x)


def test_true_identity_sympy_cannot_prove_is_not_passed_silently():
    # atan(p) + atan(1/p) = pi/2 holds for p > 0, but SymPy cannot simplify it: a check
    # based on sampling numbers would pass; this one must refuse.
    with pytest.raises(DerivationError, match="could not reduce this to 0"):
        check_equal(sp.atan(p) + sp.atan(1 / p), sp.pi / 2)


def test_floats_get_a_hint_to_use_rationals():
    with pytest.raises(DerivationError, match="Rational"):
        check_equal(sp.Float(0.1) + sp.Float(0.2), sp.Rational(3, 10))


def test_matrices_equal_entrywise():
    a, b, c, d = sp.symbols("a b c d")
    A = sp.Matrix([[a, b], [c, d]])
    B = sp.Matrix([[d, -b], [-c, a]])
    check_equal(A * B, (a * d - b * c) * sp.eye(2), label="adjugate")
    W, X = sp.MatrixSymbol("W", 3, 2), sp.MatrixSymbol("X", 4, 3)
    check_equal((X * W).T, W.T * X.T)  # batch convention transposed


def test_symbolic_shape_matrices():
    n, m, k = sp.symbols("n m k", integer=True, positive=True)
    X, W = sp.MatrixSymbol("X", n, m), sp.MatrixSymbol("W", m, k)
    check_equal((X * W).T, W.T * X.T)
    A, B = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("B", n, n)
    with pytest.raises(DerivationError, match="could not prove"):
        check_equal((A * B).T, A.T * B.T)  # the order of the factors matters


def test_matrix_entry_that_differs_is_named():
    with pytest.raises(DerivationError, match=r"lhs - rhs\[1, 0\] simplifies to: -1"):
        check_equal(sp.Matrix([x, 2]), sp.Matrix([x, 3]))


def test_matrix_shape_mismatch_raises_clearly():
    with pytest.raises(DerivationError, match="shape mismatch, lhs is 2x1 but rhs is 1x2"):
        check_equal(sp.Matrix([1, 2]), sp.Matrix([[1, 2]]))
    with pytest.raises(DerivationError, match="lhs is 1x1 but rhs is scalar"):
        check_equal(sp.Matrix([1]), 1)


@pytest.mark.parametrize("bad", [np.ones(2), "x + 1", [1, 2], True])
def test_non_sympy_values_are_rejected(bad):
    with pytest.raises(TypeError, match="check_equal"):
        check_equal(bad, bad)


def test_relation_in_check_equal_is_rejected():
    with pytest.raises(TypeError, match="use check_true"):
        check_equal(sp.Eq(x, 1), 1)


# ----------------------------------------------------------------------------- check_true


def test_true_inequalities_pass():
    before = count()
    check_true(sp.Ge(sigmoid * (1 - sigmoid), 0, evaluate=False), label="sigma' >= 0")
    check_true(sp.Gt(p + 1, 1, evaluate=False))
    check_true(sp.Le(-((sigmoid - sp.Rational(1, 2)) ** 2), 0))
    check_true(sp.Eq(sp.diff(sigmoid, x), sigmoid * (1 - sigmoid)))
    assert count() == before + 4


def test_false_inequality_raises():
    with pytest.raises(DerivationError, match="is false"):
        check_true(sp.Lt(sp.Rational(1, 4), sp.Rational(1, 5)))
    with pytest.raises(DerivationError, match="could not be proved"):
        check_true(sp.Gt(x, 0))  # x is real, not positive
    with pytest.raises(DerivationError, match="is false"):
        check_true(sp.Eq(sp.diff(sigmoid, x), sigmoid * (1 + sigmoid)))


def test_python_bool_is_rejected_in_check_true():
    with pytest.raises(TypeError, match="sympy.Eq"):
        check_true(x == x)
    with pytest.raises(TypeError, match="relation"):
        check_true(x + 1)


# ----------------------------------------------------------------------------- counter and display


def test_checks_done_reports_and_returns_the_count(capsys):
    check_equal(x + x, 2 * x)
    n = checks_done()
    assert n == count() and n >= 1
    assert f"{n} derivation checks passed in this chapter" in capsys.readouterr().out


def test_rich_display_inside_ipython(monkeypatch):
    import IPython
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda bundle, raw: shown.append(bundle))
    check_equal(sp.diff(x**2, x), 2 * x, label="power_rule 50%")
    bundle = shown[-1]
    assert bundle["text/latex"].startswith("$\\displaystyle ")
    assert "2 x = 2 x" in bundle["text/latex"] and "\\checkmark" in bundle["text/latex"]
    assert "\\text{power rule 50 }" in bundle["text/latex"]  # TeX-special characters removed
    assert "2*x = 2*x" in bundle["text/plain"]
    checks_done()
    assert "derivation checks passed" in shown[-1]["text/html"]


# ----------------------------------------------------------------------------- show_source


class _Example:
    """A class to show."""

    def method(self):
        return 1

    @staticmethod
    def static():
        return 2


def test_show_source_prints_code_and_location(capsys):
    show_source(check_equal)
    out = capsys.readouterr().out
    assert out.startswith("def check_equal(")
    assert "# nnlib.book.checks.check_equal — defined in nnlib/book/checks.py, line" in out


@pytest.mark.parametrize("obj", [_Example, _Example.method, _Example().method, _Example.static])
def test_show_source_handles_classes_and_methods(obj, capsys):
    show_source(obj)
    out = capsys.readouterr().out
    assert out.startswith(("class _Example", "def method", "@staticmethod\ndef static"))
    assert "defined in" in out and "test_book_checks.py" in out


def test_show_source_markdown_inside_ipython(monkeypatch):
    import IPython
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda bundle, raw: shown.append(bundle))
    show_source(_Example.method)
    markdown = shown[-1]["text/markdown"]
    assert markdown.startswith("```python\ndef method(self):")  # dedented
    assert "defined in `tests/test_book_checks.py`" in markdown


def test_show_source_rejects_builtins():
    with pytest.raises(TypeError):
        show_source(len)


def test_check_equal_show_false_still_checks_and_prints_only_the_label(capsys):
    x = sp.Symbol("x")
    before = checks.checks_done()
    checks.check_equal(sp.exp(x) * sp.exp(-x), 1, label="exp cancels", show=False)
    out = capsys.readouterr().out
    assert "exp cancels" in out and "exp(" not in out.split("\n")[-2]
    assert checks.checks_done() == before + 1
    with pytest.raises(checks.DerivationError):
        checks.check_equal(sp.exp(x), 1, label="wrong", show=False)


# ----------------------------------------------------------------------------- show_table


def test_show_table_prints_aligned_plain_text(capsys):
    from nnlib.book import show_table

    show_table([("sigmoid", 0.25), ("tanh", np.float64(1.0))], ["activation", "largest slope"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "activation  largest slope"
    assert lines[2] == "sigmoid              0.25"  # numbers right-aligned
    assert lines[3] == "tanh                    1"  # floats with 6 significant digits


def test_show_table_markdown_inside_ipython(monkeypatch):
    import IPython
    import IPython.display

    from nnlib.book import show_table

    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda bundle, raw: shown.append(bundle))
    show_table([("$a|b$", 1e-19, "x"), ("`mse_loss`", -2.5, "y")], ["name", "error", "note"])
    markdown = shown[-1]["text/markdown"].splitlines()
    assert markdown[0] == "| name | error | note |"
    assert markdown[1] == "|:---|---:|:---|"
    assert markdown[2] == r"| $a\|b$ | 1e-19 | x |"  # a pipe in a cell does not split it
    assert markdown[3] == "| `mse_loss` | -2.5 | y |"
    assert "1e-19" in shown[-1]["text/plain"]


@pytest.mark.parametrize(
    "rows, header, align",
    [([(1, 2)], ["only one"], None), ([(1,)], [], None), ([(1, 2)], ["a", "b"], "l"), ([(1, 2)], ["a", "b"], "lx")],
)
def test_show_table_rejects_malformed_input(rows, header, align):
    from nnlib.book import show_table

    with pytest.raises(ValueError):
        show_table(rows, header, align=align)
