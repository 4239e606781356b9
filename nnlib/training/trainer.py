r"""The training step, and :class:`Trainer`: mini-batch training validated once, one batch or epoch per call.

One step on a mini-batch :math:`(X_B, y_B)` is

.. math::

    J(\theta) = L\bigl(f(X_B; \theta), y_B\bigr) + R(\theta), \qquad
    \theta \leftarrow \operatorname{step}\bigl(\theta, \nabla_\theta J\bigr)

with :math:`L` the loss, :math:`R` the optional L1/L2 penalties on the
parameters the layers declare ``regularized``, and ``step`` the optimizer's
update. In code (:func:`_update`)::

    zero the gradients
    out = model.forward(X_B)
    loss, d_out = loss_fn(out, y_B)              # + penalties
    model.backward(d_out, input_grad=False)      # accumulates into the grads
    optimizer.step(grads)
"""

from __future__ import annotations

import math

import numpy as np

from nnlib import regularization
from nnlib._validation import as_rng, check_bool
from nnlib.optim import clip_grad_norm, clip_grad_value, global_norm
from nnlib.training import _checks
from nnlib.training.callbacks import History
from nnlib.training.predict import count_correct, evaluate_in_eval_mode

__all__ = ["Trainer", "TrainingDivergedError", "train_step"]


class TrainingDivergedError(FloatingPointError):
    """The loss or a gradient became NaN or infinite during training.

    Raised before the optimizer step, so the parameters are those from before
    the failing step (and a :class:`Trainer` stays at the failing batch).

    Attributes
    ----------
    epoch, batch : int or None
        Where it happened (numbered from 1); ``None`` outside an epoch (:func:`train_step`).
    loss : float
        The loss of the failing batch (may be finite if a gradient was not).
    """

    def __init__(self, message: str, epoch=None, batch=None, loss=float("nan")):
        super().__init__(message)
        self.epoch, self.batch, self.loss = epoch, batch, loss


class _Settings:
    """What one update needs besides the batch, checked once: loss, optimizer, live gradients, penalties, clips."""

    def __init__(self, loss_fn, optimizer, grads: dict, penalized: dict, l1: float, l2: float, clip_norm,
                 clip_value=None):
        self.loss_fn, self.optimizer, self.grads, self.penalized = loss_fn, optimizer, grads, penalized
        self.l1, self.l2, self.clip_norm, self.clip_value = l1, l2, clip_norm, clip_value

    def penalties(self):
        """``(value, [grads of each active penalty])`` of L1 and L2 on the penalized parameters."""
        value, grads = 0.0, []
        for lam, penalty in ((self.l1, regularization.l1_penalty), (self.l2, regularization.l2_penalty)):
            if lam > 0:
                v, g = penalty(self.penalized, lam)
                value += v
                grads.append(g)
        return value, grads

    def diverged(self, what: str, loss: float, epoch=None, batch=None, n_batches=None) -> TrainingDivergedError:
        where = f" at epoch {epoch}, batch {batch} of {n_batches}" if epoch is not None else ""
        return TrainingDivergedError(
            f"Training diverged{where}: {what}. The parameters were left as they were before this step. "
            f"Try a lower learning rate (lr is {self.optimizer.lr:g}), gradient clipping (clip_norm=1.0), "
            f"or standardizing the inputs (nnlib.data.standardize).",
            epoch=epoch, batch=batch, loss=loss,
        )


