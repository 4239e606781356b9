"""Serve MathJax and the ipywidgets JavaScript from the built book, not from a CDN.

The built HTML then renders math and embedded widgets with no internet at all.

* MathJax 3 comes from the PyPI package ``sphinx-mathjax-offline`` (installed by
  requirements.txt). Only what a page needs is copied: the ``tex-chtml`` component,
  the TeX extensions it can autoload, the CHTML fonts, the menu and the a11y
  modules (about 2.6 MB instead of 24 MB).
* The widget manager and RequireJS are fetched by ``scripts/fetch_widget_js.py``
  into ``_vendor/widgets`` (``make`` runs it); ``static/require-paths.js`` tells
  RequireJS where the manager lives so that its fonts load from the book too.

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

BOOK_ROOT = Path(__file__).resolve().parent.parent
WIDGETS_DIR = BOOK_ROOT / "_vendor" / "widgets"
MATHJAX_PARTS = ("tex-chtml.js", "input/tex/extensions", "output/chtml/fonts", "ui", "a11y")
MATHJAX_SKIP = {"sre.js"}  # the speech-rule engine (4 MB) is only used by the explorer


def mathjax_source() -> Path | None:
    """The MathJax folder inside the installed ``sphinx-mathjax-offline`` package."""
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "static" / "mathjax"
    return folder if (folder / "tex-chtml.js").exists() else None


def widgets_available() -> bool:
    return (WIDGETS_DIR / "embed-amd.js").exists() and (WIDGETS_DIR / "require.js").exists()


def configure(app: Sphinx, config) -> None:
    """Point Sphinx and myst-nb at the local copies (runs before myst-nb reads its config)."""
    missing = []
    if mathjax_source() is not None:
        config.mathjax_path = "offline/mathjax/tex-chtml.js"
    else:
        missing.append("MathJax (pip package sphinx-mathjax-offline)")
    if widgets_available():
        config.nb_ipywidgets_js = {
            "offline/widgets/require.js": {},
            "offline/widgets/require-paths.js": {},
            "offline/widgets/embed-amd.js": {"data-jupyter-widgets-cdn": "offline/widgets/"},
        }
    else:
        missing.append("widget JavaScript (run scripts/fetch_widget_js.py; needs npm)")
    app.offline_assets_missing = missing


def report(app: Sphinx) -> None:
    missing = getattr(app, "offline_assets_missing", [])
    if missing:
        # One line, as info: the build succeeds with the CDN.
        logger.info("offline assets: using the CDN for " + " and ".join(missing))


def drop_duplicate_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Keep one copy of each script: sphinx-thebe's inline config is registered twice by
    jupyter-book, and the second copy throws "Identifier 'THEBE_JS_URL' has already been declared"."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = (getattr(script, "filename", None) or "", str(getattr(script, "attributes", {}).get("body", "")))
        if key not in seen:
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
    if widgets_available():
        shutil.copytree(WIDGETS_DIR, static / "widgets", dirs_exist_ok=True)
        shutil.copy2(Path(__file__).parent / "static" / "require-paths.js", static / "widgets")


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", configure, priority=100)
    app.connect("builder-inited", report)
    app.connect("html-page-context", drop_duplicate_scripts, priority=1000)
    app.connect("build-finished", copy_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
