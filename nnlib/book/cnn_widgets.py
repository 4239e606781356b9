"""Chapter 8's widgets: the convolution explorer and a CNN training live on the digits.

- :class:`ConvExplorer` cross-correlates an image (matplotlib's photograph, or a
  digit) with a preset or typed kernel, with a stride and a padding, and shows
  the padded input, the kernel and the output, live (an :class:`InteractivePlot`).
- :class:`CNNTrainer` trains chapter 8's CNN (:mod:`nnlib.book.experiments.cnn_digits`)
  a few mini-batches per frame and shows the loss, the accuracies, the
  first layer's filters and one digit's feature maps changing as it learns.

Both draw with the same code live and in their films. The experiments they show
live in ``nnlib.book.experiments`` and have no user interface.
"""

from __future__ import annotations

import textwrap

import ipywidgets as widgets
import matplotlib
import numpy as np

from nnlib.book.experiments.cnn_digits import CNN_TRAINING, CNNRun, one_blas_thread
from nnlib.book.experiments.digits import load_digits
from nnlib.book.experiments.filters import KERNELS, filter_image, format_kernel, parse_kernel, photograph
from nnlib.book.plots import CLASS_COLORS, PROBABILITY_CMAP

from .widgets import _FAST_TEXT, FILM_DPI, InteractivePlot, TrainingWidget, _encode, animate, new_figure

__all__ = ["ConvExplorer", "CNNTrainer", "explorer_image"]

IMAGES = ("photograph", "a digit (3)")


def explorer_image(name: str) -> np.ndarray:
    """The explorer's input: Grace Hopper's portrait (96 x 96) or a test digit 3 (8 x 8), values in [0, 1]."""
    if name == "photograph":
        return photograph(96)
    digits = load_digits()
    first_three = int(np.flatnonzero(digits.y_test == 3)[0])
    return digits.images("test")[first_three, 0].copy()


def _signed_limits(values) -> float:
    """Symmetric colour limit for signed values (at least a tiny positive number)."""
    return max(float(np.max(np.abs(values))), 1e-12)


