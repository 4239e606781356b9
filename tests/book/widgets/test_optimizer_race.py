"""The optimizer race of chapter 5, driven headlessly."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nnlib.book.experiments.optimizer_race import RACERS, SURFACES  # noqa: E402
from nnlib.book.widgets import OptimizerRace  # noqa: E402
from nnlib.book.widgets.optimizer_race import update_equations  # noqa: E402
from nnlib.book.widgets.render import new_figure  # noqa: E402

from .redraw import artist_state, assert_same_pixels_for, blitting_and_full_redraw  # noqa: E402


def test_widget_steps_every_racer_and_redraws():
    widget = OptimizerRace()
    image_before = widget.image.value
    for _ in range(5):
        widget.step()
    assert widget.n_steps == widget.run.t == 5 * widget.steps_per_frame
    assert widget.image.value != image_before
    assert all(len(widget.run.paths[name]) == widget.run.t + 1 for name in RACERS)
    assert set(widget.state_metrics) == {"loss", "leader"}
    assert widget.state_metrics["leader"] in RACERS.values()
    assert "leader's loss" in widget.status_text()


def test_choosing_a_surface_in_the_dropdown_loads_its_settings_and_restarts():
    widget = OptimizerRace()
    widget.step()
    widget.control_widgets["surface"].value = "rosenbrock"
    rosenbrock = SURFACES["rosenbrock"]
    assert widget.n_steps == 0 and widget.run.surface is rosenbrock
    assert widget.values["lr"] == rosenbrock.lr and widget.run.lr == rosenbrock.lr
    assert tuple(widget.run.start) == rosenbrock.start
    widget.control_widgets["lr"].value = 0.002  # other controls keep the surface
    assert widget.run.surface is rosenbrock and widget.run.lr == 0.002


def test_toggles_choose_the_racers_and_the_start_stays_on_the_map():
    widget = OptimizerRace()
    widget.set_values(**{name: name in ("gd", "adam") for name in RACERS})
    assert widget.run.racers == ("gd", "adam")
    widget.set_values(**dict.fromkeys(RACERS, False))
    assert widget.run.racers == ("gd",)  # nobody racing would draw nothing: gradient descent races alone
    widget.choose_surface("saddle")
    widget.set_values(x0=-4.0, y0=3.0)  # outside the saddle's map
    x0, x1, y0, y1 = SURFACES["saddle"].box
    assert tuple(widget.run.start) == (x0, y1)


def test_a_diverging_race_stops_with_a_message():
    widget = OptimizerRace()
    widget.set_values(lr=0.5, **{name: name == "gd" for name in RACERS})  # eta * 25 = 12.5
    for _ in range(30):
        widget.step()
    assert widget.diverged and "lower the learning rate" in widget.diverged
    assert widget.run.stopped["gd"].startswith("left the map")


def test_equations_carry_the_run_numbers():
    assert update_equations("gd", 0.05, 0.9, 0.999) == ["θ ← θ − 0.05 g"]
    assert update_equations("nesterov", 0.1, 0.8, 0.999)[1] == "θ ← θ − 0.1 (g + 0.8 u)"
    assert update_equations("adam", 0.01, 0.9, 0.99)[:2] == ["m ← 0.9 m + 0.1 g", "v ← 0.99 v + 0.01 g²"]
    widget = OptimizerRace()
    texts = [text.get_text() for ax in widget.figure.axes for text in ax.texts]
    assert f"θ ← θ − {SURFACES['valley'].lr:g} g" in texts


def test_static_picture():
    widget = OptimizerRace()
    bundle = widget._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "data:image/png;base64" in bundle["text/html"] and "surface" in bundle["text/html"]


def test_films_one_per_surface_and_the_settings_come_back():
    widget = OptimizerRace()  # never shown: films make no ipywidgets
    film = widget.film(n_frames=2, steps_per_frame=2)
    assert film.n_frames == 2 and widget.n_steps == 0
    widget.set_values(lr=0.01)
    films = widget.films(n_frames=1)
    assert films.n_frames == 4 and films.data.count("The race on") == 4
    assert widget.values["surface"] == "valley" and widget.run.lr == 0.01
    assert widget._ui is None




def test_update_figure_gives_the_state_of_a_full_redraw():
    widget = OptimizerRace()
    widget.choose_surface("wells")
    for _ in range(3):
        for _ in range(20):
            widget.step()
        redrawn = new_figure(widget.figsize, widget.dpi)
        widget.draw(redrawn)
        assert artist_state(widget.figure) == artist_state(redrawn)


def test_blitted_frames_are_the_pixels_of_full_redraws():
    assert_same_pixels_for(*blitting_and_full_redraw(OptimizerRace), 4)
