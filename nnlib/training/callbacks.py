"""What training records and the hooks into it: :class:`History`, :class:`Callback`, :class:`EarlyStopping`."""

from __future__ import annotations

import math

import numpy as np

from nnlib._validation import check_number

__all__ = ["History", "Callback", "EarlyStopping"]


class History:
    """What training recorded, one entry per epoch (:func:`fit`, ``Trainer.history``).

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
        At the end of training copy the parameters (and buffers) of the best
        epoch back into the model (in place, so optimizers keep working).

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
        self._best_state = None

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
                self._best_state = [{k: v.copy() for k, v in arrays.items()} for arrays in self._state()]
            return False
        self._wait += 1
        if self._wait >= self.patience:
            self.stopped_epoch = epoch
            return True
        return False

    def _state(self) -> tuple:
        """The model's parameters and buffers (running statistics): what restoring the best epoch puts back."""
        return self._model.parameters(), self._model.buffers()

    def on_train_end(self, history):
        if self.restore_best and self._best_state is not None:
            for arrays, best in zip(self._state(), self._best_state):
                for name, value in arrays.items():
                    np.copyto(value, best[name])

    def __repr__(self) -> str:
        return (f"EarlyStopping(patience={self.patience}, min_delta={self.min_delta}, "
                f"monitor={self.monitor!r}, restore_best={self.restore_best})")
