"""The Playground widget (nnlib.book.widgets.Playground), driven headlessly."""

from __future__ import annotations

import io

import numpy as np
import PIL.Image
import pytest

from nnlib.book.experiments.playground import (
    ACTIVATIONS,
    DATASETS,
    DEFAULT_NOISE,
    FEATURES,
    MAX_LAYERS,
    MAX_UNITS,
    OPTIMIZERS,
)
from nnlib.book.widgets import Playground, playground_films
from nnlib.book.widgets.playground.drawing import decision_image
from nnlib.layers import Dense


def small(**kwargs) -> Playground:
    """A Playground on few points with a small figure (fast tests)."""
    kwargs.setdefault("n", 60)
    return Playground(**kwargs)


def image_size(data: bytes) -> tuple[int, int]:
    return PIL.Image.open(io.BytesIO(data)).size


# ----------------------------------------------------------------------------- construction


def test_defaults_build_the_default_network():
    pg = Playground()
    c = pg.config
    assert (c.dataset, c.n_classes, c.features, c.hidden, c.activation) == ("circle", 2, ("x1", "x2"), (4, 2), "tanh")
    assert (c.lr, c.batch_size, c.optimizer, c.regularization, c.train_ratio, c.n) == (0.03, 10, "sgd", None, 0.5, 200)
    widths = [(layer.in_features, layer.out_features) for layer in pg.run.model.layers if isinstance(layer, Dense)]
    assert widths == [(2, 4), (4, 2), (2, 2)]
    assert len(pg.run.X_train) == 100 and len(pg.run.X_test) == 100
    assert pg.n_steps == 0 and pg.run.curves["loss"] and np.isfinite(pg.run.curves["loss"][0])
    assert image_size(pg.image.value)[0] > 100  # a figure was rendered


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_dataset_trains(dataset):
    pg = small(dataset=dataset)
    for _ in range(3):
        metrics = pg.step()
    assert pg.n_steps == 3 and pg.diverged is None
    assert np.isfinite(metrics["loss"]) and np.isfinite(metrics["test_loss"])
    assert ("accuracy" in metrics) == (dataset != "regression")
    assert np.abs(pg.run.X_train).max() < 8  # scaled inputs


@pytest.mark.parametrize("feature", list(FEATURES))
def test_every_feature_alone(feature):
    pg = small(features=(feature,))
    assert pg.run.model.layers[0].in_features == 1
    pg.step()
    assert pg.diverged is None and pg.n_steps == 1


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_every_activation(activation):
    pg = small(activation=activation)
    pg.step()
    pg.step()
    assert pg.diverged is None and np.isfinite(pg.state_metrics["loss"])


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("regularization", [None, "l1", "l2"])
def test_every_optimizer_and_penalty(optimizer, regularization):
    pg = small(optimizer=optimizer, regularization=regularization, reg_rate=0.01, lr=0.01)
    before = {k: v.copy() for k, v in pg.run.model.parameters().items()}
    pg.step()
    assert type(pg.run.optimizer).__name__.lower() == {"sgd": "sgd", "momentum": "momentum", "adam": "adam"}[optimizer]
    assert any(not np.array_equal(before[k], v) for k, v in pg.run.model.parameters().items())
    assert pg.diverged is None


# ----------------------------------------------------------------------------- the buttons


def test_layer_and_unit_buttons_change_the_network():
    pg = small(n=40)
    pg.step()
    pg.layer_buttons["add"].click()
    assert pg.config.hidden == (4, 2, 4) and pg.n_steps == 0  # a new run
    assert pg.control_widgets["hidden"].value == "4, 2, 4"
    assert len(pg.unit_buttons) == 3
    pg.unit_buttons[1]["add"].click()
    pg.unit_buttons[0]["remove"].click()
    assert pg.config.hidden == (3, 3, 4)
    widths = [layer.out_features for layer in pg.run.model.layers if isinstance(layer, Dense)]
    assert widths == [3, 3, 4, 2]
    for _ in range(3):
        pg.layer_buttons["remove"].click()
    assert pg.config.hidden == () and pg.layer_buttons["remove"].disabled
    pg.step()  # a network without hidden layers (logistic regression) trains and draws
    assert pg.diverged is None


