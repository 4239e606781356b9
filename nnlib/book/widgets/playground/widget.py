"""The Playground widget: TensorFlow Playground in nnlib, a live classifier/regressor on 2-D data.

Pick a data set, the input features, the hidden layers, the activation, the
optimizer and the regularization; press Play and watch the network, the
decision map and the loss curves (:mod:`~nnlib.book.widgets.playground.drawing`)
of a :class:`~nnlib.book.experiments.playground.run.PlaygroundRun`, one epoch per step.
**show code** prints the nnlib script that reproduces the current run. The
controls and their rows are :class:`~nnlib.book.widgets.playground.ui.PlaygroundUI`.

Use it in a notebook (the last expression of a cell displays it)::

    from nnlib.book.widgets import Playground
    Playground(dataset="spiral", features=("x1", "x2", "sin(x1)", "sin(x2)"), hidden=(8, 8, 4))
"""

from __future__ import annotations

from nnlib.book.experiments.playground import MAX_LAYERS, MAX_UNITS, PlaygroundConfig, PlaygroundRun, generate_code

from ..training import TrainingWidget
from .drawing import PlaygroundPicture
from .editor import format_hidden
from .ui import FIXABLE_CONTROLS, PlaygroundUI

__all__ = ["Playground"]


def _check_fixed(fixed) -> tuple:
    """The names of the controls to leave out, checked against :data:`FIXABLE_CONTROLS`."""
    if isinstance(fixed, str):
        raise TypeError(f"fixed: expected a sequence of control names, got the string {fixed!r}")
    fixed = tuple(fixed)
    unknown = [name for name in fixed if name not in FIXABLE_CONTROLS]
    if unknown:
        raise ValueError(f"fixed: expected names among {FIXABLE_CONTROLS}, got {unknown}")
    return fixed


class Playground(PlaygroundUI, TrainingWidget):
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
    fixed : sequence of str, default ()
        Training controls to leave out of the widget (names in
        :data:`~nnlib.book.widgets.playground.ui.FIXABLE_CONTROLS`, e.g. ``("optimizer",
        "regularization", "reg_rate")``): their values stay as given, for a chapter that
        has not taught them yet.
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
    headline_band = 24  # the top 24 pixels, free for the headline (films draw it there)
    step_name = "epoch"
    metric_labels = {"loss": "training loss", "test_loss": "test loss", "accuracy": "training accuracy",
                     "test_accuracy": "test accuracy"}

    def __init__(self, dataset="circle", n_classes=2, noise=None, features=("x1", "x2"), hidden=(4, 2),
                 activation="tanh", lr=0.03, batch_size=10, regularization=None, reg_rate=0.0, optimizer="sgd",
                 train_ratio=0.5, seed=0, n=200, *, fixed=(), steps_per_frame=None, figsize=None, dpi=None):
        self.config = PlaygroundConfig(dataset=dataset, n_classes=n_classes, noise=noise, features=features,
                                       hidden=hidden, activation=activation, lr=lr, batch_size=batch_size,
                                       regularization=regularization, reg_rate=reg_rate, optimizer=optimizer,
                                       train_ratio=train_ratio, seed=seed, n=n)
        self._deferring = False
        self._fixed = _check_fixed(fixed)
        super().__init__(steps_per_frame=steps_per_frame, figsize=figsize, dpi=dpi)

    # -- one run -----------------------------------------------------------------------------------

    def reset_state(self, values: dict) -> None:
        """Build data, features, model and optimizer for the configuration of the controls."""
        self.config = self._config_from_values(values)
        self.run = PlaygroundRun(self.config)
        self._refresh_ui()

    def train_step(self) -> dict:
        """One epoch of mini-batch training (:meth:`PlaygroundRun.run_epoch`); the losses after it."""
        return self.run.run_epoch()

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
        if self._ui is not None and self._code_button.value:
            self._refresh_code_view()
        return metrics
