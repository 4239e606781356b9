"""The checks training runs once, before anything changes: model, data, loss, optimizer, callbacks.

Shared by :class:`~nnlib.training.Trainer`, :func:`~nnlib.training.fit`,
:func:`~nnlib.training.evaluate` and the predictions. Every check raises
``ValueError``/``TypeError`` naming the argument, what was expected and what came.
"""

from __future__ import annotations

import numpy as np

from nnlib import losses
from nnlib._validation import check_array, check_choice, check_number, describe
from nnlib.layers import Layer
from nnlib.optim import Optimizer

CLASSIFICATION = {
    losses.softmax_cross_entropy_loss: "multiclass",
    losses.bce_with_logits_loss: "binary_logits",
    losses.bce_loss: "binary_probabilities",
}
"""Losses whose training also records accuracy, and how a prediction is read."""

_APPLIES = {"softmax_cross_entropy": "softmax", "bce_with_logits": "sigmoid"}  # losses that take logits
PROBABILITY_OUTPUTS = ("sigmoid", "softmax")  # output activations that make a model output probabilities


def check_model(model) -> Layer:
    if not isinstance(model, Layer):
        raise TypeError(f"model: expected an nnlib Layer (e.g. a Sequential), got {type(model).__name__}")
    return model


def model_dtype(model) -> np.dtype | None:
    dtypes = {p.dtype for p in model.parameters().values()}
    if len(dtypes) > 1:
        raise TypeError(f"model: expected all parameters to share one dtype, got {sorted(map(str, dtypes))}")
    return dtypes.pop() if dtypes else None


def check_inputs(X, name: str, dtype) -> np.ndarray:
    """Inputs: one example per row (features ``(n, d)``, sequences ``(n, T, d)``, images ``(n, C, H, W)``),
    finite, the model's dtype (integers converted, the other float dtype refused)."""
    arr = check_array(X, name, ndim=(2, 3, 4), dtype="float")
    if dtype is not None and arr.dtype != dtype:
        if getattr(X, "dtype", np.dtype(np.int64)).kind == "f":
            raise TypeError(
                f"{name}: expected dtype {dtype} (the model's dtype), got {arr.dtype}; "
                f"convert with {name}.astype(np.{dtype})"
            )
        arr = arr.astype(dtype)
    return arr


def loss_function(loss: str, model: Layer):
    """The loss function named ``loss``, refused if the model already applies what the loss applies."""
    loss_fn = losses.LOSSES[check_choice(loss, "loss", losses.LOSSES)]
    last = model.output_activation
    if last in PROBABILITY_OUTPUTS and loss in _APPLIES:
        layer = {"sigmoid": "Sigmoid", "softmax": "Softmax"}[last]
        other = ' or keep it and use loss="bce", which takes probabilities' if last == "sigmoid" else ""
        raise ValueError(
            f"loss: {loss!r} takes logits and applies the {_APPLIES[loss]} itself, but the model ends in a "
            f"{layer} layer, so its outputs would be squashed twice and training would go badly. Remove the "
            f"final {layer} layer (predict_proba still gives probabilities){other}."
        )
    return loss_fn


def forward_in_eval_mode(model, X: np.ndarray):
    """The model's output for ``X`` in eval mode; the mode is restored afterwards. NaN/inf pass silently."""
    was_training = model.training
    model.eval()
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return model.forward(X)
    finally:
        model.train(was_training)


def forward_checked(model, X: np.ndarray, name: str) -> np.ndarray:
    """The model's output for all of ``X`` in eval mode; an error names ``X`` (and its shape)."""
    try:
        out = np.asarray(forward_in_eval_mode(model, X))
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"{name}: the model does not accept it (shape {X.shape}): {exc}") from None
    if out.ndim != 2 or out.shape[0] != X.shape[0]:
        raise ValueError(f"model: expected an output of shape ({X.shape[0]}, k) for {name} of shape {X.shape}, "
                         f"got shape {out.shape}")
    return out


