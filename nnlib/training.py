r"""Training loop: :func:`fit`, :func:`evaluate`, predictions, callbacks and early stopping.

One training step on a mini-batch :math:`(X_B, y_B)` is

.. math::

    J(\theta) = L\bigl(f(X_B; \theta), y_B\bigr) + R(\theta), \qquad
    \theta \leftarrow \operatorname{step}\bigl(\theta, \nabla_\theta J\bigr)

with :math:`L` the loss (by name, from :data:`nnlib.losses.LOSSES`),
:math:`R` the optional L1/L2 penalties (:mod:`nnlib.regularization`) and
``step`` the optimizer's update (:mod:`nnlib.optim`). In code::

    model.zero_grad()
    out = model.forward(X_B)
    loss, d_out = loss_fn(out, y_B)              # + penalties
    model.backward(d_out, input_grad=False)      # accumulates into the grads
    optimizer.step(model.gradients(trainable_only=True))

Conventions of the loop
-----------------------
* Epochs and batches are **numbered from 1** everywhere: in
  :class:`History`, in callbacks, in messages and in the verbose output.
* :func:`fit` validates all of its arguments before the first step; a mistake
  raises ``ValueError``/``TypeError`` without touching the model.
* If the loss or a gradient becomes NaN/inf, :class:`TrainingDivergedError`
  is raised *before* the optimizer step, so the parameters are those from
  before the failing step.
* The optimizer keeps its state between calls: calling ``fit(..., epochs=1)``
  repeatedly with the same optimizer continues momentum/Adam exactly as one
  longer call would (up to the order of the shuffled batches).
* Classification losses (``"softmax_cross_entropy"``, ``"bce_with_logits"``,
  ``"bce"``) also record accuracy. Models output logits for the first two.
"""

from __future__ import annotations

import math
import time

import numpy as np

from nnlib import activations, losses, regularization
from nnlib._validation import as_rng, check_array, check_choice, check_number
from nnlib.layers import Layer, Sequential, Sigmoid, Softmax
from nnlib.optim import Optimizer, clip_grad_norm, global_norm

__all__ = [
    "fit",
    "train_step",
    "evaluate",
    "predict",
    "predict_proba",
    "predict_classes",
    "History",
    "Callback",
    "EarlyStopping",
    "TrainingDivergedError",
]

_CLASSIFICATION = {
    losses.softmax_cross_entropy_loss: "multiclass",
    losses.bce_with_logits_loss: "binary_logits",
    losses.bce_loss: "binary_probabilities",
}


# ------------------------------------------------------------------------- errors


class TrainingDivergedError(FloatingPointError):
    """The loss or a gradient became NaN or infinite during training.

    Raised by :func:`fit` / :func:`train_step` before the optimizer step, so the
    parameters are those from before the failing step.

    Attributes
    ----------
    epoch, batch : int or None
        Where it happened (numbered from 1); ``None`` outside :func:`fit`.
    loss : float
        The loss of the failing batch (may be finite if a gradient was not).
    """

    def __init__(self, message: str, epoch=None, batch=None, loss=float("nan")):
        super().__init__(message)
        self.epoch, self.batch, self.loss = epoch, batch, loss


def _diverged(what: str, loss: float, optimizer: Optimizer, where: str, epoch, batch):
    return TrainingDivergedError(
        f"Training diverged{where}: {what}. The parameters were left as they were before this "
        f"step. Try a lower learning rate (lr is {optimizer.lr:g}), gradient clipping "
        f"(fit(..., clip_norm=1.0)), or standardizing the inputs (nnlib.data.standardize).",
        epoch=epoch, batch=batch, loss=loss,
    )


# -------------------------------------------------------------------- history and callbacks


