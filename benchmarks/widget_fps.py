"""Frames per second of the book's widgets as a reader sees them: in JupyterLab, in the browser.

Run on demand (it asserts nothing about time; needs Debian's chromium):

    python benchmarks/widget_fps.py [--seconds 8] [--only Playground]

For each chapter widget this starts JupyterLab (as ``make lab`` does) on a
scratch folder, opens a notebook that shows the widget in headless Chromium,
and then

- for the training widgets (perceptron, loss race, Playground): presses Play;
- for the activation explorer (no Play: it redraws when a control moves): moves
  the shift slider with the keyboard, 50 key presses per second, back and forth;

and counts, in the page, the frames the widget's image actually shows (its
``load`` events: each is a JPEG that came from the kernel through the server,
was decoded and displayed) over ``--seconds`` after a warm-up. Printed beside
it: the rate the kernel reported in the widget's status line (frames it sent),
and the headless rate of the same widget in this process
(``frames_per_second()``: training, drawing and encoding, nothing sent), so the
cost of the trip to the browser shows. The machine's load average is printed
too: the figures are only as steady as the machine is quiet.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from lab_session import (  # noqa: E402
    chromium,
    count_image_updates,
    frames_seen,
    jupyterlab,
    open_notebook,
    output,
    run_cell,
    shut_down_kernels,
)

TARGET_FPS = 25
#: name -> (the cell that shows the widget, how it is driven)
WIDGETS = {
    "PerceptronWidget": ("PerceptronWidget(dataset='noisy', epochs=100)", "play"),
    "LossRace": ("LossRace()", "play"),
    "Playground": ("Playground()", "play"),
    "ActivationExplorer": ("ActivationExplorer()", "slider"),
}


def _drive_slider(page, widget_output, seconds: float) -> None:
    """Move the "shift" slider one step right, then left, 50 times a second, for ``seconds``."""
    handle = widget_output.locator(".widget-slider:has-text('shift') .noUi-handle").first
    handle.focus()
    end, key = time.perf_counter() + seconds, "ArrowRight"
    while time.perf_counter() < end:
        page.keyboard.press(key)
        key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
        page.wait_for_timeout(20)


def measure_in_browser(browser, url: str, folder: Path, name: str, seconds: float) -> dict:
    """Frames per second of widget ``name`` as the page shows them (and as the kernel says it sent them)."""
    expression, drive = WIDGETS[name]
    page = open_notebook(browser, url, folder, [f"from nnlib.book.widgets import {name}\nwidget = {expression}\nwidget"],
                         name=f"{name}.ipynb")
    try:
        run_cell(page, 0)
        widget = output(page, 0)
        image = widget.locator("img.widget-image").first
        image.wait_for(timeout=60000)
        natural, shown = image.evaluate("(img) => [img.naturalWidth, img.clientWidth]")
        count_image_updates(image)
        warm_up = 2.0
        if drive == "play":
            widget.locator("button:has-text('Play')").first.click()
            page.wait_for_timeout(warm_up * 1000)
            first, started = frames_seen(page)
            page.wait_for_timeout(seconds * 1000)
            last, ended = frames_seen(page)
            status = widget.locator(".widget-html").first.inner_text()
            widget.locator("button:has-text('Pause')").first.click()
        else:
            _drive_slider(page, widget, warm_up)
            first, started = frames_seen(page)
            _drive_slider(page, widget, seconds)
            last, ended = frames_seen(page)
            status = ""
        kernel = re.search(r"([\d.]+) frames/s", status)
        return {"browser": (last - first) / (ended - started), "kernel": float(kernel.group(1)) if kernel else None,
                "pixels": (natural, shown)}
    finally:
        page.close()
        shut_down_kernels(url)


def measure_headless(name: str) -> float:
    """Frames per second of the same widget in this process: training, drawing, encoding; nothing sent."""
    import nnlib.book.widgets as widgets

    expression = WIDGETS[name][0]
    widget = eval(expression, vars(widgets))  # noqa: S307  (the benchmark's own table)
    if hasattr(widget, "frames_per_second"):
        return widget.frames_per_second(60)
    started, values = time.perf_counter(), [0.25 * k for k in range(-4, 5)] * 4
    for shift in values:
        widget.set_values(shift=shift)
    return len(values) / (time.perf_counter() - started)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="measuring time per widget")
    parser.add_argument("--only", choices=list(WIDGETS), action="append", help="measure only these widgets")
    args = parser.parse_args(argv)
    names = args.only or list(WIDGETS)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} CPUs, load average {load} before; {args.seconds:g} s per widget after a 2 s warm-up")
    results = {}
    with tempfile.TemporaryDirectory() as folder, jupyterlab(Path(folder)) as url, chromium() as browser:
        for name in names:
            print(f"{name} ...", flush=True)
            results[name] = measure_in_browser(browser, url, Path(folder), name, args.seconds)
            results[name]["headless"] = measure_headless(name)
    print(f"\n{'widget':20s} {'browser fps':>11s} {'kernel fps':>10s} {'headless fps':>12s}  image px (shown)  "
          f"target {TARGET_FPS}")
    for name, r in results.items():
        kernel = "-" if r["kernel"] is None else f"{r['kernel']:.1f}"
        verdict = "meets it" if r["browser"] >= TARGET_FPS else "MISSES it"
        print(f"{name:20s} {r['browser']:11.1f} {kernel:>10s} {r['headless']:12.1f}  "
              f"{r['pixels'][0]:>4d} ({r['pixels'][1]:>4d})      {verdict}")
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
