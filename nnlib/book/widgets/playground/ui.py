"""The Playground's user interface: its controls, how they map to a configuration, and their rows.

:class:`PlaygroundUI` is the user-interface half of
:class:`~nnlib.book.widgets.playground.widget.Playground`: the control models
(data, features, network, training), the configuration they stand for, the
observers that keep coupled controls consistent (a new data set brings its noise;
at least one feature stays checked; a typed architecture that is not valid is
undone), the network editor's buttons, "regenerate" and "show code".
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
    MULTICLASS_DATASETS,
    REG_RATES,
    PlaygroundConfig,
)

from ..controls import Choice, Number, Text, Toggle, button
from .editor import NetworkEditor, format_hidden, parse_hidden

__all__ = ["FIXABLE_CONTROLS", "PlaygroundUI"]

#: The training controls a chapter may leave out (``Playground(fixed=...)``): their values stay as given,
#: for a chapter that has not taught them yet (chapter 4 fixes the optimizer and the regularization).
FIXABLE_CONTROLS = ("activation", "lr", "batch_size", "optimizer", "regularization", "reg_rate")


class PlaygroundUI:
    """The Playground's controls and rows (a mixin of :class:`~nnlib.book.widgets.playground.widget.Playground`:
    it uses its ``config``, ``code``, ``regenerate`` and the network editing methods)."""

    _deferring = False
    _fixed: tuple = ()

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
        self._fixed_values = {name: controls.pop(name).value for name in self._fixed}
        return controls

    def _config_from_values(self, values: dict) -> PlaygroundConfig:
        values = {**self._fixed_values, **values}  # a fixed control keeps the value it was given
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

    def _ensure_ui(self) -> "PlaygroundUI":
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
            row("Training", [cw[k] for k in FIXABLE_CONTROLS if k in cw]),
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

    def settings_text(self) -> list:
        """The settings in words, the checked features together (for the static picture)."""
        settings = [(label, text) for (label, text), name in zip(super().settings_text(), self._specs)
                    if not name.startswith("feature:")]
        features = ", ".join(FEATURES[name].text for name in self.config.features)
        return [*settings[:6], ("features", features), *settings[6:]]

    def _refresh_ui(self) -> None:
        """Show the current run in the editor and the code view (if the user interface exists)."""
        if self._ui is not None:
            self._editor.rebuild(self.config.hidden)
            self._refresh_code_view()
