"""The Playground widget: TensorFlow Playground in nnlib, a live classifier/regressor on 2-D data.

Pick a data set, the input features, the hidden layers, the activation, the
optimizer and the regularization; press Play and watch the network, the
decision map and the loss curves (:mod:`~nnlib.book.widgets.playground.drawing`)
of a :class:`~nnlib.book.experiments.playground.run.PlaygroundRun`, one epoch per step.
**show code** prints the nnlib script that reproduces the current run.

Use it in a notebook (the last expression of a cell displays it)::

    from nnlib.book.widgets import Playground
    Playground(dataset="spiral", features=("x1", "x2", "sin(x1)", "sin(x2)"), hidden=(8, 8, 4))
"""

from __future__ import annotations

import contextlib
import html

from nnlib.book.experiments.playground import (
    ACTIVATIONS,
    DATASETS,
    DEFAULT_NOISE,
    FEATURES,
    LEARNING_RATES,
    MAX_CLASSES,
    MAX_LAYERS,
    MAX_UNITS,
    MULTICLASS_DATASETS,
    REG_RATES,
    PlaygroundConfig,
    PlaygroundRun,
    generate_code,
)

from ..controls import Choice, Number, Text, Toggle, button
from ..training import TrainingWidget
from .drawing import PlaygroundPicture
from .editor import NetworkEditor, format_hidden, parse_hidden

__all__ = ["Playground"]


