"""How live is a TrainingWidget? Frames per second of step + redraw + PNG, measured headlessly.

Run on demand (it asserts nothing about time):

    python benchmarks/widget_fps.py [--frames 30]

The widget is logistic regression on two Gaussian blobs, drawn as a decision
boundary (100 x 100 image) and a loss curve: the typical Play section. It uses
nnlib (Dense + bce_with_logits_loss + SGD) when available, plain NumPy otherwise.
Four ways to produce a frame are timed in one run, so the ratios are honest on a
noisy machine:

- reference: what a plain ``interact`` callback does, a new pyplot figure per
  frame saved with ``savefig(bbox_inches="tight")``;
- TrainingWidget, full redraw: ``draw(fig)`` from scratch every frame;
- TrainingWidget, fast path: ``update_figure(fig)`` updates the artists in place;
- training only: ``train_step`` without drawing (the upper bound).

Wall-clock and CPU (process) times are both printed: on a shared machine the
CPU figure is the steadier one.
"""

from __future__ import annotations

import argparse
import io
import time

import ipywidgets
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (reference only; the widgets never use pyplot)
import numpy as np  # noqa: E402

from nnlib.book.plots import grid_points, plot_decision_boundary, plot_history  # noqa: E402
from nnlib.book.widgets import TrainingWidget  # noqa: E402

try:
    from nnlib.data import make_gaussian_clusters
    from nnlib.layers import Dense
    from nnlib.losses import bce_with_logits_loss
    from nnlib.optim import SGD

    HAVE_NNLIB = True
except ImportError:  # the library is being written: fall back to NumPy
    HAVE_NNLIB = False

RESOLUTION = 100


def blobs(seed: int):
    if HAVE_NNLIB:
        return make_gaussian_clusters(200, n_classes=2, noise=0.5, rng=seed)
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], 100)
    return np.array([[-1.0, -1.0], [1.0, 1.0]])[y] + rng.normal(size=(200, 2)), y


class LogisticRegression:
    """z = X w + b, trained by full-batch gradient descent on the binary cross-entropy."""

    def __init__(self, lr: float, seed: int):
        self.lr = lr
        if HAVE_NNLIB:
            self.layer = Dense(2, 1, rng=seed)
            self.optimizer = SGD(self.layer.params, lr=lr)
        else:
            self.w, self.b = np.random.default_rng(seed).normal(scale=0.5, size=2), 0.0

    def proba(self, X):
        z = self.layer.forward(X)[:, 0] if HAVE_NNLIB else X @ self.w + self.b
        return 0.5 * (1 + np.tanh(z / 2))  # sigmoid, without overflow

    def step(self, X, y) -> float:
        if HAVE_NNLIB:
            self.layer.zero_grad()
            loss, dz = bce_with_logits_loss(self.layer.forward(X), y[:, None].astype(float))
            self.layer.backward(dz)
            self.optimizer.step(self.layer.grads)
            return loss
        p = self.proba(X)
        loss = float(np.mean(np.logaddexp(0, X @ self.w + self.b) - y * (X @ self.w + self.b)))
        self.w -= self.lr * X.T @ (p - y) / len(y)
        self.b -= self.lr * float(np.mean(p - y))
        return loss


class BlobsWidget(TrainingWidget):
    """Logistic regression on two blobs: decision boundary and loss curve."""

    def controls(self):
        return {
            "lr": ipywidgets.FloatLogSlider(value=0.3, base=10, min=-3, max=1, description="learning rate"),
            "seed": ipywidgets.IntSlider(value=0, min=0, max=9, description="seed"),
        }

    def reset_state(self, values):
        self.X, self.y = blobs(values["seed"])
        self.model = LogisticRegression(values["lr"], values["seed"])
        self.losses = []

    def train_step(self):
        self.losses.append(self.model.step(self.X, self.y))
        return {"loss": self.losses[-1]}

    def draw(self, fig):
        left, right = fig.subplots(1, 2)
        plot_decision_boundary(left, self.model.proba, self.X, self.y, resolution=RESOLUTION)
        plot_history(right, {"loss": self.losses})
        right.set_title("training loss")


