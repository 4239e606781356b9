"""Frames per second of the Playground widget, measured headlessly.

The default Playground (circle data, 200 points, hidden layers (4, 2) of tanh
units, batch 10, SGD, one epoch per frame) is driven through ``step()``, which
is what the Play button repeats: train one epoch with ``nnlib.training.fit``,
update the figure's artists in place, blit and encode the PNG sent to the
browser. Reported separately:

- **step + render**: whole frames (the figure the widget must reach: >= 20 fps);
- **step alone**: ``train_step()`` (one epoch of fit plus the train/test losses);
- **render alone**: ``render(full=False)`` (update, blit, PNG) without training;
- **full redraw**: ``render(full=True)``, what a reset or a control change costs,
  and the blitting speed-up (full redraw / blitted render);
- the largest network (6 layers of 8 units, all 7 features, 4 classes) for comparison.

Figures are medians of a few repetitions; the load average is printed because
the machine may be shared. Benchmarks never assert on time.

Run: ``python benchmarks/playground_fps.py``.
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

TARGET_FPS = 20


def _rate(action, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        action()
    return n / (time.perf_counter() - start)


def _median_rate(action, n: int, repeats: int, before=None) -> float:
    rates = []
    for _ in range(repeats):
        if before is not None:
            before()
        rates.append(_rate(action, n))
    return float(np.median(rates))


def measure(playground, frames: int = 40, repeats: int = 3) -> dict:
    """Frames per second of ``playground``: whole frames, step alone, render alone, full redraw."""
    playground.reset()
    playground.step()  # the first frame after a reset caches the background
    return {
        "frame": _median_rate(playground.step, frames, repeats, before=playground.reset),
        "step": _median_rate(playground.train_step, frames, repeats, before=playground.reset),
        "render": _median_rate(lambda: playground.render(full=False), frames, repeats),
        "full": _median_rate(lambda: playground.render(full=True), max(5, frames // 8), repeats),
    }


def report(name: str, rates: dict) -> None:
    verdict = "meets" if rates["frame"] >= TARGET_FPS else "MISSES"
    print(f"{name}:")
    print(f"  step + render  {rates['frame']:6.1f} frames/s  ({1e3 / rates['frame']:5.1f} ms; "
          f"{rates['frame'] / TARGET_FPS:.2f}x the target of {TARGET_FPS} fps: {verdict} it)")
    print(f"  step alone     {rates['step']:6.1f} epochs/s  ({1e3 / rates['step']:5.1f} ms)")
    print(f"  render alone   {rates['render']:6.1f} frames/s  ({1e3 / rates['render']:5.1f} ms)")
    print(f"  full redraw    {rates['full']:6.1f} frames/s  ({1e3 / rates['full']:5.1f} ms; blitting is "
          f"{rates['render'] / rates['full']:.1f}x faster)")


def main() -> int:
    from nnlib.book.experiments.playground import FEATURES
    from nnlib.book.widgets import Playground

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"
    print(f"{os.cpu_count()} CPUs, load average {load}")
    default = Playground()
    size = default.figure.get_size_inches() * default.figure.dpi
    print(f"figure {size[0]:.0f} x {size[1]:.0f} px (dpi {default.figure.dpi:g}), one epoch per frame")
    report("default Playground (circle, 200 points, hidden (4, 2) tanh, batch 10, SGD)", measure(default))
    largest = Playground(dataset="spiral", n_classes=4, features=tuple(FEATURES), hidden=(8,) * 6,
                         activation="relu", optimizer="adam", lr=0.003)
    report("largest network (spiral, 4 classes, 7 features, hidden 6 x 8 relu, Adam)", measure(largest, frames=20))
    return 0


if __name__ == "__main__":
    sys.exit(main())
