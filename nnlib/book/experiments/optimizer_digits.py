r"""The optimizers on the book's digits classifier, and the noise of its mini-batch gradients.

Every run starts from the same network (``reference_mlp`` of ``nnlib.book.experiments.digits``,
with seed 0: the same initial weights) and visits the same mini-batches in the same
order (the :class:`~nnlib.training.Trainer`'s shuffling seed), so runs differ by the
optimizer alone. :func:`train_digits` records the loss per epoch and the wall time;
:func:`sweep_learning_rates` tries a few learning rates per optimizer.

:func:`per_example_gradients` and :func:`minibatch_noise` measure how far the
gradient of a mini-batch of :math:`B` examples falls from the full gradient
:math:`\bar g`: with per-example gradients :math:`g_i` (variance :math:`\sigma^2`,
summed over the parameters) and batches drawn without replacement from :math:`N`
examples,

.. math::

    \mathbb{E}\,\bigl\|g_B - \bar g\bigr\|^2 = \frac{\sigma^2}{B}\,\frac{N - B}{N - 1}.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from nnlib import losses, optim
from nnlib._validation import as_rng, check_number
from nnlib.book.experiments.digits import REFERENCE_TRAINING, load_digits, reference_mlp
from nnlib.training import Trainer, TrainingDivergedError

__all__ = ["DIGITS_OPTIMIZERS", "DEFAULT_LR", "LR_GRIDS", "make_digits_optimizer", "DigitsRun", "train_digits",
           "sweep_learning_rates", "per_example_gradients", "minibatch_noise"]

DIGITS_OPTIMIZERS = {
    "sgd": "SGD",
    "momentum": "momentum (β = 0.9)",
    "nesterov": "Nesterov (β = 0.9)",
    "adagrad": "AdaGrad",
    "rmsprop": "RMSprop",
    "adam": "Adam",
    "adamw": "AdamW (λ = 0.01)",
}
"""Optimizer name -> its label."""

DEFAULT_LR = {
    "sgd": 0.1,
    "momentum": 1.0,
    "nesterov": 1.0,
    "adagrad": 0.01,
    "rmsprop": 0.001,
    "adam": 0.001,
    "adamw": 0.001,
}
"""The usual learning rate of each optimizer: the book's SGD rate; PyTorch's customary ``lr=0.1,
momentum=0.9`` for momentum and Nesterov, which is :math:`\alpha = 0.1 / (1 - 0.9) = 1` in the
notes' form; the defaults of PyTorch (AdaGrad) and of the papers (RMSprop, Adam, AdamW)."""

LR_GRIDS = {
    "sgd": (0.03, 0.1, 0.3, 1.0),
    "momentum": (0.1, 0.3, 1.0, 3.0),
    "nesterov": (0.1, 0.3, 1.0, 3.0),
    "adagrad": (0.01, 0.03, 0.1, 0.3),
    "rmsprop": (3e-4, 1e-3, 3e-3, 1e-2),
    "adam": (3e-4, 1e-3, 3e-3, 1e-2),
}
"""The learning rates :func:`sweep_learning_rates` tries (momentum and Nesterov in the notes' form, so
that their :math:`\\alpha` is comparable with SGD's; AdamW takes Adam's)."""


def make_digits_optimizer(name: str, model, lr: float):
    """The optimizer ``name`` on the trainable parameters of ``model``.

    Momentum and Nesterov use the notes' moving-average form with :math:`\\beta = 0.9`; AdamW
    decays the parameters the layers declare (weights, not biases) with :math:`\\lambda = 0.01`.
    """
    if name not in DIGITS_OPTIMIZERS:
        raise ValueError(f"name: expected one of {list(DIGITS_OPTIMIZERS)}, got {name!r}")
    params = model.parameters(trainable_only=True)
    if name == "sgd":
        return optim.SGD(params, lr=lr)
    if name in ("momentum", "nesterov"):
        return optim.Momentum(params, lr=lr, beta=0.9, nesterov=name == "nesterov")
    if name == "adagrad":
        return optim.AdaGrad(params, lr=lr)
    if name == "rmsprop":
        return optim.RMSprop(params, lr=lr)
    if name == "adam":
        return optim.Adam(params, lr=lr)
    return optim.AdamW(params, lr=lr, weight_decay=0.01, decayed=model.regularized_parameters(trainable_only=True))


@dataclass
class DigitsRun:
    """One training run on the digits: its settings, its history, and the time it took.

    Attributes
    ----------
    name : str
    lr : float
    history : dict of str -> list of float
        Per epoch: ``loss`` (training), ``val_loss``, ``val_accuracy``, ``seconds``
        (wall time of that epoch's training).
    diverged : str or None
        The message, if training diverged.
    optimizer, model : the optimizer and the trained network.
    """

    name: str
    lr: float
    history: dict = field(default_factory=lambda: {"loss": [], "val_loss": [], "val_accuracy": [], "seconds": []})
    diverged: str | None = None
    optimizer: object = None
    model: object = None

    @property
    def final(self) -> dict:
        """The last epoch's numbers."""
        return {key: values[-1] for key, values in self.history.items() if values}

    @property
    def seconds_per_epoch(self) -> float:
        """The median wall time of an epoch: on a shared machine, pauses other work causes stay out of it."""
        return float(np.median(self.history["seconds"]))


