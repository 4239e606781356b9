"""Helpers for the chapters of the book: checks, source listings, plots and widgets.

This subpackage needs the ``book`` extra (SymPy, matplotlib, ipywidgets,
IPython); :mod:`nnlib` itself imports only NumPy. Each part is imported on
its own, so a chapter pays only for what it uses:

- :mod:`nnlib.book.checks` — ``check_equal``, ``check_true``, ``checks_done``:
  SymPy-proved derivation steps, shown as rendered math.
- :func:`show_source` — the source of an nnlib function or class, highlighted.
- :mod:`nnlib.book.plots` — decision boundaries, loss curves, a function and
  its derivative, in one colour-blind-safe palette.
- :mod:`nnlib.book.widgets` — ``TrainingWidget`` (Play / Pause / Step / Reset
  around a training loop) and ``InteractivePlot``, each with a ``film`` method
  that renders the same code as a scrubbable animation for the HTML book.
"""

from __future__ import annotations

import inspect
import re
import sys
import textwrap
from pathlib import Path

__all__ = ["show_source"]


def _repository_path(filename: str, module_name: str) -> str:
    """``filename`` relative to the folder holding its top-level package, e.g. ``nnlib/layers.py``."""
    package = sys.modules.get(module_name.split(".")[0])
    package_file = getattr(package, "__file__", None)
    if package_file:
        root = Path(package_file).resolve().parent.parent
        try:
            return Path(filename).resolve().relative_to(root).as_posix()
        except ValueError:
            pass
    return Path(filename).name


def show_source(obj) -> None:
    """Display the source code of a function, class or method, highlighted, with where it lives.

    The code is shown as a fenced ``python`` Markdown block (highlighted by
    JupyterLab and by the book's theme), followed by one line naming the
    object and its file, e.g. *nnlib.activations.sigmoid — defined in
    nnlib/activations.py, line 12*. Outside IPython the same text is printed.

    Parameters
    ----------
    obj : function, class, method, staticmethod, classmethod or property
        The object to show. Decorated functions are unwrapped
        (:func:`inspect.unwrap`) so the code the reader sees is the code that runs.

    Raises
    ------
    TypeError
        If ``obj`` has no Python source (a built-in or a C extension).
    OSError
        If the source file cannot be read.

    Examples
    --------
    >>> from nnlib.book import show_source
    >>> import nnlib.layers
    >>> show_source(nnlib.layers.Dense)  # doctest: +SKIP
    """
    target = obj.fget if isinstance(obj, property) else obj
    target = getattr(target, "__func__", target)  # bound methods, staticmethod, classmethod
    target = inspect.unwrap(target)
    source = textwrap.dedent(inspect.getsource(target)).rstrip()
    _, first_line = inspect.getsourcelines(target)
    where = _repository_path(inspect.getsourcefile(target), target.__module__)
    name = f"{target.__module__}.{target.__qualname__}"
    note = f"{name} — defined in {where}, line {first_line}"

    longest_backtick_run = max((len(run) for run in re.findall(r"`+", source)), default=0)
    fence = "`" * max(3, longest_backtick_run + 1)
    markdown = f"{fence}python\n{source}\n{fence}\n\n`{name}` — defined in `{where}`, line {first_line}"
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        get_ipython = None
    if get_ipython is None or get_ipython() is None:
        print(f"{source}\n\n# {note}")
        return
    display({"text/markdown": markdown, "text/plain": f"{source}\n\n# {note}"}, raw=True)
