"""Chapter 8's convolution explorer: an image, a kernel (preset or typed), a stride and a padding; the output, live.

Controls: the image (matplotlib's photograph, or a digit), a preset kernel of
:data:`~nnlib.book.experiments.filters.KERNELS`, the kernel's numbers as text
(picking a preset writes them; editing them shows "custom"), the stride and the
padding. Three panels: the padded input (the original pixels framed), the kernel
with its numbers, and the output, with their sizes under them. The computation is
:func:`nnlib.book.experiments.filters.explore`; a kernel that cannot be read is
reported in the figure. Colours are scaled to the largest magnitude, so the colour
bar stays from picture to picture, and every picture is blitted.
"""

from __future__ import annotations

import textwrap
from functools import partial

import numpy as np
from matplotlib.patches import Rectangle

from nnlib.book.experiments.filters import (EXPLORER_IMAGES, KERNELS, Explored, explore, format_kernel, kernel_name,
                                           parse_kernel)
from nnlib.book.plots import CLASS_COLORS
from nnlib.book.validation import check_number, check_option

from .cnn_drawing import GREY, SIGNED, signed_limit
from .controls import Choice, Number, Text
from .film import Film
from .interactive import InteractivePlot
from .render import pixel_box

__all__ = ["ConvPanels", "ConvExplorer"]

_MAX_NUMBERS = 5  # kernels up to 5 x 5 show their numbers in the cells
_FONT = 10
_W, _H = 684, 245  # the figure in pixels (9.5 x 3.4 inches at 72 dpi)


class ConvPanels:
    """The explorer's three panels (padded input, kernel with its numbers, output), made once and updated.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        An empty figure of 684 x 245 pixels.

    Attributes
    ----------
    changing : list of matplotlib.artist.Artist
        Everything :meth:`update` changes, in drawing order (for blitting).
    """

    def __init__(self, fig):
        px = partial(pixel_box, (_W, _H))  # pixels to figure fractions
        self.ax_in, self.ax_k, self.ax_out = axes = [fig.add_axes(px(*box)) for box in
                                                     ((8, 32, 190, 190), (240, 62, 140, 140), (420, 32, 190, 190))]
        pixels = {"interpolation": "nearest"}  # each pixel a square: what the kernel sees, and fast to draw
        self.input = self.ax_in.imshow(np.zeros((2, 2)), cmap="gray", vmin=0, vmax=1, **pixels)
        self.border = Rectangle((-0.5, -0.5), 1, 1, fill=False, lw=1.5, edgecolor=CLASS_COLORS[4])
        self.ax_in.add_patch(self.border)
        self.kernel = self.ax_k.imshow(np.zeros((3, 3)), cmap=SIGNED, vmin=-1, vmax=1, **pixels)
        self.numbers = [self.ax_k.text(0, 0, "", ha="center", va="center", fontsize=_FONT)
                        for _ in range(_MAX_NUMBERS ** 2)]
        self.output = self.ax_out.imshow(np.zeros((2, 2)), cmap=SIGNED, vmin=-1, vmax=1, **pixels)
        self.error = self.ax_out.text(0.5, 0.5, "", fontsize=_FONT, color=CLASS_COLORS[1], ha="center",
                                      va="center", transform=self.ax_out.transAxes)
        self.bar = fig.colorbar(self.output, cax=fig.add_axes(px(624, 48, 10, 158)))
        self.bar.ax.tick_params(labelsize=_FONT)
        self.captions = [ax.text(0.5, -0.04, "", ha="center", va="top", fontsize=_FONT, transform=ax.transAxes)
                         for ax in axes]
        for ax, title in zip(axes, ("input (padded)", "kernel", "output")):
            ax.set(xticks=[], yticks=[])
            ax.set_title(title, fontsize=11)
        # The kernel panel changes only with the kernel (a preset, typed numbers): it is drawn into the
        # background, and a new kernel makes a new background. A drag of the stride or padding then
        # redraws the input and output panels only (half the time per picture).
        spines = [spine for ax in (self.ax_in, self.ax_out) for spine in ax.spines.values()]  # over the images
        self.changing = [self.input, self.border, self.output, self.error, self.captions[0], self.captions[2],
                         *spines]
        self.grey = None  # the output's colour map: grey levels (True), signed (False), none yet (None)
        self.kernel_shown = ()  # what the kernel panel shows: (kernel bytes, shape, name), None (no kernel), () (nothing yet)

    @staticmethod
    def _show(artist, data) -> None:
        artist.set_data(data)
        artist.set_extent((-0.5, data.shape[1] - 0.5, data.shape[0] - 0.5, -0.5))
        artist.axes.set(xlim=(-0.5, data.shape[1] - 0.5), ylim=(data.shape[0] - 0.5, -0.5))

    def update(self, shown: Explored) -> bool:
        """Show ``shown``; returns True when the kernel or the colour bar changed (draw the background anew)."""
        image, padding = shown.image, shown.padding
        self._show(self.input, shown.padded)
        self.border.set_bounds(padding - 0.5, padding - 0.5, image.shape[1], image.shape[0])
        self.border.set_visible(padding > 0)
        self.captions[0].set_text(f"{image.shape[0]}×{image.shape[1]}, padding {padding} per side")
        usable = shown.error is None
        for artist in (self.output, self.captions[2], self.bar.ax):  # (the colour bar is in the background)
            artist.set_visible(usable)
        new_kernel = self._update_kernel(shown)
        if not usable:
            self.error.set_text("cannot use this kernel:\n" + textwrap.fill(shown.error, 30))
            return new_kernel
        self.error.set_text("")
        out = shown.output
        largest = signed_limit(out)
        self._show(self.output, out / largest)
        self.captions[2].set_text(f"{out.shape[0]}×{out.shape[1]} at stride {shown.stride}; "
                                  f"largest |value| {largest:.3g}")
        grey = bool(out.min() >= 0)  # a blur or a sharpened picture: grey levels, like the input
        if grey == self.grey:
            return new_kernel
        self.output.set_cmap(GREY if grey else SIGNED)
        self.output.set_clim(0 if grey else -1, 1)
        self.bar.set_label("output / largest" if grey else "output / largest |output|", fontsize=_FONT)
        self.grey = grey
        return True

    def _update_kernel(self, shown: Explored) -> bool:
        """Show the kernel (or hide it: one that cannot be used); True if the panel changed."""
        kernel = shown.kernel if shown.error is None else None
        state = None if kernel is None else (kernel.tobytes(), kernel.shape, shown.name)
        if state == self.kernel_shown:
            return False
        self.kernel_shown = state
        for artist in (self.kernel, self.captions[1]):
            artist.set_visible(kernel is not None)
        if kernel is None:
            for text in self.numbers:
                text.set_visible(False)
            return True
        self._show(self.kernel, kernel / signed_limit(kernel))
        self._write_numbers(kernel)
        name = "" if shown.name == "custom" else f"{shown.name}, "
        self.captions[1].set_text(f"{name}{kernel.shape[0]}×{kernel.shape[1]}")
        return True

    def _write_numbers(self, kernel) -> None:
        cells = list(np.ndenumerate(kernel)) if kernel.shape[0] <= _MAX_NUMBERS else []
        for text, cell in zip(self.numbers, cells + [None] * (len(self.numbers) - len(cells))):
            text.set_visible(cell is not None)
            if cell is not None:
                (r, q), v = cell
                text.set_position((q, r))
                text.set_text(f"{v:.3g}")