def mosaic(stack, columns: int) -> np.ndarray:
    """Tile equal-size maps ``(n, h, w)`` into one image, ``columns`` per row, with one-pixel NaN gaps."""
    stack = np.asarray(stack, dtype=float)
    n, h, w = stack.shape
    rows = -(-n // columns)
    tiled = np.full((rows * (h + 1) - 1, columns * (w + 1) - 1), np.nan)
    for k in range(n):
        r, q = divmod(k, columns)
        tiled[r * (h + 1):r * (h + 1) + h, q * (w + 1):q * (w + 1) + w] = stack[k]
    return tiled


def _frame(padding: int, shape):
    """A rectangle around the original pixels inside the padded input."""
    from matplotlib.patches import Rectangle

    return Rectangle((padding - 0.5, padding - 0.5), shape[1], shape[0], fill=False, lw=1.5,
                     edgecolor=CLASS_COLORS[4])


_SIGNED = PROBABILITY_CMAP.with_extremes(bad="white")
_GREYS = matplotlib.colormaps["gray_r"].with_extremes(bad="white")
_GREY = matplotlib.colormaps["gray"]
_MAX_NUMBERS = 5  # kernels up to 5 x 5 show their numbers in the cells


class ConvFigure:
    """The explorer's drawing: padded input, kernel (numbers in the cells), output, made once and updated.

    ``ConvFigure(fig)`` draws the axes into ``fig``; :meth:`update` shows the
    result for control ``values`` by changing the artists' data in place (a frame
    of the live widget), and is also what a film's frames run. Colours are scaled to
    the largest magnitude (written in the captions), so the colour bar stays the same
    from frame to frame; :attr:`changing` lists the artists a frame changes, and
    :attr:`background_key` what else may change (when it does, everything is redrawn).
    """

    def __init__(self, fig):
        self.fig = fig
        self.ax_in, self.ax_k, self.ax_out = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 0.7, 1]})
        pixels = {"interpolation": "nearest"}  # each pixel a square: what the kernel sees, and fast to draw
        self.input = self.ax_in.imshow(np.zeros((2, 2)), cmap="gray", vmin=0, vmax=1, **pixels)
        self.border = _frame(0, (1, 1))
        self.ax_in.add_patch(self.border)
        self.kernel = self.ax_k.imshow(np.zeros((3, 3)), cmap=_SIGNED, vmin=-1, vmax=1, **pixels)
        self.numbers = [self.ax_k.text(0, 0, "", ha="center", va="center", fontsize=10)
                        for _ in range(_MAX_NUMBERS ** 2)]
        self.output = self.ax_out.imshow(np.zeros((2, 2)), cmap=_SIGNED, vmin=-1, vmax=1, **pixels)
        self.error = self.ax_out.text(0.5, 0.5, "", fontsize=9, color=CLASS_COLORS[1], ha="center",
                                      va="center", transform=self.ax_out.transAxes)
        self.bar = fig.colorbar(self.output, ax=self.ax_out, shrink=0.8)
        self.captions = [ax.text(0.5, -0.04, "", ha="center", va="top", fontsize=10, transform=ax.transAxes)
                         for ax in (self.ax_in, self.ax_k, self.ax_out)]
        for ax, title in zip((self.ax_in, self.ax_k, self.ax_out), ("input (padded)", "kernel", "output")):
            ax.set(xticks=[], yticks=[])
            ax.set_title(title, fontsize=11)
        self.changing = [self.input, self.border, self.kernel, *self.numbers, self.output, self.error,
                         *self.captions]
        self.background_key = None

    @staticmethod
    def _show(artist, data) -> None:
        artist.set_data(data)
        artist.set_extent((-0.5, data.shape[1] - 0.5, data.shape[0] - 0.5, -0.5))
        artist.axes.set(xlim=(-0.5, data.shape[1] - 0.5), ylim=(data.shape[0] - 0.5, -0.5))

    def update(self, values: dict) -> None:
        image = explorer_image(values["image"])
        stride, padding = int(values["stride"]), int(values["padding"])
        self._show(self.input, np.pad(image, padding))
        self.border.set_bounds(padding - 0.5, padding - 0.5, image.shape[1], image.shape[0])
        self.border.set_visible(padding > 0)
        self.captions[0].set_text(f"{image.shape[0]}×{image.shape[1]}, padding {padding} per side")
        try:
            kernel = parse_kernel(values["kernel"])
            out = filter_image(image, kernel, stride, padding)
        except ValueError as error:
            self.error.set_text("cannot use this kernel:\n" + textwrap.fill(str(error).removeprefix("kernel: "), 34))
            for artist in (self.kernel, self.output, *self.numbers, *self.captions[1:]):
                artist.set_visible(False)
            self.background_key = "error"
            return
        self.error.set_text("")
        for artist in (self.kernel, self.output, *self.captions[1:]):
            artist.set_visible(True)
        self._show(self.kernel, kernel / _signed_limits(kernel))
        cells = list(np.ndenumerate(kernel)) if kernel.shape[0] <= _MAX_NUMBERS else []
        for text, cell in zip(self.numbers, cells + [None] * (len(self.numbers) - len(cells))):
            text.set_visible(cell is not None)
            if cell is not None:
                (r, q), v = cell
                text.set_position((q, r))
                text.set_text(f"{v:.3g}")
        self.captions[1].set_text(f"{kernel.shape[0]}×{kernel.shape[1]}, stride {stride}")
        largest = _signed_limits(out)
        self._show(self.output, out / largest)
        self.captions[2].set_text(f"{out.shape[0]}×{out.shape[1]}, largest |value| {largest:.3g}")
        grey = out.min() >= 0  # a blur or a sharpened picture: grey levels, like the input
        if self.background_key != grey:  # the colour bar changes: everything is drawn anew
            self.output.set_cmap(_GREY if grey else _SIGNED)
            self.output.set_clim(0 if grey else -1, 1)
            self.bar.set_label("output / largest" if grey else "output / largest |output|")
            self.background_key = grey


def draw_convolution(fig, values: dict) -> None:
    """Draw the explorer into the empty figure ``fig`` for control ``values`` (a film's frame)."""
    ConvFigure(fig).update(values)


