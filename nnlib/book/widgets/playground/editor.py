"""The Playground's network editor: "−"/"+" buttons for the hidden layers and their units."""

from __future__ import annotations

from nnlib.book.experiments.playground import MAX_LAYERS, MAX_UNITS, check_hidden

from ..controls import button

__all__ = ["format_hidden", "parse_hidden", "NetworkEditor"]


def format_hidden(hidden) -> str:
    """``(4, 2)`` -> ``"4, 2"``; ``()`` -> ``""`` (no hidden layer)."""
    return ", ".join(str(units) for units in hidden)


def parse_hidden(text: str) -> tuple[int, ...]:
    """``"4, 2"`` -> ``(4, 2)``; ``""`` -> ``()``.

    Raises
    ------
    ValueError
        For text that is not comma-separated widths of 0 to 6 layers of 1 to 8 units.
    """
    parts = [p for p in str(text).replace(";", ",").replace(" ", ",").split(",") if p]
    try:
        hidden = tuple(int(p) for p in parts)
    except ValueError:
        raise ValueError(f"hidden: expected comma-separated layer widths such as '4, 2', got {text!r}") from None
    return check_hidden(hidden)


def _small_button(text: str, tooltip: str, disabled: bool = False):
    return button(text, tooltip, width="30px", disabled=disabled)


class NetworkEditor:
    """Buttons that add or remove the last hidden layer, and a "−  n  +" group per hidden layer.

    Parameters
    ----------
    playground : nnlib.book.widgets.playground.widget.Playground
        Whose ``add_layer``, ``remove_layer``, ``add_unit`` and ``remove_unit`` the buttons call.

    Attributes
    ----------
    layer_buttons : dict of str to ipywidgets.Button
        ``"add"`` / ``"remove"`` the last hidden layer.
    unit_buttons : list of dict of str to ipywidgets.Button
        For each hidden layer, ``"add"`` / ``"remove"`` one unit.
    widgets : list of ipywidgets.Widget
        What the editor shows, in a row.
    """

    def __init__(self, playground):
        import ipywidgets

        self._playground = playground
        self.layer_buttons = {"remove": _small_button("−", "remove the last hidden layer"),
                              "add": _small_button("+", "add a hidden layer")}
        self.layer_buttons["add"].on_click(lambda _b: playground._clicked(playground.add_layer))
        self.layer_buttons["remove"].on_click(lambda _b: playground._clicked(playground.remove_layer))
        self.unit_buttons: list[dict] = []
        self._groups = ipywidgets.HBox(layout=ipywidgets.Layout(flex_flow="row wrap", align_items="center"))
        self.widgets = [ipywidgets.HTML("&nbsp;layers:"), self.layer_buttons["remove"], self.layer_buttons["add"],
                        self._groups]
        self.rebuild(playground.config.hidden)

    def rebuild(self, hidden) -> None:
        """Show the buttons of the architecture ``hidden`` (enabled where a change is possible)."""
        import ipywidgets

        playground = self._playground
        self.unit_buttons, groups = [], []
        for i, units in enumerate(hidden):
            buttons = {"remove": _small_button("−", f"remove a unit from layer {i + 1}", units <= 1),
                       "add": _small_button("+", f"add a unit to layer {i + 1}", units >= MAX_UNITS)}
            buttons["remove"].on_click(lambda _b, i=i: playground._clicked(lambda: playground.remove_unit(i)))
            buttons["add"].on_click(lambda _b, i=i: playground._clicked(lambda: playground.add_unit(i)))
            self.unit_buttons.append(buttons)
            groups.append(ipywidgets.HBox([ipywidgets.HTML(f"&nbsp;layer {i + 1}:"), buttons["remove"],
                                           ipywidgets.HTML(f"<b>{units}</b>"), buttons["add"]]))
        self.layer_buttons["add"].disabled = len(hidden) >= MAX_LAYERS
        self.layer_buttons["remove"].disabled = not hidden
        self._groups.children = groups
