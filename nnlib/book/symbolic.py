"""SymPy building blocks for writing a derivation check as a claim.

A check's left side is what the text claims, written so that SymPy does not
evaluate it before the reader sees it; :func:`nnlib.book.checks.check_equal`
then evaluates it (``doit()``) and proves it equal to the right side. These
helpers write the usual claims of the chapters:

>>> import sympy as sp
>>> w, x = sp.Matrix([sp.Rational(1, 2), sp.Rational(-3, 5)]), sp.Matrix([1, 2])
>>> written_dot(w, x, sp.Rational(1, 5)).doit()    # a worked number, as the notes write it
-1/2
>>> step(sp.Rational(-1, 2), evaluate=False)       # the step of a number, not yet taken
step(-1/2)
>>> a, b = sp.symbols("a b")
>>> difference(a**2, b**2)                         # z_new - z_old, before cancelling
a**2 - b**2
>>> w, x, v = sp.symbols("w x v")
>>> E = independent_expectation({w: (0, v), x: (1, 2)})   # E[w] = 0, E[w^2] = v; E[x] = 1, E[x^2] = 2
>>> E((w * x) ** 2), E((w * x) ** 2).doit()        # the claim, then its value
(E((w*x)**2), 2*v)
"""

from __future__ import annotations

import sympy as sp

__all__ = ["step", "written_dot", "written_sum", "difference", "substituted", "derivatives", "independent_expectation"]


class step(sp.Function):  # noqa: N801  (a SymPy function, written like sin)
    r"""The perceptron's step function, :math:`\operatorname{step}(z) = 1` for :math:`z \ge 0`, else 0.

    On a number it evaluates at once, unless built with ``evaluate=False``
    (``step(-1/2, evaluate=False)`` is the claim the reader sees, its
    ``doit()`` the value). On a symbol it stays unevaluated. Printed as
    :math:`\operatorname{step}(z)`.
    """

    @classmethod
    def eval(cls, z):
        if z.is_extended_nonnegative:
            return sp.S.One
        if z.is_extended_negative:
            return sp.S.Zero
        return None

    def _latex(self, printer):
        return rf"\operatorname{{step}}\left({printer._print(self.args[0])}\right)"


def written_sum(*terms):
    """``t1 + t2 + ...`` written out, term by term (no term is combined or cancelled)."""
    return sp.Add(*terms, evaluate=False)


def written_dot(a, b, bias=None):
    r"""``a_1 b_1 + a_2 b_2 + ... (+ bias)``: a dot product (and a bias) written out.

    Parameters
    ----------
    a, b : sequences or column/row sympy.Matrix of the same length
        The two vectors, e.g. weights and inputs.
    bias : sympy.Expr or number, optional
        Added as the last term.
    """
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise ValueError(f"written_dot: the vectors must have the same length, got {len(a)} and {len(b)}")
    terms = [_written_product(ai, bi) for ai, bi in zip(a, b)]
    return written_sum(*terms, *([] if bias is None else [bias]))


def _written_product(a, b):
    """``a b``; a negative number ``a`` is written ``-(|a| b)`` so that it prints as ``- 3/5 · 2``."""
    a, b = sp.sympify(a), sp.sympify(b)
    if a.is_number and a.is_negative:
        return sp.Mul(-1, sp.Mul(-a, b, evaluate=False), evaluate=False)
    return sp.Mul(a, b, evaluate=False)


def difference(a, b):
    """``a - b`` written out, before anything cancels (e.g. ``z_new - z_old``)."""
    return sp.Add(a, sp.Mul(-1, b, evaluate=False), evaluate=False)


def substituted(expr, values: dict):
    r"""``expr`` at ``values`` (a dict symbol -> value), as an unevaluated ``Subs``: :math:`f\big|_{x = 1}`."""
    if not values:
        raise ValueError("substituted: expected at least one symbol -> value pair, got none")
    return sp.Subs(expr, tuple(values), tuple(values.values()))


def derivatives(f, variables):
    r"""The partial derivatives :math:`\partial f / \partial v`, unevaluated, in the shape of ``variables``.

    Parameters
    ----------
    f : sympy.Expr
    variables : sympy.Matrix of symbols, or a sequence of symbols
        A matrix gives a matrix of the same shape (the gradient with respect to
        a weight matrix); a sequence gives a column.
    """
    variables = variables if isinstance(variables, sp.MatrixBase) else sp.Matrix(list(variables))
    return variables.applyfunc(lambda v: sp.Derivative(f, v))


def independent_expectation(moments: dict, name: str = "E"):
    r"""An expectation operator :math:`\mathbb E[\cdot]` over independent random symbols with given moments.

    ``E = independent_expectation({w: (0, v), a: (mu, s)})`` says that ``w`` and
    ``a`` are independent random variables with :math:`\mathbb E[w] = 0`,
    :math:`\mathbb E[w^2] = v`, :math:`\mathbb E[a] = \mu`,
    :math:`\mathbb E[a^2] = s`. ``E(expr)`` is the claim, unevaluated (printed
    :math:`\mathbb E[\ldots]`); ``E(expr).doit()`` computes it for a polynomial
    in the random symbols, by the two rules an expectation obeys here:

    .. math::

        \mathbb E\Bigl[\sum_t c_t\, m_t\Bigr] = \sum_t c_t\, \mathbb E[m_t], \qquad
        \mathbb E\Bigl[\prod_r x_r^{k_r}\Bigr] = \prod_r \mathbb E\bigl[x_r^{k_r}\bigr]

    (linearity, and independence: the expectation of a product of powers of
    distinct random symbols is the product of their moments). Other symbols are
    constants.

    Parameters
    ----------
    moments : dict
        Random symbol -> sequence of its moments :math:`(\mathbb E[x], \mathbb E[x^2], \dots)`.
    name : str, default "E"
        The name printed in plain text.

    Returns
    -------
    a :class:`sympy.Function` subclass, called on one expression

    Raises
    ------
    ValueError
        At ``doit()``, when a power of a random symbol is higher than the moments given.
    """
    table = {sp.sympify(symbol): tuple(sp.sympify(m) for m in values) for symbol, values in moments.items()}
    if not table:
        raise ValueError("independent_expectation: expected at least one random symbol with its moments, got none")

    def moment(symbol, power):
        if not (power.is_Integer and 1 <= power <= len(table[symbol])):
            raise ValueError(f"independent_expectation: E[{symbol}**{power}] is not among the moments given "
                             f"({len(table[symbol])} of {symbol})")
        return table[symbol][int(power) - 1]

    def expectation(expr):
        total = sp.S.Zero
        for term in sp.Add.make_args(sp.expand(expr)):
            value = sp.S.One
            for factor in sp.Mul.make_args(term):
                base, power = factor.as_base_exp()
                value *= moment(base, power) if base in table else factor
            total += value
        return total

    def doit(self, **hints):
        return expectation(self.args[0].doit(**hints) if hints.get("deep", True) else self.args[0])

    def latex(self, printer, exp=None):
        text = rf"\mathbb{{E}}\left[{printer._print(self.args[0])}\right]"
        return text if exp is None else rf"{text}^{{{exp}}}"

    return type(name, (sp.Function,), {"nargs": 1, "doit": doit, "_latex": latex,
                                       "__doc__": "An expectation over independent random symbols (unevaluated)."})
