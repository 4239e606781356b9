"""A fixture for the tests of nnlib.book: run its helpers as inside a kernel.

(Not a conftest.py: a second conftest module would shadow ``tests/conftest.py`` for
``from conftest import ...``.)
"""

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
