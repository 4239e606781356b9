"""The API reference is generated from docstrings: every public name must carry one.

Functions and classes document their parameters (NumPy style); the numerical modules
also state their equations (a ``.. math::`` block), as the book promises.
"""

from __future__ import annotations

import importlib
import inspect

import pytest

MODULES = ["activations", "functional", "losses", "init", "layers", "models", "optim", "regularization", "training",
           "gradcheck", "metrics", "data", "perceptron", "io"]
WITH_EQUATIONS = {"activations", "functional", "losses", "init", "models", "optim", "regularization", "metrics"}


def public_callables():
    for name in MODULES:
        module = importlib.import_module(f"nnlib.{name}")
        for attr in module.__all__:
            obj = getattr(module, attr)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                yield name, attr, obj


CALLABLES = list(public_callables())


@pytest.mark.parametrize("module,name,obj", CALLABLES, ids=[f"{m}.{n}" for m, n, _ in CALLABLES])
def test_public_name_is_documented(module, name, obj):
    doc = inspect.getdoc(obj) or ""
    assert len(doc.splitlines()) >= 1 and doc.strip(), f"nnlib.{module}.{name} has no docstring"
    takes_arguments = inspect.isfunction(obj) and len(inspect.signature(obj).parameters) > 0
    if takes_arguments:
        assert "Parameters" in doc, f"nnlib.{module}.{name}: the docstring has no Parameters section"
    if module in WITH_EQUATIONS and inspect.isfunction(obj) and not name.startswith("is_"):
        assert ".. math::" in doc or ":math:" in doc, f"nnlib.{module}.{name}: the docstring states no equation"


def test_docstring_examples_run():
    """The Examples sections are doctests: what they print is what the code returns."""
    import doctest
    import sys

    import numpy as np

    import nnlib  # noqa: F401  (imports every module of the library)

    modules = [sys.modules[name] for name in sorted(sys.modules)
               if name.startswith("nnlib") and not name.startswith("nnlib.book")]
    results = {m.__name__: doctest.testmod(m, extraglobs={"np": np}, optionflags=doctest.ELLIPSIS) for m in modules}
    failed = {name: r.failed for name, r in results.items() if r.failed}
    assert not failed, f"doctests failed: {failed}"
    assert sum(r.attempted for r in results.values()) > 50
