"""Pictures switched in the browser: the image of a slider-driven widget, which need not wait for the kernel.

ipywidgets' front end sends a slider's next value only once the kernel has handled
the last one, so a picture the kernel draws for each value comes at most once per
round trip (browser, server, kernel and back): in JupyterLab here, fewer than 25
a second however cheap the picture. :class:`FrameView` takes the kernel out of a
drag. Besides the picture for the current values, the kernel sends pictures made
ahead of time for the other values of each slider (:func:`ahead_values`, nearest
first); the view keeps them, and when a control moves it shows the picture for
the new values at once, in the browser (``frame_view.js``). The kernel draws only
the pictures the view does not have.

A picture is identified by its *key*: the control values as the browser reports
them (:func:`frame_key`).
"""

from __future__ import annotations

from itertools import zip_longest
from pathlib import Path

import anywidget
import traitlets
from ipywidgets import Widget, widget_serialization

from .controls import Choice, Control, Given

__all__ = ["FrameView", "frame_key", "ahead_values", "MAX_FRAMES"]

#: Pictures a view keeps at most; at this many the kernel tells it to forget them and starts again.
MAX_FRAMES = 600


def _key_part(spec: Control, value):
    if isinstance(spec, Choice):
        return spec.options.index(value)
    if isinstance(spec, Given) and hasattr(spec.control, "_options_values"):
        return list(spec.control._options_values).index(value)
    if isinstance(value, float):
        return float(f"{value:.12g}")  # a log slider's value is computed in the browser: equal to 12 digits
    return value


def frame_key(specs: dict, values: dict) -> tuple:
    """What identifies the picture for control ``values``: each control's value as the browser reports it.

    A dropdown reports the index of its option (ipywidgets 8 does not send a
    dropdown's value to the browser); floats are rounded to 12 significant digits.

    Parameters
    ----------
    specs : dict of str to Control
        The widget's control models, in the order of its controls.
    values : dict
        A value for each control.

    Returns
    -------
    tuple
    """
    return tuple(_key_part(spec, values[name]) for name, spec in specs.items())


def ahead_values(specs: dict, values: dict):
    """Control values worth drawing ahead from ``values``: each slider moved alone, one step, two, ...

    The sliders take turns, nearest values first (one step up and down on each
    slider, then two, ...), so that whichever slider the reader drags next, the
    pictures near its handle are made first.

    Yields
    ------
    dict
        ``values`` with one slider's value changed.
    """
    lines = []
    for name, spec in specs.items():
        track = spec.track()
        if track:
            here = min(range(len(track)), key=lambda k: abs(track[k] - values[name]))
            steps = [here + sign * d for d in range(1, len(track)) for sign in (1, -1)]
            lines.append([{**values, name: track[k]} for k in steps if 0 <= k < len(track)])
    for turn in zip_longest(*lines):
        yield from (moved for moved in turn if moved is not None)


class FrameView(anywidget.AnyWidget):
    """An image that shows the picture for its controls' values, from pictures the kernel sent ahead.

    Drop-in for ``ipywidgets.Image`` in a widget's user interface (``value``,
    ``format``, ``layout``). The kernel sends the current picture with
    :meth:`show` and pictures for other values with :meth:`send_ahead`; it asks
    :meth:`has` before drawing one. A new view in the browser starts with the
    current picture only, and says so: the list of pictures sent starts again and
    ``on_new_view`` is called (the widget then sends its pictures ahead again).

    Parameters
    ----------
    controls : list of ipywidgets.Widget
        The controls whose values pick the picture, in the order of the keys.
    format : str, default "jpeg"
    on_new_view : callable, optional
        Called with no argument when a view appears in the browser.
    **kwargs
        Other ipywidgets arguments (``layout``).

    Attributes
    ----------
    sent : set of tuple
        The keys of the pictures the views have.
    """

    _esm = Path(__file__).with_name("frame_view.js")
    _css = ".nnlib-frame { display: block; width: 100%; height: auto; }"
    value = traitlets.Bytes(b"").tag(sync=True)
    format = traitlets.Unicode("jpeg").tag(sync=True)
    key = traitlets.List().tag(sync=True)
    controls = traitlets.List(traitlets.Instance(Widget)).tag(sync=True, **widget_serialization)

    def __init__(self, controls, format: str = "jpeg", on_new_view=None, **kwargs):
        super().__init__(controls=list(controls), format=format, **kwargs)
        self.sent = set()
        self._on_new_view = on_new_view
        self.on_msg(self._on_message)

    def show(self, key: tuple, picture: bytes) -> None:
        """Make ``picture`` (encoded in :attr:`format`) the current one, for control values ``key``."""
        with self.hold_sync():
            self.key = list(key)
            self.value = picture
        self._remember(key)

    def send_ahead(self, key: tuple, picture: bytes) -> None:
        """Send the views a picture for control values ``key``, to show when the controls reach them."""
        self._remember(key)
        self.send({"key": list(key)}, [picture])

    def has(self, key: tuple) -> bool:
        """True if the views have the picture for ``key``."""
        return key in self.sent

    def _remember(self, key: tuple) -> None:
        if len(self.sent) >= MAX_FRAMES:
            self.send({"forget": True})  # the views keep the current picture only
            self.sent = {tuple(self.key)}
        self.sent.add(key)

    def _on_message(self, _widget, content, _buffers) -> None:
        if content.get("view") == "new":
            self.sent = {tuple(self.key)}
            if self._on_new_view is not None:
                self._on_new_view()
