"""Chapter 8's convolution explorer, driven headlessly and through its built controls."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nnlib.book.experiments.filters import KERNELS, filter_image, format_kernel, photograph  # noqa: E402
from nnlib.book.widgets import ConvExplorer, Film, InteractivePlot  # noqa: E402
from nnlib.book.widgets.render import CAN_BLIT  # noqa: E402


def panels(explorer):
    return explorer.drawn()["panels"]


def test_the_picture_shows_the_cross_correlation_of_the_controls():
    explorer = ConvExplorer()
    assert isinstance(explorer, InteractivePlot)
    explorer.figure
    expected = filter_image(photograph(96), KERNELS["vertical edges (Sobel)"])
    shown = np.asarray(panels(explorer).output.get_array())
    assert shown.shape == (94, 94)
    assert np.allclose(shown, expected / np.abs(expected).max())
    explorer.set_values(stride=2, padding=1)
    assert panels(explorer).output.get_array().shape == (48, 48)  # (96 + 2 - 3) // 2 + 1
    assert panels(explorer).input.get_array().shape == (98, 98)
    assert "padding 1" in panels(explorer).captions[0].get_text()


def test_headless_presets_and_typed_kernels_stay_in_step():
    explorer = ConvExplorer()
    explorer.set_values(preset="sharpen")
    assert explorer.values["kernel"] == format_kernel(KERNELS["sharpen"])
    explorer.set_values(kernel="1 1; 1 1")
    assert explorer.values["preset"] == "custom"
    assert explorer.shown.output.shape == (95, 95)
    explorer.set_values(kernel="0 1 0; 1 -4 1; 0 1 0")
    assert explorer.values["preset"] == "all edges (Laplacian)"


def test_built_controls_redraw_once_per_change_and_keep_preset_and_kernel_in_step():
    explorer = ConvExplorer()
    draws, first = explorer.n_draws, bytes(explorer.image.value)
    explorer.control_widgets["stride"].value = 2
    assert explorer.n_draws == draws + 1 and bytes(explorer.image.value) != first
    draws = explorer.n_draws
    explorer.control_widgets["preset"].value = "sharpen"
    assert explorer.n_draws == draws + 1  # the kernel's text follows without a picture of its own
    assert explorer.control_widgets["kernel"].value == format_kernel(KERNELS["sharpen"])
    assert explorer.shown.name == "sharpen"
    explorer.control_widgets["kernel"].value = "1 1; 1 1"
    assert explorer.control_widgets["preset"].value == "custom"
    assert explorer.shown.output.shape == (48, 48)  # 96 x 96 photo, 2 x 2 kernel, stride 2
    assert not explorer.control_widgets["kernel"].continuous_update  # read when typing is done


def test_an_unreadable_kernel_is_reported_in_the_figure_and_a_good_one_clears_it():
    explorer = ConvExplorer()
    explorer.set_values(kernel="1 2; 3")
    assert "cannot use this kernel" in panels(explorer).error.get_text()
    assert not panels(explorer).output.get_visible()
    explorer.set_values(preset="box blur")
    assert panels(explorer).error.get_text() == "" and panels(explorer).output.get_visible()


def test_blitted_pictures_match_full_redraws():
    if not CAN_BLIT:
        pytest.skip("matplotlib < 3.11 draws every frame whole")
    explorer = ConvExplorer()
    explorer.figure
    for settings in ({"stride": 3}, {"preset": "Gaussian blur"}, {"image": "a digit (3)", "padding": 2},
                     {"kernel": "1 2; 3"}, {"padding": 1}, {"preset": "emboss"}, {"stride": 1}):
        explorer.set_values(**settings)
        blitted = np.array(explorer.live_pixels())
        explorer.render(full=True)
        assert np.abs(blitted.astype(int) - np.array(explorer.live_pixels()).astype(int)).max() <= 2, settings


def test_a_stride_or_padding_drag_keeps_the_background_and_a_new_kernel_draws_it_anew():
    if not CAN_BLIT:
        pytest.skip("matplotlib < 3.11 draws every frame whole")
    explorer = ConvExplorer()
    explorer.figure
    blitter = explorer._store[explorer.figure]["blitter"]
    before = blitter.n_backgrounds
    for padding, stride in ((1, 1), (2, 1), (3, 2), (0, 4), (1, 1)):  # the kernel panel is in the background
        explorer.set_values(padding=padding, stride=stride)
    assert blitter.n_backgrounds == before
    explorer.set_values(preset="sharpen")
    assert blitter.n_backgrounds == before + 1
    assert panels(explorer).numbers[4].get_text() == "5"
    explorer.set_values(kernel="1 2; 3")  # unusable: the kernel panel empties, in a new background
    assert blitter.n_backgrounds == before + 2 and not panels(explorer).kernel.get_visible()


def test_bad_settings_raise_clear_errors():
    with pytest.raises(ValueError, match="kernel"):
        ConvExplorer(kernel="1 2; 3")
    with pytest.raises(TypeError, match="kernel"):
        ConvExplorer(kernel=[[1, 0], [0, 1]])
    with pytest.raises(ValueError, match="image"):
        ConvExplorer(image="a cat")
    with pytest.raises(ValueError, match="stride"):
        ConvExplorer(stride=0)
    explorer = ConvExplorer()
    with pytest.raises(ValueError, match="padding"):
        explorer.set_values(padding=9)
    with pytest.raises(ValueError, match="preset"):
        explorer.set_values(preset="a blur")
    with pytest.raises(KeyError, match="unknown control"):
        explorer.set_values(kernel_size=3)


def test_films_have_the_frames_asked_for_and_restore_the_controls():
    explorer = ConvExplorer(kernel="sharpen")
    film = explorer.preset_film(["identity", "sharpen", "emboss"], stride=2)
    assert isinstance(film, Film) and film.n_frames == 3 and film.data.count("frames[2]") >= 1
    assert explorer.preset_film().n_frames == 11
    assert explorer.values["preset"] == "sharpen" and explorer.values["stride"] == 1
    with pytest.raises(ValueError, match="names"):
        explorer.preset_film(["no such kernel"])