def test_buttons_stop_at_the_limits():
    pg = small(hidden=(MAX_UNITS, 1) + (2,) * (MAX_LAYERS - 3))
    pg.unit_buttons[0]["add"].click()  # no effect: no reset, nothing changes
    pg.unit_buttons[1]["remove"].click()
    assert pg.config.hidden == (MAX_UNITS, 1) + (2,) * (MAX_LAYERS - 3)
    assert pg.unit_buttons[0]["add"].disabled and pg.unit_buttons[1]["remove"].disabled
    for _ in range(3):
        pg.layer_buttons["add"].click()
    assert len(pg.config.hidden) == MAX_LAYERS and pg.layer_buttons["add"].disabled


def test_typed_architecture_is_parsed_or_rejected():
    pg = small()
    pg.control_widgets["hidden"].value = "8,8 ,3"
    assert pg.config.hidden == (8, 8, 3) and pg.control_widgets["hidden"].value == "8, 8, 3"
    pg.control_widgets["hidden"].value = "8, 99"  # invalid: the previous architecture stays
    assert pg.config.hidden == (8, 8, 3) and pg.control_widgets["hidden"].value == "8, 8, 3"


def test_at_least_one_feature_stays_checked():
    pg = small(features=("x1", "x2"))
    boxes = pg.control_widgets
    boxes["feature:x1"].value = False
    assert pg.config.features == ("x2",) and boxes["feature:x2"].disabled
    boxes["feature:x2"].value = False  # refused
    assert boxes["feature:x2"].value and pg.config.features == ("x2",)
    boxes["feature:sin(x1)"].value = True
    assert pg.config.features == ("x2", "sin(x1)") and not boxes["feature:x2"].disabled
    assert pg.run.model.layers[0].in_features == 2


def test_regenerate_changes_seed_and_data():
    pg = small()
    X_before = pg.run.X_train.copy()
    pg.regenerate_button.click()
    assert pg.config.seed == 1 and not np.array_equal(X_before, pg.run.X_train)


def test_dataset_switch_sets_its_noise_and_class_control():
    pg = small(dataset="gaussian", n_classes=3)
    pg.control_widgets["dataset"].value = "xor"
    assert pg.config.n_classes == 2 and pg.control_widgets["n_classes"].disabled
    assert pg.config.noise == DEFAULT_NOISE["xor"]
    pg.control_widgets["dataset"].value = "spiral"
    assert not pg.control_widgets["n_classes"].disabled


def test_epoch_counter_and_reset():
    pg = small(steps_per_frame=2)
    pg.step()
    pg.step()
    assert pg.n_steps == 4 and pg.status_text().startswith("epoch 4 ·")
    assert len(pg.run.curves["loss"]) == 5  # epoch 0 and four epochs
    pg.reset()
    assert pg.n_steps == 0 and len(pg.run.curves["loss"]) == 1


def test_reset_replays_the_same_run():
    pg = small()
    first = [pg.step()["loss"] for _ in range(3)]
    pg.reset()
    assert [pg.step()["loss"] for _ in range(3)] == first


# ----------------------------------------------------------------------------- learning


def test_loss_decreases_on_circle():
    pg = Playground(dataset="circle", lr=0.1)
    for _ in range(40):
        pg.step()
    assert pg.run.curves["loss"][-1] < 0.6 * pg.run.curves["loss"][0]
    assert pg.run.curves["test_loss"][-1] < 0.6 * pg.run.curves["test_loss"][0]
    assert pg.state_metrics["test_accuracy"] > 0.8


def test_multiclass_softmax():
    pg = small(dataset="gaussian", n_classes=4, n=120, optimizer="adam", lr=0.03)
    assert pg.run.model.layers[-1].out_features == 4
    for _ in range(15):
        pg.step()
    assert pg.run.curves["loss"][-1] < 0.5 * pg.run.curves["loss"][0]
    hidden, outputs = pg.run.unit_values(pg.drawn()["picture"].grid_features)
    image = decision_image(pg.run, outputs)
    assert image.shape == (80, 80, 3) and 0 <= image.min() and image.max() <= 1  # class colours
    keys = [t.get_text() for t in pg.figure.texts]
    assert [f"class {k}" for k in range(4)] == [k for k in keys if k.startswith("class")]  # a class key