class ConvExplorer(InteractivePlot):
    """The convolution explorer: an image, a kernel (preset or typed), stride and padding; the output, live.

    Controls: ``"image"``, ``"preset"`` (a name in
    :data:`~nnlib.book.experiments.filters.KERNELS`, or ``"custom"``), ``"kernel"``
    (rows separated by ``;``), ``"stride"`` (1 to 4) and ``"padding"`` (0 to 3).
    Picking a preset writes its numbers into the kernel (live, and with
    :meth:`set_values`); a typed kernel selects the preset it equals, else "custom".

    Parameters
    ----------
    image : str, default "photograph"
        ``"photograph"`` or ``"a digit (3)"``.
    kernel : str, default "vertical edges (Sobel)"
        A name in :data:`~nnlib.book.experiments.filters.KERNELS`, or a kernel's numbers, e.g. ``"1 1; 1 1"``.
    stride : int, default 1
    padding : int, default 0
    figsize, dpi : optional
        See :class:`~nnlib.book.widgets.base.FigureWidget`.

    Attributes
    ----------
    shown : nnlib.book.experiments.filters.Explored
        What the current picture shows.
    """

    figsize = (_W / 72, _H / 72)
    layout = None  # the panels are placed by hand (ConvPanels): a new colour bar label moves nothing

    def __init__(self, image: str = "photograph", kernel: str = "vertical edges (Sobel)", stride: int = 1,
                 padding: int = 0, *, figsize=None, dpi: float | None = None):
        if not isinstance(kernel, str):
            raise TypeError(f"kernel: expected a preset name or a kernel's numbers as text, got {kernel!r}")
        if kernel in KERNELS:
            kernel = format_kernel(KERNELS[kernel])
        else:
            try:
                parse_kernel(kernel)
            except ValueError as problem:
                raise ValueError(f"kernel: expected one of {list(KERNELS)} or a kernel's numbers such as "
                                 f"'1 0 -1; 2 0 -2; 1 0 -1', got {kernel!r} ({str(problem).removeprefix('kernel: ')})") from None
        self._start = {"image": check_option(image, "image", EXPLORER_IMAGES), "kernel": kernel,
                       "stride": check_number(stride, "stride", low=1, high=4, integer=True),
                       "padding": check_number(padding, "padding", low=0, high=3, integer=True)}
        self._syncing = False
        super().__init__(figsize=figsize, dpi=dpi)

    def controls(self) -> dict:
        start = self._start
        return {
            "image": Choice(start["image"], EXPLORER_IMAGES, "image", width="210px"),
            "preset": Choice(kernel_name(start["kernel"]), [*KERNELS, "custom"], "preset", width="270px"),
            "kernel": Text(start["kernel"], "kernel (rows; numbers)", placeholder="1 0 -1; 2 0 -2; 1 0 -1",
                           width="24em"),
            "stride": Number(start["stride"], 1, 4, "stride", integer=True),
            "padding": Number(start["padding"], 0, 3, "padding", integer=True),
        }

    # -- the preset and the kernel's text, kept in step ----------------------------------------------

    def set_values(self, **values) -> None:
        """Change control values; a preset brings its kernel, a kernel the preset it equals (or "custom")."""
        if "preset" in values and "kernel" not in values:
            preset = self._specs["preset"].check(values["preset"])
            if preset != "custom":
                values["kernel"] = format_kernel(KERNELS[preset])
        elif "kernel" in values and "preset" not in values:
            values["preset"] = kernel_name(self._specs["kernel"].check(values["kernel"]))
        self._syncing = self._ui is not None  # live: one picture for all the controls set, not one each
        try:
            super().set_values(**values)
        finally:
            self._syncing = False
        if self._ui is not None:
            self._on_values_changed()

    def _observe_controls(self, controls: dict) -> None:
        controls["kernel"].continuous_update = False  # read the kernel when typing is done, not at every key
        controls["preset"].observe(self._preset_chosen, names="value")
        controls["kernel"].observe(self._kernel_typed, names="value")
        super()._observe_controls(controls)

    def _on_control_change(self, change) -> None:
        if not self._syncing:
            super()._on_control_change(change)

    def _preset_chosen(self, change) -> None:
        if change["new"] != "custom" and not self._syncing:
            self._syncing = True
            try:
                self._control_widgets["kernel"].value = format_kernel(KERNELS[change["new"]])
            finally:
                self._syncing = False

    def _kernel_typed(self, change) -> None:
        if not self._syncing:
            self._syncing = True
            try:
                self._control_widgets["preset"].value = kernel_name(change["new"])
            finally:
                self._syncing = False

    # -- the picture ---------------------------------------------------------------------------------

    def prepare(self, values: dict) -> None:
        """Cross-correlate the image with the kernel for the control ``values``."""
        super().prepare(values)
        self.shown = explore(values["image"], values["kernel"], values["stride"], values["padding"])

    def draw(self, fig) -> dict:
        panels = ConvPanels(fig)
        panels.update(self.shown)
        return {"panels": panels, "changing": panels.changing}

    def update_figure(self, fig) -> None:
        if self.drawn(fig)["panels"].update(self.shown):
            self.invalidate_background()

    # -- films -----------------------------------------------------------------------------------------

    def preset_film(self, names=None, interval: float = 900, title: str | None = None, **settings) -> Film:
        """A film stepping through presets (and any fixed ``settings``, e.g. ``stride=2``).

        Parameters
        ----------
        names : sequence of str, optional
            Presets, one per frame. By default: every preset on the photograph, edges
            first; then the vertical-edge kernel with stride 2, and the notes' filter
            on the digit without and with padding.
        interval : float, default 900
            Milliseconds between frames.
        title : str, optional
        **settings
            Control values for every frame (``image``, ``stride``, ``padding``).

        Returns
        -------
        Film
        """
        if names is not None:
            frames = [{"preset": n, "kernel": format_kernel(KERNELS[check_option(n, "names", tuple(KERNELS))])}
                      for n in names]
        else:
            order = ["vertical edges (Sobel)", "horizontal edges (Sobel)", "all edges (Laplacian)", "box blur",
                     "Gaussian blur", "sharpen", "emboss", "identity"]
            frames = [{"image": "photograph", "preset": n, "kernel": format_kernel(KERNELS[n]), "stride": 1,
                       "padding": 0} for n in order]
            frames.append({**frames[0], "stride": 2})
            notes = {"preset": "the notes' filter", "kernel": format_kernel(KERNELS["the notes' filter"])}
            frames += [{"image": EXPLORER_IMAGES[1], **notes, "stride": 1, "padding": p} for p in (0, 1)]
        return self.film([{**frame, **settings} for frame in frames], interval=interval, title=title)
