"""The book's one way to show something: rich display inside IPython, plain text outside.

Chapters run in Jupyter, where a widget, a film or a table is shown richly; the
same code in a plain Python script (or a test) prints a text version instead of
failing or printing an object's address.
"""

from __future__ import annotations

__all__ = ["in_ipython", "show"]


def in_ipython() -> bool:
    """True inside an IPython shell or a Jupyter kernel."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


def show(obj, text: str | None = None) -> None:
    """Display ``obj`` richly inside IPython; print ``text`` (default ``repr(obj)``) outside.

    Parameters
    ----------
    obj : object or dict
        Anything IPython can display (an object with ``_repr_html_`` or
        ``_repr_mimebundle_``), or a mime bundle ``{"text/markdown": ..., "text/plain": ...}``.
    text : str, optional
        What to print outside IPython; for a mime bundle, its ``text/plain`` by default.
    """
    is_bundle = isinstance(obj, dict)
    if in_ipython():
        from IPython.display import display

        display(obj, raw=is_bundle)
        return
    if text is None:
        text = obj.get("text/plain", "") if is_bundle else repr(obj)
    print(text)