def test_regression_uses_mse_and_one_output():
    pg = small(dataset="regression", hidden=(8, 8), optimizer="adam", lr=0.03, n=200)
    assert pg.config.loss == "mse" and pg.run.model.layers[-1].out_features == 1
    for _ in range(20):
        pg.step()
    assert pg.run.curves["loss"][-1] < 0.7 * pg.run.curves["loss"][0]


def test_unit_maps_show_every_unit():
    pg = small(hidden=(3, 5))
    picture = pg.drawn(pg.figure)["picture"]
    hidden, outputs = pg.run.unit_values(picture.grid_features)
    assert [h.shape for h in hidden] == [(6400, 3), (6400, 5)] and outputs.shape == (6400, 2)
    layout, mosaic = picture.layout, picture.mosaic
    assert layout.counts == [2, 3, 5, 2]
    tile = mosaic[layout.y0[2][4]:layout.y0[2][4] + 40, layout.x0[2]:layout.x0[2] + 40]
    expected = hidden[1][:, 4].reshape(80, 80)[::2, ::2]
    np.testing.assert_allclose(tile, expected / np.abs(expected).max())
    assert len(picture.links.get_segments()) == 2 * 3 + 3 * 5 + 5 * 2


def test_binary_map_has_a_colour_bar_and_text_is_legible():
    pg = small()
    figure = pg.figure
    assert len(figure.axes) == 4  # network, map, colour bar, loss curves
    assert [t.get_text() for t in figure.axes[2].get_yticklabels()][:1] == ["0.0"]
    texts = [t for t in figure.findobj(lambda a: hasattr(a, "get_fontsize")) if t.get_text()]
    assert min(t.get_fontsize() for t in texts) * figure.dpi / 72 >= 10


def test_blitted_frame_matches_a_full_redraw():
    pg = small(dataset="moons")
    for _ in range(5):
        pg.step()
    width, height = pg.figure.canvas.get_width_height()
    assert pg.image.format == "jpeg" and image_size(pg.image.value) == (width, height - pg.headline_band)
    blitted = np.asarray(pg.figure.canvas.buffer_rgba(), dtype=int)  # what the last frame drew
    import matplotlib

    from nnlib.book.widgets.render import FAST_TEXT

    with matplotlib.rc_context(FAST_TEXT):  # text rasterised as the widget does
        pg.figure.canvas.draw()  # an ordinary, complete redraw of the same state
    full = np.asarray(pg.figure.canvas.buffer_rgba(), dtype=int)
    assert np.mean(np.abs(blitted - full).max(axis=2) > 8) < 0.001  # a few antialiased pixels at most


# ----------------------------------------------------------------------------- show code


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"dataset": "xor", "features": ("x1", "x2", "x1*x2", "sin(x1)"), "hidden": (), "optimizer": "momentum"},
        {"dataset": "spiral", "n_classes": 3, "activation": "leaky_relu", "optimizer": "adam", "lr": 0.01,
         "regularization": "l2", "reg_rate": 0.001, "features": ("x1^2", "x2^2", "sin(x2)")},
        {"dataset": "regression", "activation": "linear", "regularization": "l1", "reg_rate": 0.003,
         "batch_size": 500, "train_ratio": 0.7, "seed": 5},
    ],
)
def test_show_code_runs_and_reproduces_the_widget(kwargs, capsys):
    pg = small(**kwargs)
    for _ in range(3):
        pg.step()
    source = pg.code()
    assert "EPOCHS = 3" in source and "nnlib.book" not in source
    namespace = {}
    exec(compile(source, "<playground code>", "exec"), namespace)
    assert "after 3 epochs: training loss" in capsys.readouterr().out
    for name, value in pg.run.model.parameters().items():
        np.testing.assert_array_equal(namespace["model"].parameters()[name], value, err_msg=name)
    np.testing.assert_array_equal(namespace["X_test"], pg.run.X_test)


def test_show_code_toggle_displays_the_code():
    pg = small()
    assert pg.code_view.layout.display == "none"
    pg.code_button.value = True
    assert pg.code_view.layout.display != "none" and "from nnlib.layers import mlp" in pg.code_view.value
    pg.step()
    assert "EPOCHS = 1" in pg.code_view.value
    pg.code_button.value = False
    assert pg.code_view.layout.display == "none"


