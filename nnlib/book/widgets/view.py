"""The live view of a widget: its ipywidgets user interface, built on first use, and its static picture.

:class:`LiveView` is the user-interface half of
:class:`~nnlib.book.widgets.base.FigureWidget`: the controls (built from the
widget's control models), the status line and the figure as an image shown at
its pixel size. Nothing is built until the widget is shown (or a test reaches
for a control), so a widget that only makes films creates no ipywidgets, opens
no comm, and leaves no widget state in a notebook. The front end counts the
views (ipywidgets' ``_view_count``): when the last one goes (its output cleared,
its tab closed), :meth:`LiveView._lost_views` lets the widget stop its work.

The display bundle carries the live view, for JupyterLab, and a static picture
(:mod:`~nnlib.book.widgets.snapshot`), for pages without a kernel.
"""

from __future__ import annotations

from nnlib.book.display import show

from .controls import controls_box
from .render import encode
from .snapshot import snapshot_html

__all__ = ["LiveView"]


class LiveView:
    """The ipywidgets side of a :class:`~nnlib.book.widgets.base.FigureWidget` (a mixin: it uses its
    control models ``_specs``, its ``values``, ``figure``, ``headline`` and ``continuous_update``)."""

    _ui = None

    @property
    def ui(self):
        """The whole widget (an ipywidgets box), built on first use."""
        if self._ui is None:
            self._ui = self._build_ui()
            self._ui._view_count = 0  # let the front end count the views (see _on_view_count)
            self._ui.observe(self._on_view_count, names="_view_count")
        return self._ui

    @property
    def control_widgets(self) -> dict:
        """The ipywidgets controls, by name."""
        self.ui
        return self._control_widgets

    @property
    def image(self):
        """The ipywidgets image showing the figure."""
        self.ui
        return self._image

    @property
    def status(self):
        """The status line (an ipywidgets HTML)."""
        self.ui
        return self._status

    def _ui_rows(self) -> list:
        """The rows of the user interface above the image (the base: the controls)."""
        return [controls_box(list(self._control_widgets.values()))] if self._control_widgets else []

    def _build_ui(self):
        import ipywidgets

        values = self.values
        self._control_widgets = {name: spec.build(values[name], self.continuous_update)
                                 for name, spec in self._specs.items()}
        self._observe_controls(self._control_widgets)
        width = self._figure.canvas.get_width_height()[0]
        self._image = self._make_image(ipywidgets.Layout(width=f"{width}px", height="auto", max_width="100%",
                                                         align_self="flex-start"))
        self._status = ipywidgets.HTML()
        self._status.add_class("nnlib-status")
        self._publish(force=True)
        self._show_status()
        return ipywidgets.VBox([*self._ui_rows(), self._status, self._image])

    def _make_image(self, layout):
        """The widget that shows the figure (default: an ipywidgets image)."""
        import ipywidgets

        return ipywidgets.Image(format=self.frame_format, layout=layout)

    def _observe_controls(self, controls: dict) -> None:
        """Make every control start the widget's reaction (subclasses may observe some first)."""
        for control in controls.values():
            control.observe(self._on_control_change, names="value")

    def _on_control_change(self, change) -> None:
        self._on_values_changed()

    def _on_view_count(self, change) -> None:
        """The front end counts the views; when the last one goes (output cleared, tab closed): stop."""
        if change["old"] and not change["new"]:
            self._lost_views()

    def _lost_views(self) -> None:
        """No view shows the widget any more (subclasses stop their work)."""

    def _publish(self, force: bool = False) -> None:
        """Send the live figure to the image widget, if the user interface exists."""
        if self._ui is None and not force:
            return
        self._image.value = encode(self.live_pixels(), self.frame_format)

    def status_html(self) -> str:
        """The status line's HTML (default: empty)."""
        return ""

    def _show_status(self) -> None:
        if hasattr(self, "_status"):  # the user interface exists (or is being built)
            self._status.value = self.status_html()

    def settings_text(self) -> list:
        """Every control's label and value in words, for the static picture."""
        values = self.values
        return [(spec.label, spec.describe(values[name])) for name, spec in self._specs.items()]

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = dict(self.ui._repr_mimebundle_())
        pixels = self.live_pixels()
        bundle["text/html"] = snapshot_html(self.snapshot_png(), (pixels.shape[1], pixels.shape[0]),
                                            self.settings_text())
        bundle["text/plain"] = repr(self)
        return bundle

    def __repr__(self) -> str:
        settings = ", ".join(f"{label}={value}" for label, value in self.settings_text())
        return f"<{type(self).__name__}: {settings}>"

    def show(self) -> None:
        """Display the widget (inside IPython), or print what it is (outside)."""
        show(self)
