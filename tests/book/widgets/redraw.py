"""What the blitting widgets' tests share: a widget's fast path (update_figure, blitting) must give what a full
redraw gives, in the artists' data and in the pixels sent."""

from __future__ import annotations

import io

import numpy as np

from nnlib.book.widgets import TrainingWidget


def artist_state(fig, texts: bool = True, images: bool = False) -> list:
    """The data of everything drawn: axes limits, curves, and optionally texts and images."""
    state = []
    for ax in fig.axes:
        state.append((ax.get_xlim(), ax.get_ylim()))
        state.extend((np.asarray(line.get_xdata()).tolist(), np.asarray(line.get_ydata()).tolist())
                     for line in ax.lines)
        if texts:
            state.extend(text.get_text() for text in ax.texts)
    if images:
        state.extend(np.asarray(image.get_array()).tobytes() for image in fig.images)
    return state


def png_pixels(widget) -> np.ndarray:
    """The RGBA pixels of the widget's current frame."""
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(widget.image.value)).convert("RGBA"))


def blitting_and_full_redraw(widget_class, *args, **kwargs):
    """Two copies of one widget sending PNG frames: as written (blitting), and drawing every frame from scratch."""
    full_redraw = type(f"FullRedraw{widget_class.__name__}", (widget_class,),
                       {"update_figure": TrainingWidget.update_figure})
    fast, full = widget_class(*args, **kwargs), full_redraw(*args, **kwargs)
    fast.frame_format = full.frame_format = "png"
    return fast, full


def assert_same_pixels_for(fast, full, n_frames: int) -> None:
    """Step both ``n_frames`` times; every frame of ``fast`` has exactly the pixels of ``full``'s."""
    for frame in range(n_frames):
        assert np.array_equal(png_pixels(fast), png_pixels(full)), f"frame {frame}"
        fast.step()
        full.step()
