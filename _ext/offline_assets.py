"""Serve MathJax from the built book, not from a CDN; and leave the live widgets' state out of the pages.

The built HTML then renders math with no internet at all.

* MathJax 3 comes from the PyPI package ``sphinx-mathjax-offline`` (installed by
  requirements.txt). Only what a page needs is copied: the ``tex-chtml`` component,
  the TeX extensions it can autoload, the CHTML fonts, the menu and the a11y
  modules (about 2.6 MB instead of 24 MB).
* A live widget needs a kernel: the book drops its view and shows the static
  picture it carries instead (``nb_mime_priority_overrides`` in ``_config.yml``).
  myst-nb would still embed the widgets' state in the page and load the ipywidgets
  HTML manager (4.3 MB) to read it, for no view at all, and the manager fails on
  models it cannot load (the live image, an anywidget). Both are left out.

Whatever is missing falls back to the CDN defaults, and the build says so in one line.
Files go to ``_build/html/_static/offline``; they are kept out of the source
``_static/`` because jupyter-book injects every .js found there into every page.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
MATHJAX_PARTS = ("tex-chtml.js", "input/tex/extensions", "output/chtml/fonts", "ui", "a11y")
MATHJAX_SKIP = {"sre.js"}  # the speech-rule engine (4 MB) is only used by the explorer


def mathjax_source() -> Path | None:
    """The MathJax folder inside the installed ``sphinx-mathjax-offline`` package."""
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "static" / "mathjax"
    return folder if (folder / "tex-chtml.js").exists() else None


def configure(app: Sphinx, config) -> None:
    """Point Sphinx and myst-nb at the local copies (runs before myst-nb reads its config)."""
    missing = []
    if mathjax_source() is not None:
        config.mathjax_path = "offline/mathjax/tex-chtml.js"
    else:
        missing.append("MathJax (pip package sphinx-mathjax-offline)")
    config.nb_ipywidgets_js = {}  # no widget view is rendered in the HTML: no widget manager to load
    app.offline_assets_missing = missing


def report(app: Sphinx) -> None:
    missing = getattr(app, "offline_assets_missing", [])
    if missing:
        # One line, as info: the build succeeds with the CDN.
        logger.info("offline assets: using the CDN for " + " and ".join(missing))


def drop_duplicate_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Keep one copy of each script: sphinx-thebe's inline config is registered twice by
    jupyter-book, and the second copy throws "Identifier 'THEBE_JS_URL' has already been declared".
    Leave out the widgets' state (no view in the page reads it)."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        attributes = getattr(script, "attributes", {})
        key = (getattr(script, "filename", None) or "", str(attributes.get("body", "")))
        if key not in seen and attributes.get("type") != WIDGET_STATE:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def copy_assets(app: Sphinx, exception) -> None:
    """Copy the vendored files into the HTML output after a successful build."""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static" / "offline"
    source = mathjax_source()
    if source is not None:
        for part in MATHJAX_PARTS:
            src, dst = source / part, static / "mathjax" / part
            if src.is_dir():
                shutil.copytree(src, dst, dirs_exist_ok=True, ignore=lambda d, names: [n for n in names if n in MATHJAX_SKIP])
            else:
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", configure, priority=100)
    app.connect("builder-inited", report)
    app.connect("html-page-context", drop_duplicate_scripts, priority=1000)
    app.connect("build-finished", copy_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
