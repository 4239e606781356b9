r"""Loss functions, each returning the mean loss and its gradient.

Every loss has the signature ``loss(prediction, target) -> (value, grad)``:

* ``value`` is a Python ``float``: the **mean** over the batch,
* ``grad`` is :math:`\partial\, \text{value} / \partial\, \text{prediction}`,
  an array with the prediction's shape and dtype. Because the value is a mean,
  the :math:`1/N` is already inside ``grad``; backward passes then *sum* over
  the batch (see :func:`nnlib.functional.linear_backward`).

:math:`N` is the number of entries averaged over: ``y_pred.size`` for
:func:`mse_loss`, :func:`mae_loss`, :func:`bce_loss` and
:func:`bce_with_logits_loss` (for the usual targets of shape ``(n,)`` or
``(n, 1)`` that is the batch size ``n``), and the number of rows ``n`` for
:func:`softmax_cross_entropy_loss` (the sum over classes is not averaged).

Prediction and target must have exactly the same shape: ``(n, 1)`` against
``(n,)`` is a ``ValueError``, never a silent broadcast to ``(n, n)``. Targets
must be finite; predictions may contain NaN/inf (the loss is then NaN/inf,
which :func:`nnlib.training.fit` reports as divergence). Classifiers should
prefer the fused, stable losses on logits (:func:`bce_with_logits_loss`,
:func:`softmax_cross_entropy_loss`): they stay finite at logits of ±1000.

``LOSSES`` maps names (``"mse"``, ``"mae"``, ``"bce"``, ``"bce_with_logits"``,
``"softmax_cross_entropy"``) to these functions.
"""

from __future__ import annotations

import numpy as np

from nnlib import activations as A
from nnlib._validation import check_array, check_labels, check_number

__all__ = [
    "mse_loss",
    "mae_loss",
    "bce_loss",
    "bce_with_logits_loss",
    "softmax_cross_entropy_loss",
    "LOSSES",
]


# ---------------------------------------------------------------------- helpers


def _prediction(y_pred, name: str, ndim=None) -> np.ndarray:
    """Predictions: float32/float64 array (ints -> float64); NaN/inf allowed."""
    return check_array(y_pred, name, ndim=ndim, dtype="float", finite=False)


def _target_like(y_true, pred: np.ndarray, pred_name: str, name: str) -> np.ndarray:
    """Targets: finite, exactly the prediction's shape, cast to the prediction's dtype."""
    y = check_array(y_true, name, dtype="float")
    if y.shape != pred.shape:
        raise ValueError(
            f"{name}: expected the same shape as {pred_name} {pred.shape}, got shape {y.shape} "
            f"(losses do not broadcast; reshape one of them, e.g. {name}.reshape({pred_name}.shape))"
        )
    return y.astype(pred.dtype, copy=False)


def _residual(y_pred, y_true) -> np.ndarray:
    """``y_pred - y_true``, both checked (same shape, finite targets), in the prediction's dtype."""
    y_pred = _prediction(y_pred, "y_pred")
    return y_pred - _target_like(y_true, y_pred, "y_pred", "y_true")


def _check_unit_interval(arr: np.ndarray, name: str, hint: str = "") -> None:
    """Raise unless every (non-NaN) entry lies in [0, 1]."""
    if np.any(arr < 0) or np.any(arr > 1):
        raise ValueError(
            f"{name}: expected values in [0, 1], got values in "
            f"[{np.nanmin(arr):.6g}, {np.nanmax(arr):.6g}]{hint}"
        )


# ------------------------------------------------------------------- regression


def mse_loss(y_pred, y_true):
    r"""Mean squared error.

    .. math::

        L = \frac{1}{N} \sum_{k=1}^{N} (\hat y_k - y_k)^2, \qquad
        \frac{\partial L}{\partial \hat y_k} = \frac{2}{N} (\hat y_k - y_k)

    with :math:`N` the number of entries (``y_pred.size``).

    Parameters
    ----------
    y_pred : array_like, any shape, e.g. (n,) or (n, k)
        Predictions :math:`\hat y`.
    y_true : array_like, same shape as ``y_pred``
        Targets :math:`y` (finite).

    Returns
    -------
    loss : float
    grad : ndarray, same shape and dtype as ``y_pred``

    Raises
    ------
    ValueError
        If the shapes differ or ``y_true`` is not finite.

    Examples
    --------
    >>> loss, grad = mse_loss([[1.0], [3.0]], [[0.0], [1.0]])
    >>> loss, grad.ravel()
    (2.5, array([1., 2.]))
    """
    diff = _residual(y_pred, y_true)
    return float(np.mean(diff * diff)), (2 / diff.size) * diff