class Playground(TrainingWidget):
    """TensorFlow Playground in nnlib: a live classifier/regressor on 2-D data.

    Every argument sets the initial value of a control; all are checked
    (:class:`~nnlib.book.experiments.playground.config.PlaygroundConfig`).

    Parameters
    ----------
    dataset : {"circle", "xor", "gaussian", "spiral", "moons", "regression"}, default "circle"
    n_classes : int, default 2
        2 to 6 for "circle", "gaussian", "spiral", "moons"; 2 for "xor"; ignored for "regression".
    noise : float or None, default None
        In [0, 1]; None takes the data set's default (the noise control also jumps
        to that default whenever the data set changes).
    features : sequence of str, default ("x1", "x2")
        Input features; at least one (the last checked box cannot be unchecked).
    hidden : sequence of int, default (4, 2)
        Widths of 0 to 6 hidden layers, each 1 to 8 units.
    activation : {"tanh", "relu", "leaky_relu", "sigmoid", "linear"}, default "tanh"
    lr : float, default 0.03
        Learning rate in (0, 10].
    batch_size : int, default 10
        Mini-batch size (capped at the training-set size).
    regularization : {None, "l1", "l2"}, default None
    reg_rate : float, default 0.0
        :math:`\\lambda` of the penalty on the weights, in [0, 10].
    optimizer : {"sgd", "momentum", "adam"}, default "sgd"
    train_ratio : float, default 0.5
        Fraction of points used for training, in [0.1, 0.9]; the rest is the test set.
    seed : int, default 0
        Seeds everything random (data, split, weights, batch order).
    n : int, default 200
        Number of points, 20 to 1000.
    steps_per_frame : int, optional
        Epochs per frame (default 1).
    figsize, dpi : optional
        Size and resolution of the figure (default 9.5 x 5.5 inches at 72 dpi).

    Attributes
    ----------
    run : nnlib.book.experiments.playground.run.PlaygroundRun
        The run being shown (data, model, optimizer, curves).
    layer_buttons, unit_buttons, regenerate_button, code_button, code_view
        The network editor's buttons, "regenerate" (seed + 1), "show code" and the code
        (built when the widget is first shown).

    Raises
    ------
    ValueError, TypeError
        For any invalid argument, naming it and the allowed values.
    """

    figsize = (9.5, 5.5)
    layout = None  # the panels are placed by hand (see drawing)
    step_name = "epoch"
    metric_labels = {"loss": "training loss", "test_loss": "test loss", "accuracy": "training accuracy",
                     "test_accuracy": "test accuracy"}

    def __init__(self, dataset="circle", n_classes=2, noise=None, features=("x1", "x2"), hidden=(4, 2),
                 activation="tanh", lr=0.03, batch_size=10, regularization=None, reg_rate=0.0, optimizer="sgd",
                 train_ratio=0.5, seed=0, n=200, *, steps_per_frame=None, figsize=None, dpi=None):
        self.config = PlaygroundConfig(dataset=dataset, n_classes=n_classes, noise=noise, features=features,
                                       hidden=hidden, activation=activation, lr=lr, batch_size=batch_size,
                                       regularization=regularization, reg_rate=reg_rate, optimizer=optimizer,
                                       train_ratio=train_ratio, seed=seed, n=n)
        self._deferring = False
        super().__init__(steps_per_frame=steps_per_frame, figsize=figsize, dpi=dpi)

    # -- controls ---------------------------------------------------------------------------------

    def controls(self) -> dict:
        c = self.config
        controls = {
            "dataset": Choice(c.dataset, DATASETS, "data", width="200px"),
            "n_classes": Number(c.n_classes, 2, MAX_CLASSES, "classes", integer=True),
            "noise": Number(c.noise, 0.0, 1.0, "noise", step=0.01),
            "n": Number(c.n, 20, max(500, c.n), "points", step=10, integer=True),
            "train_ratio": Number(c.train_ratio, 0.1, 0.9, "train ratio", step=0.05),
            "seed": Number(c.seed, 0, 2**31 - 1, "seed", integer=True, entry=True, width="130px"),
        }
        for name, feature in FEATURES.items():
            controls[f"feature:{name}"] = Toggle(name in c.features, feature.text, width="80px")
        controls.update({
            "hidden": Text(format_hidden(c.hidden), "hidden layers", placeholder="e.g. 4, 2", width="210px"),
            "activation": Choice(c.activation, tuple(ACTIVATIONS), "activation", width="200px"),
            "lr": Choice(c.lr, sorted(set(LEARNING_RATES) | {c.lr}), "learning rate", width="200px"),
            "batch_size": Number(c.batch_size, 1, max(30, c.batch_size), "batch size", integer=True),
            "optimizer": Choice(c.optimizer, [("SGD", "sgd"), ("momentum", "momentum"), ("Adam", "adam")],
                                "optimizer", width="200px"),
            # "none", not None: ipywidgets reads a None value as "nothing selected"
            "regularization": Choice(c.regularization or "none", [("none", "none"), ("L1", "l1"), ("L2", "l2")],
                                     "regularization", width="200px"),
            "reg_rate": Choice(c.reg_rate, sorted(set(REG_RATES) | {c.reg_rate}), "reg. rate", width="200px"),
        })
        return controls

    def _config_from_values(self, values: dict) -> PlaygroundConfig:
        dataset = values["dataset"]
        return PlaygroundConfig(
            dataset=dataset,
            n_classes=values["n_classes"] if dataset in MULTICLASS_DATASETS else 2,
            noise=float(values["noise"]),
            features=tuple(name for name in FEATURES if values[f"feature:{name}"]) or self.config.features,
            hidden=parse_hidden(values["hidden"]),
            activation=values["activation"], lr=float(values["lr"]), batch_size=int(values["batch_size"]),
            regularization=None if values["regularization"] == "none" else values["regularization"],
            reg_rate=float(values["reg_rate"]),
            optimizer=values["optimizer"], train_ratio=round(float(values["train_ratio"]), 10),
            seed=int(values["seed"]), n=int(values["n"]),
        )

    def set_values(self, **values) -> None:
        """Change control values as the controls would; a new data set also brings its noise and class count."""
        if "dataset" in values:
            values.setdefault("noise", DEFAULT_NOISE[values["dataset"]])
            if values["dataset"] == "xor":
                values.setdefault("n_classes", 2)
        super().set_values(**values)

    # -- one run -----------------------------------------------------------------------------------

    def reset_state(self, values: dict) -> None:
        """Build data, features, model and optimizer for the configuration of the controls."""
        self.config = self._config_from_values(values)
        self.run = PlaygroundRun(self.config)
        if self._ui is not None:
            self._editor.rebuild(self.config.hidden)
            self._refresh_code_view()

    def train_step(self) -> dict:
        """One epoch of mini-batch training (:meth:`PlaygroundRun.run_epoch`); the losses after it."""
        return self.run.run_epoch()

    def _on_values_changed(self) -> None:
        if not self._deferring:  # coupled controls are being set together: one run, after them
            super()._on_values_changed()

    @contextlib.contextmanager
    def _deferred(self):
        """Change controls without starting a new run for each change."""
        self._deferring = True
        try:
            yield
        finally:
            self._deferring = False

    # -- drawing -------------------------------------------------------------------------------------

    def draw(self, fig) -> dict:
        """The network, the decision map and its key, and the loss curves (:class:`PlaygroundPicture`)."""
        picture = PlaygroundPicture(fig, self.run)
        picture.update(self.run, self.axis_end(self.run.epochs, 10))
        return {"picture": picture}

    def update_figure(self, fig) -> None:
        self.drawn(fig)["picture"].update(self.run, self.axis_end(self.run.epochs, 10))

    def changing_artists(self, fig) -> list:
        """The maps, the weight lines, the points and the loss curves; the rest is a background."""
        return self.drawn(fig)["picture"].changing

    # -- the network editor, regenerate, show code ------------------------------------------------------

    def add_layer(self) -> None:
        """Add a hidden layer of 4 units at the end (the "+" layer button); at most 6 layers."""
        if len(self.config.hidden) < MAX_LAYERS:
            self.set_values(hidden=format_hidden((*self.config.hidden, 4)))

    def remove_layer(self) -> None:
        """Remove the last hidden layer (the "−" layer button)."""
        if self.config.hidden:
            self.set_values(hidden=format_hidden(self.config.hidden[:-1]))

    def add_unit(self, layer: int) -> None:
        """Add a unit to hidden layer ``layer`` (0-based); at most 8 units."""
        hidden = list(self.config.hidden)
        if hidden[layer] < MAX_UNITS:
            hidden[layer] += 1
            self.set_values(hidden=format_hidden(hidden))

    def remove_unit(self, layer: int) -> None:
        """Remove a unit from hidden layer ``layer`` (0-based); at least 1 unit stays."""
        hidden = list(self.config.hidden)
        if hidden[layer] > 1:
            hidden[layer] -= 1
            self.set_values(hidden=format_hidden(hidden))

    def regenerate(self) -> None:
        """New data and new initial weights: the seed plus one (the "regenerate" button)."""
        self.set_values(seed=self.values["seed"] + 1)

    def code(self, epochs: int | None = None) -> str:
        """The nnlib script of the current run (:func:`~nnlib.book.experiments.playground.code.generate_code`).

        Parameters
        ----------
        epochs : int, optional
            Default: the epochs trained so far, or 100 before the first.
        """
        return generate_code(self.config, epochs or self.n_steps or 100, batch_size=self.run.batch_size)

    def step(self) -> dict:
        """Run one frame (the Step button): ``steps_per_frame`` epochs, then redraw; returns the metrics."""
        metrics = super().step()
        if self._ui is not None and self.code_button.value:
            self._refresh_code_view()
        return metrics

    # -- the user interface ---------------------------------------------------------------------------

    @property
    def layer_buttons(self) -> dict:
        """``"add"`` / ``"remove"`` the last hidden layer."""
        return self._ensure_ui()._editor.layer_buttons

    @property
    def unit_buttons(self) -> list:
        """For each hidden layer, ``"add"`` / ``"remove"`` one unit."""
        return self._ensure_ui()._editor.unit_buttons

    @property
    def regenerate_button(self):
        """New data and weights: the seed plus one."""
        return self._ensure_ui()._regenerate

    @property
    def code_button(self):
        """Shows or hides :attr:`code_view`."""
        return self._ensure_ui()._code_button

    @property
    def code_view(self):
        """The code of :meth:`code`, under the figure."""
        return self._ensure_ui()._code_view

    def _ensure_ui(self) -> "Playground":
        self.ui
        return self

    def _observe_controls(self, controls: dict) -> None:
        # These observers run before the base class's (registered first), which then starts one new
        # run with the corrected values; the changes they make themselves are deferred.
        controls["dataset"].observe(self._on_dataset_change, names="value")
        controls["hidden"].observe(self._on_hidden_text, names="value")
        for name in FEATURES:
            controls[f"feature:{name}"].observe(self._on_feature_toggle, names="value")
        super()._observe_controls(controls)

    def _on_dataset_change(self, change) -> None:
        """New data set: its default noise; a class count only where it is supported."""
        dataset, cw = change["new"], self._control_widgets
        with self._deferred():
            cw["n_classes"].disabled = dataset not in MULTICLASS_DATASETS
            if dataset == "xor":
                cw["n_classes"].value = 2
            cw["noise"].value = DEFAULT_NOISE[dataset]

    def _on_feature_toggle(self, change) -> None:
        """Keep at least one feature: re-check the last one, and disable the box of a lone feature."""
        boxes = [self._control_widgets[f"feature:{name}"] for name in FEATURES]
        with self._deferred():
            if not any(box.value for box in boxes) and change is not None:
                change["owner"].value = True
            checked = [box for box in boxes if box.value]
            for box in boxes:
                box.disabled = len(checked) == 1 and box.value

    def _on_hidden_text(self, change) -> None:
        """A typed architecture that is not valid is replaced by the previous one."""
        try:
            text = format_hidden(parse_hidden(change["new"]))  # normalise "4,2 " to "4, 2"
        except ValueError:
            text = change["old"]
        if text != change["new"]:
            with self._deferred():
                change["owner"].value = text

    def _ui_rows(self) -> list:
        """The controls in rows (data, features, network, training), then the buttons and "show code"."""
        import ipywidgets

        cw = self._control_widgets
        cw["n_classes"].disabled = self.config.dataset not in MULTICLASS_DATASETS
        self._editor = NetworkEditor(self)
        self._regenerate = button("regenerate", "new data and weights: seed + 1", icon="refresh", width="110px")
        self._regenerate.on_click(lambda _b: self._clicked(self.regenerate))
        self._code_button = ipywidgets.ToggleButton(description="show code", icon="code", value=False,
                                                    tooltip="the nnlib code of this run")
        self._code_button.observe(lambda _change: self._refresh_code_view(), names="value")
        self._code_view = ipywidgets.HTML(layout=ipywidgets.Layout(display="none"))
        self._on_feature_toggle(None)  # disable the box of a lone feature

        def row(title, items):
            return ipywidgets.HBox([ipywidgets.HTML(f"<b>{title}</b>", layout=ipywidgets.Layout(width="70px")),
                                    *items], layout=ipywidgets.Layout(flex_flow="row wrap", align_items="center"))

        buttons = self._button_row()
        buttons.children = (*buttons.children, self._code_button)
        return [
            row("Data", [cw[k] for k in ("dataset", "n_classes", "noise", "n", "train_ratio", "seed")]
                + [self._regenerate]),
            row("Features", [cw[f"feature:{name}"] for name in FEATURES]),
            row("Network", [cw["hidden"], *self._editor.widgets]),
            row("Training", [cw[k] for k in ("activation", "lr", "batch_size", "optimizer", "regularization",
                                             "reg_rate")]),
            buttons,
        ]

    def _build_ui(self):
        box = super()._build_ui()
        box.children = (*box.children, self._code_view)
        return box

    def _refresh_code_view(self) -> None:
        shown = self._code_button.value
        self._code_view.layout.display = "" if shown else "none"
        if shown:
            self._code_view.value = f"<pre style='font-size: 85%; line-height: 1.3'>{html.escape(self.code())}</pre>"
