"""Chapter 8's experiments, headless: the digits CNN run, the filters, what the explorer shows.

The widgets' tests: ``tests/book/widgets/test_conv_explorer.py`` and ``test_cnn_trainer.py``.
"""

import numpy as np
import pytest

from nnlib.book.experiments.cnn_digits import CNNRun, digits_cnn
from nnlib.book.experiments.filters import (KERNELS, explore, explorer_image, filter_image, format_kernel, kernel_name,
                                           parse_kernel, photograph)


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


def test_explore_reports_what_the_explorer_shows():
    shown = explore("photograph", "1 1; 1 1", stride=2, padding=1)
    assert shown.image.shape == (96, 96) and shown.padded.shape == (98, 98)
    assert shown.output.shape == (49, 49) and shown.name == "custom" and shown.error is None
    assert np.allclose(shown.output, filter_image(shown.image, np.ones((2, 2)), 2, 1))
    sobel = explore("a digit (3)", format_kernel(KERNELS["vertical edges (Sobel)"]))
    assert sobel.name == "vertical edges (Sobel)" and sobel.output.shape == (6, 6)
    broken = explore("a digit (3)", "1 2; 3")
    assert broken.output is None and "same number" in broken.error
    with pytest.raises(ValueError, match="image"):
        explore("a cat", "1")


def test_explorer_images_and_kernel_names():
    digit = explorer_image("a digit (3)")
    assert digit.shape == (8, 8) and 0.0 <= digit.min() < digit.max() <= 1.0
    digit[0, 0] = 7.0
    assert explorer_image("a digit (3)")[0, 0] != 7.0  # a copy each call
    assert explorer_image("photograph").shape == (96, 96)
    assert all(kernel_name(format_kernel(kernel)) == name for name, kernel in KERNELS.items())
    assert kernel_name("1 2; 3 4") == "custom"