def mae_loss(y_pred, y_true):
    r"""Mean absolute error.

    .. math::

        L = \frac{1}{N} \sum_{k=1}^{N} |\hat y_k - y_k|, \qquad
        \frac{\partial L}{\partial \hat y_k} = \frac{1}{N} \operatorname{sign}(\hat y_k - y_k)

    At :math:`\hat y_k = y_k` the absolute value has a kink; the gradient
    used there is 0 (``np.sign(0) = 0``, a valid subgradient).

    Parameters
    ----------
    y_pred : array_like, any shape
    y_true : array_like, same shape as ``y_pred``

    Returns
    -------
    loss : float
    grad : ndarray, same shape and dtype as ``y_pred``

    Raises
    ------
    ValueError
        If the shapes differ or ``y_true`` is not finite.
    """
    diff = _residual(y_pred, y_true)
    return float(np.mean(np.abs(diff))), np.sign(diff) / diff.size


# ----------------------------------------------------------- binary classification


def bce_loss(p, y, eps: float = 1e-12):
    r"""Binary cross-entropy on probabilities (e.g. the output of a sigmoid).

    .. math::

        L = -\frac{1}{N} \sum_{k=1}^{N} \bigl[y_k \log \tilde p_k + (1 - y_k) \log(1 - \tilde p_k)\bigr],
        \qquad
        \frac{\partial L}{\partial p_k} = \frac{1}{N}\left(-\frac{y_k}{\tilde p_k} + \frac{1 - y_k}{1 - \tilde p_k}\right)
        = \frac{1}{N}\,\frac{\tilde p_k - y_k}{\tilde p_k (1 - \tilde p_k)}

    where :math:`\tilde p = \operatorname{clip}(p, \varepsilon, 1 - \varepsilon)`
    keeps :math:`\log 0` and division by 0 away. With :math:`\varepsilon = 10^{-12}`
    the loss is at most :math:`-\log 10^{-12} \approx 27.6` per entry and the
    gradient at most :math:`10^{12}/N`; where clipping is active the gradient is
    this formula evaluated at :math:`\tilde p` (large, pointing the right way),
    not the zero derivative of the clipped function. The computation runs in
    float64 (``1 - 1e-12`` is 1 in float32), and ``grad`` is cast back to
    ``p``'s dtype.

    Prefer :func:`bce_with_logits_loss` in a model: fused with the sigmoid it
    needs no clipping and its gradient is simply :math:`(\sigma(z) - y)/N`.

    Parameters
    ----------
    p : array_like, any shape, e.g. (n,) or (n, 1)
        Predicted probabilities in :math:`[0, 1]`.
    y : array_like, same shape as ``p``
        Targets in :math:`[0, 1]` (usually 0/1 labels).
    eps : float, default 1e-12
        Clipping margin, :math:`0 < \varepsilon < 0.5`.

    Returns
    -------
    loss : float
    grad : ndarray, same shape and dtype as ``p``

    Raises
    ------
    ValueError
        If the shapes differ, ``p`` or ``y`` leaves :math:`[0, 1]` (logits passed
        by mistake are the usual cause), or ``eps`` is out of range.
    """
    p = _prediction(p, "p")
    y = _target_like(y, p, "p", "y")
    eps = check_number(eps, "eps", low=0.0, high=0.5, low_inclusive=False, high_inclusive=False)
    _check_unit_interval(p, "p", "; for logits use bce_with_logits_loss")
    _check_unit_interval(y, "y")
    p64 = np.clip(p.astype(np.float64), eps, 1 - eps)
    y64 = y.astype(np.float64)
    n = p.size
    loss = -np.mean(y64 * np.log(p64) + (1 - y64) * np.log(1 - p64))
    grad = (-y64 / p64 + (1 - y64) / (1 - p64)) / n
    return float(loss), grad.astype(p.dtype, copy=False)


