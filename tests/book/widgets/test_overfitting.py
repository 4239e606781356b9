"""The overfitting lab of chapter 7, driven headlessly: steps, controls, messages, the static picture, films."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nnlib.book.experiments.regularization import LabSettings  # noqa: E402
from nnlib.book.widgets import OverfittingLab  # noqa: E402
from nnlib.book.widgets.overfitting import EPOCHS  # noqa: E402
from nnlib.book.widgets.render import new_figure  # noqa: E402

from .redraw import artist_state, assert_same_pixels_for, blitting_and_full_redraw  # noqa: E402

SMALL = LabSettings(n_train=50, width=16)


def test_steps_train_epochs_and_change_the_picture():
    lab = OverfittingLab(SMALL)
    assert lab.status_text() == "50 training digits · before training · one epoch per frame"
    before = lab.image.value
    lab.step()
    lab.step()
    assert lab.n_steps == 2 and len(lab.run.history) == 2
    assert lab.image.value != before
    assert lab.state_metrics["epoch"] == 2 and {"batch loss", "loss"} <= set(lab.state_metrics)
    assert lab.status_text().startswith("epoch 2 · training accuracy") and "misread" in lab.status_text()
    curve = lab.drawn()["train_loss"]
    assert list(curve.get_xdata()) == [1, 2] and list(curve.get_ydata()) == lab.run.history["loss"]


def test_a_control_change_starts_a_new_run_with_those_settings():
    lab = OverfittingLab(SMALL)
    lab.step()
    lab.control_widgets["n_train"].value = 20
    lab.control_widgets["batch_norm"].value = True
    assert lab.n_steps == 0 and lab.run.settings.n_train == 20 and lab.run.settings.batch_norm
    assert len(lab.run.X) == 20
    lab.set_values(width=32, depth=2, dropout=0.3, l2=1e-3, lr=0.5)  # headless, as moving the controls
    s = lab.run.settings
    assert (s.width, s.depth, s.dropout, s.l2, s.lr) == (32, 2, 0.3, 1e-3, 0.5)
    assert s.n_train == 20 and s.seed == SMALL.seed  # the others are kept
    lab.step()
    assert len(lab.run.history) == 1


def test_settings_without_a_control_are_kept_and_change_the_run():
    tanh = OverfittingLab(LabSettings(n_train=50, width=16, activation="tanh", seed=3))
    relu = OverfittingLab(LabSettings(n_train=50, width=16, seed=3))
    tanh.set_values(depth=2)
    assert tanh.run.settings.activation == "tanh" and tanh.run.settings.seed == 3
    tanh.step()
    relu.set_values(depth=2)
    relu.step()
    assert tanh.run.history["loss"] != relu.run.history["loss"]


def test_a_long_epoch_takes_several_frames():
    lab = OverfittingLab(LabSettings(n_train=500, width=16))  # 16 mini-batches of 32 digits
    assert lab.epochs_per_step() == 0.5 and lab.status_text().endswith("one epoch per 2 frames")
    lab.step()
    assert len(lab.run.history) == 0 and lab.state_metrics["epoch"] == 0.5 and "loss" not in lab.state_metrics
    lab.step()
    assert len(lab.run.history) == 1 and lab.state_metrics["epoch"] == 1


def test_training_stops_after_the_lab_epochs():
    lab = OverfittingLab(LabSettings(n_train=20, width=16), steps_per_frame=EPOCHS + 5)
    lab.step()
    assert lab.finished and len(lab.run.history) == EPOCHS
    assert lab.drawn()["train_loss"].axes.get_xlim()[1] >= EPOCHS


@pytest.mark.parametrize("settings, message", [
    (dict(width=100), r"width: expected one of 16, 32"),
    (dict(n_train=30), r"n_train: expected one of 20, 50"),
    (dict(dropout=0.8), r"dropout: expected a value in \[0, 0.7\]"),
    (dict(lr=0.3), r"lr: expected one of"),
])
def test_settings_outside_the_controls_are_refused(settings, message):
    with pytest.raises(ValueError, match=message):
        OverfittingLab(LabSettings(**settings))


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError, match="settings: expected a LabSettings, got dict"):
        OverfittingLab({"n_train": 100})
    lab = OverfittingLab(SMALL)
    with pytest.raises(ValueError, match="depth"):
        lab.set_values(depth=4)
    with pytest.raises(KeyError, match="unknown control"):
        lab.set_values(activation="tanh")


def test_a_network_stuck_at_chance_gets_a_message():
    lab = OverfittingLab(LabSettings(n_train=100, width=128, depth=3, lr=2.0))  # blows up, then dies
    for _ in range(12):
        lab.step()
    assert max(lab.run.history["accuracy"][-5:]) <= 0.2
    assert lab.progress_message.startswith("the network is stuck at chance")
    assert "stuck at chance" in lab.status.value and "learning rate is too large" in lab.progress_message
    lab.set_values(batch_norm=True)  # the remedy the message suggests
    for _ in range(12):
        lab.step()
    assert lab.progress_message is None and lab.run.history["accuracy"][-1] > 0.3
    healthy = OverfittingLab(SMALL)
    for _ in range(12):
        healthy.step()
    assert healthy.progress_message is None


def test_static_picture():
    lab = OverfittingLab(SMALL)
    bundle = lab._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    picture = bundle["text/html"]
    assert "data:image/png;base64" in picture and "<button" not in picture and "<input" not in picture
    assert "training digits: <b>50</b>" in picture and "batch norm: <b>off</b>" in picture


def test_a_film_has_the_frames_asked_for_and_spans_its_epochs():
    class Recording(OverfittingLab):
        def headline(self):
            titles.append(super().headline())
            return titles[-1]

    titles = []
    lab = Recording(LabSettings(n_train=20, width=16))
    lab.step()
    titles.clear()
    film = lab.film(n_frames=3, steps_per_frame=2, title="a test film")
    assert film.n_frames == 3 and film.data.count("data:image/png;base64") == 3 and "a test film" in film.data
    epochs = [int(t.split()[1]) for t in titles if t.startswith("epoch")]
    assert sorted(set(epochs)) == [2, 4, 6] and not any("before training" in t for t in titles[:3])
    assert lab.n_steps == 0 and len(lab.run.history) == 0  # reset afterwards
    assert len(lab.previous_run.history) == 6 and lab.previous_run is not lab.run  # the run the film showed
    assert lab.drawn()["train_loss"].axes.get_xlim()[1] == EPOCHS  # the live axis again, after a film of 6


def test_a_film_is_made_without_building_the_user_interface():
    lab = OverfittingLab(SMALL)
    film = lab.film(n_frames=2, steps_per_frame=1)
    assert film.n_frames == 2 and lab._ui is None


def test_update_figure_gives_the_state_of_a_full_redraw():
    lab = OverfittingLab(SMALL)
    for _ in range(3):
        for _ in range(4):
            lab.step()
        redrawn = new_figure(lab.figsize, lab.dpi, lab.layout)
        lab.draw(redrawn)
        assert artist_state(lab.figure, texts=False, images=True) == artist_state(redrawn, texts=False, images=True)


def test_blitted_frames_are_the_pixels_of_full_redraws():
    fast, full = blitting_and_full_redraw(OverfittingLab, SMALL)
    assert len(fast.drawn(fast.figure)["changing"]) == 5  # the fast one blits its four curves and the mosaic
    assert_same_pixels_for(fast, full, 4)