def _update(model, s: _Settings, xb, yb, *where):
    """One optimizer step on one batch; returns ``(data loss, model output)``. ``where``: (epoch, batch, of)."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for g in s.grads.values():
            g.fill(0)
        out = model.forward(xb)
        data_loss, d_out = s.loss_fn(out, yb)
        penalty, penalty_grads = s.penalties() if (s.l1 or s.l2) else (0.0, ())
        if not math.isfinite(data_loss + penalty):
            raise s.diverged(f"the loss is {data_loss + penalty}", data_loss, *where)
        model.backward(d_out, input_grad=False)
        for grads in penalty_grads:
            for name, g in grads.items():
                s.grads[name] += g
        largest = clip_grad_value(s.grads, s.clip_value) if s.clip_value else 0.0
        norm = clip_grad_norm(s.grads, s.clip_norm) if s.clip_norm else global_norm(s.grads)
        if not (math.isfinite(largest) and math.isfinite(norm)):
            raise s.diverged("a gradient is not finite (NaN, inf or overflowing)", data_loss, *where)
        s.optimizer.step(s.grads)
    return data_loss, out


def _penalized(model, l1: float, l2: float) -> dict:
    """The trainable parameters the layers declare ``regularized`` (needed only with a penalty)."""
    if not (l1 or l2):
        return {}
    penalized = model.regularized_parameters(trainable_only=True)
    if not penalized:
        raise ValueError(f"l1, l2: a penalty was asked for (l1={l1:g}, l2={l2:g}), but no trainable layer of the "
                         "model declares parameters to penalise (Layer.regularized)")
    return penalized


def train_step(model, X, y, *, loss: str, optimizer, l1: float = 0.0, l2: float = 0.0,
               clip_norm: float | None = None, clip_value: float | None = None) -> float:
    r"""One gradient step on one batch (what :class:`Trainer` does for every batch).

    .. math::

        \theta \leftarrow \operatorname{step}\Bigl(\theta,\ \nabla_\theta
        \bigl[L(f(X;\theta), y) + R(\theta)\bigr]\Bigr)

    Zeroes the gradients, runs forward, loss, backward (without the unneeded
    input gradient), adds the penalty gradients, optionally clips (by value,
    then by global norm), checks that
    everything is finite and calls ``optimizer.step``. Validation is lighter
    than a :class:`Trainer`'s (shapes and dtypes are checked by the layers and
    the loss); for many steps on one data set, build a :class:`Trainer` once.

    Parameters
    ----------
    model : Layer
    X : ndarray, shape (n, d_in)
    y : ndarray
        Targets as the loss expects them (same shape as the output, or labels).
    loss : str
        A name in :data:`nnlib.losses.LOSSES`.
    optimizer : Optimizer
        Built on ``model.parameters(trainable_only=True)``.
    l1, l2 : float, default 0
        Penalty strengths :math:`\lambda \ge 0` (on the declared parameters: weights, not biases).
    clip_norm : float, optional
        Clip the global gradient norm to this value.
    clip_value : float, optional
        Clamp every gradient entry to ``[-clip_value, clip_value]`` (before ``clip_norm``).

    Returns
    -------
    float
        The data loss of the batch, before the step.

    Raises
    ------
    TrainingDivergedError
        If the loss or a gradient is not finite (parameters untouched).
    """
    model = _checks.check_model(model)
    loss_fn = _checks.loss_function(loss, model)
    grads = _checks.check_optimizer(optimizer, model)
    l1, l2 = _checks.check_penalty(l1, "l1"), _checks.check_penalty(l2, "l2")
    settings = _Settings(loss_fn, optimizer, grads, _penalized(model, l1, l2), l1, l2, _checks.check_clip(clip_norm),
                         _checks.check_clip(clip_value, "clip_value"))
    return _update(model, settings, X, y)[0]


class Trainer:
    r"""Mini-batch training of one model on one data set, validated once; :meth:`step` and :meth:`run_epoch`.

    Every argument is checked at construction (the model runs on one example
    of ``X`` and of the validation inputs); the calls that follow do the
    arithmetic and nothing else, so a widget can call
    :meth:`step` or :meth:`run_epoch` once per animation frame. Each epoch
    visits every example once, in a fresh random order when ``shuffle``:

    .. math::

        J_B(\theta) = \frac{1}{|B|}\sum_{i \in B} \ell\bigl(f(x_i;\theta), y_i\bigr)
        + \lambda_1 \sum |W| + \frac{\lambda_2}{2} \sum \|W\|^2, \qquad
        \theta \leftarrow \operatorname{step}(\theta, \nabla_\theta J_B)

    Parameters
    ----------
    model : Layer
        Its output must have shape ``(n, k)``.
    X : array_like, shape (n, d_in), or (n, T, d) sequences, (n, C, H, W) images
        Inputs, one example per row, finite; the model's dtype (integer input is converted).
    y : array_like
        Integer labels ``(n,)`` or one-hot ``(n, C)`` for ``"softmax_cross_entropy"``;
        otherwise the output's shape ``(n, k)`` (``(n,)`` for a single output).
    loss : str
        A name in :data:`nnlib.losses.LOSSES`. A model ending in a Sigmoid or
        Softmax layer is refused for the losses that take logits.
    optimizer : Optimizer
        Built on ``model.parameters(trainable_only=True)``; its state persists.
    batch_size : int, optional
        In ``[1, n]``; default ``n`` (full-batch gradient descent). The last batch may be smaller.
    l1, l2 : float, default 0
        Penalty strengths on the parameters the layers declare ``regularized``.
    clip_norm : float, optional
        Clip the global gradient norm to this value before each step
        (:func:`nnlib.optim.clip_grad_norm`).
    clip_value : float, optional
        Clamp every gradient entry to ``[-clip_value, clip_value]`` before each
        step (:func:`nnlib.optim.clip_grad_value`; before ``clip_norm`` if both are given).
    validation_data : tuple (X_val, y_val), optional
        Evaluated in eval mode at the end of every epoch.
    shuffle : bool, default True
        A new order of the examples every epoch.
    rng : numpy.random.Generator, int or None
        Randomness for shuffling.

    Attributes
    ----------
    history : History
        One entry per completed epoch: ``loss`` (mean data loss over the
        epoch's batches), ``accuracy`` (classification losses), ``val_loss`` /
        ``val_accuracy`` (with validation data), ``penalty`` (with l1/l2).
    metrics : list of str
        The keys recorded per epoch.
    epoch : int
        Completed epochs (numbered from 1; :func:`fit` starts it at ``initial_epoch``).
    batch : int
        Batches done in the current epoch (0 at an epoch boundary).
    batches_per_epoch : int

    Raises
    ------
    ValueError, TypeError
        At construction, for any invalid argument; nothing has changed then.
    TrainingDivergedError
        From :meth:`step` / :meth:`run_epoch`, if the loss or a gradient becomes
        NaN/inf: names the epoch and batch, suggests what to change, and leaves
        the parameters as they were before that step.

    Examples
    --------
    XOR in mini-batches of two: one step, then whole epochs.

    >>> from nnlib import data, models, optim
    >>> X, y = data.logic_gate("xor")
    >>> net = models.mlp([2, 8, 2], "tanh", rng=0)
    >>> trainer = Trainer(net, X, y, loss="softmax_cross_entropy", optimizer=optim.Adam(net.parameters(), lr=0.05),
    ...                   batch_size=2, rng=0)
    >>> trainer.step()["batch"], trainer.batches_per_epoch
    (1, 2)
    >>> for _ in range(150):
    ...     logs = trainer.run_epoch()
    >>> logs["accuracy"], trainer.epoch
    (1.0, 150)
    """

    def __init__(self, model, X, y, *, loss: str, optimizer, batch_size: int | None = None, l1: float = 0.0,
                 l2: float = 0.0, clip_norm: float | None = None, validation_data=None, shuffle: bool = True,
                 rng=None, clip_value: float | None = None):
        self.model = _checks.check_model(model)
        self.X, self.y, loss_fn, _ = _checks.prepare(model, X, y, loss)
        self.n = self.X.shape[0]
        self.batch_size = _checks.check_batch_size(batch_size, self.n)
        self.shuffle = check_bool(shuffle, "shuffle")
        self.rng = as_rng(rng)
        self._validation = None
        if validation_data is not None:
            X_val, y_val = _checks.check_validation_data(validation_data)
            self._validation = _checks.prepare(model, X_val, y_val, loss, "X_val", "y_val")[:2]
        l1, l2 = _checks.check_penalty(l1, "l1"), _checks.check_penalty(l2, "l2")
        clip_norm, clip_value = _checks.check_clip(clip_norm), _checks.check_clip(clip_value, "clip_value")
        grads = _checks.check_optimizer(optimizer, model)
        self._settings = _Settings(loss_fn, optimizer, grads, _penalized(model, l1, l2), l1, l2, clip_norm,
                                   clip_value)
        self._kind = _checks.CLASSIFICATION.get(loss_fn)
        self.metrics = ["loss"] + (["accuracy"] if self._kind else [])
        if self._validation is not None:
            self.metrics += ["val_" + m for m in self.metrics]
        if l1 or l2:
            self.metrics.append("penalty")
        self.batches_per_epoch = -(-self.n // self.batch_size)
        self.history = History()
        self.epoch, self.batch = 0, 0
        self._order, self._loss_sum, self._correct = None, 0.0, 0.0

    @property
    def optimizer(self):
        """The optimizer (checked at construction to hold the model's trainable arrays)."""
        return self._settings.optimizer

    def step(self) -> dict:
        """One mini-batch update: the next batch of the current epoch (starting one if needed).

        Returns
        -------
        dict
            ``{"epoch": e, "batch": b, "loss": batch data loss, "size": rows}``
            (numbered from 1); after the epoch's last batch also ``"epoch_logs"``,
            the epoch's entry just recorded in ``history``.
        """
        if self.batch == 0:
            self._start_epoch()
        start = self.batch * self.batch_size
        idx = self._order[start:start + self.batch_size]
        yb = self.y[idx]
        loss, out = _update(self.model, self._settings, self.X[idx], yb,
                            self.epoch + 1, self.batch + 1, self.batches_per_epoch)
        self.batch += 1
        self._loss_sum += loss * len(idx)
        if self._kind:
            self._correct += count_correct(out, yb, self._kind)
        logs = {"epoch": self.epoch + 1, "batch": self.batch, "loss": loss, "size": len(idx)}
        if self.batch == self.batches_per_epoch:
            logs["epoch_logs"] = self._end_epoch()
        return logs

    def run_epoch(self, on_batch_end=None) -> dict:
        """Finish the current epoch (a whole one at an epoch boundary); return its logs.

        Parameters
        ----------
        on_batch_end : callable, optional
            Called with the logs of every :meth:`step` (what :func:`fit` hands to callbacks).

        Returns
        -------
        dict
            The epoch's entry of ``history``: ``loss`` and, where they apply,
            ``accuracy``, ``val_loss``, ``val_accuracy``, ``penalty``.
        """
        while True:
            logs = self.step()
            if on_batch_end is not None:
                on_batch_end(logs)
            if "epoch_logs" in logs:
                return logs["epoch_logs"]

    def _start_epoch(self) -> None:
        self.model.train()
        self._order = self.rng.permutation(self.n) if self.shuffle else np.arange(self.n)
        self._loss_sum, self._correct = 0.0, 0.0

    def _end_epoch(self) -> dict:
        logs = {"loss": self._loss_sum / self.n}
        if self._kind:
            logs["accuracy"] = self._correct / self.n
        if self._validation is not None:
            val = evaluate_in_eval_mode(self.model, *self._validation, self._settings.loss_fn)
            logs.update({"val_" + k: v for k, v in val.items()})
        if self._settings.l1 or self._settings.l2:
            logs["penalty"] = self._settings.penalties()[0]
        self.epoch, self.batch = self.epoch + 1, 0
        self.history.record(self.epoch, logs)
        return logs

    def __repr__(self) -> str:
        return (f"Trainer({self.n} examples, batch_size={self.batch_size}, epoch={self.epoch}, "
                f"batch={self.batch} of {self.batches_per_epoch})")
