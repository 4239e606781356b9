"""Frames per second of the book's widgets as a reader sees them: in JupyterLab, in the browser.

Run on demand (it asserts nothing about time; needs Debian's chromium):

    python benchmarks/widget_fps.py [--seconds 8] [--only Playground]

For each chapter widget this starts JupyterLab (as ``make lab`` does) on a
scratch folder, opens a notebook that shows the widget in headless Chromium,
and then

- for the training widgets (perceptron, loss race, optimizer race, gradient-flow
  explorer, overfitting lab, Playground, CNN trainer): presses Play;
- for the activation explorer and the convolution explorer (no Play: they redraw
  when a control moves): drags a slider's handle back and forth (the shift; the
  padding), as a reader would, with mouse events sent from inside the page 60
  times a second;

and counts, in the page, the frames the widget's image actually shows (its
``load`` events: each is a JPEG, from the kernel or made ahead, decoded and
displayed) over ``--seconds`` after a warm-up. Printed beside
it: for Play, the rate the kernel reported in the widget's status line (frames
it sent); for a drag, the rate of the mouse moves; and the headless rate of the
same widget in this process (training, drawing and encoding, nothing sent), so
the cost of the trip to the browser shows.

A picture drawn by the kernel for each slider value comes at most once per round
trip (ipywidgets' front end sends a slider's next value only once the kernel has
handled the last one): here fewer than 25 a second, however cheap the picture.
The slider-driven widgets therefore show pictures made ahead
(:mod:`nnlib.book.widgets.frames`): the kernel draws the other values of each
slider in the background and the page switches to the right one as the handle
moves. The drag starts as soon as the widget is shown, so its first moves may
still wait for the kernel. The last row is a picture of one word: the ceiling
of the page itself. The machine's load average is printed too: the figures are
only as steady as the machine is quiet.
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
#: name -> (the widget's expression, how it is driven: "play", or "slider" and the slider's control, default "shift")
WIDGETS = {
    "PerceptronWidget": ("PerceptronWidget(dataset='noisy', epochs=100)", "play"),
    "LossRace": ("LossRace()", "play"),
    "OptimizerRace": ("OptimizerRace()", "play"),
    # all 1,078 training digits: a run long enough to outlast the measurement (100 digits end within seconds)
    "OverfittingLab": ("OverfittingLab(LabSettings(n_train=1078))", "play"),
    "GradientFlowExplorer": ("GradientFlowExplorer()", "play"),
    "Playground": ("Playground()", "play"),
    "CNNTrainer": ("CNNTrainer()", "play"),
    "ActivationExplorer": ("ActivationExplorer()", "slider"),
    # Its sliders are small integers: the drag sweeps the padding 0 1 2 3 2 1 0 ..., a new value at every move.
    "ConvExplorer": ("ConvExplorer(padding=1)", "slider padding"),
    # The ceiling of any slider-driven picture: a "shift" slider and a picture with one word on it.
    "one-word picture": ("InteractivePlot({'shift': Number(0.0, -4.0, 4.0, 'shift', step=0.25)}, "
                         "lambda fig, values: fig.text(0.5, 0.5, str(values['shift'])), figsize=(9.5, 1))",
                         "slider"),
}
_IMPORTS = "from nnlib.book.experiments.regularization import LabSettings\nfrom nnlib.book.widgets import *\nfrom nnlib.book.widgets.controls import Number\n"


# Drag a noUiSlider handle from inside the page: mouse events 60 times a second, back and forth (a script
# outside the page, one event per round trip, cannot move it that often). Each move goes one value on: every
# move asks for a new picture. A long slider is swept over the middle of its track, 1/32 of it per move; a
# slider of a few values (padding 0 to 3) over all of them, 0 1 2 3 2 1 0 ..., so that the value the front
# end sends after a round trip is rarely the one it sent last (which the kernel would not redraw).
_DRAG_JS = """([handle, seconds]) => new Promise((done) => {
    const target = handle.closest('.noUi-target'), track = target.getBoundingClientRect();
    const options = target.noUiSlider.options, n = Math.round((options.range.max - options.range.min) / options.step);
    const by = Math.max(1, Math.round(n / 32)), low = n >= 32 ? Math.round(0.2 * n) : 0, high = n >= 32 ? Math.round(0.8 * n) : n;
    let i = Math.round((Number(handle.getAttribute('aria-valuenow')) - options.range.min) / options.step);
    let direction = 1, moves = 0;
    const grip = handle.getBoundingClientRect(), y = grip.top + grip.height / 2;
    const fire = (type, element) => element.dispatchEvent(new MouseEvent(type, {clientX: track.left + track.width * i / n,
        clientY: y, bubbles: true, cancelable: true, view: window, button: 0, buttons: 1}));
    fire('mousedown', handle);
    const end = performance.now() + 1000 * seconds;
    const timer = setInterval(() => {
        if (i + direction * by < low || i + direction * by > high) direction = -direction;
        i += direction * by;
        fire('mousemove', document.documentElement);
        moves += 1;
        if (performance.now() > end) { clearInterval(timer); fire('mouseup', document.documentElement); done(moves); }
    }, 1000 / 60);
})"""


def _slider_name(drive: str) -> str:
    """The control a "slider ..." drive moves (default: "shift")."""
    return (drive.split(maxsplit=1)[1:] or ["shift"])[0]


def _drive_slider(page, widget_output, seconds: float, name: str = "shift") -> int:
    """Drag the slider ``name``'s handle back and forth, as a reader does, for ``seconds``; returns the moves."""
    handle = widget_output.locator(f".widget-slider:has-text('{name}') .noUi-handle").first
    return handle.evaluate(f"(handle) => ({_DRAG_JS})([handle, {seconds}])")


