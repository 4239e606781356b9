"""Run every benchmark script in this folder, one after another, and print their figures.

Benchmarks measure ratios in one run against a reference (PyTorch CPU when it is
installed, else a naive implementation), so a noisy machine still gives honest
numbers. They are never part of the test-suite: `make bench` runs them on demand.
"""

from __future__ import annotations

import runpy
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name and not p.name.startswith("_"))
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        start = time.perf_counter()
        try:
            runpy.run_path(str(script), run_name="__main__")
        except SystemExit as exit_:  # a script ending in sys.exit(main()) must not end the run
            if exit_.code not in (None, 0):
                print(f"{script.name} exited with {exit_.code}", flush=True)
        print(f"({script.name}: {time.perf_counter() - start:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