def train_digits(name: str, lr: float, epochs: int = REFERENCE_TRAINING["epochs"], digits=None, schedule=None,
                 batch_size: int = REFERENCE_TRAINING["batch_size"], seed: int = 0) -> DigitsRun:
    """Train the reference network with optimizer ``name`` for ``epochs`` epochs.

    Parameters
    ----------
    name : str
        A key of :data:`DIGITS_OPTIMIZERS`.
    lr : float
    epochs : int, default 40
    digits : Digits, optional
        Default: ``load_digits()`` of ``nnlib.book.experiments.digits``.
    schedule : callable, optional
        ``schedule(optimizer) -> LRSchedule``; stepped once after every epoch.
    batch_size : int, default 32
    seed : int, default 0
        Seed of the initial weights and of the order of the mini-batches.

    Returns
    -------
    DigitsRun
    """
    epochs = check_number(epochs, "epochs", low=1, integer=True)
    digits = digits or load_digits()
    model = reference_mlp(seed)
    optimizer = make_digits_optimizer(name, model, lr)
    lr_schedule = schedule(optimizer) if schedule is not None else None
    trainer = Trainer(model, digits.X_train, digits.y_train, loss="softmax_cross_entropy", optimizer=optimizer,
                      batch_size=batch_size, validation_data=(digits.X_val, digits.y_val), rng=seed)
    run = DigitsRun(name, lr, optimizer=optimizer, model=model)
    for _ in range(epochs):
        started = time.perf_counter()
        try:
            logs = trainer.run_epoch()
        except TrainingDivergedError as error:
            run.diverged = str(error)
            break
        seconds = time.perf_counter() - started
        if lr_schedule is not None:
            lr_schedule.step()
        for key in ("loss", "val_loss", "val_accuracy"):
            run.history[key].append(logs[key])
        run.history["seconds"].append(seconds)
    return run


def sweep_learning_rates(names=tuple(LR_GRIDS), epochs: int = 10, digits=None) -> dict:
    """Train each optimizer at each learning rate of :data:`LR_GRIDS` for ``epochs`` epochs.

    Returns
    -------
    dict of str -> dict of float -> float
        ``{name: {lr: training loss of the last epoch (inf if diverged)}}``.
    """
    digits = digits or load_digits()
    results = {}
    for name in names:
        results[name] = {}
        for lr in LR_GRIDS[name]:
            run = train_digits(name, lr, epochs, digits)
            results[name][lr] = float("inf") if run.diverged else run.final["loss"]
    return results


def per_example_gradients(model, X, y) -> np.ndarray:
    """The gradient of the cross-entropy of each example, one row per example, parameters flattened.

    Parameters
    ----------
    model : Layer
        A classifier giving logits.
    X : ndarray of shape (n, d)
    y : ndarray of shape (n,)
        Labels.

    Returns
    -------
    ndarray of shape (n, number of parameters)
        Row :math:`i` is :math:`\\nabla_\\theta\\, \\ell(f(x_i; \\theta), y_i)`, parameters in the
        order of ``model.parameters()``.
    """
    rows = []
    for i in range(X.shape[0]):
        model.zero_grad()
        _, d_out = losses.softmax_cross_entropy_loss(model.forward(X[i:i + 1]), y[i:i + 1])
        model.backward(d_out, input_grad=False)
        rows.append(np.concatenate([g.ravel() for g in model.gradients().values()]))
    return np.array(rows)


def minibatch_noise(G, batch_sizes, samples: int = 400, rng=0) -> dict:
    r"""Measured and predicted :math:`\mathbb{E}\|g_B - \bar g\|^2` for mini-batches drawn without replacement.

    Parameters
    ----------
    G : ndarray of shape (N, P)
        Per-example gradients (:func:`per_example_gradients`).
    batch_sizes : sequence of int
        Each in ``[1, N]``.
    samples : int, default 400
        Mini-batches drawn per size.
    rng : numpy.random.Generator, int or None

    Returns
    -------
    dict
        ``sigma2`` (:math:`\sigma^2`, the mean squared deviation of one example's gradient),
        and per batch size ``{"measured": ..., "predicted": ...}`` under ``"by_size"``.
    """
    rng = as_rng(rng)
    centred = G - G.mean(axis=0)
    N = G.shape[0]
    gram = centred @ centred.T  # ||sum_{i in B} (g_i - g_bar)||^2 is the sum of a B x B block of it
    sigma2 = float(np.trace(gram) / N)
    by_size = {}
    for B in batch_sizes:
        B = check_number(B, "batch size", low=1, high=N, integer=True)
        deviations = [gram[np.ix_(idx, idx)].sum() / B**2
                      for idx in (rng.choice(N, B, replace=False) for _ in range(samples))]
        by_size[B] = {"measured": float(np.mean(deviations)), "predicted": sigma2 / B * (N - B) / (N - 1)}
    return {"sigma2": sigma2, "by_size": by_size}
