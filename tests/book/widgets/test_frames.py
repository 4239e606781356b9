"""Pictures switched in the browser: keys, slider tracks, what is drawn ahead, and the FrameView's bookkeeping."""

import asyncio
import math

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("anywidget")
pytest.importorskip("matplotlib")

from nnlib.book.widgets import ActivationExplorer, ConvExplorer, InteractivePlot  # noqa: E402
from nnlib.book.widgets import frames  # noqa: E402
from nnlib.book.widgets.controls import Choice, Number, Text, as_control  # noqa: E402
from nnlib.book.widgets.frames import FrameView, ahead_values, frame_key  # noqa: E402


def specs(**controls):
    return {name: as_control(spec, name) for name, spec in controls.items()}


def test_a_key_is_what_the_browser_reports():
    spec = specs(f=Choice("relu", ["tanh", "relu"], "f"), scale=Number(1.0, 0.125, 4.0, "scale", log_base=2,
                                                                          step=0.25),
                 depth=Number(3, 1, 30, "depth", integer=True), kernel=Text("1 0; 0 1", "kernel"))
    key = frame_key(spec, {"f": "relu", "scale": 2 ** 0.75, "depth": 3, "kernel": "1 0; 0 1"})
    assert key == (1, 1.68179283051, 3, "1 0; 0 1")  # a dropdown's index; a float to 12 digits
    assert frame_key(spec, {"f": "relu", "scale": math.pow(2.0, -2.75) * (1 + 1e-15), "depth": 3,
                            "kernel": "1 0; 0 1"}) == frame_key(spec, {"f": "relu", "scale": 2 ** -2.75, "depth": 3,
                                                                       "kernel": "1 0; 0 1"})


@pytest.mark.parametrize("spec", [Number(1.0, 0.125, 4.0, "scale", log_base=2, step=0.25),
                                  Number(0.0, -4.0, 4.0, "shift", step=0.25),
                                  Number(10, 1, 30, "depth", integer=True)])
def test_a_slider_track_is_every_value_the_built_slider_offers(spec):
    track = spec.track()
    control = spec.build(spec.value, True)
    low, high = (control.min, control.max)
    n = round((high - low) / control.step) + 1
    assert len(track) == n and track == sorted(track)
    assert math.isclose(track[0], spec.low) and math.isclose(track[-1], spec.high)
    for value in track:  # each is a value the slider keeps as it is
        control.value = value
        assert math.isclose(control.value, value, rel_tol=1e-12)


def test_only_sliders_have_a_track():
    assert Number(3, 1, 9, "n", integer=True, entry=True).track() is None
    assert Choice("a", ["a", "b"], "c").track() is None


def test_ahead_values_move_one_slider_at_a_time_nearest_first_taking_turns():
    spec = specs(a=Number(1, 0, 3, "a", integer=True), f=Choice("x", ["x", "y"], "f"),
                 b=Number(0.5, 0.0, 1.0, "b", step=0.25))
    start = {"a": 1, "f": "x", "b": 0.5}
    ahead = list(ahead_values(spec, start))
    moved = [(name, v[name]) for v in ahead for name in v if v[name] != start[name]]
    assert moved == [("a", 2), ("b", 0.75), ("a", 0), ("b", 0.25), ("a", 3), ("b", 1.0), ("b", 0.0)]
    assert all(v["f"] == "x" for v in ahead)  # a dropdown is not dragged: its other options are not drawn ahead


def make_plot():
    def draw(fig, values):
        ax = fig.subplots()
        ax.plot([0, 1], [0, values["a"] * values["k"]], color=values["colour"])
        ax.set_ylim(0, 10)

    return InteractivePlot({"a": Number(1.0, 0.0, 2.0, "a", step=0.5), "k": Number(2, 1, 4, "k", integer=True),
                            "colour": Choice("red", ["red", "blue"], "colour")}, draw)


class Sent(list):
    """Stands in for FrameView.send: keeps what would go to the browser."""

    def __call__(self, content, buffers=None):
        self.append((content, buffers))


def test_the_view_keeps_count_of_the_pictures_it_has(monkeypatch):
    plot = make_plot()
    view = plot.image
    assert isinstance(view, FrameView) and view.format == "jpeg" and view.layout.width == "684px"
    assert view.key == [1.0, 2, 0] and view.has((1.0, 2, 0)) and bytes(view.value).startswith(b"\xff\xd8")
    assert view.controls == list(plot.control_widgets.values())
    sent = Sent()
    monkeypatch.setattr(view, "send", sent)
    view.send_ahead((1.5, 2, 0), b"picture")
    assert sent == [({"key": [1.5, 2, 0]}, [b"picture"])] and view.has((1.5, 2, 0))
    told = []
    view._on_new_view = lambda: told.append(True)
    view._on_message(view, {"view": "new"}, [])  # a new view has only the current picture
    assert view.sent == {(1.0, 2, 0)} and told == [True]
    monkeypatch.setattr(frames, "MAX_FRAMES", 3)
    for a in (0.0, 0.5, 2.0):
        view.send_ahead((a, 2, 0), b"picture")
    assert sent[-2] == ({"forget": True}, None)  # full: the views forget all but the current picture
    assert view.sent == {(1.0, 2, 0), (2.0, 2, 0)}


