"""Tests for nnlib.book.show_source (code without docstrings, linked to the API) and show_table."""

import numpy as np
import pytest

pytest.importorskip("IPython")

from book.rich_display import shown  # noqa: E402,F401  (a fixture)

import nnlib.io  # noqa: E402
import nnlib.layers  # noqa: E402
from nnlib import functional as F  # noqa: E402
from nnlib.book import show_source, show_table  # noqa: E402
from nnlib.book._source import public_name, source_without_docstrings  # noqa: E402
from nnlib.perceptron import Perceptron  # noqa: E402



class _Example:
    """A class to show."""

    def method(self):
        """A docstring that
        spans lines."""

        return 1

    def only_a_docstring(self):
        """Nothing else."""

    @staticmethod
    def static():
        return 2  # a comment stays


# ----------------------------------------------------------------------------- show_source


def test_show_source_prints_code_without_docstring_and_location(capsys):
    show_source(F.linear_forward)
    out = capsys.readouterr().out
    assert out.startswith("def linear_forward(")
    assert '"""' not in out and "Parameters" not in out
    assert "# nnlib.functional.linear_forward (API reference: api.html#nnlib.functional.linear_forward)" in out
    assert "— defined in nnlib/" in out and ", line " in out


def test_docstrings_of_a_class_and_its_methods_are_removed():
    source = source_without_docstrings(_Example)
    assert "A class to show" not in source and "spans lines" not in source and "Nothing else" not in source
    assert source.splitlines()[:3] == ["class _Example:", "    def method(self):", "        return 1"]
    assert "    def only_a_docstring(self):\n        ..." in source  # a body that was only a docstring
    assert "return 2  # a comment stays" in source


@pytest.mark.parametrize("obj", [_Example, _Example.method, _Example().method, _Example.static])
def test_show_source_handles_classes_and_methods(obj, capsys):
    show_source(obj)
    out = capsys.readouterr().out
    assert out.startswith(("class _Example", "def method", "@staticmethod\ndef static"))
    assert "defined in" in out and "test_show.py" in out
    assert "API reference" not in out  # not part of nnlib's public API: no link


def test_markdown_inside_ipython_links_the_api_entry(shown):
    show_source(F.linear_forward)
    markdown = shown[-1]["text/markdown"]
    assert markdown.startswith("```python\ndef linear_forward(")
    assert "[API reference](#nnlib.functional.linear_forward)" in markdown  # a MyST reference to the anchor
    assert markdown.splitlines()[-1].startswith("`nnlib.functional.linear_forward`")


def test_a_method_links_its_own_entry_and_a_private_one_its_class(shown):
    show_source(Perceptron.decision_function)
    assert "(#nnlib.perceptron.Perceptron.decision_function)" in shown[-1]["text/markdown"]
    show_source(Perceptron._learn_one)
    markdown = shown[-1]["text/markdown"]
    assert "`nnlib.perceptron.Perceptron._learn_one`" in markdown
    assert "(#nnlib.perceptron.Perceptron)" in markdown


def test_public_name_is_the_shortest_module_that_exports_it(monkeypatch):
    import sys
    import types

    # nnlib.layers exports Dense; a deeper module that re-exports it does not win
    deeper = types.ModuleType("nnlib.layers.deeper_family")
    deeper.__all__ = ["Dense"]
    deeper.Dense = nnlib.layers.Dense
    monkeypatch.setitem(sys.modules, "nnlib.layers.deeper_family", deeper)
    assert public_name(nnlib.layers.Dense) == ("nnlib.layers.Dense", "nnlib.layers.Dense")
    # a module that merely imports a name (not in its __all__) does not export it
    monkeypatch.setattr(nnlib.io, "Sequential", nnlib.layers.Sequential, raising=False)
    assert "Sequential" not in nnlib.io.__all__
    assert public_name(nnlib.layers.Sequential.backward)[0] == "nnlib.layers.Sequential.backward"
    # defined in a private module, exported by its package: the package's name
    def op_forward(x):
        return x

    op_forward.__module__, op_forward.__qualname__ = "nnlib.family._impl", "op_forward"
    private, package = types.ModuleType("nnlib.family._impl"), types.ModuleType("nnlib.family")
    private.op_forward = package.op_forward = op_forward
    package.__all__ = ["op_forward"]
    monkeypatch.setitem(sys.modules, "nnlib.family._impl", private)
    monkeypatch.setitem(sys.modules, "nnlib.family", package)
    assert public_name(op_forward) == ("nnlib.family.op_forward", "nnlib.family.op_forward")
    assert public_name(_Example) is None  # not exported by any nnlib module


def test_show_source_rejects_builtins():
    with pytest.raises(TypeError):
        show_source(len)


# ----------------------------------------------------------------------------- show_table


def test_show_table_prints_aligned_plain_text(capsys):
    show_table([("sigmoid", 0.25), ("tanh", np.float64(1.0))], ["activation", "largest slope"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "activation  largest slope"
    assert lines[2] == "sigmoid              0.25"  # numbers right-aligned
    assert lines[3] == "tanh                    1"  # floats with 6 significant digits


def test_show_table_markdown_inside_ipython(shown):
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
    with pytest.raises(ValueError):
        show_table(rows, header, align=align)
