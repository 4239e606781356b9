"""Data utilities: :func:`train_test_split`, :func:`one_hot`, :func:`standardize`, :func:`minibatches`."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from nnlib._validation import as_rng, check_array, check_float_dtype, check_labels, check_number

__all__ = ["train_test_split", "one_hot", "standardize", "minibatches"]


def _check_examples(X, name: str) -> np.ndarray:
    """An array with at least one axis; axis 0 indexes the examples."""
    X = check_array(X, name, dtype="any")
    if X.ndim == 0:
        raise ValueError(f"{name}: expected an array whose first axis indexes examples, got a scalar")
    return X


def _check_paired(X, y) -> tuple[np.ndarray, np.ndarray]:
    X = _check_examples(X, "X")
    y = _check_examples(y, "y")
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"y: expected {X.shape[0]} rows (one per row of X), got {y.shape[0]} "
            f"(X has shape {X.shape}, y has shape {y.shape})"
        )
    return X, y


def _stratified_test_counts(counts: np.ndarray, n_test: int) -> np.ndarray:
    """Split n_test over classes proportionally to counts (largest-remainder rounding)."""
    exact = n_test * counts / counts.sum()
    take = np.floor(exact).astype(np.int64)
    leftover = n_test - int(take.sum())
    # Give the remaining examples to the classes with the largest fractional parts.
    by_remainder = np.argsort(-(exact - take), kind="stable")
    take[by_remainder[:leftover]] += 1
    return take


def train_test_split(X, y, test_size: float = 0.25, rng=None, *, stratify: bool = False):
    """Randomly split examples into a training and a test set.

    The test set gets :math:`n_{\\text{test}} = \\operatorname{round}(\\text{test\\_size}\\cdot n)`
    examples, the training set the other :math:`n - n_{\\text{test}}`. With
    ``stratify=True`` (``y`` must then be integer class labels) class :math:`c`, which
    has :math:`n_c` examples, contributes :math:`\\lfloor n_{\\text{test}} n_c / n \\rfloor`
    or :math:`\\lceil n_{\\text{test}} n_c / n \\rceil` of them to the test set, so both sets
    keep the class ratios as closely as whole numbers allow.

    Parameters
    ----------
    X : ndarray of shape (n, ...)
        Examples along axis 0.
    y : ndarray of shape (n, ...)
        Targets along axis 0 (labels of shape (n,) when ``stratify=True``).
    test_size : float
        Fraction of the examples that go to the test set, in ``(0, 1)``.
    rng : numpy.random.Generator, int or None
    stratify : bool
        Keep the class proportions of ``y`` in both parts.

    Returns
    -------
    X_train : ndarray of shape (n - n_test, ...)
    X_test : ndarray of shape (n_test, ...)
    y_train : ndarray of shape (n - n_test, ...)
    y_test : ndarray of shape (n_test, ...)
        Copies, rows in random order.

    Raises
    ------
    ValueError
        When X and y have different numbers of rows, ``test_size`` is outside
        ``(0, 1)``, or the split would leave either part empty.
    """
    X, y = _check_paired(X, y)
    test_size = check_number(test_size, "test_size", low=0, high=1, low_inclusive=False,
                             high_inclusive=False)
    rng = as_rng(rng)
    n = X.shape[0]
    n_test = int(round(test_size * n))
    if not 0 < n_test < n:
        raise ValueError(
            f"test_size: {test_size} of {n} examples gives a test set of {n_test}; "
            f"both parts need at least one example"
        )
    if stratify:
        labels = check_labels(y, "y")
        counts = np.bincount(labels)
        take = _stratified_test_counts(counts, n_test)
        test_parts = [rng.permutation(np.flatnonzero(labels == c))[:k] for c, k in enumerate(take)]
        is_test = np.zeros(n, dtype=bool)
        is_test[np.concatenate(test_parts)] = True
        test_idx = rng.permutation(np.flatnonzero(is_test))
        train_idx = rng.permutation(np.flatnonzero(~is_test))
    else:
        order = rng.permutation(n)
        test_idx, train_idx = order[:n_test], order[n_test:]
    return X[train_idx], X[test_idx], y[train_idx], y[test_idx]


def one_hot(y, n_classes: int | None = None, *, dtype=np.float64) -> np.ndarray:
    """One-hot encode integer class labels.

    .. math::

        Y_{ic} = \\mathbb{1}[y_i = c], \\qquad i = 1, \\dots, n,\\; c = 0, \\dots, C - 1.

    Parameters
    ----------
    y : array_like of shape (n,)
        Integer labels in ``[0, n_classes)``.
    n_classes : int, optional
        Number of classes :math:`C`; default ``max(y) + 1``.
    dtype : {numpy.float64, numpy.float32}

    Returns
    -------
    Y : ndarray of shape (n, C)

    Raises
    ------
    ValueError
        For labels that are negative or ``>= n_classes``, or ``y`` that is not 1-D.
    TypeError
        For non-integer labels.

    Examples
    --------
    >>> one_hot([0, 2, 1]).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    dtype = check_float_dtype(dtype)
    if n_classes is not None:
        n_classes = check_number(n_classes, "n_classes", low=1, integer=True)
    y = check_labels(y, "y", n_classes=n_classes)
    if n_classes is None:
        n_classes = int(y.max()) + 1
    Y = np.zeros((y.shape[0], n_classes), dtype=dtype)
    Y[np.arange(y.shape[0]), y] = 1
    return Y