def test_a_picture_the_view_has_is_not_drawn_again(monkeypatch):
    plot = make_plot()
    plot.image
    monkeypatch.setattr(plot.image, "send", Sent())
    plot.draw_ahead({"a": 1.5, "k": 2, "colour": "red"})
    assert plot.n_ahead == 1 and plot.drawn_values["a"] == 1.0  # the state stays the current values'
    draws, shown = plot.n_draws, bytes(plot.image.value)
    plot.control_widgets["a"].value = 1.5  # the browser shows the picture made ahead
    assert plot.n_draws == draws and bytes(plot.image.value) == shown and plot.drawn_values["a"] == 1.5
    plot.control_widgets["a"].value = 0.5  # one it does not have
    assert plot.n_draws == draws + 1 and plot.image.key == [0.5, 2, 0]


@pytest.mark.parametrize("widget_class, values", [(ActivationExplorer, {"scale": 2.0, "depth": 4}),
                                                  (ConvExplorer, {"padding": 2, "stride": 3})])
def test_a_picture_made_ahead_is_the_one_the_kernel_would_draw(monkeypatch, widget_class, values):
    widget, fresh = widget_class(), widget_class()
    widget.image
    sent = Sent()
    monkeypatch.setattr(widget.image, "send", sent)
    widget.draw_ahead({**widget.values, **values})
    fresh.set_values(**values)
    picture = sent[0][1][0]
    assert picture == bytes(fresh.image.value)  # same pixels (no headline band), same JPEG
    assert widget.drawn_values == widget.values and widget.drawn_values != fresh.drawn_values


def test_in_a_kernel_pictures_are_made_ahead_once_the_controls_rest(monkeypatch):
    monkeypatch.setattr("nnlib.book.widgets.interactive.AHEAD_AFTER", 0.05)

    async def scenario():
        plot = make_plot()
        plot.image
        monkeypatch.setattr(plot.image, "send", Sent())
        plot.image._on_message(plot.image, {"view": "new"}, [])  # the browser shows it
        await plot._redraw_task
        assert plot.n_ahead == 4 + 3 and plot.n_draws == 0  # every other value of each slider
        plot.control_widgets["k"].value = 4  # dragged: the browser has it
        plot.control_widgets["colour"].value = "blue"  # not a slider: drawn
        await plot._redraw_task
        assert plot.n_draws == 1 and plot.image.key == [1.0, 4, 1]
        assert plot.n_ahead == 7 + 4 + 3  # and then both sliders' lines through the new values
        plot.image._on_message(plot.image, {"view": "new"}, [])  # a page reloaded: all sent again
        await asyncio.sleep(0)
        plot._lost_views()  # ... and closed: no more drawing
        await asyncio.gather(plot._redraw_task, return_exceptions=True)
        return plot

    plot = asyncio.run(scenario())
    assert plot.n_ahead == 14 and plot._redraw_task.cancelled()


def test_pictures_made_ahead_have_a_limit(monkeypatch):
    plot = make_plot()
    plot.image
    monkeypatch.setattr(plot.image, "send", Sent())
    plot.ahead_limit = 3
    ahead = []
    while (values := plot._next_ahead()) is not None:
        plot.draw_ahead(values)
        ahead.append((values["a"], values["k"]))
    assert ahead == [(1.5, 2), (1.0, 3), (0.5, 2)] and plot.n_ahead == 3


def test_pictures_made_ahead_keep_the_headline_out(monkeypatch):
    explorer = ActivationExplorer()
    explorer.image
    sent = Sent()
    monkeypatch.setattr(explorer.image, "send", sent)
    explorer.draw_ahead({**explorer.values, "shift": 1.0})
    from PIL import Image
    import io

    size = Image.open(io.BytesIO(sent[0][1][0])).size
    assert size == (684, 378 - explorer.headline_band) and np.isclose(explorer.run.shift, 0.0)


def test_drawing_ahead_checks_what_it_is_given():
    plot = make_plot()
    with pytest.raises(RuntimeError, match="no live view"):
        plot.draw_ahead({"a": 1.5})
    plot.image
    with pytest.raises(KeyError, match="draw_ahead: unknown control"):
        plot.draw_ahead({"b": 1.0})
    with pytest.raises(ValueError, match="^a: expected"):
        plot.draw_ahead({"a": 9.0})
    assert plot.n_ahead == 0 and plot.drawn_values == plot.values
