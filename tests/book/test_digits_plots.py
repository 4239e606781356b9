"""The mosaic of misread digits (chapters 7 and 8): places, labels, ink, and bad input."""

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from nnlib.book.digits_plots import COLUMNS, ROWS, mistakes_mosaic, mosaic_size  # noqa: E402


def test_the_mosaic_places_each_digit_under_its_label():
    images = np.zeros((3, 64))
    images[1, :] = 1.0  # an all-ink digit in the second place
    mosaic = mistakes_mosaic(images, ["1→7", "8→3", "0→6"])
    assert mosaic.shape == (ROWS * (14 + 32 + 6), COLUMNS * (32 + 6), 3) == (*mosaic_size(), 3)
    cell_w = 38
    assert np.all(mosaic[14:46, cell_w:cell_w + 32] == 0.0)  # ink is dark
    assert np.all(mosaic[14:46, :32] == 1.0)  # a blank digit is white
    label_strip = mosaic[:14, :32]
    assert label_strip.min() < 0.5 and np.any(label_strip[..., 0] > label_strip[..., 2])  # vermillion ink
    assert np.all(mosaic[:, 3 * cell_w:] == 1.0)  # nothing beyond the three digits


def test_digits_fill_rows_and_extra_ones_are_left_out():
    images = np.ones((5, 64))
    mosaic = mistakes_mosaic(images, rows=2, columns=2)
    assert mosaic.shape == (2 * 52, 2 * 38, 3)
    assert np.all(mosaic[52 + 14:52 + 46, 38:70] == 0.0)  # the fourth digit, bottom right
    assert np.all(mosaic[:14] == 1.0)  # no labels given: none drawn


def test_a_pixel_is_drawn_where_the_image_has_it():
    image = np.zeros((1, 64))
    image[0, 8 * 2 + 5] = 1.0  # row 2, column 5
    mosaic = mistakes_mosaic(image)
    digit = mosaic[14:46, :32, 0]
    assert np.all(digit[8:12, 20:24] == 0.0) and np.count_nonzero(digit < 1.0) == 16


def test_different_labels_draw_differently():
    a = mistakes_mosaic(np.zeros((1, 64)), ["1→7"])
    b = mistakes_mosaic(np.zeros((1, 64)), ["7→1"])
    assert not np.array_equal(a[:14], b[:14])


@pytest.mark.parametrize("images, labels, message", [
    (np.zeros((2, 63)), (), r"images: expected shape \(k, 64\)"),
    (np.zeros(64), (), r"images: expected shape \(k, 64\)"),
    (np.zeros((1, 64)), ["a→b"], "labels: expected digits"),
])
def test_bad_input_is_refused(images, labels, message):
    with pytest.raises(ValueError, match=message):
        mistakes_mosaic(images, labels)
