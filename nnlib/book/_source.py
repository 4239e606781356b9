"""The code a chapter shows: source without docstrings, and the public name of an nnlib object.

A chapter shows an nnlib function next to its derivation; its docstring is
already in the API reference, so :func:`source_without_docstrings` drops it.
:func:`public_name` finds the dotted name under which the API reference
documents an object: the shortest public ``nnlib.<family>`` module that exports
it (``nnlib.functional.linear_forward`` even when the function is defined in
``nnlib.functional.dense``), so the link survives code moving between modules.
"""

from __future__ import annotations

import ast
import inspect
import sys
import textwrap
from pathlib import Path


def unwrap(obj):
    """The function behind a property, bound method, staticmethod, classmethod or decorator."""
    target = obj.fget if isinstance(obj, property) else obj
    target = getattr(target, "__func__", target)
    return inspect.unwrap(target)


def _docstring_lines(tree: ast.AST) -> list[tuple[int, int, bool]]:
    """(first line, last line, is the whole body) of every docstring of a def or class, 1-based."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        first = node.body[0]
        is_docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(
            first.value.value, str
        )
        if is_docstring and first.lineno > node.lineno:  # not on the line of the def itself
            found.append((first.lineno, first.end_lineno, len(node.body) == 1))
    return found


def source_without_docstrings(obj) -> str:
    """The dedented source of ``obj`` with the docstrings of it and its members removed.

    A body that was only a docstring becomes ``...``; blank lines left directly
    after a removed docstring go too.

    Raises
    ------
    TypeError
        If ``obj`` has no Python source (a built-in or a C extension).
    """
    source = textwrap.dedent(inspect.getsource(obj))
    lines = source.splitlines()
    for first, last, whole_body in sorted(_docstring_lines(ast.parse(source)), reverse=True):
        indent = lines[first - 1][: len(lines[first - 1]) - len(lines[first - 1].lstrip())]
        after = last
        while not whole_body and after < len(lines) and not lines[after].strip():
            after += 1
        lines[first - 1:after] = [f"{indent}..."] if whole_body else []
    return "\n".join(lines).rstrip()


def _public_modules(package: str = "nnlib"):
    """Loaded modules ``nnlib.<...>`` whose dotted names have no private part."""
    for name, module in list(sys.modules.items()):
        parts = name.split(".")
        if parts[0] == package and len(parts) > 1 and module is not None and not any(p.startswith("_") for p in parts):
            yield name, module


def _exports(module, name: str) -> bool:
    """True if ``module`` exports ``name``: listed in its ``__all__``, or public when it has none."""
    listed = getattr(module, "__all__", None)
    return name in listed if listed is not None else not name.startswith("_") and hasattr(module, name)


def public_name(obj) -> tuple[str, str] | None:
    """The dotted name of ``obj`` in nnlib's public API, and the API-reference anchor that documents it.

    The owner (the function or class itself, or the class of a method) is looked
    up in every loaded public ``nnlib.<family>`` module that exports it (lists it
    in ``__all__``); the shortest module name wins (ties: the one that contains
    the defining module, then alphabetical order). The anchor is the public
    name itself, except for a private member (``_name``), which is documented
    only through its class: its anchor is the class's. None if no public
    module exports the owner.

    Examples
    --------
    >>> import nnlib.layers
    >>> public_name(nnlib.layers.Dense.forward)
    ('nnlib.layers.Dense.forward', 'nnlib.layers.Dense.forward')
    """
    target = unwrap(obj)
    qualname = getattr(target, "__qualname__", "")
    parts = qualname.split(".")
    if not qualname or "<locals>" in parts or parts[0].startswith("_"):
        return None
    owner = _owner(target, parts[0])
    defined_in = getattr(target, "__module__", "") or ""
    candidates = [
        name for name, module in _public_modules() if _exports(module, parts[0]) and getattr(module, parts[0]) is owner
    ]
    if owner is None or not candidates:
        return None
    best = min(candidates, key=lambda m: (m.count("."), len(m), not defined_in.startswith(m), m))
    documented = list(parts)
    while len(documented) > 1 and documented[-1].startswith("_") and not documented[-1].startswith("__"):
        documented.pop()  # a private member: the nearest documented owner
    return ".".join([best, *parts]), ".".join([best, *documented])


def _owner(target, first_part: str):
    """The module-level object of ``target``: itself, or the class a method was defined in."""
    module = sys.modules.get(getattr(target, "__module__", "") or "")
    return getattr(module, first_part, None) if module is not None else None


def repository_path(obj) -> str:
    """The file defining ``obj``, relative to the folder that holds its top-level package."""
    filename = inspect.getsourcefile(obj) or ""
    package = sys.modules.get(getattr(obj, "__module__", "").split(".")[0])
    package_file = getattr(package, "__file__", None)
    if package_file:
        root = Path(package_file).resolve().parent.parent
        try:
            return Path(filename).resolve().relative_to(root).as_posix()
        except ValueError:
            pass
    return Path(filename).name