def check_targets(y, name: str, name_X: str, n: int, width: int, loss_fn, dtype) -> np.ndarray:
    """Targets against the loss, using the loss's own checks on a dummy prediction."""
    y_arr = np.asarray(y)
    if y_arr.ndim == 0 or y_arr.shape[0] != n:
        got = "a scalar" if y_arr.ndim == 0 else f"{y_arr.shape[0]}"
        raise ValueError(f"{name}: expected {n} targets (one per row of {name_X}), got {got}")
    if loss_fn is losses.softmax_cross_entropy_loss and y_arr.ndim == 1:
        y_arr = check_array(y_arr, name, ndim=1, dtype="int")
    else:
        y_arr = check_array(y_arr, name, ndim=(1, 2), dtype="float")
        if y_arr.ndim == 1 and width == 1:
            y_arr = y_arr.reshape(n, 1)  # documented: (n,) targets for a single-output model
        y_arr = y_arr.astype(dtype or y_arr.dtype, copy=False)
    try:
        loss_fn(np.zeros((n, width), dtype=dtype or np.float64), y_arr)
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"{name} does not fit the model's output (n, {width}) for this loss: {exc}") from None
    return y_arr


def output_width(model, X: np.ndarray, name: str) -> int:
    """The width of the model's output, from one example (cheap); an error is reported on all of ``X``."""
    try:
        out = np.asarray(forward_in_eval_mode(model, X[:1]))
    except (ValueError, TypeError):  # run all of X, so that the message shows X's shape, not a one-row probe
        out = forward_checked(model, X, name)
    if out.ndim != 2:
        raise ValueError(f"model: expected an output of shape (n, k) for {name}, got shape {out.shape} for one example")
    return out.shape[1]


def prepare(model, X, y, loss, name_X: str = "X", name_y: str = "y", *, output: bool = False):
    """Validate (model, X, y, loss) together; return ``(X, y, loss_fn, output on X or None)``.

    With ``output=True`` the model runs on all of ``X`` and the output is returned
    (what :func:`~nnlib.training.evaluate` needs); otherwise one example tells the width.
    """
    loss_fn = loss_function(loss, model)
    dtype = model_dtype(model)
    X = check_inputs(X, name_X, dtype)
    out = forward_checked(model, X, name_X) if output else None
    width = out.shape[1] if output else output_width(model, X, name_X)
    y = check_targets(y, name_y, name_X, X.shape[0], width, loss_fn, dtype or X.dtype)
    return X, y, loss_fn, out


def check_validation_data(validation_data) -> tuple:
    if not (isinstance(validation_data, (tuple, list)) and len(validation_data) == 2):
        raise TypeError(f"validation_data: expected a pair (X_val, y_val), got {describe(validation_data)}")
    return tuple(validation_data)


def check_optimizer(optimizer, model) -> dict:
    """The optimizer must hold exactly the model's trainable arrays; return their gradients (live)."""
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer: expected an nnlib.optim optimizer (e.g. Adam), got {describe(optimizer)}")
    trainable = model.parameters(trainable_only=True)
    if not trainable:
        raise ValueError("model: has no trainable parameters (every layer is frozen or parameter-free)")
    fix = ("Create the optimizer after building (and freezing) the model: "
           "Adam(model.parameters(trainable_only=True), lr=...)")
    missing = [k for k in trainable if k not in optimizer.params]
    extra = [k for k in optimizer.params if k not in trainable]
    if missing or extra:
        raise ValueError(f"optimizer: its parameters are not this model's trainable parameters: it lacks {missing} "
                         f"and has {extra} besides. {fix}")
    others = [k for k in trainable if optimizer.params[k] is not trainable[k]]
    if others:
        raise ValueError(
            f"optimizer: its parameters are not this model's trainable parameters: the names match, but the arrays "
            f"{others} are other arrays than the model's (the optimizer was built on another model, e.g. one made "
            f"before a cell re-created the model). {fix}"
        )
    return model.gradients(trainable_only=True)


def check_penalty(value, name: str) -> float:
    return check_number(value, name, low=0.0)


def check_clip(bound, name: str = "clip_norm"):
    """A clipping bound: None (no clipping) or a positive number."""
    if bound is None:
        return None
    return check_number(bound, name, low=0.0, low_inclusive=False)


def check_batch_size(batch_size, n: int) -> int:
    if batch_size is None:
        return n
    batch_size = check_number(batch_size, "batch_size", integer=True)
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size: expected an integer in [1, {n}] (1 to the number of examples), got {batch_size}")
    return batch_size
