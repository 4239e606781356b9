"""Control models: they check values like constructor arguments and build ipywidgets controls on demand."""

import pytest

widgets = pytest.importorskip("ipywidgets")

from nnlib.book.widgets.controls import Choice, Given, Number, Text, Toggle, as_control  # noqa: E402


def test_choice_checks_builds_and_describes():
    choice = Choice("b", [("first", "a"), ("second", "b")], "letter", width="150px")
    assert choice.value == "b" and choice.describe("a") == "first"
    control = choice.build("a", continuous_update=False)
    assert isinstance(control, widgets.Dropdown) and control.value == "a" and control.label == "first"
    assert control.description == "letter" and control.layout.width == "150px"
    with pytest.raises(ValueError, match=r"^letter: expected one of 'a', 'b', got 'c'"):
        choice.check("c")
    with pytest.raises(ValueError, match="^letter"):
        as_control(Choice("z", "ab", "letter"), "letter")  # the starting value is checked, under the control's key
    with pytest.raises(ValueError, match="^dataset: expected"):
        as_control(Choice("moons", ["circle"], "data"), "dataset")
    assert Choice(1, [1, 2], "n").check(1) == 1
    with pytest.raises(ValueError):
        Choice(1, [1, 2], "n").check(True)  # True is not the option 1


@pytest.mark.parametrize("kwargs, kind", [
    ({}, widgets.FloatSlider),
    ({"integer": True}, widgets.IntSlider),
    ({"log_base": 10, "step": 0.25}, widgets.FloatLogSlider),
    ({"integer": True, "entry": True}, widgets.BoundedIntText),
])
def test_number_builds_the_right_control(kwargs, kind):
    number = Number(2, 1, 100, "size", **kwargs)
    control = number.build(4, continuous_update=False)
    assert isinstance(control, kind) and control.value == 4
    if kind is not widgets.BoundedIntText:
        assert control.continuous_update is False
    if kind is widgets.FloatLogSlider:
        assert (control.min, control.max) == pytest.approx((0.0, 2.0))  # exponents of 1 and 100


def test_number_checks_range_and_type():
    number = Number(0.5, 0.0, 1.0, "noise")
    assert number.check(1.0) == 1.0 and number.describe(0.25) == "0.25"
    with pytest.raises(ValueError, match=r"^noise: expected a value in \[0, 1\], got 1.5"):
        number.check(1.5)
    with pytest.raises(TypeError, match="noise"):
        number.check("0.5")
    with pytest.raises(TypeError, match="depth"):
        Number(3, 1, 30, "depth", integer=True).check(2.5)
    assert as_control(Number(3, 1, 30, "layers", integer=True), "depth").name == "depth"
    assert Number(0.123456, 0, 1, "r", readout=".2f").describe(0.123456) == "0.12"


def test_toggle_and_text():
    toggle = Toggle(True, "x₁")
    assert toggle.describe(False) == "off" and isinstance(toggle.build(True, False), widgets.Checkbox)
    with pytest.raises(TypeError, match="x₁"):
        toggle.check(1)
    text = Text("4, 2", "hidden layers", placeholder="e.g. 4, 2")
    assert text.build("3", False).placeholder == "e.g. 4, 2"
    with pytest.raises(TypeError, match="hidden layers"):
        text.check(4)


def test_ready_made_controls_are_given_as_they_are():
    slider = widgets.FloatSlider(value=0.3, min=0, max=1)
    given = as_control(slider, "rate")
    assert isinstance(given, Given) and given.value == 0.3 and slider.description == "rate"
    assert given.build(0.5, continuous_update=False) is slider and slider.value == 0.5
    assert as_control(Number(1, 0, 2, "n"), "n").label == "n"
    with pytest.raises(TypeError, match=r"controls\(\)\['rate'\]"):
        as_control(0.3, "rate")
