"""The library stays readable: small modules, functions and classes, and one package per family.

Limits (GUIDE, "Sizes"): a module at most 400 lines, a function at most 60 lines of code
(its docstring and blank lines not counted), a class at most 250 lines. The few places
that read better whole are listed in EXCEPTIONS, each with its reason; an entry that no
longer needs its exception fails the test, so the list stays short and true.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from conftest import ROOT

NNLIB = ROOT / "nnlib"
MAX_MODULE_LINES, MAX_FUNCTION_CODE_LINES, MAX_CLASS_LINES = 400, 60, 250

EXCEPTIONS = {
    "class nnlib/perceptron/model.py:Perceptron":
        "chapter 1 reads Rosenblatt's algorithm whole: the rule, fit and the mistake-by-mistake replay share its state",
}


def _docstring_lines(node) -> set[int]:
    body = getattr(node, "body", [])
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        return set(range(body[0].lineno, body[0].end_lineno + 1))
    return set()


def code_lines(node, lines: list[str]) -> int:
    """Lines of a function without its docstring and blank lines (decorators and signature count)."""
    doc = _docstring_lines(node)
    return sum(1 for i in range(node.lineno, node.end_lineno + 1) if i not in doc and lines[i - 1].strip())


def measure() -> dict[str, tuple[int, int]]:
    """``{"module path" / "class path:Name" / "function path:qualname": (size, limit)}`` for all of nnlib."""
    sizes = {}
    for path in sorted(NNLIB.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        source = path.read_text()
        lines = source.splitlines()
        sizes[f"module {rel}"] = (len(lines), MAX_MODULE_LINES)

        def visit(node, prefix=""):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.ClassDef):
                    sizes[f"class {rel}:{prefix}{child.name}"] = (child.end_lineno - child.lineno + 1, MAX_CLASS_LINES)
                    visit(child, f"{prefix}{child.name}.")
                elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    sizes[f"function {rel}:{prefix}{child.name}"] = (code_lines(child, lines), MAX_FUNCTION_CODE_LINES)
                    visit(child, f"{prefix}{child.name}.")

        visit(ast.parse(source))
    return sizes


SIZES = measure()


def test_every_module_class_and_function_is_within_its_limit():
    allowed = set(EXCEPTIONS)
    too_big = [f"{name}: {size} > {limit}" for name, (size, limit) in SIZES.items()
               if size > limit and name not in allowed]
    assert not too_big, "split these (or, if one truly reads better whole, list it with a reason):\n" + "\n".join(too_big)


@pytest.mark.parametrize("name", sorted(EXCEPTIONS))
def test_every_exception_is_still_needed(name):
    assert name in SIZES, f"{name} no longer exists: remove it from the lists of test_layout.py"
    size, limit = SIZES[name]
    assert size > limit, f"{name} is {size} <= {limit} now: remove it from the lists of test_layout.py"


def test_the_layout_test_sees_every_kind_of_thing():
    """The measure can fail: it finds the big things we know of (a broken measure would pass everything)."""
    assert SIZES["class nnlib/perceptron/model.py:Perceptron"][0] > MAX_CLASS_LINES
    assert any(name.startswith("function nnlib/training/fit.py:fit") for name in SIZES)
    fit_size = SIZES["function nnlib/training/fit.py:fit"][0]
    assert 20 < fit_size <= MAX_FUNCTION_CODE_LINES  # the docstring (about 60 lines) is not counted


FAMILIES = {
    "functional": ["_common", "activation", "dense", "softmax", "dropout", "norm"],
    "layers": ["activation", "base", "container", "dense", "dropout", "norm"],
    "models": ["mlp"],
    "optim": ["adaptive", "base", "clip", "sgd"],
    "training": ["_checks", "callbacks", "fit", "predict", "trainer"],
    "data": ["_common", "logic", "regression", "synthetic", "utils"],
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_one_package_per_family(family):
    modules = {p.stem for p in (NNLIB / family).glob("*.py")} - {"__init__"}
    assert set(FAMILIES[family]) <= modules


def test_old_import_paths_still_work_in_a_fresh_interpreter():
    """What chapters and users import today, including the order-sensitive nnlib.models / nnlib.layers.mlp."""
    code = """
import nnlib.models
from nnlib.layers import Dense, Sequential, mlp, LAYERS, ACTIVATION_LAYERS, register_layer
from nnlib import functional as F
from nnlib.training import fit, predict_classes, predict_proba, evaluate, train_step, Callback, Trainer
from nnlib.optim import Adam, SGD, Momentum, RMSprop, clip_grad_norm
from nnlib.gradcheck import check_function_gradient, check_layer_gradients, GradientCheckError
from nnlib.perceptron import Perceptron, mistake_bound
from nnlib.activations import sigmoid, step_derivative, ACTIVATIONS
import nnlib.data
assert nnlib.layers.mlp is nnlib.models.mlp and F.linear_forward and nnlib.data.make_moons
"""
    for first in ("import nnlib.models", "import nnlib.layers", "import nnlib.io", "import nnlib.training"):
        result = subprocess.run([sys.executable, "-c", first + "\n" + code], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_nnlib_imports_numpy_and_nothing_else():
    code = ("import sys, nnlib\n"
            "bad = sorted({m.split('.')[0] for m in sys.modules} & {'sympy', 'matplotlib', 'ipywidgets', 'IPython', "
            "'scipy', 'sklearn', 'torch'})\n"
            "assert not bad, bad")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