class FastBlobsWidget(BlobsWidget):
    """The same widget with the optional fast path: artists updated in place."""

    def draw(self, fig):
        left, right = fig.subplots(1, 2)
        self.image = plot_decision_boundary(left, self.model.proba, self.X, self.y, resolution=RESOLUTION)
        (self.line,) = right.plot([], [], color="#0072B2", label="loss")
        right.set(xlabel="epoch", ylabel="loss", title="training loss")
        self.grid, _ = grid_points(self.X, RESOLUTION)

    def update_figure(self, fig):
        self.image.set_data(self.model.proba(self.grid).reshape(RESOLUTION, RESOLUTION))
        self.line.set_data(np.arange(1, len(self.losses) + 1), self.losses)
        axes = self.line.axes
        axes.relim()
        axes.autoscale_view()


def timed(run, n: int) -> tuple[float, float]:
    """(frames per second by wall clock, by CPU time) of ``run`` called n times."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        run()
    return n / (time.perf_counter() - wall), n / max(time.process_time() - cpu, 1e-9)


def reference_frame(widget: BlobsWidget) -> None:
    """A naive frame: one training step, a new pyplot figure, savefig with a tight box."""
    widget.train_step()
    fig = plt.figure(figsize=widget.figsize, dpi=widget.dpi)
    widget.draw(fig)
    fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")
    plt.close(fig)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=30, help="frames to time per variant")
    args = parser.parse_args(argv)
    n = args.frames

    full, fast = BlobsWidget(), FastBlobsWidget()
    print(f"model: {'nnlib Dense + bce_with_logits_loss + SGD' if HAVE_NNLIB else 'NumPy fallback'}; "
          f"figure {full.figsize[0]}x{full.figsize[1]} in at {full.dpi} dpi, boundary grid {RESOLUTION}^2; "
          f"{n} frames each")

    reference = BlobsWidget()
    results = {
        "reference (pyplot + savefig tight)": timed(lambda: reference_frame(reference), n),
        "TrainingWidget, full redraw": timed(full.step, n),
        "TrainingWidget, update_figure": timed(fast.step, n),
        "training only (no drawing)": timed(full.train_step, 20 * n),
    }
    base_wall, base_cpu = results["reference (pyplot + savefig tight)"]
    print(f"\n{'frame kind':36s} {'fps (wall)':>11s} {'fps (CPU)':>10s} {'x reference (CPU)':>18s}")
    for name, (wall, cpu) in results.items():
        print(f"{name:36s} {wall:11.1f} {cpu:10.1f} {cpu / base_cpu:18.2f}")
    print(f"\nframes_per_second() of the full-redraw widget: {full.frames_per_second(n):.1f}")
    print(f"frames_per_second() of the fast-path widget:   {fast.frames_per_second(n):.1f}")
    print(f"live PNG per frame: {len(bytes(full.image.value)) / 1e3:.0f} kB")

    for widget, name in ((full, "full redraw"), (fast, "update_figure")):
        started = time.perf_counter()
        html = widget.film(n_frames=40, steps_per_frame=2).data
        print(f"film of 40 frames ({name}): {time.perf_counter() - started:.1f} s, {len(html) / 1e6:.2f} MB of HTML")
    chapter8_widgets(n)



def chapter8_widgets(n: int) -> None:
    """Frames per second of chapter 8's widgets: the explorer's redraw after a control change, the CNN trainer."""
    from nnlib.book.cnn_widgets import CNNTrainer, ConvExplorer

    explorer = ConvExplorer()
    stride = explorer.control_widgets["stride"]
    wall, cpu = timed(lambda: setattr(stride, "value", 1 + stride.value % 2), n)  # each change redraws
    print(f"\nConvExplorer, one control change (photograph 96x96, 3x3 kernel): {wall:.1f} fps (wall), "
          f"{cpu:.1f} (CPU); {explorer.image.format.upper()} {len(bytes(explorer.image.value)) / 1e3:.0f} kB")
    trainer = CNNTrainer()
    cpu = time.process_time()
    wall = trainer.frames_per_second(n)
    cpu = n / (time.process_time() - cpu)  # two resets included: a lower bound
    size = len(bytes(trainer.image.value)) / 1e3
    print(f"CNNTrainer frames_per_second() ({trainer.steps_per_frame} mini-batches per frame): {wall:.1f} "
          f"(wall), at least {cpu:.1f} (CPU); {trainer.frame_format.upper()} {size:.0f} kB")


if __name__ == "__main__":
    main()
