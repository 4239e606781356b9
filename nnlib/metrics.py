"""Evaluation metrics for regression and classification.

All functions take ``(y_true, y_pred)`` in that order and return plain Python floats
(or, for per-class results, a float64 array).

Classification metrics work on integer class labels ``0, ..., C - 1`` (take the
``argmax`` of predicted probabilities first). For class :math:`c`, counted over the
:math:`n` examples,

.. math::

    TP_c = \\#\\{i : y_i = c,\\ \\hat y_i = c\\}, \\quad
    FP_c = \\#\\{i : y_i \\ne c,\\ \\hat y_i = c\\}, \\quad
    FN_c = \\#\\{i : y_i = c,\\ \\hat y_i \\ne c\\}, \\quad
    TN_c = n - TP_c - FP_c - FN_c.

**Zero division.** A ratio whose denominator is 0 (e.g. precision of a class that is
never predicted) is defined as 0.0, silently: no warning is issued.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_array, check_labels, check_number, check_same_shape

__all__ = [
    "mse",
    "mae",
    "rmse",
    "accuracy",
    "confusion_matrix",
    "precision",
    "recall",
    "f1_score",
]

_AVERAGES = ("binary", "macro", "micro", None)


# ---------------------------------------------------------------------------
# regression
# ---------------------------------------------------------------------------


def _regression_pair(y_true, y_pred):
    y_true = check_array(y_true, "y_true", ndim=(1, 2))
    y_pred = check_array(y_pred, "y_pred", ndim=(1, 2))
    check_same_shape(y_true, y_pred, "y_true", "y_pred")
    return y_true, y_pred


def mse(y_true, y_pred) -> float:
    """Mean squared error.

    .. math::

        \\text{MSE} = \\frac{1}{N} \\sum_{i} (y_i - \\hat y_i)^2

    where the sum and :math:`N` run over all entries (:math:`N = n k` for shape (n, k)).

    Parameters
    ----------
    y_true : array_like of shape (n,) or (n, k)
    y_pred : array_like, same shape as ``y_true`` (no broadcasting)

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For different shapes, empty or non-finite inputs.
    """
    y_true, y_pred = _regression_pair(y_true, y_pred)
    return float(np.mean((y_true - y_pred) ** 2))


def mae(y_true, y_pred) -> float:
    """Mean absolute error.

    .. math::

        \\text{MAE} = \\frac{1}{N} \\sum_{i} |y_i - \\hat y_i|

    over all :math:`N` entries.

    Parameters
    ----------
    y_true : array_like of shape (n,) or (n, k)
    y_pred : array_like, same shape as ``y_true`` (no broadcasting)

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For different shapes, empty or non-finite inputs.
    """
    y_true, y_pred = _regression_pair(y_true, y_pred)
    return float(np.mean(np.abs(y_true - y_pred)))


def rmse(y_true, y_pred) -> float:
    """Root mean squared error, in the units of ``y``.

    .. math::

        \\text{RMSE} = \\sqrt{\\text{MSE}} = \\sqrt{\\frac{1}{N} \\sum_{i} (y_i - \\hat y_i)^2}

    Parameters
    ----------
    y_true : array_like of shape (n,) or (n, k)
    y_pred : array_like, same shape as ``y_true`` (no broadcasting)

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For different shapes, empty or non-finite inputs.
    """
    return float(np.sqrt(mse(y_true, y_pred)))


# ---------------------------------------------------------------------------
# classification
# ---------------------------------------------------------------------------


def _label_pair(y_true, y_pred, n_classes=None):
    """Validate two 1-D label vectors of equal length; return them and C."""
    if n_classes is not None:
        n_classes = check_number(n_classes, "n_classes", low=1, integer=True)
    y_true = check_labels(y_true, "y_true", n_classes=n_classes)
    y_pred = check_labels(y_pred, "y_pred", n_classes=n_classes)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_pred: expected {y_true.shape[0]} labels (as many as y_true), got {y_pred.shape[0]}"
        )
    if n_classes is None:
        n_classes = int(max(y_true.max(), y_pred.max())) + 1
    return y_true, y_pred, n_classes


def _safe_divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den elementwise, 0.0 where den == 0 (no warning)."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    return np.divide(num, den, out=np.zeros(np.broadcast(num, den).shape), where=den != 0)


def accuracy(y_true, y_pred) -> float:
    """Fraction of correctly classified examples.

    .. math::

        \\text{accuracy} = \\frac{1}{n} \\sum_{i=1}^n \\mathbb{1}[\\hat y_i = y_i]
        \\;\\overset{\\text{binary}}{=}\\; \\frac{TP + TN}{TP + TN + FP + FN}

    Parameters
    ----------
    y_true : array_like of shape (n,)
        Integer labels ``>= 0``.
    y_pred : array_like of shape (n,)
        Integer labels ``>= 0``.

    Returns
    -------
    float
        In [0, 1].

    Raises
    ------
    ValueError
        For lengths that differ, inputs that are not 1-D, negative labels.
    TypeError
        For non-integer labels (e.g. probabilities: take ``argmax`` or threshold first).
    """
    y_true, y_pred, _ = _label_pair(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true, y_pred, n_classes: int | None = None) -> np.ndarray:
    """Count every (true class, predicted class) pair.

    .. math::

        M_{jk} = \\#\\{i : y_i = j,\\ \\hat y_i = k\\}, \\qquad
        TP_c = M_{cc}, \\quad FN_c = \\sum_{k \\ne c} M_{ck}, \\quad FP_c = \\sum_{j \\ne c} M_{jc}.

    Rows are true classes, columns predicted classes; the diagonal holds the correct
    predictions and every row sums to the number of examples of that class.

    Parameters
    ----------
    y_true : array_like of shape (n,)
        Integer labels in ``[0, C)``.
    y_pred : array_like of shape (n,)
        Integer labels in ``[0, C)``.
    n_classes : int, optional
        :math:`C`; default ``max(max(y_true), max(y_pred)) + 1``. Pass it so classes that
        happen not to occur still get a row and a column.

    Returns
    -------
    M : ndarray of shape (C, C), int64

    Raises
    ------
    ValueError
        For lengths that differ, inputs that are not 1-D, labels outside ``[0, C)``.

    Examples
    --------
    >>> confusion_matrix([0, 0, 1, 1], [0, 1, 1, 1]).tolist()
    [[1, 1], [0, 2]]
    """
    y_true, y_pred, C = _label_pair(y_true, y_pred, n_classes)
    return np.bincount(C * y_true + y_pred, minlength=C * C).reshape(C, C).astype(np.int64)


def _counts(y_true, y_pred, n_classes, average, pos_label):
    """Per-class TP, FP, FN (arrays of shape (C,)) after validating the arguments."""
    if average not in _AVERAGES:  # (check_choice sorts its choices, which fails with None)
        raise ValueError(
            f"average: expected one of 'binary', 'macro', 'micro' or None, got {average!r}"
        )
    if average == "binary":
        if n_classes is not None and n_classes != 2:
            raise ValueError(
                f"n_classes: average='binary' needs n_classes=2, got {n_classes}; "
                "use average='macro', 'micro' or None for more classes"
            )
        pos_label = check_number(pos_label, "pos_label", low=0, high=1, integer=True)
        y_true, y_pred, _ = _label_pair(y_true, y_pred)
        for name, labels in (("y_true", y_true), ("y_pred", y_pred)):
            other = np.setdiff1d(labels, [0, 1])
            if other.size:
                raise ValueError(
                    f"{name}: average='binary' needs labels in {{0, 1}}, got {other[:5].tolist()}; "
                    "use average='macro', 'micro' or None for more classes"
                )
        n_classes = 2
    else:
        y_true, y_pred, n_classes = _label_pair(y_true, y_pred, n_classes)
    M = confusion_matrix(y_true, y_pred, n_classes)
    tp = np.diag(M)
    fp = M.sum(axis=0) - tp
    fn = M.sum(axis=1) - tp
    return tp, fp, fn, average, pos_label


def _ratio(num: np.ndarray, den: np.ndarray, average, pos_label):
    """Per-class ``num / den`` and the pooled ``sum(num) / sum(den)``, reduced as ``average`` asks."""
    return _reduce(_safe_divide(num, den), _safe_divide(num.sum(), den.sum()), average, pos_label)


def _reduce(per_class: np.ndarray, pooled: float, average, pos_label):
    if average == "binary":
        return float(per_class[pos_label])
    if average == "macro":
        return float(np.mean(per_class))
    if average == "micro":
        return float(pooled)
    return per_class


_AVERAGING_DOC = """
    average : {"binary", "macro", "micro", None}
        ``"binary"`` (default): labels must be in {0, 1}; the score of class
        ``pos_label``. ``"macro"``: the unweighted mean of the :math:`C` per-class
        scores (every class :math:`0, \\dots, C-1` counts, also one absent from both
        inputs, whose score is 0). ``"micro"``: TP, FP, FN are summed over classes
        before dividing (for single-label data micro precision = micro recall =
        micro F1 = accuracy). ``None``: the array of per-class scores.
    pos_label : {0, 1}
        The positive class for ``average="binary"`` (default 1).
    n_classes : int, optional
        :math:`C`; default ``max(max(y_true), max(y_pred)) + 1``."""


def precision(y_true, y_pred, *, average="binary", pos_label: int = 1, n_classes=None):
    """Precision: of the examples predicted as class :math:`c`, the fraction that are :math:`c`.

    .. math::

        P_c = \\frac{TP_c}{TP_c + FP_c}, \\qquad
        P_{\\text{macro}} = \\frac{1}{C} \\sum_c P_c, \\qquad
        P_{\\text{micro}} = \\frac{\\sum_c TP_c}{\\sum_c (TP_c + FP_c)}

    :math:`P_c = 0` when class :math:`c` is never predicted (zero division, no warning).

    Parameters
    ----------
    y_true : array_like of shape (n,)
        Integer labels.
    y_pred : array_like of shape (n,)
        Integer labels.
    {averaging}

    Returns
    -------
    float, or ndarray of shape (C,) for ``average=None``

    Raises
    ------
    ValueError
        For lengths that differ, inputs that are not 1-D, labels out of range (for
        ``"binary"``: other than 0 and 1), an unknown ``average``.
    """
    tp, fp, _, average, pos_label = _counts(y_true, y_pred, n_classes, average, pos_label)
    return _ratio(tp, tp + fp, average, pos_label)


def recall(y_true, y_pred, *, average="binary", pos_label: int = 1, n_classes=None):
    """Recall (sensitivity): of the examples of class :math:`c`, the fraction predicted as :math:`c`.

    .. math::

        R_c = \\frac{TP_c}{TP_c + FN_c}, \\qquad
        R_{\\text{macro}} = \\frac{1}{C} \\sum_c R_c, \\qquad
        R_{\\text{micro}} = \\frac{\\sum_c TP_c}{\\sum_c (TP_c + FN_c)}

    :math:`R_c = 0` when class :math:`c` does not occur in ``y_true`` (zero division,
    no warning).

    Parameters
    ----------
    y_true : array_like of shape (n,)
        Integer labels.
    y_pred : array_like of shape (n,)
        Integer labels.
    {averaging}

    Returns
    -------
    float, or ndarray of shape (C,) for ``average=None``

    Raises
    ------
    ValueError
        For lengths that differ, inputs that are not 1-D, labels out of range (for
        ``"binary"``: other than 0 and 1), an unknown ``average``.
    """
    tp, _, fn, average, pos_label = _counts(y_true, y_pred, n_classes, average, pos_label)
    return _ratio(tp, tp + fn, average, pos_label)


def f1_score(y_true, y_pred, *, average="binary", pos_label: int = 1, n_classes=None):
    """F1 score: the harmonic mean of precision and recall.

    .. math::

        F1_c = \\frac{2 P_c R_c}{P_c + R_c} = \\frac{2\\,TP_c}{2\\,TP_c + FP_c + FN_c},
        \\qquad
        F1_{\\text{macro}} = \\frac{1}{C} \\sum_c F1_c, \\qquad
        F1_{\\text{micro}} = \\frac{2 \\sum_c TP_c}{\\sum_c (2\\,TP_c + FP_c + FN_c)}

    :math:`F1_c = 0` when :math:`TP_c + FP_c + FN_c = 0` (zero division, no warning).
    Note that macro F1 is the mean of the per-class F1 scores, not the F1 of macro
    precision and macro recall.

    Parameters
    ----------
    y_true : array_like of shape (n,)
        Integer labels.
    y_pred : array_like of shape (n,)
        Integer labels.
    {averaging}

    Returns
    -------
    float, or ndarray of shape (C,) for ``average=None``

    Raises
    ------
    ValueError
        For lengths that differ, inputs that are not 1-D, labels out of range (for
        ``"binary"``: other than 0 and 1), an unknown ``average``.
    """
    tp, fp, fn, average, pos_label = _counts(y_true, y_pred, n_classes, average, pos_label)
    return _ratio(2 * tp, 2 * tp + fp + fn, average, pos_label)


for _f in (precision, recall, f1_score):
    if _f.__doc__:  # None under python -OO
        _f.__doc__ = _f.__doc__.replace("    {averaging}", _AVERAGING_DOC.strip("\n"))
del _f
