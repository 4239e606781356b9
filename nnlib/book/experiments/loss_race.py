r"""The loss chapter's race: one logistic regression trained with two losses, side by side.

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
"""

from __future__ import annotations

import numpy as np

from nnlib import layers, losses
from nnlib.activations import sigmoid
from nnlib.book.validation import as_rng, check_number, check_option
from nnlib.optim import SGD
from nnlib.training import train_step

__all__ = ["RIVALS", "make_1d_data", "LogisticRun", "LossRaceRun"]

#: Rival loss name -> its label (the loss is applied to the probability sigma(z)).
RIVALS = {"mse": "MSE on σ(z)", "mae": "MAE on σ(z)"}

#: The training loss of each run: "ce" is the cross-entropy on the logit.
_LOSS_NAMES = {"ce": "bce_with_logits", "mse": "mse", "mae": "mae"}


def make_1d_data(n: int = 40, separation: float = 1.5, rng=0):
    """Two overlapping Gaussian classes on a line: class 0 around ``-separation``, class 1 around ``+separation``.

    .. math::

        x_k = (2 y_k - 1)\\,s + \\varepsilon_k, \\qquad \\varepsilon_k \\sim \\mathcal N(0, 1)

    Parameters
    ----------
    n : int, even, >= 2
        Number of examples (half of each class).
    separation : float, > 0
        Distance :math:`s` of each class centre from 0 (the standard deviation is 1).
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
        self.loss_name = check_option(loss, "loss", tuple(_LOSS_NAMES))
        self.x, self.y = x, y
        dense = layers.Dense(1, 1, init="zeros")
        dense.params["W"][:] = check_number(w0, "w0")
        dense.params["b"][:] = check_number(b0, "b0")
        self.model = layers.Sequential(dense) if loss == "ce" else layers.Sequential(dense, layers.Sigmoid())
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
        """One full-batch gradient-descent step; returns the loss and cross-entropy before the step.

        The step is :func:`nnlib.training.train_step` on the whole data set (the
        per-frame update of the widget: one call, no re-validation of the run).
        """
        cross_entropy = self.cross_entropy()
        value = train_step(self.model, self.x, self.y, loss=_LOSS_NAMES[self.loss_name], optimizer=self.optimizer)
        grad_w = float(abs(self.model.gradients()["0.W"][0, 0]))  # the gradient the step used
        self.history["loss"].append(value)
        self.history["ce"].append(cross_entropy)
        self.history["grad_w"].append(grad_w)
        return {"loss": value, "ce": cross_entropy, "grad_w": grad_w}


class LossRaceRun:
    """Cross-entropy against a rival loss: two :class:`LogisticRun` from the same start, stepped together.

    Parameters
    ----------
    x, y : ndarray of shape (n, 1)
        The data (see :func:`make_1d_data`).
    rival : {"mse", "mae"}, default "mse"
    lr : float, default 1.0
    w0 : float, default -4.0
        The starting weight of both runs (bias 0).

    Attributes
    ----------
    ce, rival : LogisticRun
    """

    def __init__(self, x, y, rival: str = "mse", lr: float = 1.0, w0: float = -4.0):
        self.rival_name = check_option(rival, "rival", tuple(RIVALS))
        self.ce = LogisticRun(x, y, "ce", lr=lr, w0=w0)
        self.rival = LogisticRun(x, y, rival, lr=lr, w0=w0)

    def step(self) -> dict:
        """One step of both runs; returns the cross-entropy of each (before the step) and the rival's loss."""
        ce, rival = self.ce.step(), self.rival.step()
        return {"loss": ce["loss"], "rival_ce": rival["ce"], "rival_loss": rival["loss"]}