def measure_in_browser(browser, url: str, folder: Path, name: str, seconds: float) -> dict:
    """Frames per second of widget ``name`` as the page shows them (and as the kernel says it sent them)."""
    expression, drive = WIDGETS[name]
    page = open_notebook(browser, url, folder, [f"{_IMPORTS}widget = {expression}\nwidget"],
                         name=f"{name.split()[0]}.ipynb")
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
            status = widget.locator(".nnlib-status").first.inner_text()
            pause = widget.locator("button:has-text('Pause')").first
            if pause.is_enabled():  # a run that reached its end has paused itself
                pause.click()
        else:
            _drive_slider(page, widget, warm_up, _slider_name(drive))
            first, started = frames_seen(page)
            moves = _drive_slider(page, widget, seconds, _slider_name(drive))
            last, ended = frames_seen(page)
            status = f"{moves / seconds:.1f} frames/s asked for (mouse moves)"
        kernel = re.search(r"([\d.]+) frames/s", status)
        return {"browser": (last - first) / (ended - started), "kernel": float(kernel.group(1)) if kernel else None,
                "pixels": (natural, shown)}
    finally:
        page.close()
        shut_down_kernels(url)


def measure_headless(name: str) -> float:
    """Frames per second of the same widget in this process: training, drawing, encoding; nothing sent."""
    namespace = {}
    exec(_IMPORTS, namespace)  # noqa: S102  (the benchmark's own table)
    expression, drive = WIDGETS[name]
    widget = eval(expression, namespace)  # noqa: S307
    if hasattr(widget, "frames_per_second"):
        return widget.frames_per_second(60)
    control = _slider_name(drive)
    spec = widget._specs[control]
    sweep = list(range(spec.low, spec.high + 1)) if spec.integer else [0.25 * k for k in range(-4, 5)]
    started, values = time.perf_counter(), (sweep + sweep[-2:0:-1]) * 4
    for value in values:
        widget.set_values(**{control: value})
    return len(values) / (time.perf_counter() - started)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="measuring time per widget")
    parser.add_argument("--only", choices=[name.split()[0] for name in WIDGETS], action="append",
                        help="measure only these widgets")
    args = parser.parse_args(argv)
    names = [name for name in WIDGETS if args.only is None or name.split()[0] in args.only]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} CPUs, load average {load} before; {args.seconds:g} s per widget after a 2 s warm-up")
    results = {}
    with tempfile.TemporaryDirectory() as folder, jupyterlab(Path(folder)) as url, chromium() as browser:
        for name in names:
            print(f"{name} ...", flush=True)
            results[name] = measure_in_browser(browser, url, Path(folder), name, args.seconds)
    for name in names:  # outside playwright, whose event loop would take the widgets' tasks
        results[name]["headless"] = measure_headless(name)
    print(f"\n{'widget':22s} {'browser fps':>11s} {'kernel/asked':>12s} {'headless fps':>12s}  image px (shown)  "
          f"target {TARGET_FPS}")
    for name, r in results.items():
        kernel = "-" if r["kernel"] is None else f"{r['kernel']:.1f}"
        verdict = "meets it" if r["browser"] >= TARGET_FPS else "MISSES it"
        print(f"{name:22s} {r['browser']:11.1f} {kernel:>12s} {r['headless']:12.1f}  "
              f"{r['pixels'][0]:>4d} ({r['pixels'][1]:>4d})      {verdict}")
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
