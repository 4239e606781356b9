"""Helpers for the chapters of the book: checks, source listings, plots and widgets.

This subpackage needs the ``book`` extra (SymPy, matplotlib, ipywidgets,
IPython); :mod:`nnlib` itself imports only NumPy. Each part is imported on
its own, so a chapter pays only for what it uses:

- :mod:`nnlib.book.checks` — ``check_equal``, ``check_true``, ``checks_done``:
  SymPy-proved derivation steps, each shown as a ✓ with a label that expands to the
  claim and its code.
- :mod:`nnlib.book.symbolic` — building blocks that write a check's left side as a
  claim the reader can see (``written_dot``, ``difference``, ``substituted``, ``derivatives``, ``step``).
- :func:`show_source` — the code of an nnlib function or class, without its docstring,
  linked to its entry in the API reference.
- :func:`show_table` — a small table of results, rendered like the tables of the text.
- :mod:`nnlib.book.plots` — the book's one colour-blind-safe palette, and
  decision boundaries, loss curves, a function and its derivative;
  :mod:`nnlib.book.digits_plots` — the 8x8 digits as pictures (a mosaic of misread digits).
- :mod:`nnlib.book.experiments` — the runs the chapters and their widgets share
  (no user interface: no ipywidgets, matplotlib or IPython).
- :mod:`nnlib.book.widgets` — the live widgets (``TrainingWidget``: Play / Pause /
  Step / Reset around a run; ``InteractivePlot``; one per chapter), each with a
  ``film`` method that runs the same drawing code ahead of time for the HTML
  book, where the widget shows as a picture.
- :mod:`nnlib.book.display` and :mod:`nnlib.book.validation` — the one display
  fallback (rich in IPython, printed outside) and the one set of argument checks.
"""

from __future__ import annotations

import inspect
import numbers
import re

from nnlib.book import _source
from nnlib.book._output import show as _show

__all__ = ["show_source", "show_table"]


def show_source(obj) -> None:
    """Display the code of a function, class or method, without its docstring, linked to its API entry.

    The code is shown as a fenced ``python`` Markdown block (highlighted by
    JupyterLab and by the book's theme) with the docstrings removed: the
    equations and shapes they carry are one click away, in the API reference.
    Below it, one line names the object, links it to its entry in the API
    reference and says where it is defined, e.g.
    *nnlib.functional.linear_forward (API reference) — defined in
    nnlib/functional/dense.py, line 12*. The link is a MyST reference to the
    entry's anchor (the public dotted name, see
    :func:`nnlib.book._source.public_name`): the book resolves it to
    ``api.html#nnlib.functional.linear_forward`` and fails to build if the entry
    is missing; in JupyterLab it is an inert in-page link. An object that is
    not part of nnlib's public API is shown without a link. Outside IPython
    the same text is printed.

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
    target = _source.unwrap(obj)
    source = _source.source_without_docstrings(target)
    _, first_line = inspect.getsourcelines(target)
    where = _source.repository_path(target)
    public = _source.public_name(target)
    name, anchor = public or (f"{target.__module__}.{target.__qualname__}", None)
    link = f" ([API reference](#{anchor}))" if anchor else ""
    note = f"`{name}`{link} — defined in `{where}`, line {first_line}"
    api = f" (API reference: api.html#{anchor})" if anchor else ""
    plain = f"{source}\n\n# {name}{api} — defined in {where}, line {first_line}"
    longest_backtick_run = max((len(run) for run in re.findall(r"`+", source)), default=0)
    fence = "`" * max(3, longest_backtick_run + 1)
    _show({"text/markdown": f"{fence}python\n{source}\n{fence}\n\n{note}", "text/plain": plain})


def _table_cell(value) -> str:
    """One table cell as one line of text; floats get 6 significant digits."""
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, numbers.Integral)):
        value = f"{float(value):.6g}"
    return " ".join(str(value).split())


def _is_number(text: str) -> bool:
    """True for cells such as ``0.25``, ``-1e-19`` or ``12.5%`` (right-aligned by default)."""
    try:
        float(text.removesuffix("%"))
    except ValueError:
        return False
    return True


def show_table(rows, header, *, align: str | None = None) -> None:
    """Display a small table of results, rendered like the Markdown tables of the text.

    The table is shown as Markdown, so cells may hold inline math (``$\\sigma$``) and
    code (```` `mse_loss` ````); the book renders it with the theme's table style and
    JupyterLab renders it too. Outside IPython a plain-text table is printed.

    Parameters
    ----------
    rows : iterable of sequences
        One sequence of cells per row, each as long as ``header``. A cell is
        shown with ``str``; a float (Python or NumPy) with 6 significant digits,
        so format numbers yourself when fewer digits say more.
    header : sequence of str
        The column titles.
    align : str, optional
        One letter per column, ``"l"``, ``"r"`` or ``"c"``. By default columns
        whose cells are all numbers are right-aligned and the others left-aligned.

    Raises
    ------
    ValueError
        If ``header`` is empty, a row has the wrong number of cells, or
        ``align`` has the wrong length or an unknown letter.

    Examples
    --------
    >>> from nnlib.book import show_table
    >>> show_table([("sigmoid", 0.25), ("tanh", 1.0)], ["activation", "largest slope"])
    activation  largest slope
    ----------  -------------
    sigmoid              0.25
    tanh                    1
    """
    header = [_table_cell(title) for title in header]
    if not header:
        raise ValueError("header: expected at least one column title, got none")
    body = []
    for index, row in enumerate(rows):
        cells = [_table_cell(cell) for cell in row]
        if len(cells) != len(header):
            raise ValueError(
                f"rows[{index}]: expected {len(header)} cells (one per column of the header), got {len(cells)}"
            )
        body.append(cells)
    if align is None:
        align = "".join("r" if body and all(_is_number(row[j]) for row in body) else "l" for j in range(len(header)))
    if len(align) != len(header) or set(align) - set("lrc"):
        raise ValueError(f"align: expected one of 'l', 'r', 'c' per column ({len(header)} letters), got {align!r}")

    rule = {"l": ":---", "r": "---:", "c": ":---:"}
    markdown = "\n".join(
        ["| " + " | ".join(c.replace("|", r"\|") for c in cells) + " |" for cells in [header]]
        + ["|" + "|".join(rule[a] for a in align) + "|"]
        + ["| " + " | ".join(c.replace("|", r"\|") for c in cells) + " |" for cells in body]
    )
    widths = [max(len(cells[j]) for cells in [header, *body]) for j in range(len(header))]
    plain = "\n".join(
        "  ".join(c.rjust(w) if a == "r" else c.ljust(w) for c, w, a in zip(cells, widths, align)).rstrip()
        for cells in [header, ["-" * w for w in widths], *body]
    )
    _show({"text/markdown": markdown, "text/plain": plain})