class History:
    """What :func:`fit` recorded, one entry per epoch.

    Attributes
    ----------
    history : dict of str -> list of float
        ``"loss"`` (mean data loss over the epoch's batches, without penalties);
        ``"accuracy"`` for classification losses; ``"val_loss"`` /
        ``"val_accuracy"`` with ``validation_data`` (computed in eval mode at
        the end of the epoch); ``"penalty"`` (the L1/L2 penalty at the end of
        the epoch) when ``l1`` or ``l2`` is positive.
    epochs : list of int
        The epoch numbers (from 1, or from ``initial_epoch + 1``).
    stopped_epoch : int or None
        The epoch after which a callback (e.g. :class:`EarlyStopping`) stopped
        training, or ``None``.

    Examples
    --------
    >>> h = History()
    >>> h.record(1, {"loss": 0.7}); h.record(2, {"loss": 0.5})
    >>> h["loss"], h.epochs
    ([0.7, 0.5], [1, 2])
    """

    def __init__(self):
        self.history: dict[str, list[float]] = {}
        self.epochs: list[int] = []
        self.stopped_epoch: int | None = None

    def record(self, epoch: int, logs: dict) -> None:
        """Append the values of ``logs`` for ``epoch``."""
        self.epochs.append(int(epoch))
        for key, value in logs.items():
            self.history.setdefault(key, []).append(float(value))

    def extend(self, other: "History") -> "History":
        """Append the epochs of another history (e.g. from repeated one-epoch ``fit`` calls)."""
        for i, epoch in enumerate(other.epochs):
            self.record(epoch, {k: v[i] for k, v in other.history.items()})
        self.stopped_epoch = other.stopped_epoch
        return self

    def __getitem__(self, key: str) -> list:
        return self.history[key]

    def __len__(self) -> int:
        return len(self.epochs)

    def __repr__(self) -> str:
        keys = ", ".join(self.history)
        return f"History({len(self.epochs)} epochs: {keys})"


class Callback:
    """Base class for hooks into :func:`fit` (widgets and plots use them).

    Override any of the methods; the defaults do nothing. Numbers are from 1.

    * ``on_train_begin(model, logs)``: before the first epoch. ``logs`` has
      ``"epochs"``, ``"batch_size"``, ``"n_examples"``, ``"batches_per_epoch"``
      and ``"metrics"`` (the keys that will be recorded, e.g.
      ``["loss", "accuracy", "val_loss", "val_accuracy"]``).
    * ``on_batch_end(batch, logs)``: after each optimizer step; ``logs`` has
      ``"epoch"``, ``"loss"`` (this batch's data loss) and ``"size"``.
    * ``on_epoch_end(epoch, logs)``: after each epoch, with that epoch's
      values (the keys of ``History.history``). **Return True to stop
      training** after this epoch (all callbacks still see the epoch).
    * ``on_train_end(history)``: after the last epoch (not after an error).
    """

    def on_train_begin(self, model, logs: dict) -> None:
        pass

    def on_batch_end(self, batch: int, logs: dict) -> None:
        pass

    def on_epoch_end(self, epoch: int, logs: dict) -> bool | None:
        return None

    def on_train_end(self, history: History) -> None:
        pass


class EarlyStopping(Callback):
    r"""Stop when a monitored value has not improved for ``patience`` epochs.

    An epoch improves on the best value so far if

    .. math::

        v < v_{\text{best}} - \Delta \ (\text{losses}) \qquad\text{or}\qquad
        v > v_{\text{best}} + \Delta \ (\text{accuracies})

    with :math:`\Delta` = ``min_delta``. Names containing ``"accuracy"`` are
    maximised, everything else is minimised. The state is reset at the start
    of every :func:`fit` call.

    Parameters
    ----------
    patience : int, default 5
        Epochs without improvement before stopping, >= 1.
    min_delta : float, default 0.0
        Smallest change that counts as an improvement, >= 0.
    monitor : str, default "val_loss"
        A key of ``History.history``. ``"val_*"`` needs ``validation_data``
        (checked before training starts).
    restore_best : bool, default True
        At the end of training copy the parameters of the best epoch back
        into the model (in place, so optimizers keep working).

    Attributes
    ----------
    best : float
        Best monitored value.
    best_epoch : int or None
    stopped_epoch : int or None
        The epoch at which it stopped training, ``None`` if it did not.
    """

    def __init__(self, patience: int = 5, min_delta: float = 0.0, monitor: str = "val_loss",
                 restore_best: bool = True):
        self.patience = check_number(patience, "patience", low=1, integer=True)
        self.min_delta = check_number(min_delta, "min_delta", low=0.0)
        if not isinstance(monitor, str):
            raise TypeError(f"monitor: expected a metric name such as 'val_loss', got {monitor!r}")
        self.monitor = monitor
        self.restore_best = bool(restore_best)
        self.maximize = "accuracy" in monitor
        self._reset(None)

    def _reset(self, model) -> None:
        self._model = model
        self.best = -math.inf if self.maximize else math.inf
        self.best_epoch = None
        self.stopped_epoch = None
        self._wait = 0
        self._best_params = None

    def on_train_begin(self, model, logs):
        metrics = logs.get("metrics", [])
        if self.monitor not in metrics:
            hint = " (pass validation_data to fit)" if self.monitor.startswith("val_") else ""
            raise ValueError(
                f"EarlyStopping: monitor={self.monitor!r} will not be recorded; "
                f"expected one of {metrics}{hint}"
            )
        self._reset(model)

    def _improved(self, value: float) -> bool:
        if self.maximize:
            return value > self.best + self.min_delta
        return value < self.best - self.min_delta

    def on_epoch_end(self, epoch, logs):
        value = logs[self.monitor]
        if self._improved(value):
            self.best, self.best_epoch, self._wait = value, epoch, 0
            if self.restore_best:
                self._best_params = {k: v.copy() for k, v in self._model.parameters().items()}
            return False
        self._wait += 1
        if self._wait >= self.patience:
            self.stopped_epoch = epoch
            return True
        return False

    def on_train_end(self, history):
        if self.restore_best and self._best_params is not None:
            for name, value in self._model.parameters().items():
                np.copyto(value, self._best_params[name])

    def __repr__(self) -> str:
        return (f"EarlyStopping(patience={self.patience}, min_delta={self.min_delta}, "
                f"monitor={self.monitor!r}, restore_best={self.restore_best})")


