r"""The loss race of the chapter *Loss functions and metrics*.

A logistic regression with one input, :math:`p = \sigma(w x + b)`, is trained
twice on the same data, from the same starting point and with the same
learning rate (full-batch gradient descent with :class:`nnlib.optim.SGD`):

* the **cross-entropy** model: :class:`~nnlib.layers.Dense` (1 -> 1) giving
  the logit :math:`z`, trained with :func:`nnlib.losses.bce_with_logits_loss`;
* the **rival** model: the same Dense layer followed by
  :class:`~nnlib.layers.Sigmoid`, trained with a regression loss on the
  probability, :func:`nnlib.losses.mse_loss` or :func:`nnlib.losses.mae_loss`.

With :math:`N` examples the two gradients with respect to the logit are

.. math::

    \frac{\partial L_\text{CE}}{\partial z_k} = \frac{1}{N}\bigl(\sigma(z_k) - y_k\bigr),
    \qquad
    \frac{\partial L_\text{MSE}}{\partial z_k} = \frac{2}{N}\bigl(\sigma(z_k) - y_k\bigr)\,
    \sigma(z_k)\bigl(1 - \sigma(z_k)\bigr),

so a *confidently wrong* start (a large negative weight :math:`w_0` on data
where :math:`y = 1` goes with :math:`x > 0`) leaves the rival almost without
gradient, while cross-entropy moves at full speed.

:class:`LossRace` puts controls on it (rival loss, learning rate, starting
weight) and draws the two fitted probability curves over the data and the
cross-entropy of both models (the common yardstick) step by step.
"""

from __future__ import annotations

import weakref

import ipywidgets as widgets
import numpy as np

from nnlib import layers, losses
from nnlib.activations import sigmoid
from nnlib._validation import as_rng, check_choice, check_number
from nnlib.optim import SGD

from .widgets import TrainingWidget

__all__ = ["RIVALS", "make_1d_data", "LogisticRun", "LossRace"]

#: Rival loss name -> (label, loss function applied to the probability sigma(z)).
RIVALS = {
    "mse": ("MSE on σ(z)", losses.mse_loss),
    "mae": ("MAE on σ(z)", losses.mae_loss),
}

_CE_COLOUR, _RIVAL_COLOUR = "#0072B2", "#D55E00"