def bce_with_logits_loss(logits, y):
    r"""Binary cross-entropy on logits: sigmoid and BCE fused, stable for any logit.

    With :math:`p = \sigma(z)`, :math:`-\log \sigma(z) = \operatorname{softplus}(-z)`
    and :math:`\operatorname{softplus}(-z) = \operatorname{softplus}(z) - z`, so

    .. math::

        L = \frac{1}{N} \sum_{k=1}^{N} \bigl[\operatorname{softplus}(z_k) - y_k z_k\bigr],
        \qquad
        \frac{\partial L}{\partial z_k} = \frac{1}{N} \bigl(\sigma(z_k) - y_k\bigr)

    where :math:`\operatorname{softplus}(z) = \max(z, 0) + \log(1 + e^{-|z|})` never
    overflows: the loss is finite (no warnings) even at :math:`z = \pm 1000`.

    Parameters
    ----------
    logits : array_like, any shape, e.g. (n,) or (n, 1)
        Scores :math:`z` (before the sigmoid).
    y : array_like, same shape as ``logits``
        Targets in :math:`[0, 1]`.

    Returns
    -------
    loss : float
    grad : ndarray, same shape and dtype as ``logits``

    Raises
    ------
    ValueError
        If the shapes differ or ``y`` leaves :math:`[0, 1]`.

    Examples
    --------
    >>> loss, grad = bce_with_logits_loss([1000.0, -1000.0], [1.0, 0.0])
    >>> loss, grad
    (0.0, array([0., 0.]))
    """
    z = _prediction(logits, "logits")
    y = _target_like(y, z, "logits", "y")
    _check_unit_interval(y, "y")
    loss = np.mean(A.softplus(z) - y * z)
    return float(loss), (A.sigmoid(z) - y) / z.size


# ------------------------------------------------------- multi-class classification


def softmax_cross_entropy_loss(logits, y):
    r"""Softmax followed by cross-entropy, fused and log-sum-exp stable.

    With :math:`Y` the target distributions (one-hot rows for labels) and
    :math:`\log p = \operatorname{log\_softmax}(Z)` row by row:

    .. math::

        L = -\frac{1}{n} \sum_{i=1}^{n} \sum_{c=1}^{C} Y_{ic} \log p_{ic}
          = -\frac{1}{n} \sum_{i=1}^{n} \log p_{i, y_i} \ \text{(labels)},
        \qquad
        \frac{\partial L}{\partial Z} = \frac{1}{n} (P - Y)

    (the notes' :math:`p_j - \mathbb{1}_{j=y}`, divided by :math:`n` for the
    mean). The gradient formula needs every row of :math:`Y` to sum to 1,
    which is checked. Logits of ±1000 give a finite loss and no warnings.

    Parameters
    ----------
    logits : array_like, shape (n, C)
        Scores :math:`Z` (before the softmax).
    y : array_like, shape (n,) or (n, C)
        Either integer labels in ``[0, C)`` (shape ``(n,)``), or one target
        distribution per row (one-hot or soft labels: entries in
        :math:`[0, 1]`, rows summing to 1; shape ``(n, C)``).

    Returns
    -------
    loss : float
    grad : ndarray, shape (n, C), dtype of ``logits``

    Raises
    ------
    ValueError
        If ``logits`` is not 2-D; labels are out of ``[0, C)`` (the message
        lists the range and the bad labels) or not one per row; ``y`` has
        another shape; target rows leave :math:`[0, 1]` or do not sum to 1.
    TypeError
        If 1-D labels are not integers.

    Examples
    --------
    >>> loss, grad = softmax_cross_entropy_loss([[0.0, 0.0]], [1])
    >>> round(loss, 6), grad
    (0.693147, array([[ 0.5, -0.5]]))
    """
    z = _prediction(logits, "logits", ndim=2)
    n, n_classes = z.shape
    y_arr = np.asarray(y)
    log_p = A.log_softmax(z, axis=1)
    grad = np.exp(log_p)  # P, then P - Y below
    if y_arr.ndim == 1:
        labels = check_labels(y_arr, "y", n_classes=n_classes, n=n)
        rows = np.arange(n)
        loss = -np.mean(log_p[rows, labels])
        grad[rows, labels] -= 1
    else:
        if y_arr.ndim != 2:
            raise ValueError(
                f"y: expected integer labels of shape ({n},) or target rows of shape {z.shape}, "
                f"got shape {y_arr.shape}"
            )
        if y_arr.shape != z.shape:
            raise ValueError(
                f"y: expected integer labels of shape ({n},) or target rows of the same shape as "
                f"logits {z.shape}, got shape {y_arr.shape} (losses do not broadcast)"
            )
        targets = _target_like(y_arr, z, "logits", "y")
        _check_unit_interval(targets, "y")
        row_sums = targets.sum(axis=1, dtype=np.float64)
        if not np.allclose(row_sums, 1.0, rtol=0, atol=1e-6):
            raise ValueError(
                f"y: expected each row to sum to 1 (a target distribution), got row sums in "
                f"[{row_sums.min():.6g}, {row_sums.max():.6g}]"
            )
        loss = -np.sum(targets * log_p) / n
        grad -= targets
    return float(loss), grad / n


LOSSES = {
    "mse": mse_loss,
    "mae": mae_loss,
    "bce": bce_loss,
    "bce_with_logits": bce_with_logits_loss,
    "softmax_cross_entropy": softmax_cross_entropy_loss,
}
"""Loss functions by name, as accepted by ``fit(..., loss="mse")``."""
