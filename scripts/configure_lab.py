"""Make JupyterLab open the chapters (MyST Markdown) as notebooks on double-click.

Writes the JupyterLab setting override that makes jupytext's "Jupytext Notebook" the
default viewer for Markdown and MyST files, into the running environment's
share/jupyter/lab/settings/overrides.json (merged with what is there). Used by
`make lab` and by Binder's postBuild, so both behave the same.
"""

import json
import sys
from pathlib import Path

PLUGIN = "@jupyterlab/docmanager-extension:plugin"
VIEWERS = {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}


def main() -> None:
    path = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings = json.loads(path.read_text()) if path.exists() else {}
    settings.setdefault(PLUGIN, {}).setdefault("defaultViewers", {}).update(VIEWERS)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2) + "\n")


if __name__ == "__main__":
    main()