# ------------------------------------------------------------------------ validation


def _check_model(model) -> Layer:
    if not isinstance(model, Layer):
        raise TypeError(f"model: expected an nnlib Layer or Sequential, got {type(model).__name__}")
    return model


def _model_dtype(model) -> np.dtype | None:
    dtypes = {p.dtype for p in model.parameters().values()}
    if len(dtypes) > 1:
        raise TypeError(f"model: expected all parameters to share one dtype, got {sorted(map(str, dtypes))}")
    return dtypes.pop() if dtypes else None


def _check_X(X, name: str, dtype) -> np.ndarray:
    arr = check_array(X, name, ndim=2, dtype="float")
    if dtype is not None and arr.dtype != dtype:
        if getattr(X, "dtype", np.dtype(np.int64)).kind == "f":
            raise TypeError(
                f"{name}: expected dtype {dtype} (the model's dtype), got {arr.dtype}; "
                f"convert with {name}.astype(np.{dtype})"
            )
        arr = arr.astype(dtype)
    return arr


def _output_width(model, X: np.ndarray) -> int:
    """Run the model on one example (eval mode) to check it accepts X and get its output width."""
    was_training = model.training
    model.eval()
    try:
        out = np.asarray(model.forward(X[:1]))
    finally:
        model.train(was_training)
    if out.ndim != 2:
        raise ValueError(f"model: expected an output of shape (n, k), got shape {out.shape} for one example")
    return out.shape[1]


def _check_targets(y, name: str, n: int, width: int, loss_fn, dtype) -> np.ndarray:
    """Validate targets against the loss, using the loss's own checks on a dummy prediction."""
    y_arr = np.asarray(y)
    if y_arr.ndim == 0 or y_arr.shape[0] != n:
        got = "a scalar" if y_arr.ndim == 0 else f"{y_arr.shape[0]}"
        raise ValueError(f"{name}: expected {n} targets (one per row of X), got {got}")
    is_labels = loss_fn is losses.softmax_cross_entropy_loss and y_arr.ndim == 1
    if is_labels:
        y_arr = check_array(y_arr, name, ndim=1, dtype="int")
    else:
        y_arr = check_array(y_arr, name, ndim=(1, 2), dtype="float")
        if y_arr.ndim == 1 and width == 1:
            y_arr = y_arr.reshape(n, 1)  # documented: (n,) targets for a single-output model
        y_arr = y_arr.astype(dtype or y_arr.dtype, copy=False)
    dummy = np.zeros((n, width), dtype=dtype or np.float64)
    try:
        loss_fn(dummy, y_arr)
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"{name} does not fit the model's output (n, {width}) for this loss: {exc}") from None
    return y_arr


def _check_optimizer(optimizer, model) -> dict:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer: expected an nnlib.optim optimizer (e.g. Adam), got {type(optimizer).__name__}")
    trainable = model.parameters(trainable_only=True)
    if not trainable:
        raise ValueError("model: has no trainable parameters (every layer is frozen or parameter-free)")
    same = set(optimizer.params) == set(trainable) and all(
        optimizer.params[k] is trainable[k] for k in trainable
    )
    if not same:
        raise ValueError(
            "optimizer: its parameters are not this model's trainable parameters "
            f"(optimizer has {sorted(optimizer.params)}, model's trainable ones are {sorted(trainable)}). "
            "Create the optimizer after building (and freezing) the model: "
            "Adam(model.parameters(trainable_only=True), lr=...)"
        )
    return model.gradients(trainable_only=True)


