"""The overfitting lab of chapter 7, driven headlessly: controls, steps, the mistakes mosaic, films."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nnlib.book.experiments.regularization import LabSettings  # noqa: E402
from nnlib.book.overfitting_widget import COLUMNS, ROWS, EPOCHS, OverfittingLab, mistakes_mosaic  # noqa: E402


def test_the_mosaic_places_each_digit_under_its_label():
    images = np.zeros((3, 64))
    images[1, :] = 1.0  # an all-ink digit in the second place
    mosaic = mistakes_mosaic(images, ["1→7", "8→3", "0→6"])
    assert mosaic.shape == (ROWS * (14 + 32 + 6), COLUMNS * (32 + 6), 3)
    cell_w = 38
    second = mosaic[14:46, cell_w:cell_w + 32]
    assert np.all(second == 0.0)  # ink is dark
    assert np.all(mosaic[14:46, :32] == 1.0)  # a blank digit is white
    label_strip = mosaic[:14, :32]
    assert label_strip.min() < 0.5 and np.any(label_strip[..., 0] > label_strip[..., 2])  # vermillion ink
    assert np.all(mosaic[:, 3 * cell_w:] == 1.0)  # nothing beyond the three digits


def test_steps_train_epochs_and_change_the_picture():
    lab = OverfittingLab(LabSettings(n_train=50, width=16))
    before = lab.image.value
    lab.step()
    lab.step()
    assert lab.n_steps == 2 and len(lab.run.history) == 2
    assert lab.image.value != before
    assert lab.state_metrics["epoch"] == 2 and "batch loss" in lab.state_metrics
    assert lab.status_text().startswith("epoch 2 · training accuracy") and "misread" in lab.status_text()


def test_a_control_change_starts_a_new_run_with_those_settings():
    lab = OverfittingLab(LabSettings(n_train=50, width=16))
    lab.step()
    lab.control_widgets["n_train"].value = 20
    lab.control_widgets["batch_norm"].value = True
    assert lab.n_steps == 0 and lab.run.settings.n_train == 20 and lab.run.settings.batch_norm
    assert len(lab.run.X) == 20
    lab.step()
    assert len(lab.run.history) == 1


def test_a_long_epoch_takes_several_frames():
    lab = OverfittingLab(LabSettings(n_train=500, width=16))  # 16 mini-batches of 32 digits
    lab.step()
    assert len(lab.run.history) == 0 and lab.state_metrics["epoch"] == 0.5
    lab.step()
    assert len(lab.run.history) == 1 and lab.state_metrics["epoch"] == 1


def test_training_stops_after_the_lab_epochs():
    lab = OverfittingLab(LabSettings(n_train=20, width=16), steps_per_frame=EPOCHS + 5)
    lab.step()
    assert lab.finished and len(lab.run.history) == EPOCHS


def test_settings_outside_the_controls_are_refused():
    with pytest.raises(ValueError, match=r"units 100 is not one of the lab's choices"):
        OverfittingLab(LabSettings(width=100))


def test_a_film_replays_the_run_from_its_first_steps_and_resets():
    class Recording(OverfittingLab):
        def status_text(self):
            titles.append(super().status_text())
            return titles[-1]

    titles = []
    lab = Recording(LabSettings(n_train=20, width=16))
    titles.clear()
    film = lab.film(n_frames=3, steps_per_frame=2)
    assert film.data.count("data:image/png;base64") >= 3
    epochs = [int(t.split()[1]) for t in titles if t.startswith("epoch")]
    assert sorted(set(epochs)) == [2, 4, 6] and not any("before training" in t for t in titles[:-1])
    assert lab.n_steps == 0 and len(lab.run.history) == 0
