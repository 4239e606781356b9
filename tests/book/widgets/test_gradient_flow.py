"""Chapter 6's GradientFlowExplorer, driven headlessly."""

from __future__ import annotations

import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nnlib.book.widgets import Film, GradientFlowExplorer, TrainingWidget  # noqa: E402


def test_steps_train_and_redraw_the_panels():
    widget = GradientFlowExplorer(depth=6, width=16)
    assert isinstance(widget, TrainingWidget)
    before = widget.image.value
    for _ in range(3):
        widget.step()
    assert widget.run.n_steps == 3 * widget.steps_per_frame
    assert widget.image.value != before
    assert widget.stats.depth == 6
    assert "layers of 16" in widget.headline()


def test_a_control_rebuilds_the_network_at_initialization():
    widget = GradientFlowExplorer(depth=6, width=16)
    widget.step()
    widget.set_values(activation="relu", init="he_normal")
    assert widget.run.n_steps == 0
    assert "ReLU" in widget.headline() or "relu" in widget.headline().lower()


def test_sigmoid_at_depth_says_the_gradient_vanishes():
    widget = GradientFlowExplorer(activation="sigmoid", init="lecun_normal", depth=30, width=16, lr=0.01)
    for _ in range(40):
        widget.step()
    assert widget.stats.delta_ratio < 1e-4
    message = widget.progress_message
    assert message is not None and "vanishes" in message


def test_unknown_settings_and_out_of_range_values_are_refused():
    with pytest.raises(TypeError, match="unknown setting"):
        GradientFlowExplorer(depht=10)
    widget = GradientFlowExplorer(depth=4, width=8)
    with pytest.raises(ValueError):
        widget.set_values(gain=100.0)


def test_gain_film_has_one_frame_per_gain_and_restores_the_controls():
    widget = GradientFlowExplorer(depth=4, width=8)
    film = widget.gain_film(gains=[0.5, 1.0, 2.0])
    assert isinstance(film, Film) and film.n_frames == 3
    assert widget.values["gain"] == 1.0