def make_1d_data(n: int = 40, separation: float = 1.5, rng=0):
    """Two overlapping Gaussian classes on a line: class 0 around ``-separation``, class 1 around ``+separation``.

    Parameters
    ----------
    n : int, even, >= 2
        Number of examples (half of each class).
    separation : float, > 0
        Distance of each class centre from 0 (the standard deviation is 1).
    rng : numpy.random.Generator, int or None

    Returns
    -------
    x : ndarray of shape (n, 1), float64
    y : ndarray of shape (n, 1), float64, values 0.0 and 1.0
    """
    n = check_number(n, "n", low=2, integer=True)
    if n % 2:
        raise ValueError(f"n: expected an even number (half of each class), got {n}")
    separation = check_number(separation, "separation", low=0.0, low_inclusive=False)
    rng = as_rng(rng)
    y = np.repeat([0.0, 1.0], n // 2)
    x = (2 * y - 1) * separation + rng.standard_normal(n)
    return x[:, None], y[:, None]


class LogisticRun:
    """One logistic regression :math:`p = \\sigma(w x + b)` trained by full-batch gradient descent.

    Parameters
    ----------
    x, y : ndarray of shape (n, 1)
        Inputs and 0/1 targets.
    loss : {"ce", "mse", "mae"}
        ``"ce"``: the model outputs the logit and is trained with
        :func:`~nnlib.losses.bce_with_logits_loss`; ``"mse"`` / ``"mae"``: the model
        ends with a sigmoid and the loss is applied to the probability.
    lr : float, > 0
        Learning rate of :class:`~nnlib.optim.SGD`.
    w0, b0 : float
        Starting weight and bias.

    Attributes
    ----------
    model : nnlib.layers.Sequential
    history : dict of str to list of float
        ``"loss"`` (the training loss), ``"ce"`` (cross-entropy of the model, whatever it is
        trained with) and ``"grad_w"`` (:math:`|\\partial L / \\partial w|`), one entry per step.
    """

    def __init__(self, x, y, loss: str = "ce", lr: float = 1.0, w0: float = 0.0, b0: float = 0.0):
        self.loss_name = check_choice(loss, "loss", ("ce", *RIVALS))
        self.x, self.y = x, y
        dense = layers.Dense(1, 1, init="zeros")
        dense.params["W"][:] = check_number(w0, "w0")
        dense.params["b"][:] = check_number(b0, "b0")
        self.model = layers.Sequential(dense) if loss == "ce" else layers.Sequential(dense, layers.Sigmoid())
        self.loss_fn = losses.bce_with_logits_loss if loss == "ce" else RIVALS[loss][1]
        self.optimizer = SGD(self.model.parameters(), lr=check_number(lr, "lr", low=0.0, low_inclusive=False))
        self.history = {"loss": [], "ce": [], "grad_w": []}

    @property
    def weight(self) -> float:
        """The current weight :math:`w`."""
        return float(self.model[0].params["W"][0, 0])

    @property
    def bias(self) -> float:
        """The current bias :math:`b`."""
        return float(self.model[0].params["b"][0])

    def probability(self, x) -> np.ndarray:
        """:math:`\\sigma(w x + b)` for an array ``x`` of any shape (no caches touched)."""
        return sigmoid(self.weight * np.asarray(x, dtype=np.float64) + self.bias)

    def cross_entropy(self) -> float:
        """Mean binary cross-entropy of the current model on the data."""
        logits = self.weight * self.x + self.bias
        return losses.bce_with_logits_loss(logits, self.y)[0]

    def step(self) -> dict:
        """One full-batch gradient-descent step; returns the loss and cross-entropy before the step."""
        self.model.zero_grad()
        output = self.model.forward(self.x)
        value, grad = self.loss_fn(output, self.y)
        cross_entropy = self.cross_entropy()
        self.model.backward(grad)
        grads = self.model.gradients()
        grad_w = float(abs(grads["0.W"][0, 0]))
        self.optimizer.step(grads)
        self.history["loss"].append(value)
        self.history["ce"].append(cross_entropy)
        self.history["grad_w"].append(grad_w)
        return {"loss": value, "ce": cross_entropy, "grad_w": grad_w}


class LossRace(TrainingWidget):
    """Cross-entropy against MSE (or MAE) on the sigmoid, trained side by side.

    Controls: the rival loss, the learning rate, and the starting weight
    :math:`w_0` (negative values start *confidently wrong*: the data have
    :math:`y = 1` for :math:`x > 0`). Both models start at
    :math:`(w, b) = (w_0, 0)`.

    The left panel shows the data (0/1 targets, jittered vertically) and the
    two probability curves; the right panel the cross-entropy of both models
    against the step, so the two runs are measured with the same yardstick.

    Parameters
    ----------
    n : int, default 40
        Number of examples (from :func:`make_1d_data`, fixed seed).
    **kwargs
        Passed to :class:`~nnlib.book.widgets.TrainingWidget` (``steps_per_frame``, ``figsize``, ``dpi``).
    """

    steps_per_frame = 5

    def __init__(self, n: int = 40, **kwargs):
        self.x, self.y = make_1d_data(n, rng=0)
        self._jitter = as_rng(1).uniform(-0.04, 0.04, size=self.y.shape[0])
        self._artists = weakref.WeakKeyDictionary()  # figure -> the artists draw() made in it
        super().__init__(**kwargs)

    def controls(self) -> dict:
        return {
            "rival": widgets.Dropdown(
                options=[(label, name) for name, (label, _) in RIVALS.items()], value="mse", description="rival"
            ),
            "lr": widgets.FloatLogSlider(value=1.0, base=10, min=-2, max=1, step=0.1, description="learning rate"),
            "w0": widgets.FloatSlider(value=-4.0, min=-8.0, max=8.0, step=0.5, description="start w₀"),
        }

    def reset_state(self, values: dict) -> None:
        self.rival_name = values["rival"]
        self.ce_run = LogisticRun(self.x, self.y, "ce", lr=values["lr"], w0=values["w0"])
        self.rival_run = LogisticRun(self.x, self.y, values["rival"], lr=values["lr"], w0=values["w0"])

    def train_step(self) -> dict:
        ce = self.ce_run.step()
        rival = self.rival_run.step()
        return {"loss": ce["loss"], "CE of rival": rival["ce"], "rival loss": rival["loss"]}

    def draw(self, fig) -> None:
        """Draw both panels from scratch (at step 0 of a run); :meth:`update_figure` then keeps them current."""
        ax_fit, ax_loss = fig.subplots(1, 2)
        x_grid = np.linspace(self.x.min() - 0.5, self.x.max() + 0.5, 200)
        rival_label = RIVALS[self.rival_name][0]
        points = ax_fit.scatter(self.x[:, 0], self.y[:, 0] + self._jitter, s=14, c=self.y[:, 0], cmap="coolwarm",
                                edgecolors="k", linewidths=0.3, zorder=3)
        (ce_fit,) = ax_fit.plot(x_grid, self.ce_run.probability(x_grid), color=_CE_COLOUR, lw=2)
        (rival_fit,) = ax_fit.plot(x_grid, self.rival_run.probability(x_grid), color=_RIVAL_COLOUR, lw=2, ls="--")
        ax_fit.set_ylim(-0.1, 1.1)
        ax_fit.set_xlabel("x")
        ax_fit.set_ylabel("p = σ(wx + b)")
        ax_fit.set_title("fitted probabilities", fontsize="small")

        # the loss curves exist from step 0 on, empty (and without a legend) until the first step
        (ce_loss,) = ax_loss.plot([], [], color=_CE_COLOUR, lw=2, label="trained with cross-entropy")
        (rival_loss,) = ax_loss.plot([], [], color=_RIVAL_COLOUR, lw=2, ls="--", label=f"trained with {rival_label}")
        ax_loss.set_ylim(0, 1)  # what an empty plot shows; _update_artists rescales once there are steps
        ax_loss.set_xlabel("step")
        ax_loss.set_ylabel("cross-entropy on the data")
        ax_loss.set_title("the same yardstick for both", fontsize="small")

        self._artists[fig] = {"x_grid": x_grid, "ce_fit": ce_fit, "rival_fit": rival_fit,
                              "ce_loss": ce_loss, "rival_loss": rival_loss}
        self._update_artists(self._artists[fig])
        ax_fit.legend(loc="lower right", fontsize="x-small")
        ax_loss.legend(loc="upper right", fontsize="x-small").set_visible(len(self.ce_run.history["ce"]) > 0)
        # what changes from frame to frame, in drawing order: see changing_artists
        self._artists[fig]["changing"] = [ce_fit, rival_fit, points, ax_fit.get_legend(), ax_loss]

    def update_figure(self, fig) -> None:
        """Update the artists of the last :meth:`draw` in place: the fast path of every later frame."""
        artists = self._artists.get(fig)
        if artists is None:  # a figure this widget did not draw: draw it
            fig.clear()
            self.draw(fig)
        else:
            self._update_artists(artists)

    def _update_artists(self, artists: dict) -> None:
        """Put the current state into the artists of one figure (its curves, legend texts and limits)."""
        x_grid, rival_label = artists["x_grid"], RIVALS[self.rival_name][0]
        for run, fit, label in ((self.ce_run, artists["ce_fit"], "cross-entropy"),
                                (self.rival_run, artists["rival_fit"], rival_label)):
            fit.set_ydata(run.probability(x_grid))
            fit.set_label(f"{label} (w = {run.weight:.2f})")
        ax_fit = artists["ce_fit"].axes
        if ax_fit.get_legend() is not None:  # its texts follow the weights
            for text, fit in zip(ax_fit.get_legend().get_texts(), (artists["ce_fit"], artists["rival_fit"])):
                text.set_text(fit.get_label())

        steps = np.arange(1, len(self.ce_run.history["ce"]) + 1)
        artists["ce_loss"].set_data(steps, self.ce_run.history["ce"])
        artists["rival_loss"].set_data(steps, self.rival_run.history["ce"])
        ax_loss = artists["ce_loss"].axes
        if ax_loss.get_legend() is not None:
            ax_loss.get_legend().set_visible(len(steps) > 0)
        # the limits a full redraw would choose: x from 0 to at least 50 steps, y from 0 to the data's top
        ax_loss.set_xlim(0, max(50, len(steps)))
        if len(steps):
            ax_loss.relim()
            ax_loss.autoscale(axis="y")
        ax_loss.set_ylim(bottom=0)

    def changing_artists(self) -> list:
        """For blitting: the curves, points and legend of the data panel, and the whole loss panel.

        The rest (the data panel's axes, labels and title) stays put during a run:
        it is rendered once, so a frame takes a little more than half the time of
        a full redraw, for the same pixels.
        """
        artists = self._artists.get(self.figure)
        return [] if artists is None else artists["changing"]
