"""Execute one chapter (a MyST Markdown notebook) and report the first failing cell.

Usage:  python scripts/run_chapter.py chapters/01_perceptron.md [--save out.ipynb]

This is what `make chapter CH=...` runs: the same execution the book build and the
test-suite do, but for one file, in a few seconds, with the failing cell's source
and traceback printed in full.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

CELL_TIMEOUT = 300  # seconds; matches execute.timeout in _config.yml


def execute_chapter(path: Path, timeout: int = CELL_TIMEOUT) -> nbformat.NotebookNode:
    """Run every code cell of the chapter at ``path`` in a fresh kernel, cwd = its folder."""
    nb = jupytext.read(path)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapter", type=Path)
    parser.add_argument("--save", type=Path, help="write the executed notebook here")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        nb = execute_chapter(args.chapter)
    except CellExecutionError as err:
        print(f"FAILED: {args.chapter}\n{err}", file=sys.stderr)
        return 1
    if args.save:
        nbformat.write(nb, args.save)
    n_cells = sum(cell.cell_type == "code" for cell in nb.cells)
    print(f"ok: {args.chapter} ({n_cells} code cells, {time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
