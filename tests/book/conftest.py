"""Fixtures for the tests of nnlib.book."""

import pytest


@pytest.fixture
def shown(monkeypatch):
    """Run the book's helpers as inside a kernel; collect the MIME bundles they display."""
    IPython = pytest.importorskip("IPython")
    import IPython.display

    bundles = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda bundle, raw: bundles.append(bundle))
    return bundles
