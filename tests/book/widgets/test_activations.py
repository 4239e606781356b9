"""Tests of the activation explorer (chapter "Activation functions"), driven headlessly."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

import traitlets  # noqa: E402

from nnlib.book.widgets import ActivationExplorer  # noqa: E402

JPEG_SIGNATURE = b"\xff\xd8\xff"


def png(explorer) -> bytes:
    return bytes(explorer.image.value)  # ipywidgets keeps it as a memoryview


@pytest.fixture(scope="module")
def explorer():
    return ActivationExplorer()


# ----------------------------------------------------------------------------- the widget


def test_explorer_starts_with_a_picture(explorer):
    assert png(explorer).startswith(JPEG_SIGNATURE)
    assert set(explorer.control_widgets) == {"activation", "scale", "shift", "depth"}
    assert explorer.run.depth == explorer.control_widgets["depth"].value
    assert explorer.run.init == "glorot_normal"  # variance 1/n_in on the square layers, fixed


@pytest.mark.parametrize(
    "name, value",
    [("activation", "relu"), ("activation", "leaky_relu"), ("scale", 2.0), ("shift", -2.0), ("depth", 25)],
)
def test_every_control_redraws(explorer, name, value):
    before_bytes, before_draws = png(explorer), explorer.n_draws
    explorer.control_widgets[name].value = value
    assert explorer.n_draws == before_draws + 1
    assert png(explorer).startswith(JPEG_SIGNATURE)
    assert png(explorer) != before_bytes
    run = explorer.run
    assert (run.activation, run.scale, run.shift, run.depth)[
        ["activation", "scale", "shift", "depth"].index(name)] == value


def test_sliders_clamp_out_of_range_values(explorer):
    explorer.control_widgets["depth"].value = 1000
    assert explorer.control_widgets["depth"].value == 30 and explorer.run.depth == 30
    explorer.control_widgets["depth"].value = -5
    assert explorer.control_widgets["depth"].value == 1 and explorer.run.depth == 1
    explorer.control_widgets["scale"].value = 1e6
    assert explorer.control_widgets["scale"].value == 4.0
    explorer.control_widgets["scale"].value = -1.0
    assert explorer.control_widgets["scale"].value == pytest.approx(0.125)
    explorer.control_widgets["shift"].value = 99.0
    assert explorer.control_widgets["shift"].value == 4.0


def test_dropdowns_refuse_values_they_do_not_offer(explorer):
    draws = explorer.n_draws
    with pytest.raises(traitlets.TraitError):
        explorer.control_widgets["activation"].value = "swish"
    assert explorer.n_draws == draws


@pytest.mark.filterwarnings("error")
def test_extreme_settings_draw_without_warnings(explorer):
    controls = explorer.control_widgets
    # every ReLU unit dead: all activations are exactly zero, every unit saturated
    controls["activation"].value = "relu"
    controls["scale"].value = 0.125
    controls["depth"].value = 30
    controls["shift"].value = -4.0
    assert np.all(explorer.run.activations[-1] == 0) and explorer.run.saturated_fraction[-1] == 1.0
    assert png(explorer).startswith(JPEG_SIGNATURE)
    # growing: weights times 4 through 30 ReLU layers (the spread doubles per layer)
    controls["shift"].value = 0.0
    controls["scale"].value = 4.0
    assert np.isfinite(explorer.run.activation_std).all() and explorer.run.activation_std[-1] > 1e6
    assert png(explorer).startswith(JPEG_SIGNATURE)
    # saturated sigmoid, depth 1
    controls["activation"].value = "sigmoid"
    controls["depth"].value = 1
    controls["shift"].value = 4.0
    assert png(explorer).startswith(JPEG_SIGNATURE)


def test_scale_film_is_html_with_one_frame_per_setting():
    film = ActivationExplorer(n=32).scale_film(n_frames=4, depth=3)
    assert film.n_frames == 4
    html = film.data
    assert "<script" in html and "animation" in html.lower()
    assert html.count("data:image/png;base64") == 4


@pytest.mark.parametrize("kwargs", [{"n_frames": 41}, {"n_frames": 1}, {"depth": 0}, {"interval": 50}])
def test_scale_film_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        ActivationExplorer(n=8).scale_film(**kwargs)


def test_film_checks_its_frames_and_uses_the_live_drawing():
    explorer = ActivationExplorer(n=8)
    with pytest.raises(ValueError, match="at least one frame"):
        explorer.film([])
    with pytest.raises(KeyError, match="unknown control"):
        explorer.film([{"learning_rate": 0.1}])
    with pytest.raises(ValueError, match="depth"):
        explorer.film([{"depth": 0}])
    assert explorer.film([{"depth": 2}, {"depth": 3}]).data.count("data:image/png;base64") == 2
    assert explorer.run.depth == 10  # back to the controls' settings


def test_most_redraws_are_blitted_while_a_slider_moves():
    explorer = ActivationExplorer()
    explorer.figure  # the first picture
    blitter = explorer._store[explorer.figure]["blitter"]
    before = blitter.n_backgrounds
    for shift in np.arange(0.25, 2.01, 0.25):
        explorer.set_values(shift=float(shift))
    assert explorer.n_draws == 8
    if blitter.n_backgrounds:  # matplotlib >= 3.11 (see nnlib.book.widgets.render.CAN_BLIT)
        assert blitter.n_backgrounds - before <= 4  # the round axis limits rarely change


def test_text_is_at_least_ten_pixels():
    explorer = ActivationExplorer()
    texts = [t for t in explorer.figure.findobj(lambda a: hasattr(a, "get_fontsize")) if t.get_text()]
    assert min(t.get_fontsize() for t in texts) * explorer.figure.dpi / 72 >= 10


def test_saturation_region_is_shaded_where_the_slope_is_small():
    explorer = ActivationExplorer(n=8)
    panels = explorer.drawn(explorer.figure)["panels"]
    heights, _, baseline = panels.saturation.get_data()
    shaded = heights > baseline
    slope = 0.25 / np.cosh(panels.z_axis / 2) ** 2  # sigmoid'
    assert np.array_equal(shaded, slope < 0.01) and shaded.any() and not shaded.all()
    explorer.set_values(activation="relu")
    heights, _, baseline = panels.saturation.get_data()
    assert np.array_equal(heights > baseline, panels.z_axis <= 0)