def _check_penalty(value, name: str) -> float:
    return check_number(value, name, low=0.0)


def _check_clip(clip_norm):
    if clip_norm is None:
        return None
    return check_number(clip_norm, "clip_norm", low=0.0, low_inclusive=False)


def _prepare(model, X, y, loss, name_X="X", name_y="y"):
    """Validate (model, X, y, loss) together; return (X, y, loss_fn, width)."""
    loss_fn = losses.LOSSES[check_choice(loss, "loss", losses.LOSSES)]
    dtype = _model_dtype(model)
    X = _check_X(X, name_X, dtype)
    width = _output_width(model, X)
    y = _check_targets(y, name_y, X.shape[0], width, loss_fn, dtype or X.dtype)
    return X, y, loss_fn


# ------------------------------------------------------------------------- metrics


def _n_correct(out: np.ndarray, y: np.ndarray, kind: str) -> float:
    """Number of correctly classified rows (binary: thresholds at p = 0.5, i.e. logit 0).

    For binary outputs with k > 1 columns (multi-label) each entry counts 1/k.
    """
    if kind == "multiclass":
        labels = y if y.ndim == 1 else y.argmax(axis=1)
        return float(np.count_nonzero(out.argmax(axis=1) == labels))
    threshold = 0.0 if kind == "binary_logits" else 0.5
    return float(np.count_nonzero((out >= threshold) == (y >= 0.5))) / out.shape[1]


# -------------------------------------------------------------------------- steps


def _penalties(params: dict, l1: float, l2: float):
    value, grads = 0.0, []
    for lam, penalty in ((l1, regularization.l1_penalty), (l2, regularization.l2_penalty)):
        if lam > 0:
            v, g = penalty(params, lam)
            value += v
            grads.append(g)
    return value, grads