# ----------------------------------------------------------------------------- divergence and films


def test_huge_learning_rate_shows_diverged_without_raising():
    pg = small(dataset="regression", activation="linear", hidden=(8, 8), lr=10.0, batch_size=1)
    for _ in range(10):
        pg.step()
    assert pg.diverged is not None and "diverged" in pg.diverged
    assert "diverged" in pg.status.value
    steps = pg.n_steps
    pg.step()  # further steps do nothing
    assert pg.n_steps == steps


def test_films_are_labelled_and_small(monkeypatch):
    import ipywidgets

    opened = []
    monkeypatch.setattr(ipywidgets.Widget, "open", lambda self: opened.append(self))
    film = playground_films(datasets=("circle", "regression"), n_frames=2, steps_per_frame=2, n=40)
    html = film.data
    assert opened == []  # the films made no ipywidgets: no widget state in the notebook
    assert html.count('class="nnlib-film"') == 2 and film.n_frames == 4
    assert "Circle" in html and "Regression" in html
    assert html.count("data:image/") >= 4  # two frames per film
    assert len(html) < 400_000
    with pytest.raises(ValueError, match="datasets"):
        playground_films(datasets=("swiss roll",))


def test_a_dataset_switch_starts_one_run(monkeypatch):
    pg = small(dataset="gaussian", n_classes=3)
    calls = []
    build = Playground.reset_state

    def counting(self, values):
        calls.append(values["noise"])
        build(self, values)

    monkeypatch.setattr(Playground, "reset_state", counting)
    pg.control_widgets["dataset"].value = "xor"  # also changes the noise and the class count
    assert calls == [DEFAULT_NOISE["xor"]] and pg.config.noise == DEFAULT_NOISE["xor"]  # one run, the right noise


def test_a_dataset_switch_without_a_user_interface_brings_its_noise_too():
    pg = small(dataset="gaussian", n_classes=3)
    pg.set_values(dataset="xor")
    assert pg.config.noise == DEFAULT_NOISE["xor"] and pg.config.n_classes == 2 and pg._ui is None


def test_thrashing_at_a_huge_learning_rate_is_reported():
    pg = Playground(activation="tanh", lr=3.0)
    pg.steps_per_frame = 10
    said = []
    for _ in range(8):
        pg.step()
        said.append("not going down" in pg.status.value and "try a smaller one" in pg.status.value)
    assert pg.diverged is None and any(said)
    calm = Playground()  # the default run learns: no message
    calm.steps_per_frame = 80
    calm.step()
    assert calm.progress_message is None


def test_regularization_dropdown_shows_none_when_off():
    """ipywidgets treats a None value as "nothing selected": the control must show "none"."""
    pg = Playground()
    control = pg.control_widgets["regularization"]
    assert control.index == 0 and control.label == "none"
    control.value = "l2"
    assert pg.config.regularization == "l2"
    control.value = "none"
    assert pg.config.regularization is None


def test_fixed_controls_are_left_out_and_keep_their_values():
    """Chapter 4 has not taught optimizers or regularization: it can leave those controls out."""
    pg = small(optimizer="sgd", lr=0.1, fixed=("optimizer", "regularization", "reg_rate"))
    assert not {"optimizer", "regularization", "reg_rate"} & set(pg.control_widgets)
    assert "lr" in pg.control_widgets and pg.config.optimizer == "sgd" and pg.config.regularization is None
    pg.control_widgets["lr"].value = 0.3  # a new run: the fixed values stay
    assert (pg.config.lr, pg.config.optimizer, pg.config.regularization) == (0.3, "sgd", None)
    pg.step()
    assert pg.n_steps == 1 and np.isfinite(pg.run.curves["loss"][-1])
    with pytest.raises(KeyError, match="optimizer"):
        pg.set_values(optimizer="adam")


def test_fixed_names_are_checked():
    with pytest.raises(ValueError, match="fixed: expected names among"):
        small(fixed=("dataset",))
    with pytest.raises(TypeError, match="sequence of control names"):
        small(fixed="optimizer")
