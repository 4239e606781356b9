"""One way for the chapter helpers to show a result: rich inside IPython, plain text elsewhere.

:func:`nnlib.book.checks.check_equal`, :func:`nnlib.book.show_source` and
:func:`nnlib.book.show_table` build a MIME bundle (``text/plain`` plus
``text/html`` or ``text/markdown``). Inside a running IPython kernel the bundle is
displayed, so JupyterLab and the book render the rich part; in a script or a test
the ``text/plain`` part is printed.
"""

from __future__ import annotations


def in_ipython() -> bool:
    """True inside a running IPython shell or kernel."""
    try:
        from IPython import get_ipython
    except ImportError:  # IPython is optional for scripts
        return False
    return get_ipython() is not None


def show(bundle: dict[str, str]) -> None:
    """Display ``bundle`` (a MIME type -> text dict with a ``text/plain`` entry).

    Parameters
    ----------
    bundle : dict of str to str
        At least ``"text/plain"``; rich types such as ``"text/html"`` or
        ``"text/markdown"`` are used inside IPython only.
    """
    if not in_ipython():
        print(bundle["text/plain"])
        return
    from IPython.display import display

    display(bundle, raw=True)