class ConvExplorer(InteractivePlot):
    """The convolution explorer: an image, a kernel (preset or typed), stride and padding; the output, live.

    Picking a preset writes its numbers into the kernel box; editing the box
    shows "custom". A kernel that cannot be read is reported in the figure.

    Parameters
    ----------
    image : str, default "photograph"
        ``"photograph"`` or ``"a digit (3)"``.
    kernel : str, default "vertical edges (Sobel)"
        A name in :data:`nnlib.book.experiments.filters.KERNELS`.
    """

    def __init__(self, image: str = "photograph", kernel: str = "vertical edges (Sobel)"):
        self._preset = widgets.Dropdown(options=[*KERNELS, "custom"], value=kernel, description="preset")
        text = widgets.Text(value=format_kernel(KERNELS[kernel]), description="kernel (rows; numbers)",
                            continuous_update=False, layout=widgets.Layout(width="24em"))
        controls = {
            "image": widgets.Dropdown(options=IMAGES, value=image, description="image"),
            "kernel": text,
            "stride": widgets.IntSlider(value=1, min=1, max=4, description="stride"),
            "padding": widgets.IntSlider(value=0, min=0, max=3, description="padding"),
        }
        self._syncing, self._background = False, None
        self._preset.observe(self._preset_chosen, names="value")
        text.observe(self._text_edited, names="value")
        super().__init__(controls, draw_convolution, figsize=(8.4, 3.0), dpi=80)
        self.image.format = "jpeg"
        self.ui.children = (self._preset, *self.ui.children)

    def redraw(self) -> None:
        """Show the current control values: only the changing artists are drawn over a kept background."""
        view = getattr(self, "_view", None)
        if view is None:
            self.figure.clear()
            self.figure.set_layout_engine("constrained")
            view = self._view = ConvFigure(self.figure)
        key = view.background_key
        view.update(self.values)
        canvas = self.figure.canvas
        with matplotlib.rc_context(_FAST_TEXT):
            if self._background is None or view.background_key != key:
                for artist in view.changing:
                    artist.set_animated(True)
                canvas.draw()  # the first time, the layout engine places the axes; then they stay
                self.figure.set_layout_engine("none")
                self._background = canvas.copy_from_bbox(self.figure.bbox)
                for artist in view.changing:
                    artist.set_animated(False)
            canvas.restore_region(self._background)
            for artist in view.changing:
                self.figure.draw_artist(artist)
        self.image.value = _encode(canvas.buffer_rgba(), "jpeg")  # a photograph: JPEG is 8x faster than PNG
        self.n_draws += 1

    def _preset_chosen(self, change) -> None:
        if change["new"] != "custom" and not self._syncing:
            self._syncing = True
            self.control_widgets["kernel"].value = format_kernel(KERNELS[change["new"]])
            self._syncing = False

    def _text_edited(self, change) -> None:
        if not self._syncing:
            self._syncing = True
            matches = [name for name, k in KERNELS.items() if format_kernel(k) == change["new"]]
            self._preset.value = matches[0] if matches else "custom"
            self._syncing = False

    def film(self, frames, interval: float = 900):
        """A scrubbable animation of a sequence of control settings (dicts; names left out keep their value).

        The film's figure is laid out once and each frame updates it with
        :meth:`ConvFigure.update`, the drawing code of the live widget.
        """
        frames = [{**self.values, **frame} for frame in frames]
        if not frames:
            raise ValueError("film: expected at least one frame (a dict of control values)")
        figure = new_figure(self.figure.get_size_inches(), FILM_DPI, "constrained")
        view = ConvFigure(figure)
        view.update(frames[0])
        figure.canvas.draw()
        figure.set_layout_engine("none")

        def update(index: int):
            view.update(frames[index])
            return ()

        return animate(figure, update, len(frames), interval)

    def preset_film(self, names=None, **settings):
        """A film stepping through presets (and any fixed ``settings``, e.g. ``stride=2``).

        By default: every preset on the photograph, edges first; then the vertical-edge kernel
        with stride 2, and the notes' filter on a digit without and with padding.
        """
        if names is not None:
            return self.film([{"kernel": format_kernel(KERNELS[n]), **settings} for n in names])
        order = ["vertical edges (Sobel)", "horizontal edges (Sobel)", "all edges (Laplacian)", "box blur",
                 "Gaussian blur", "sharpen", "emboss", "identity"]
        frames = [{"image": "photograph", "kernel": format_kernel(KERNELS[n]), "stride": 1, "padding": 0}
                  for n in order]
        frames.append({**frames[0], "stride": 2})
        notes = format_kernel(KERNELS["the notes' filter"])
        frames += [{"image": IMAGES[1], "kernel": notes, "stride": 1, "padding": p} for p in (0, 1)]
        return self.film([{**frame, **settings} for frame in frames])


# ----------------------------------------------------------------------------- training a CNN live


