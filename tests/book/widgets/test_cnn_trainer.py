"""Chapter 8's CNN trainer, driven headlessly."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nnlib.book.widgets import CNNTrainer, Film, TrainingWidget  # noqa: E402
from nnlib.book.widgets.cnn_drawing import mosaic  # noqa: E402
from nnlib.book.widgets.render import CAN_BLIT  # noqa: E402


def test_steps_train_the_network_and_redraw():
    widget = CNNTrainer()
    assert isinstance(widget, TrainingWidget)
    before, image = widget.run.filters().copy(), bytes(widget.image.value)
    for _ in range(9):  # 36 mini-batches: past the first epoch (34)
        widget.step()
    assert widget.n_steps == 36 and len(widget.batch_losses) == 36 and len(widget.epoch_ends) == 1
    assert not np.allclose(widget.run.filters(), before)
    assert bytes(widget.image.value) != image
    assert "validation accuracy" in widget.status_text() and "epoch 2" in widget.status_text()
    panels = widget.drawn()["panels"]
    assert len(panels.loss_line.get_xdata()) == 36
    assert np.nanmax(np.abs(panels.filters.get_array())) == pytest.approx(1.0)


def test_controls_restart_the_run_with_their_values():
    widget = CNNTrainer()
    widget.step()
    widget.control_widgets["channels"].value = (4, 8)
    assert widget.n_steps == 0 and widget.run.filters().shape == (4, 3, 3)
    widget.set_values(batch_size=64, lr=0.01)
    assert widget.run.trainer.batch_size == 64 and widget.run.optimizer.lr == pytest.approx(0.01)
    widget.step()
    assert widget.drawn()["panels"].filters.get_array().shape == (3, 15)  # 4 kernels in one row of the mosaic


def test_the_same_seed_replays_the_same_run():
    first, second = CNNTrainer(seed=1), CNNTrainer(seed=1)
    for widget in (first, second):
        widget.step()
    assert first.batch_losses == second.batch_losses
    assert CNNTrainer(seed=2).step()["loss"] != first.batch_losses[0]


def test_too_large_a_learning_rate_gets_a_message():
    widget = CNNTrainer(lr=1.0)
    widget.steps_per_frame = 34  # an epoch per frame
    for _ in range(8):
        widget.step()
    assert widget.progress_message is not None and "smaller" in widget.progress_message
    calm = CNNTrainer()
    calm.steps_per_frame = 34
    for _ in range(8):
        calm.step()
    assert calm.progress_message is None


def test_bad_settings_raise_clear_errors():
    with pytest.raises(ValueError, match="lr"):
        CNNTrainer(lr=5.0)
    with pytest.raises(ValueError, match="batch_size"):
        CNNTrainer(batch_size=48)
    with pytest.raises(ValueError, match="channels"):
        CNNTrainer(channels=(3, 5))
    with pytest.raises(ValueError, match="seed"):
        CNNTrainer(seed=-1)
    with pytest.raises(KeyError, match="unknown control"):
        CNNTrainer().set_values(momentum=0.9)


def test_blitted_frames_match_full_redraws():
    if not CAN_BLIT:
        pytest.skip("matplotlib < 3.11 draws every frame whole")
    widget = CNNTrainer()
    widget.figure
    for _ in range(3):
        widget.step()
    blitted = np.array(widget.live_pixels())
    widget.render(full=True)
    assert np.abs(blitted.astype(int) - np.array(widget.live_pixels()).astype(int)).max() <= 2


def test_film_has_the_frames_asked_for_and_resets():
    widget = CNNTrainer()
    film = widget.film(n_frames=3, steps_per_frame=2, title="three frames")
    assert isinstance(film, Film) and film.n_frames == 3 and "three frames" in film.data
    assert widget.n_steps == 0


def test_mosaic_tiles_maps_with_gaps():
    tiled = mosaic(np.ones((5, 2, 2)), 4)
    assert tiled.shape == (5, 11) and np.isnan(tiled[2, 0]) and np.isnan(tiled[0, 2]) and tiled[3, 0] == 1
    assert np.isnan(tiled[3, 3])  # the second row holds one map
    with pytest.raises(ValueError, match="columns"):
        mosaic(np.ones((5, 2, 2)), 0)
    with pytest.raises(ValueError, match="shape"):
        mosaic(np.ones((2, 2)), 2)
