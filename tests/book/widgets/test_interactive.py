"""InteractivePlot: a figure redrawn when a control changes, and its films."""

import numpy as np
import pytest

widgets = pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nnlib.book.widgets import InteractivePlot  # noqa: E402
from nnlib.book.widgets.controls import Choice, Number  # noqa: E402


def draw_wave(fig, values):
    ax = fig.subplots()
    x = np.linspace(-3, 3, 50)
    ax.plot(x, np.tanh(values["a"] * x) + values["shift"])


def make_plot():
    return InteractivePlot({"a": Number(1.0, 0.1, 5.0, "slope a"), "shift": Choice(0, [0, 1], "shift")}, draw_wave)


def test_interactive_plot_redraws_on_value_change():
    plot = make_plot()
    before = bytes(plot.image.value)
    draws = plot.n_draws
    plot.control_widgets["a"].value = 3.0
    assert plot.n_draws == draws + 1 and bytes(plot.image.value) != before
    assert plot.values == {"a": 3.0, "shift": 0} and plot.drawn_values == plot.values
    assert plot.control_widgets["a"].continuous_update is True  # a picture while dragging
    assert "application/vnd.jupyter.widget-view+json" in plot._repr_mimebundle_()


def test_set_values_redraws_headlessly():
    plot = make_plot()
    plot.set_values(shift=1)
    assert plot.n_draws == 1 and plot.drawn_values["shift"] == 1 and plot._ui is None
    with pytest.raises(ValueError, match="shift"):
        plot.set_values(shift=2)


def test_interactive_plot_film():
    plot = make_plot()
    film = plot.film([{"a": 0.5}, {"a": 2.0}, {"a": 2.0, "shift": 1}])
    assert "<script" in film.data and film.data.count("data:image/png;base64,") == 3
    assert plot.drawn_values == {"a": 1.0, "shift": 0}  # back to the current values
    with pytest.raises(KeyError, match="unknown control"):
        plot.film([{"b": 1}])
    with pytest.raises(ValueError, match="at least one frame"):
        plot.film([])
    with pytest.raises(ValueError, match="^a: expected"):
        plot.film([{"a": 50.0}])  # checked by the control, before anything is drawn
    with pytest.raises(TypeError, match="draw"):
        InteractivePlot({}, draw="not callable")
    with pytest.raises(TypeError, match="draw"):
        InteractivePlot({})


def test_in_an_event_loop_a_drag_is_drawn_at_its_latest_values():
    import asyncio

    async def scenario():
        plot = make_plot()
        plot.image  # shown
        draws = plot.n_draws
        for a in (1.5, 2.0, 2.5, 3.0):  # four values arrive before the task runs
            plot.control_widgets["a"].value = a
        assert plot.n_draws == draws  # handled at once: nothing drawn inside the handler
        await asyncio.sleep(0)  # the task has started, and pauses before drawing (the kernel reports idle)
        assert plot.n_draws == draws
        plot.control_widgets["a"].value = 3.5  # came during the pause: in the same picture
        while plot.n_draws == draws:
            await asyncio.sleep(0.001)
        plot._lost_views()  # (not waiting for the pictures made ahead)
        return plot, draws

    plot, draws = asyncio.run(scenario())
    assert plot.n_draws == draws + 1 and plot.drawn_values["a"] == 3.5  # one picture, of the newest values