class CNNTrainer(TrainingWidget):
    """Chapter 8's CNN learning the digits live: curves, first-layer filters and one digit's feature maps.

    One training step is one mini-batch of plain SGD (the run of
    :class:`~nnlib.book.experiments.cnn_digits.CNNRun`); at the end of each epoch
    the validation accuracy is measured. Controls: learning rate, mini-batch
    size and the channels of the two convolutions (changing one restarts the run).
    """

    steps_per_frame = 4
    figsize = (9.0, 3.6)
    dpi = 80
    layout = None  # the axes are placed by hand in draw()
    frame_format = "jpeg"  # a quarter less time per frame than PNG, as legible

    def controls(self) -> dict:
        return {
            "lr": widgets.FloatLogSlider(value=CNN_TRAINING["lr"], min=-3, max=0, step=0.25,
                                         description="learning rate"),
            "batch_size": widgets.Dropdown(options=[16, 32, 64], value=CNN_TRAINING["batch_size"],
                                           description="mini-batch"),
            "channels": widgets.Dropdown(options=[("4 and 8", (4, 8)), ("8 and 16", (8, 16)),
                                                  ("16 and 32", (16, 32))], value=(8, 16),
                                         description="channels"),
        }

    def reset_state(self, values: dict) -> None:
        self.run = CNNRun(lr=values["lr"], batch_size=values["batch_size"], channels=values["channels"], rng=0)
        self.digit = explorer_image("a digit (3)")
        self.batch_losses: list[float] = []
        self.epoch_ends: list[tuple[float, float, float]] = []  # (epoch, train accuracy, validation accuracy)

    def train_step(self) -> dict:
        with one_blas_thread():
            logs = self.run.trainer.step()
        self.batch_losses.append(float(logs["loss"]))
        if "epoch_logs" in logs:
            self.epoch_ends.append((logs["epoch"], logs["epoch_logs"]["accuracy"], self.run.accuracy("val")))
        metrics = {"epoch": logs["epoch"], "loss": float(logs["loss"])}
        if self.epoch_ends:
            metrics["val accuracy"] = self.epoch_ends[-1][2]
        return metrics

    def draw(self, fig) -> None:
        grid = fig.add_gridspec(2, 3, left=0.08, right=0.99, top=0.86, bottom=0.15, wspace=0.12, hspace=0.5,
                                width_ratios=[1.2, 1, 1])
        self.ax_loss, self.ax_acc = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[1, 0])
        ax_filters, ax_maps = fig.add_subplot(grid[:, 1]), fig.add_subplot(grid[:, 2])
        self.columns = min(len(self.run.filters()), 4)
        self.filter_image = ax_filters.imshow(mosaic(self.run.filters(), self.columns), cmap=_SIGNED, vmin=-1, vmax=1)
        self.map_image = ax_maps.imshow(mosaic(self.run.feature_maps(self.digit)["conv1"], self.columns),
                                        cmap=_GREYS, vmin=0, vmax=1)
        for image, ax, label in ((self.filter_image, ax_filters, "weight / largest |weight|"),
                                 (self.map_image, ax_maps, "activation / largest")):
            bar = fig.colorbar(image, ax=ax, orientation="horizontal", shrink=0.8, pad=0.04)
            bar.set_label(label, fontsize=10)
            bar.ax.tick_params(labelsize=9)
        ax_filters.set_title("first-layer filters (3×3)", fontsize=11)
        ax_maps.set_title("their feature maps of a 3", fontsize=11)
        for ax in (ax_filters, ax_maps):
            ax.set(xticks=[], yticks=[])
            ax.axis("off")
        (self.loss_line,) = self.ax_loss.plot([], [], color=CLASS_COLORS[0], lw=1)
        self.ax_loss.set_ylabel("mini-batch loss", fontsize=10)
        self.ax_loss.set_ylim(0, 2.6)
        (self.train_line,) = self.ax_acc.plot([], [], "o-", ms=3, color=CLASS_COLORS[0], label="training")
        (self.val_line,) = self.ax_acc.plot([], [], "s-", ms=3, color=CLASS_COLORS[1], label="validation")
        self.ax_acc.set_xlabel("epoch", fontsize=10)
        self.ax_acc.set_ylabel("accuracy", fontsize=10)
        self.ax_acc.set_ylim(0, 1.02)
        self.ax_acc.legend(fontsize=9, loc="lower right", frameon=False)
        for ax in (self.ax_loss, self.ax_acc):
            ax.tick_params(labelsize=9)
        self.update_figure(fig)

    def changing_artists(self) -> list:
        return [self.filter_image, self.map_image, self.loss_line, self.train_line, self.val_line]

    def update_figure(self, fig) -> None:
        per_epoch = self.run.trainer.batches_per_epoch
        steps = np.arange(1, len(self.batch_losses) + 1) / per_epoch
        self.loss_line.set_data(steps, self.batch_losses)
        epochs = [e for e, _, _ in self.epoch_ends]
        self.train_line.set_data(epochs, [a for _, a, _ in self.epoch_ends])
        self.val_line.set_data(epochs, [v for _, _, v in self.epoch_ends])
        end = 5 * max(1, -(-(len(steps) and steps[-1]) // 5))  # the epoch axis grows 5 epochs at a time
        if self.ax_loss.get_xlim()[1] != end:
            for ax in (self.ax_loss, self.ax_acc):
                ax.set_xlim(0, end)
            self.invalidate_background()
        filters = self.run.filters()
        self.filter_image.set_data(mosaic(filters / _signed_limits(filters), self.columns))
        maps = self.run.feature_maps(self.digit)["conv1"]
        self.map_image.set_data(mosaic(maps / max(float(maps.max()), 1e-12), self.columns))
