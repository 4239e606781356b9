"""Set up JupyterLab for the book: chapters open as notebooks, and sliders answer quickly.

Writes into the running environment (``sys.prefix``), merged with what is there:

- share/jupyter/lab/settings/overrides.json: jupytext's "Jupytext Notebook" becomes the
  default viewer for Markdown and MyST files, so a double-click opens a chapter as a notebook;
- etc/jupyter/jupyter_server_config.d/nnlib-book.json: enables the server extension
  :mod:`nnlib.book.lab_server` (TCP_NODELAY on the kernel websockets: without it, each value of
  a dragged slider waits up to 40 ms in the server, and slider-driven widgets lag the hand).

Used by `make lab`, by Binder's postBuild and by the tests and benchmarks that start JupyterLab,
so all behave the same.
"""

import json
import sys
from pathlib import Path

PLUGIN = "@jupyterlab/docmanager-extension:plugin"
VIEWERS = {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}
SERVER_EXTENSION = "nnlib.book.lab_server"


def _merge(path: Path, update) -> None:
    """Apply ``update(settings)`` to the JSON file at ``path`` (created if missing)."""
    settings = json.loads(path.read_text()) if path.exists() else {}
    update(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2) + "\n")


def main() -> None:
    prefix = Path(sys.prefix)
    _merge(prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json",
           lambda s: s.setdefault(PLUGIN, {}).setdefault("defaultViewers", {}).update(VIEWERS))
    _merge(prefix / "etc" / "jupyter" / "jupyter_server_config.d" / "nnlib-book.json",
           lambda s: s.setdefault("ServerApp", {}).setdefault("jpserver_extensions", {}).update({SERVER_EXTENSION: True}))


if __name__ == "__main__":
    main()
