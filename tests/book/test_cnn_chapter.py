"""Chapter 8's experiments and widgets, headless: the digits CNN run, the filters, the explorer, the trainer."""

import numpy as np
import pytest

from nnlib.book.experiments.cnn_digits import CNNRun, digits_cnn
from nnlib.book.experiments.filters import KERNELS, filter_image, format_kernel, parse_kernel, photograph


def test_digits_cnn_shapes_and_parameters():
    model = digits_cnn()
    assert model.output_shape((None, 1, 8, 8)) == (None, 10)
    assert model.n_params == (9 + 1) * 8 + (8 * 9 + 1) * 16 + 64 * 10 + 10
    assert digits_cnn(channels=(4, 8)).n_params == (9 + 1) * 4 + (4 * 9 + 1) * 8 + 32 * 10 + 10
    with pytest.raises(ValueError, match="channels"):
        digits_cnn(channels=(0, 8))


def test_cnn_run_learns_and_replays():
    run = CNNRun(rng=3)
    first = run.run_epoch()
    second = run.run_epoch()
    assert second["loss"] < first["loss"] and run.epoch == 2
    assert 0.0 <= second["val_accuracy"] <= 1.0
    replay = CNNRun(rng=3)
    assert replay.run_epoch()["loss"] == pytest.approx(first["loss"], rel=1e-12)
    assert run.filters().shape == (8, 3, 3)
    maps = run.feature_maps(np.zeros((8, 8)))
    assert maps["conv1"].shape == (8, 8, 8) and maps["conv2"].shape == (16, 4, 4)
    assert np.all(maps["conv1"] >= 0)  # after the ReLU


def test_filters_act_as_their_names_say():
    ramp = np.tile(np.arange(10.0), (10, 1))  # brighter to the right
    assert np.allclose(filter_image(ramp, KERNELS["identity"]), ramp[1:-1, 1:-1])
    assert np.allclose(filter_image(ramp, KERNELS["box blur"]), ramp[1:-1, 1:-1])  # a ramp is its own mean
    assert np.allclose(filter_image(ramp, KERNELS["vertical edges (Sobel)"]), -8.0)
    assert np.allclose(filter_image(ramp, KERNELS["horizontal edges (Sobel)"]), 0.0)
    assert np.allclose(filter_image(ramp, KERNELS["all edges (Laplacian)"]), 0.0)
    assert filter_image(ramp, KERNELS["sharpen"], stride=2, padding=1).shape == (5, 5)


def test_photograph_is_a_grey_square():
    photo = photograph(64)
    assert photo.shape == (64, 64) and 0.0 <= photo.min() < photo.max() <= 1.0
    photo[0, 0] = 7.0
    assert photograph(64)[0, 0] != 7.0  # a copy each call


def test_parse_and_format_kernels():
    assert parse_kernel("1 0 -1; 2, 0, -2\n1 0 -1").tolist() == KERNELS["vertical edges (Sobel)"]
    for name, kernel in KERNELS.items():
        assert np.allclose(parse_kernel(format_kernel(kernel)), kernel, atol=5e-4), name
    for text, message in (("", "got nothing"), ("1 a; 2 3", "number"), ("1 2; 3", "same number"),
                          ("1 2 3; 4 5 6", "square"), ("; ".join(["1 " * 8] * 8), "at most 7"),
                          ("inf 1; 1 1", "finite")):
        with pytest.raises(ValueError, match=message):
            parse_kernel(text)


def test_conv_explorer_reacts_to_its_controls():
    from nnlib.book.cnn_widgets import ConvExplorer

    explorer = ConvExplorer()
    draws, first = explorer.n_draws, bytes(explorer.image.value)
    explorer.control_widgets["stride"].value = 2
    assert explorer.n_draws == draws + 1 and bytes(explorer.image.value) != first
    explorer._preset.value = "sharpen"
    assert explorer.values["kernel"] == format_kernel(KERNELS["sharpen"])
    explorer.control_widgets["kernel"].value = "1 1; 1 1"
    assert explorer._preset.value == "custom"
    assert explorer._view.output.get_array().shape == (48, 48)  # 96 x 96 photo, 2 x 2 kernel, stride 2
    explorer.control_widgets["kernel"].value = "1 2; 3"
    assert "cannot use this kernel" in explorer._view.error.get_text()
    explorer.control_widgets["kernel"].value = "0 1 0; 1 -4 1; 0 1 0"
    assert explorer._view.error.get_text() == "" and explorer._preset.value == "all edges (Laplacian)"
    explorer.control_widgets["image"].value = "a digit (3)"
    explorer.control_widgets["padding"].value = 1
    assert explorer._view.input.get_array().shape == (10, 10)
    film = explorer.preset_film(["identity", "sharpen"], stride=1)
    assert "<img" in film.data or "frames[0]" in film.data


def test_cnn_trainer_trains_while_stepping():
    from nnlib.book.cnn_widgets import CNNTrainer, mosaic

    widget = CNNTrainer()
    before = widget.run.filters().copy()
    for _ in range(9):  # 36 mini-batches: past the first epoch (34)
        widget.step()
    assert widget.n_steps == 36 and len(widget.epoch_ends) == 1
    assert not np.allclose(widget.run.filters(), before)
    assert "val accuracy" in widget.status_text()
    widget.control_widgets["channels"].value = (4, 8)
    assert widget.n_steps == 0 and widget.run.filters().shape == (4, 3, 3)
    assert mosaic(np.ones((5, 2, 2)), 4).shape == (5, 11) and np.isnan(mosaic(np.ones((5, 2, 2)), 4)[2, 0])
    film = widget.film(n_frames=2, steps_per_frame=3)
    assert "frames[1]" in film.data or "<img" in film.data
