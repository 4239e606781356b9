"""Tests for nnlib.book.symbolic: building blocks that keep a claim unevaluated until it is checked."""

import pytest

sp = pytest.importorskip("sympy")

from nnlib.book._check_display import latex_of, text_of  # noqa: E402
from nnlib.book.checks import check_equal  # noqa: E402
from nnlib.book.symbolic import (  # noqa: E402
    derivatives, difference, independent_expectation, step, substituted, written_dot, written_sum)

R = sp.Rational
x, y = sp.symbols("x y", real=True)


def test_step_evaluates_on_numbers_unless_asked_not_to():
    assert step(R(-1, 2)) == 0 and step(0) == 1 and step(3) == 1
    held = step(R(-1, 2), evaluate=False)
    assert held != 0 and held.doit() == 0
    assert latex_of(held) == r"\operatorname{step}\left(- \frac{1}{2}\right)"
    assert isinstance(step(x), step)  # a symbol of unknown sign: stays unevaluated
    assert step(sp.Symbol("p", positive=True)) == 1


def test_written_dot_keeps_the_arithmetic_of_a_worked_number():
    claim = written_dot([R(1, 2), R(-3, 5)], [1, 2], R(1, 5))
    assert claim.doit() == R(-1, 2)
    assert latex_of(claim) == r"\frac{1}{2} \cdot 1 - \frac{3}{5} \cdot 2 + \frac{1}{5}"  # in the order written
    assert text_of(claim) == "1/2*1 - 3/5*2 + 1/5"
    check_equal(claim, R(-1, 2), label="a worked number")  # a claim, not "-1/2 = -1/2"


def test_written_dot_needs_vectors_of_one_length():
    with pytest.raises(ValueError, match="same length, got 2 and 3"):
        written_dot([1, 2], [1, 2, 3])


def test_written_sum_and_difference_do_not_cancel():
    assert text_of(written_sum(x + y, -y)) == "(x + y) - y"
    assert latex_of(written_sum(x + y, -y)) == r"\left(x + y\right) - y"
    assert written_sum(x + y, -y).doit() == x
    before_cancelling = difference(x**2 + y, y)
    assert "y" in text_of(before_cancelling) and sp.simplify(before_cancelling) == x**2
    assert latex_of(difference(1, 0)) == "1 - 0"


def test_substituted_is_an_unevaluated_subs():
    claim = substituted(x**2 + y, {x: 2, y: 1})
    assert isinstance(claim, sp.Subs) and claim.doit() == 5
    with pytest.raises(ValueError, match="at least one"):
        substituted(x, {})


def test_derivatives_have_the_shape_of_the_variables():
    W = sp.Matrix(2, 3, sp.symbols("w1:7"))
    f = sum(W)
    claim = derivatives(f, W)
    assert claim.shape == (2, 3) and all(isinstance(entry, sp.Derivative) for entry in claim)
    assert claim.doit() == sp.ones(2, 3)
    assert derivatives(x * y, [x, y]).doit() == sp.Matrix([y, x])


# ------------------------------------------------------------------ independent_expectation


def test_expectation_is_linear_and_factors_over_independent_symbols():
    w1, w2, a1, a2, v, m, s, c = sp.symbols("w1 w2 a1 a2 v m s c")
    E = independent_expectation({w1: (0, v), w2: (0, v), a1: (m, s), a2: (m, s)})
    z = written_sum(w1 * a1, w2 * a2)
    assert E(z).doit() == 0
    assert sp.expand(E(z**2).doit() - 2 * v * s) == 0               # the cross terms E[w1 w2] vanish
    assert sp.expand(E(c * a1 * a2 + 3).doit() - (c * m**2 + 3)) == 0  # constants pass through
    assert E(z**2) != E(z**2).doit()                                  # unevaluated until doit()


def test_expectation_prints_as_the_claim():
    x, v = sp.symbols("x v")
    E = independent_expectation({x: (0, v)})
    assert sp.latex(E(x**2)) == r"\mathbb{E}\left[x^{2}\right]"
    assert sp.latex(E(x) ** 2) == r"\mathbb{E}\left[x\right]^{2}"


def test_expectation_refuses_unknown_moments():
    x, v = sp.symbols("x v")
    E = independent_expectation({x: (0, v)})
    with pytest.raises(ValueError, match=r"E\[x\*\*3\] is not among the moments given"):
        E(x**3).doit()
    with pytest.raises(ValueError, match="at least one random symbol"):
        independent_expectation({})
