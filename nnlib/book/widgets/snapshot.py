"""A widget's static picture: what readers of the HTML book see where the live widget stands.

The live widget needs a Python kernel; without one (the HTML book) its buttons
and sliders would do nothing. So a widget's display bundle also carries a small
``text/html`` picture: its figure as an image at its pixel size, its settings in
words, and how to run it live. The book's build drops the widget view
(``nb_mime_priority_overrides`` in ``_config.yml``) and shows this picture;
JupyterLab prefers the widget view and shows the live widget.
"""

from __future__ import annotations

import base64
import html

__all__ = ["HOW_TO_RUN", "snapshot_html"]

#: How to run a widget live, under its picture.
HOW_TO_RUN = (
    "A picture of the live widget. To move its controls yourself, run this chapter as a notebook: the rocket icon "
    "at the top of the page opens it on Binder, or run <code>make lab</code> in a copy of the book's repository and "
    "double-click the chapter. The chapter's films were made by the same widgets ahead of time."
)


def snapshot_html(png: bytes, size, settings, status: str = "", caption: str = HOW_TO_RUN) -> str:
    """The HTML picture of a widget: its settings, its figure, and a caption.

    Nothing in it is a control: the settings are text and the figure is an image.

    Parameters
    ----------
    png : bytes
        The figure, as PNG.
    size : (int, int)
        Its width and height in pixels (the image is shown at this size, or
        narrower on a narrow page, never stretched).
    settings : sequence of (str, str)
        ``(label, value in words)`` of every control.
    status : str, default ""
        A line about the run, e.g. ``"step 0"``.
    caption : str
        HTML under the picture (default :data:`HOW_TO_RUN`).

    Returns
    -------
    str
    """
    width, height = (int(v) for v in size)
    shown = " · ".join(f"{html.escape(label)}: <b>{html.escape(value)}</b>" for label, value in settings)
    status = f"<br>{html.escape(status)}" if status else ""
    source = base64.b64encode(png).decode("ascii")
    return (
        f'<figure class="nnlib-widget-snapshot" style="margin: 0.5em 0 1em; padding: 0">'
        f'<div class="nnlib-widget-settings" style="font-size: 0.85em; color: #444; margin-bottom: 0.3em">'
        f"Settings: {shown}{status}</div>"
        f'<img src="data:image/png;base64,{source}" width="{width}" height="{height}" '
        f'style="max-width: 100%; height: auto" alt="A picture of the live widget">'
        f'<figcaption style="font-size: 0.85em; color: #444">{caption}</figcaption></figure>'
    )
