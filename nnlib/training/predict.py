r"""Using a model: :func:`predict`, :func:`predict_proba`, :func:`predict_classes`, :func:`evaluate`."""

from __future__ import annotations

import numpy as np

from nnlib import activations
from nnlib._validation import check_number
from nnlib.training._checks import (
    CLASSIFICATION,
    PROBABILITY_OUTPUTS,
    check_inputs,
    check_model,
    forward_in_eval_mode,
    model_dtype,
    prepare,
)

__all__ = ["evaluate", "predict", "predict_proba", "predict_classes"]


def count_correct(out: np.ndarray, y: np.ndarray, kind: str) -> float:
    """Number of correctly classified rows (binary: thresholds at p = 0.5, i.e. logit 0).

    For binary outputs with k > 1 columns (multi-label) each entry counts 1/k.
    """
    if kind == "multiclass":
        labels = y if y.ndim == 1 else y.argmax(axis=1)
        return float(np.count_nonzero(out.argmax(axis=1) == labels))
    threshold = 0.0 if kind == "binary_logits" else 0.5
    return float(np.count_nonzero((out >= threshold) == (y >= 0.5))) / out.shape[1]


def scores(out: np.ndarray, y: np.ndarray, loss_fn) -> dict:
    """``{"loss": ...}`` (plus ``"accuracy"`` for classification losses) of outputs ``out`` against ``y``."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        result = {"loss": loss_fn(out, y)[0]}
    kind = CLASSIFICATION.get(loss_fn)
    if kind:
        result["accuracy"] = count_correct(out, y, kind) / out.shape[0]
    return result


def evaluate_in_eval_mode(model, X: np.ndarray, y: np.ndarray, loss_fn) -> dict:
    """:func:`scores` of the model's output on validated ``(X, y)``, computed in eval mode."""
    return scores(forward_in_eval_mode(model, X), y, loss_fn)


def evaluate(model, X, y, loss: str) -> dict:
    r"""Loss (and accuracy for classification losses) of ``model`` on ``(X, y)``, in eval mode.

    .. math::

        \text{loss} = \frac{1}{n}\sum_{i=1}^n \ell\bigl(f(x_i), y_i\bigr), \qquad
        \text{accuracy} = \frac{1}{n}\sum_{i=1}^n \mathbb{1}[\hat y_i = y_i]

    No penalties are added. Targets are accepted as in :func:`fit`; one forward
    pass over ``X``.

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
    _, y, loss_fn, out = prepare(check_model(model), X, y, loss, output=True)
    return scores(out, y, loss_fn)


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
    model = check_model(model)
    return forward_in_eval_mode(model, check_inputs(X, "X", model_dtype(model)))


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
        Whether the model outputs logits. Default: logits unless the model
        ends in a :class:`~nnlib.layers.Sigmoid` or :class:`~nnlib.layers.Softmax`
        (its ``output_activation``, which sees through nested containers).

    Returns
    -------
    ndarray, shape (n, k)
    """
    out = predict(model, X)
    if from_logits is None:
        from_logits = check_model(model).output_activation not in PROBABILITY_OUTPUTS
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