def _step(model, xb, yb, loss_fn, optimizer, grads, l1, l2, clip_norm, where="", epoch=None, batch=None):
    """One optimizer step; returns (data loss, model output). See :func:`train_step`."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        model.zero_grad()
        out = model.forward(xb)
        data_loss, d_out = loss_fn(out, yb)
        penalty, penalty_grads = _penalties(optimizer.params, l1, l2) if (l1 or l2) else (0.0, ())
        if not math.isfinite(data_loss + penalty):
            raise _diverged(f"the loss is {data_loss + penalty}", data_loss, optimizer, where, epoch, batch)
        model.backward(d_out, input_grad=False)
        for pg in penalty_grads:
            for name, g in pg.items():
                grads[name] += g
        norm = clip_grad_norm(grads, clip_norm) if clip_norm else global_norm(grads)
        if not math.isfinite(norm):
            raise _diverged("a gradient is not finite (NaN, inf or overflowing)",
                            data_loss, optimizer, where, epoch, batch)
        optimizer.step(grads)
    return data_loss, out


def train_step(model, X, y, *, loss: str, optimizer: Optimizer, l1: float = 0.0, l2: float = 0.0,
               clip_norm: float | None = None) -> float:
    r"""One gradient step on one batch (what :func:`fit` does for every batch).

    .. math::

        \theta \leftarrow \operatorname{step}\Bigl(\theta,\ \nabla_\theta
        \bigl[L(f(X;\theta), y) + R(\theta)\bigr]\Bigr)

    Zeroes the gradients, runs forward, loss, backward (without the unneeded
    input gradient), adds the penalty gradients, optionally clips, checks that
    everything is finite and calls ``optimizer.step``. Validation is lighter
    than in :func:`fit` (shapes and dtypes are checked by the layers and the
    loss); use it in benchmarks and hand-written loops.

    Parameters
    ----------
    model : Layer or Sequential
    X : ndarray, shape (n, d_in)
    y : ndarray
        Targets as the loss expects them (same shape as the output, or labels).
    loss : str
        A name in :data:`nnlib.losses.LOSSES`.
    optimizer : Optimizer
        Built on ``model.parameters(trainable_only=True)``.
    l1, l2 : float, default 0
        Penalty strengths :math:`\lambda \ge 0` (weights only).
    clip_norm : float, optional
        Clip the global gradient norm to this value.

    Returns
    -------
    float
        The data loss of the batch, before the step.

    Raises
    ------
    TrainingDivergedError
        If the loss or a gradient is not finite (parameters untouched).
    """
    loss_fn = losses.LOSSES[check_choice(loss, "loss", losses.LOSSES)]
    grads = model.gradients(trainable_only=True)
    l1, l2 = _check_penalty(l1, "l1"), _check_penalty(l2, "l2")
    return _step(model, X, y, loss_fn, optimizer, grads, l1, l2, _check_clip(clip_norm))[0]


# --------------------------------------------------------------------------- fit


def fit(model, X, y, *, loss: str, optimizer: Optimizer, epochs: int, batch_size: int | None = None,
        shuffle: bool = True, rng=None, validation_data=None, l1: float = 0.0, l2: float = 0.0,
        callbacks=(), early_stopping: EarlyStopping | None = None, clip_norm: float | None = None,
        initial_epoch: int = 0, verbose: bool = False) -> History:
    r"""Train ``model`` with mini-batch gradient descent.

    For each epoch, the examples are (optionally) shuffled and split into
    batches of ``batch_size``; for each batch :math:`B`:

    .. math::

        J_B(\theta) = \frac{1}{|B|}\sum_{i \in B} \ell\bigl(f(x_i;\theta), y_i\bigr)
        + \lambda_1 \sum |W| + \frac{\lambda_2}{2} \sum \|W\|^2, \qquad
        \theta \leftarrow \operatorname{step}(\theta, \nabla_\theta J_B)

    Parameters
    ----------
    model : Layer or Sequential
        Its output must have shape ``(n, k)``.
    X : array_like, shape (n, d_in)
        Inputs, finite; the model's dtype (integer input is converted).
    y : array_like
        Targets: integer labels ``(n,)`` or one-hot ``(n, C)`` for
        ``"softmax_cross_entropy"``; otherwise the output's shape ``(n, k)``.
        For a single-output model ``(n,)`` is also accepted and used as
        ``(n, 1)``.
    loss : str
        A name in :data:`nnlib.losses.LOSSES`: ``"mse"``, ``"mae"``, ``"bce"``
        (probabilities), ``"bce_with_logits"``, ``"softmax_cross_entropy"``.
    optimizer : Optimizer
        Built on ``model.parameters(trainable_only=True)``; its state persists
        across calls.
    epochs : int
        Number of passes over the data, >= 1.
    batch_size : int, optional
        In ``[1, n]``; default ``n`` (full-batch gradient descent). The last
        batch may be smaller.
    shuffle : bool, default True
        Shuffle the examples at the start of every epoch.
    rng : numpy.random.Generator, int or None
        Randomness for shuffling.
    validation_data : tuple (X_val, y_val), optional
        Evaluated (eval mode) after every epoch: ``val_loss`` (and ``val_accuracy``).
    l1, l2 : float, default 0
        L1 / L2 penalty strengths :math:`\lambda_1, \lambda_2 \ge 0`, on weights only.
    callbacks : sequence of Callback
        See :class:`Callback`; ``on_epoch_end`` returning True stops training.
    early_stopping : EarlyStopping, optional
        Added to the callbacks.
    clip_norm : float, optional
        Clip the global gradient norm to this value before each step
        (:func:`nnlib.optim.clip_grad_norm`).
    initial_epoch : int, default 0
        Number epochs from ``initial_epoch + 1`` (for repeated calls).
    verbose : bool, default False
        Print one line per epoch.

    Returns
    -------
    History

    Raises
    ------
    ValueError, TypeError
        Before any training, if an argument is invalid: X not 2-D, wrong number
        of targets, targets that do not fit the loss, ``epochs < 1``,
        ``batch_size`` outside ``[1, n]``, unknown loss, an optimizer built on
        other parameters, a dtype mismatch, ...
    TrainingDivergedError
        If the loss or a gradient becomes NaN/inf; names the epoch and batch
        and leaves the parameters as they were before that step.

    Examples
    --------
    >>> from nnlib.layers import mlp
    >>> from nnlib.optim import Adam
    >>> X = np.array([[0., 0.], [0., 1.], [1., 0.], [1., 1.]]); y = np.array([0, 1, 1, 0])
    >>> model = mlp([2, 8, 2], "tanh", rng=0)
    >>> history = fit(model, X, y, loss="softmax_cross_entropy",
    ...               optimizer=Adam(model.parameters(), lr=0.05), epochs=300, rng=0)
    >>> history["accuracy"][-1]
    1.0
    """
    model = _check_model(model)
    X, y, loss_fn = _prepare(model, X, y, loss)
    n = X.shape[0]
    epochs = check_number(epochs, "epochs", low=1, integer=True)
    if batch_size is None:
        batch_size = n
    else:
        batch_size = check_number(batch_size, "batch_size", integer=True)
        if not 1 <= batch_size <= n:
            raise ValueError(
                f"batch_size: expected an integer in [1, {n}] (1 to the number of examples), got {batch_size}"
            )
    if not isinstance(shuffle, (bool, np.bool_)):
        raise TypeError(f"shuffle: expected True or False, got {shuffle!r}")
    rng = as_rng(rng)
    if validation_data is not None:
        if not (isinstance(validation_data, (tuple, list)) and len(validation_data) == 2):
            raise TypeError("validation_data: expected a tuple (X_val, y_val)")
        X_val, y_val, _ = _prepare(model, *validation_data, loss, "X_val", "y_val")
    l1, l2 = _check_penalty(l1, "l1"), _check_penalty(l2, "l2")
    clip_norm = _check_clip(clip_norm)
    initial_epoch = check_number(initial_epoch, "initial_epoch", low=0, integer=True)
    callbacks = list(callbacks)
    if early_stopping is not None:
        if not isinstance(early_stopping, EarlyStopping):
            raise TypeError(f"early_stopping: expected an EarlyStopping, got {type(early_stopping).__name__}")
        callbacks.append(early_stopping)
    for i, cb in enumerate(callbacks):
        if not isinstance(cb, Callback):
            raise TypeError(f"callbacks[{i}]: expected a Callback instance, got {type(cb).__name__}")
    grads = _check_optimizer(optimizer, model)

    kind = _CLASSIFICATION.get(loss_fn)
    metrics = ["loss"] + (["accuracy"] if kind else [])
    if validation_data is not None:
        metrics += ["val_" + m for m in metrics]
    if l1 or l2:
        metrics.append("penalty")
    n_batches = -(-n // batch_size)
    for cb in callbacks:
        cb.on_train_begin(model, {"epochs": epochs, "batch_size": batch_size, "n_examples": n,
                                  "batches_per_epoch": n_batches, "metrics": list(metrics)})

    history = History()
    was_training = model.training
    last_epoch = initial_epoch + epochs
    try:
        for epoch in range(initial_epoch + 1, last_epoch + 1):
            start_time = time.perf_counter()
            model.train()
            order = rng.permutation(n) if shuffle else np.arange(n)
            loss_sum, correct = 0.0, 0.0
            for batch, start in enumerate(range(0, n, batch_size), start=1):
                idx = order[start:start + batch_size]
                xb, yb = X[idx], y[idx]
                where = f" at epoch {epoch}, batch {batch} of {n_batches}"
                batch_loss, out = _step(model, xb, yb, loss_fn, optimizer, grads, l1, l2, clip_norm,
                                        where, epoch, batch)
                loss_sum += batch_loss * len(idx)
                if kind:
                    correct += _n_correct(out, yb, kind)
                for cb in callbacks:
                    cb.on_batch_end(batch, {"epoch": epoch, "loss": batch_loss, "size": len(idx)})

            logs = {"loss": loss_sum / n}
            if kind:
                logs["accuracy"] = correct / n
            if validation_data is not None:
                val = _evaluate(model, X_val, y_val, loss_fn)
                logs.update({"val_" + k: v for k, v in val.items()})
            if l1 or l2:
                logs["penalty"] = _penalties(optimizer.params, l1, l2)[0]
            history.record(epoch, logs)
            if verbose:
                parts = "  ".join(f"{k} {v:.4f}" for k, v in logs.items())
                print(f"epoch {epoch:>{len(str(last_epoch))}}/{last_epoch}  {parts}  "
                      f"({time.perf_counter() - start_time:.2f}s)", flush=True)
            stop = [cb.on_epoch_end(epoch, logs) for cb in callbacks]
            if any(stop):
                history.stopped_epoch = epoch
                break
    finally:
        model.train(was_training)
    for cb in callbacks:
        cb.on_train_end(history)
    return history


# ------------------------------------------------------------------- evaluation


def _evaluate(model, X, y, loss_fn) -> dict:
    was_training = model.training
    model.eval()
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            out = model.forward(X)
            value, _ = loss_fn(out, y)
    finally:
        model.train(was_training)
    result = {"loss": value}
    kind = _CLASSIFICATION.get(loss_fn)
    if kind:
        result["accuracy"] = _n_correct(out, y, kind) / X.shape[0]
    return result


def evaluate(model, X, y, loss: str) -> dict:
    r"""Loss (and accuracy for classification losses) of ``model`` on ``(X, y)``, in eval mode.

    .. math::

        \text{loss} = \frac{1}{n}\sum_{i=1}^n \ell\bigl(f(x_i), y_i\bigr), \qquad
        \text{accuracy} = \frac{1}{n}\sum_{i=1}^n \mathbb{1}[\hat y_i = y_i]

    No penalties are added. Targets are accepted as in :func:`fit`.

    Parameters
    ----------
    model : Layer or Sequential
    X : array_like, shape (n, d_in)
    y : array_like
    loss : str
        A name in :data:`nnlib.losses.LOSSES`.

    Returns
    -------
    dict
        ``{"loss": float}`` plus ``"accuracy"`` for classification losses.

    Raises
    ------
    ValueError, TypeError
        As :func:`fit` for invalid inputs.
    """
    model = _check_model(model)
    X, y, loss_fn = _prepare(model, X, y, loss)
    return _evaluate(model, X, y, loss_fn)


def predict(model, X) -> np.ndarray:
    r"""The model's output for ``X`` (eval mode; the model's mode is restored afterwards).

    .. math::

        \hat Y = f(X; \theta)

    Parameters
    ----------
    model : Layer or Sequential
    X : array_like, shape (n, d_in)
        Finite, the model's dtype (integer input is converted).

    Returns
    -------
    ndarray, shape (n, k)
        Raw outputs: logits for classifiers trained on logits.
    """
    model = _check_model(model)
    X = _check_X(X, "X", _model_dtype(model))
    was_training = model.training
    model.eval()
    try:
        return model.forward(X)
    finally:
        model.train(was_training)


def _outputs_are_probabilities(model) -> bool:
    last = model.layers[-1] if isinstance(model, Sequential) and len(model) else model
    return isinstance(last, (Sigmoid, Softmax))


def predict_proba(model, X, from_logits: bool | None = None) -> np.ndarray:
    r"""Class probabilities for ``X``.

    .. math::

        p = \sigma(z) \ (k = 1), \qquad p = \operatorname{softmax}(z) \ (k > 1)

    where :math:`z` is the model output. For a single output, :math:`p` is the
    probability of class 1.

    Parameters
    ----------
    model : Layer or Sequential
    X : array_like, shape (n, d_in)
    from_logits : bool, optional
        Whether the model outputs logits. Default: logits unless the model's
        last layer is a :class:`~nnlib.layers.Sigmoid` or
        :class:`~nnlib.layers.Softmax`.

    Returns
    -------
    ndarray, shape (n, k)
    """
    out = predict(model, X)
    if from_logits is None:
        from_logits = not _outputs_are_probabilities(model)
    if not from_logits:
        return out
    if out.ndim != 2:
        raise ValueError(f"model: expected an output of shape (n, k), got shape {out.shape}")
    return activations.sigmoid(out) if out.shape[1] == 1 else activations.softmax(out, axis=1)


def predict_classes(model, X, threshold: float = 0.5, from_logits: bool | None = None) -> np.ndarray:
    r"""Predicted class labels for ``X``.

    .. math::

        \hat y_i = \mathbb{1}[p_i \ge t] \ (k = 1), \qquad
        \hat y_i = \arg\max_c p_{ic} \ (k > 1)

    Parameters
    ----------
    model : Layer or Sequential
    X : array_like, shape (n, d_in)
    threshold : float, default 0.5
        :math:`t \in (0, 1)`, used for single-output models only.
    from_logits : bool, optional
        As in :func:`predict_proba`.

    Returns
    -------
    ndarray of int64, shape (n,)
    """
    threshold = check_number(threshold, "threshold", low=0.0, high=1.0,
                             low_inclusive=False, high_inclusive=False)
    p = predict_proba(model, X, from_logits)
    if p.shape[1] == 1:
        return (p[:, 0] >= threshold).astype(np.int64)
    return p.argmax(axis=1).astype(np.int64)
