"""Controls: what a widget's sliders and dropdowns accept, checked once, and built only when shown.

A widget declares its controls as small models (:class:`Choice`, :class:`Number`,
:class:`Toggle`, :class:`Text`): the label, the starting value and the values
allowed. The same model

- checks a value (a constructor argument, a film's settings) with the book's
  one set of validators (:mod:`nnlib.book.validation`),
- builds the ipywidgets control when the widget is displayed (:meth:`Control.build`;
  a widget that is never shown, e.g. one that only makes a film, creates none),
- and describes a value in words for the widget's static picture (:meth:`Control.describe`).

A ready-made ipywidgets control can stand in for a model (:class:`Given`), for
widgets written before these models existed.
"""

from __future__ import annotations

import math

from nnlib.book.validation import check_number, check_option

__all__ = ["Control", "Choice", "Number", "Toggle", "Text", "Given", "as_control", "controls_box", "button"]


class Control:
    """A control's model: a label, a starting value, and the values it accepts.

    Parameters
    ----------
    value : object
        The starting value (checked by :func:`as_control`, when the control gets its name).
    label : str
        Shown before the control, and in the widget's static picture.
    width : str, optional
        CSS width of the built control, e.g. ``"200px"``.

    Attributes
    ----------
    name : str
        What error messages call the control: its key in the widget's controls
        (the constructor argument it stands for), once :func:`as_control` named it;
        its label until then.
    """

    def __init__(self, value, label: str, width: str | None = None):
        self.label = label
        self.name = label
        self.width = width
        self.value = value

    def check(self, value):
        """Return ``value`` if the control accepts it; raise ValueError/TypeError naming the control."""
        return value

    def describe(self, value) -> str:
        """``value`` in words, as the built control would show it."""
        return str(value)

    def track(self) -> list | None:
        """The values a slider's handle can take, low to high; None for a control that is not a slider."""
        return None

    def build(self, value, continuous_update: bool):
        """The ipywidgets control, showing ``value``."""
        raise NotImplementedError

    def _layout(self):
        import ipywidgets

        return ipywidgets.Layout(width=self.width) if self.width else ipywidgets.Layout()

    def _styled(self, control, continuous_update: bool):
        if hasattr(control, "style") and hasattr(control.style, "description_width"):
            control.style.description_width = "initial"
        if hasattr(control, "continuous_update"):
            control.continuous_update = continuous_update
        return control


class Choice(Control):
    """One of a few options: a dropdown.

    Parameters
    ----------
    value : object
        The starting option.
    options : sequence
        The options, or ``(text, option)`` pairs to show a text for an option.
    label : str
    width : str, optional
    """

    def __init__(self, value, options, label: str, width: str | None = None):
        pairs = [option if isinstance(option, tuple) else (str(option), option) for option in options]
        self.texts = {option: text for text, option in pairs}
        self.options = tuple(self.texts)
        super().__init__(value, label, width)

    def check(self, value):
        return check_option(value, self.name, self.options)

    def describe(self, value) -> str:
        return self.texts[value]

    def build(self, value, continuous_update: bool):
        import ipywidgets

        options = [(text, option) for option, text in self.texts.items()]
        return self._styled(ipywidgets.Dropdown(options=options, value=value, description=self.label,
                                                layout=self._layout()), continuous_update)


