"""The loss race widget of chapter 3, driven headlessly."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nnlib.book.widgets import LossRace  # noqa: E402
from nnlib.book.widgets.render import new_figure  # noqa: E402

from .redraw import artist_state, assert_same_pixels_for, blitting_and_full_redraw, png_pixels  # noqa: E402


def test_widget_steps_and_cross_entropy_wins_from_a_confidently_wrong_start():
    widget = LossRace()
    assert widget.n_steps == 0
    image_before = widget.image.value
    for _ in range(4):
        widget.step()
    assert widget.n_steps == 4 * widget.steps_per_frame
    assert widget.image.value != image_before
    assert set(widget.state_metrics) == {"loss", "rival_ce", "rival_loss"}
    assert "rival's cross-entropy" in widget.status_text()  # a readable name, not the key
    # the default start w0 = -4 is confidently wrong: cross-entropy escapes, MSE on the sigmoid lags
    assert widget.run.ce.weight > 0
    assert widget.run.rival.weight < 0
    assert widget.state_metrics["loss"] < 0.2 < widget.state_metrics["rival_ce"]


def test_changing_a_control_restarts_the_run():
    widget = LossRace()
    widget.step()
    widget.control_widgets["rival"].value = "mae"
    assert widget.n_steps == 0
    assert widget.run.rival.loss_name == "mae"
    widget.control_widgets["w0"].value = 2.0
    assert widget.run.ce.weight == widget.run.rival.weight == 2.0
    widget.step()
    assert widget.n_steps == widget.steps_per_frame


def test_film_is_small_and_resets_the_widget():
    widget = LossRace()
    film = widget.film(n_frames=3, steps_per_frame=2)
    assert "<script" in film.data and film.data.count("data:image/png;base64") >= 1
    assert widget.n_steps == 0




@pytest.mark.parametrize("settings", [{}, {"rival": "mae", "lr": 10.0, "w0": 3.0}])
def test_update_figure_gives_the_state_of_a_full_redraw(settings):
    widget = LossRace()
    widget.set_values(**settings)
    for _ in range(12):  # 60 steps: past the first 50 steps of the loss axis
        widget.step()
        redrawn = new_figure(widget.figsize, widget.dpi)
        widget.draw(redrawn)
        assert artist_state(widget.figure) == artist_state(redrawn)


def test_blitted_frames_are_the_pixels_of_full_redraws():
    fast, full = blitting_and_full_redraw(LossRace)
    assert_same_pixels_for(fast, full, 12)
    fast.reset()
    full.reset()
    fast.step()
    full.step()
    assert np.array_equal(png_pixels(fast), png_pixels(full))
