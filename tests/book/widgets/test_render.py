"""Rendering: PNG/JPEG encoding, and blitted frames that are the pixels of full redraws."""

import io

import numpy as np
import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("ipywidgets")

from nnlib.book.widgets import TrainingWidget  # noqa: E402
from nnlib.book.widgets.controls import Number  # noqa: E402
from nnlib.book.widgets.render import CAN_BLIT, Blitter, encode, new_figure  # noqa: E402


def decoded(data: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))


def test_encode_png_and_jpeg():
    figure = new_figure((2, 1), 50)
    figure.add_subplot().plot([0, 1], [1, 0])
    figure.canvas.draw()
    rgba = figure.canvas.buffer_rgba()
    png, jpeg = encode(rgba, "png"), encode(rgba, "jpeg")
    assert png.startswith(b"\x89PNG") and jpeg.startswith(b"\xff\xd8\xff")
    assert decoded(png).shape == (50, 100, 4)
    assert np.array_equal(decoded(png), np.asarray(rgba))  # PNG is lossless
    with pytest.raises(ValueError, match="image_format"):
        encode(rgba, "gif")


class Marker(TrainingWidget):
    """A marker moving over a static curve, a text that changes, and axes that grow with |x|."""

    layout = None

    def controls(self):
        return {"lr": Number(0.1, 0.01, 3.0, "learning rate")}

    def reset_state(self, values):
        self.lr, self.x, self.draws = values["lr"], 3.0, getattr(self, "draws", 0)

    def train_step(self):
        self.x -= self.lr * 2 * self.x
        return {"loss": self.x**2}

    def draw(self, fig):
        self.draws += 1
        ax = fig.add_axes((0.15, 0.15, 0.8, 0.7))
        grid = np.linspace(-5, 5, 50)
        ax.plot(grid, grid**2, color="0.6")
        (marker,) = ax.plot([self.x], [self.x**2], "o", color="C1")
        label = ax.text(0.5, 0.9, "", transform=ax.transAxes, ha="center")
        artists = {"marker": marker, "label": label}
        self._show(artists)
        return artists

    def update_figure(self, fig):
        self._show(self.drawn(fig))

    def _show(self, artists):
        artists["marker"].set_data([self.x], [self.x**2])
        artists["label"].set_text(f"x = {self.x:.3f}")
        ax = artists["marker"].axes  # limits that follow |x|: the Blitter notices, no invalidate needed
        ax.set(xlim=(-max(6.0, 2 * abs(self.x)), max(6.0, 2 * abs(self.x))), ylim=(-1.0, max(26.0, 1.2 * self.x**2)))

    def changing_artists(self, fig):
        return [self.drawn(fig)["marker"], self.drawn(fig)["label"]]


class FullRedraw(Marker):
    update_figure = TrainingWidget.update_figure  # no update_figure: no blitting, draw() every frame


@pytest.mark.parametrize("lr", [0.1, 1.3])  # 1.3: |x| grows, so the axes rescale
def test_blitted_frames_are_the_pixels_of_full_redraws(lr):
    fast, full = Marker(), FullRedraw()
    for w in (fast, full):
        w.frame_format = "png"
        w.set_values(lr=lr)
    for frame in range(6):
        assert np.array_equal(decoded(fast.image.value), decoded(full.image.value)), f"frame {frame}"
        fast.step()
        full.step()
    assert fast.draws == 1 and full.draws == 7  # fast drew once, then updated and blitted
    blitter = fast._store[fast.figure]["blitter"]
    if CAN_BLIT:
        assert blitter.n_backgrounds == (1 if lr == 0.1 else 7)  # a new background only when the axes changed
    fast.figure.set_dpi(60)  # a resized figure: a new background
    full.figure.set_dpi(60)
    fast.step()
    full.step()
    assert np.array_equal(decoded(fast.image.value), decoded(full.image.value))


@pytest.mark.skipif(not CAN_BLIT, reason="matplotlib < 3.11 draws every frame whole")
def test_a_static_change_needs_invalidate():
    figure = new_figure((3, 2), 50, layout=None)
    ax = figure.add_axes((0.2, 0.2, 0.7, 0.7))
    (line,) = ax.plot([0, 1], [0, 1])
    blitter = Blitter(figure)
    blitter.render([line], fast_text=False)
    ax.set_title("a title drawn in the background")  # static: the blitter cannot know
    blitter.render([line], fast_text=False)
    stale = np.asarray(figure.canvas.buffer_rgba()).copy()
    blitter.invalidate()
    blitter.render([line], fast_text=False)
    fresh = np.asarray(figure.canvas.buffer_rgba()).copy()
    figure.canvas.draw()
    assert not np.array_equal(stale, fresh) and np.array_equal(fresh, np.asarray(figure.canvas.buffer_rgba()))
    assert blitter.n_backgrounds == 2


def test_new_figure_has_no_pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    figure = new_figure((4, 3), 72)
    assert figure.canvas.get_width_height() == (288, 216)
    assert plt.get_fignums() == before