class Number(Control):
    """A number in a range: a slider (linear, or logarithmic with ``log_base``), or an entry box.

    Parameters
    ----------
    value : float or int
    low, high : float
        The range, both ends included.
    label : str
    step : float, optional
        The slider's step (in exponents for a logarithmic slider); default 1 for
        integers, a hundredth of the range otherwise.
    integer : bool, default False
    log_base : float, optional
        A logarithmic slider over ``log_base ** k`` (``low`` and ``high`` are values, not exponents).
    entry : bool, default False
        An integer entry box rather than a slider.
    readout : str, optional
        Format of the value shown, e.g. ``".3g"``.
    width : str, optional
    """

    def __init__(self, value, low, high, label: str, *, step=None, integer: bool = False, log_base=None,
                 entry: bool = False, readout: str | None = None, width: str | None = None):
        self.low, self.high, self.integer, self.log_base, self.entry = low, high, integer, log_base, entry
        self.step = step if step is not None else (1 if integer else (high - low) / 100)
        self.readout = readout
        super().__init__(value, label, width)

    def check(self, value):
        return check_number(value, self.name, low=self.low, high=self.high, integer=self.integer)

    def describe(self, value) -> str:
        return format(value, self.readout) if self.readout else format(value, "d" if self.integer else ".4g")

    def _exponents(self) -> tuple[float, float]:
        """A logarithmic slider's range in exponents of ``log_base``."""
        return math.log(self.low, self.log_base), math.log(self.high, self.log_base)

    def track(self) -> list | None:
        """The values the slider offers, low to high (``log_base ** e`` for exponents ``e`` in steps of
        ``step`` on a logarithmic slider, as ipywidgets' ``FloatLogSlider``); None for an entry box."""
        if self.entry:
            return None
        low, high = self._exponents() if self.log_base else (self.low, self.high)
        values = [low + k * self.step for k in range(round((high - low) / self.step) + 1)]
        return [self.log_base ** e for e in values] if self.log_base else values

    def build(self, value, continuous_update: bool):
        import ipywidgets

        common = {"value": value, "description": self.label, "layout": self._layout()}
        if self.entry:
            control = ipywidgets.BoundedIntText(min=self.low, max=self.high, **common)
        elif self.log_base:
            low, high = self._exponents()
            control = ipywidgets.FloatLogSlider(base=self.log_base, min=low, max=high, step=self.step, **common)
        elif self.integer:
            control = ipywidgets.IntSlider(min=self.low, max=self.high, step=self.step, **common)
        else:
            control = ipywidgets.FloatSlider(min=self.low, max=self.high, step=self.step, **common)
        if self.readout and hasattr(control, "readout_format"):
            control.readout_format = self.readout
        return self._styled(control, continuous_update)


class Toggle(Control):
    """On or off: a checkbox."""

    def check(self, value):
        if not isinstance(value, bool):
            raise TypeError(f"{self.name}: expected True or False, got {value!r}")
        return value

    def describe(self, value) -> str:
        return "on" if value else "off"

    def build(self, value, continuous_update: bool):
        import ipywidgets

        return ipywidgets.Checkbox(value=value, description=self.label, indent=False, layout=self._layout())


class Text(Control):
    """A line of text, e.g. ``"4, 2"`` for two hidden layers.

    Parameters
    ----------
    value : str
    label : str
    placeholder : str, default ""
        Shown in the empty box.
    width : str, optional
    """

    def __init__(self, value, label: str, placeholder: str = "", width: str | None = None):
        self.placeholder = placeholder
        super().__init__(value, label, width)

    def check(self, value):
        if not isinstance(value, str):
            raise TypeError(f"{self.name}: expected a string, got {type(value).__name__} {value!r}")
        return value

    def build(self, value, continuous_update: bool):
        import ipywidgets

        return self._styled(ipywidgets.Text(value=value, description=self.label, placeholder=self.placeholder,
                                            layout=self._layout()), continuous_update)


class Given(Control):
    """A ready-made ipywidgets control: its value is read from it, and it is shown as it is.

    Parameters
    ----------
    control : ipywidgets.ValueWidget
    name : str
        The key of the control, used as its label when it has no description.
    """

    def __init__(self, control, name: str):
        import ipywidgets

        if not isinstance(control, ipywidgets.Widget) or not hasattr(control, "value"):
            raise TypeError(f"controls()[{name!r}]: expected a control model or an ipywidgets control with a "
                            f"value, got {type(control).__name__}")
        self.control = control
        if hasattr(control, "description") and not control.description:
            control.description = name
        super().__init__(control.value, getattr(control, "description", "") or name)

    def build(self, value, continuous_update: bool):
        self.control.value = value
        return self._styled(self.control, continuous_update)


def as_control(spec, name: str) -> Control:
    """The control called ``name``, its starting value checked (a ready-made ipywidgets control is wrapped in :class:`Given`).

    Raises
    ------
    ValueError, TypeError
        If the starting value is not one the control accepts, naming ``name``.
    """
    control = spec if isinstance(spec, Control) else Given(spec, name)
    control.name = name
    control.value = control.check(control.value)
    return control


def controls_box(controls: list):
    """Built controls in a row that wraps."""
    import ipywidgets

    return ipywidgets.HBox(list(controls), layout=ipywidgets.Layout(flex_flow="row wrap", align_items="center"))


def button(text: str, tooltip: str, *, icon: str = "", width: str = "90px", disabled: bool = False):
    """An ipywidgets button."""
    import ipywidgets

    return ipywidgets.Button(description=text, tooltip=tooltip, icon=icon, disabled=disabled,
                             layout=ipywidgets.Layout(width=width, padding="0" if width == "30px" else None))
