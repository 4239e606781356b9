r""":func:`fit`: train for a number of epochs, with callbacks, history and early stopping (a loop over a :class:`~nnlib.training.Trainer`)."""

from __future__ import annotations

import time

from nnlib._validation import check_number, describe
from nnlib.training.callbacks import Callback, EarlyStopping, History
from nnlib.training.trainer import Trainer

__all__ = ["fit"]


def _callbacks(callbacks, early_stopping) -> list:
    if not isinstance(callbacks, (list, tuple)):
        raise TypeError(f"callbacks: expected a list of Callback instances, got {describe(callbacks)}")
    callbacks = list(callbacks)
    if early_stopping is not None:
        if not isinstance(early_stopping, EarlyStopping):
            raise TypeError(f"early_stopping: expected an EarlyStopping, got {describe(early_stopping)}")
        callbacks.append(early_stopping)
    for i, cb in enumerate(callbacks):
        if not isinstance(cb, Callback):
            raise TypeError(f"callbacks[{i}]: expected a Callback instance, got {type(cb).__name__}")
    return callbacks


def fit(model, X, y, *, loss: str, optimizer, epochs: int, batch_size: int | None = None, shuffle: bool = True,
        rng=None, validation_data=None, l1: float = 0.0, l2: float = 0.0, callbacks=(),
        early_stopping: EarlyStopping | None = None, clip_norm: float | None = None, initial_epoch: int = 0,
        verbose: bool = False, clip_value: float | None = None) -> History:
    r"""Train ``model`` with mini-batch gradient descent for ``epochs`` epochs.

    For each epoch the examples are (optionally) shuffled and split into
    batches of ``batch_size``; for each batch :math:`B` (see :class:`Trainer`):

    .. math::

        J_B(\theta) = \frac{1}{|B|}\sum_{i \in B} \ell\bigl(f(x_i;\theta), y_i\bigr)
        + \lambda_1 \sum |W| + \frac{\lambda_2}{2} \sum \|W\|^2, \qquad
        \theta \leftarrow \operatorname{step}(\theta, \nabla_\theta J_B)

    Everything is validated before the first step (a mistake raises without
    touching the model); the model's mode is restored at the end.

    Parameters
    ----------
    model, X, y, loss, optimizer, batch_size, shuffle, rng, validation_data, l1, l2, clip_norm, clip_value
        As for :class:`Trainer`: a model whose output is ``(n, k)``; inputs
        ``(n, d_in)``; labels ``(n,)``, one-hot ``(n, C)`` or targets shaped
        like the output; a loss name in :data:`nnlib.losses.LOSSES`; an
        optimizer on ``model.parameters(trainable_only=True)`` (its state
        persists across calls); ``batch_size`` in ``[1, n]`` (default: full
        batch); ``(X_val, y_val)``; penalty strengths; a global-norm bound; a bound on every entry.
    epochs : int
        Number of passes over the data, >= 1.
    callbacks : list of Callback
        See :class:`Callback`; ``on_epoch_end`` returning True stops training.
    early_stopping : EarlyStopping, optional
        Added to the callbacks.
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
        Before any training, if an argument is invalid: X not 2-D or not
        accepted by the model, wrong number of targets, targets that do not fit
        the loss, a model ending in Softmax/Sigmoid with a loss on logits,
        ``epochs < 1``, ``batch_size`` outside ``[1, n]``, an optimizer built
        on another model, callbacks that are not Callbacks, ...
    TrainingDivergedError
        If the loss or a gradient becomes NaN/inf; names the epoch and batch
        and leaves the parameters as they were before that step.

    Examples
    --------
    >>> from nnlib.models import mlp
    >>> from nnlib.optim import Adam
    >>> X = np.array([[0., 0.], [0., 1.], [1., 0.], [1., 1.]]); y = np.array([0, 1, 1, 0])
    >>> model = mlp([2, 8, 2], "tanh", rng=0)
    >>> history = fit(model, X, y, loss="softmax_cross_entropy",
    ...               optimizer=Adam(model.parameters(), lr=0.05), epochs=300, rng=0)
    >>> history["accuracy"][-1]
    1.0
    """
    trainer = Trainer(model, X, y, loss=loss, optimizer=optimizer, batch_size=batch_size, l1=l1, l2=l2,
                      clip_norm=clip_norm, validation_data=validation_data, shuffle=shuffle, rng=rng,
                      clip_value=clip_value)
    epochs = check_number(epochs, "epochs", low=1, integer=True)
    trainer.epoch = check_number(initial_epoch, "initial_epoch", low=0, integer=True)
    callbacks = _callbacks(callbacks, early_stopping)
    verbose = bool(verbose)
    begin = {"epochs": epochs, "batch_size": trainer.batch_size, "n_examples": trainer.n,
             "batches_per_epoch": trainer.batches_per_epoch, "metrics": list(trainer.metrics)}
    for cb in callbacks:
        cb.on_train_begin(model, dict(begin))

    def on_batch_end(logs):
        for cb in callbacks:
            cb.on_batch_end(logs["batch"], {"epoch": logs["epoch"], "loss": logs["loss"], "size": logs["size"]})

    was_training, last_epoch = model.training, trainer.epoch + epochs
    try:
        for _ in range(epochs):
            start = time.perf_counter()
            logs = trainer.run_epoch(on_batch_end if callbacks else None)
            if verbose:
                parts = "  ".join(f"{k} {v:.4f}" for k, v in logs.items())
                print(f"epoch {trainer.epoch:>{len(str(last_epoch))}}/{last_epoch}  {parts}  "
                      f"({time.perf_counter() - start:.2f}s)", flush=True)
            if any([cb.on_epoch_end(trainer.epoch, logs) for cb in callbacks]):
                trainer.history.stopped_epoch = trainer.epoch
                break
    finally:
        model.train(was_training)
    for cb in callbacks:
        cb.on_train_end(trainer.history)
    return trainer.history
