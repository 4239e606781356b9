r"""Training: :class:`Trainer` (one batch or one epoch per call), :func:`fit`, predictions, callbacks.

One training step on a mini-batch :math:`(X_B, y_B)` is

.. math::

    J(\theta) = L\bigl(f(X_B; \theta), y_B\bigr) + R(\theta), \qquad
    \theta \leftarrow \operatorname{step}\bigl(\theta, \nabla_\theta J\bigr)

with :math:`L` the loss (by name, from :data:`nnlib.losses.LOSSES`),
:math:`R` the optional L1/L2 penalties on the parameters the layers declare
``regularized`` (:mod:`nnlib.regularization`) and ``step`` the optimizer's
update (:mod:`nnlib.optim`).

Two ways to train
-----------------
* :class:`Trainer` validates the model, the data, the loss and the optimizer
  **once**; then :meth:`Trainer.step` does one mini-batch update and
  :meth:`Trainer.run_epoch` one pass over the data, each returning a small
  dict of logs, with no checks repeated. This is what widgets call once per
  animation frame::

      trainer = Trainer(model, X, y, loss="softmax_cross_entropy", optimizer=Adam(model.parameters()),
                        batch_size=32, rng=0)
      logs = trainer.run_epoch()      # {"loss": ..., "accuracy": ...}; also in trainer.history

* :func:`fit` runs a number of epochs over a Trainer, with callbacks
  (:class:`Callback`), a :class:`History` and early stopping
  (:class:`EarlyStopping`). :func:`train_step` is a single step without a Trainer.

Conventions of the loop
-----------------------
* Epochs and batches are **numbered from 1** everywhere: in
  :class:`History`, in callbacks, in messages and in the verbose output.
* If the loss or a gradient becomes NaN/inf, :class:`TrainingDivergedError`
  is raised *before* the optimizer step, so the parameters are those from
  before the failing step; the message suggests what to change.
* The optimizer keeps its state between calls: calling ``fit(..., epochs=1)``
  repeatedly with the same optimizer continues momentum/Adam exactly as one
  longer call would (up to the order of the shuffled batches).
* Classification losses (``"softmax_cross_entropy"``, ``"bce_with_logits"``,
  ``"bce"``) also record accuracy. Models output logits for the first two:
  a model ending in a Softmax or Sigmoid layer is refused for them.

Modules: ``trainer`` (:class:`Trainer`, :func:`train_step`, the step itself),
``fit`` (:func:`fit`), ``callbacks`` (:class:`History`, :class:`Callback`,
:class:`EarlyStopping`), ``predict`` (:func:`predict`, :func:`predict_proba`,
:func:`predict_classes`, :func:`evaluate`); the checks they share are in
``nnlib.training._checks``.
"""

from nnlib.training.callbacks import Callback, EarlyStopping, History
from nnlib.training.fit import fit
from nnlib.training.predict import evaluate, predict, predict_classes, predict_proba
from nnlib.training.trainer import Trainer, TrainingDivergedError, train_step

__all__ = [
    "Trainer",
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