def standardize(X, mean=None, std=None):
    """Shift and scale every column (feature) to mean 0 and standard deviation 1.

    .. math::

        \\tilde X_{ij} = \\frac{X_{ij} - \\mu_j}{s_j}, \\qquad
        \\mu_j = \\frac{1}{n}\\sum_i X_{ij}, \\qquad
        s_j = \\sqrt{\\frac{1}{n}\\sum_i (X_{ij} - \\mu_j)^2}

    (population standard deviation, ``ddof=0``). A constant column (all values equal,
    :math:`s_j = 0`) is centred but not scaled: its ``std`` is reported as 1, so the
    returned statistics can always be reused without dividing by zero.

    Compute the statistics on the training set and pass them back in to transform the
    validation and test sets the same way: ``standardize(X_test, mean, std)``.

    Parameters
    ----------
    X : ndarray of shape (n, d)
    mean : ndarray of shape (d,), optional
        Column means to use; give ``mean`` and ``std`` together or neither.
    std : ndarray of shape (d,), optional
        Column scales to use, all ``> 0``.

    Returns
    -------
    X_std : ndarray of shape (n, d)
        Same float dtype as ``X`` (float32 stays float32).
    mean : ndarray of shape (d,)
    std : ndarray of shape (d,)

    Raises
    ------
    ValueError
        When only one of ``mean`` / ``std`` is given, they have the wrong shape, or
        ``std`` has entries ``<= 0``.
    """
    X = check_array(X, "X", ndim=2)
    if (mean is None) != (std is None):
        raise ValueError("mean, std: expected both (statistics to reuse) or neither (compute them)")
    if mean is None:
        mean = X.mean(axis=0)
        std = X.std(axis=0)
        constant = np.ptp(X, axis=0) == 0  # exact test; X.std may be 1e-17 for constants
        std[constant] = 1
    else:
        d = X.shape[1]
        mean = check_array(mean, "mean", shape=(d,)).astype(X.dtype)
        std = check_array(std, "std", shape=(d,)).astype(X.dtype)
        if np.any(std <= 0):
            raise ValueError(f"std: expected every entry > 0, got {std[std <= 0][:5].tolist()}")
    return (X - mean) / std, mean, std


def minibatches(X, y, batch_size: int, shuffle: bool = True, rng=None) -> Iterator:
    """Iterate over ``(X_batch, y_batch)`` pairs covering every example once.

    The examples are visited in the order of a permutation :math:`\\pi` (a fresh random
    one when ``shuffle=True``, the identity otherwise); batch :math:`k` holds rows
    :math:`\\pi(kB), \\dots, \\pi(\\min((k+1)B, n) - 1)`. There are
    :math:`\\lceil n / B \\rceil` batches; the last one is smaller when :math:`B` does not
    divide :math:`n` (it is kept, not dropped).

    The arguments are checked when ``minibatches`` is called, not when iteration
    starts.

    Parameters
    ----------
    X : ndarray of shape (n, ...)
    y : ndarray of shape (n, ...)
    batch_size : int
        :math:`B \\ge 1` (a value above ``n`` gives one batch).
    shuffle : bool
        Visit the examples in random order.
    rng : numpy.random.Generator, int or None
        Used only when ``shuffle=True``.

    Yields
    ------
    X_batch : ndarray of shape (b, ...)
    y_batch : ndarray of shape (b, ...)
        With ``shuffle=False`` these are views of ``X`` and ``y``: do not modify them
        in place.

    Raises
    ------
    ValueError
        When X and y have different numbers of rows or ``batch_size < 1``.
    """
    X, y = _check_paired(X, y)
    batch_size = check_number(batch_size, "batch_size", low=1, integer=True)
    order = as_rng(rng).permutation(X.shape[0]) if shuffle else None
    return _batches(X, y, batch_size, order)


def _batches(X, y, batch_size, order):
    for start in range(0, X.shape[0], batch_size):
        if order is None:
            yield X[start : start + batch_size], y[start : start + batch_size]
        else:
            idx = order[start : start + batch_size]
            yield X[idx], y[idx]
