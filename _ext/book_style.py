"""The book's own stylesheet: derivation checks, errata, and code that wraps instead of overflowing.

Adds ``_ext/static/css/nnfp.css`` to every page. (The check marks also carry
inline styles, so that they look right in JupyterLab, which does not load it.)
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

STATIC = Path(__file__).resolve().parent / "static" / "css"


def add_static_path(app: Sphinx, config) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", add_static_path)
    app.add_css_file("nnfp.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
