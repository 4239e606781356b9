"""The perceptron itself: :class:`Perceptron` and the records its training returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

import numpy as np

from nnlib._validation import as_rng, check_array, check_binary_labels, check_choice, check_number

__all__ = ["Perceptron", "PerceptronResult", "PerceptronStep"]

#: Standard deviation of the weights drawn by ``init="normal"``.
NORMAL_INIT_STD = 0.01


@dataclass
class PerceptronResult:
    """What :meth:`Perceptron.fit` did.

    Attributes
    ----------
    mistakes_per_epoch : list of int
        Number of misclassified examples (= number of updates) in each epoch run.
    converged : bool
        True when an epoch made no mistake: the weights classify every training
        example correctly and training stopped there.
    n_updates : int
        Total number of updates, ``sum(mistakes_per_epoch)``. This is the quantity
        Novikoff's theorem bounds (see :func:`mistake_bound`).
    epochs_run : int
        ``len(mistakes_per_epoch)`` (the zero-mistake epoch included).
    w : ndarray of shape (d,)
        Copy of the final weights.
    b : float
        Final bias.
    """

    mistakes_per_epoch: list[int]
    converged: bool
    n_updates: int
    epochs_run: int
    w: np.ndarray = field(repr=False)
    b: float


@dataclass(frozen=True)
class PerceptronStep:
    """One example seen during :meth:`Perceptron.train_steps`.

    Attributes
    ----------
    epoch : int
        Epoch number, from 0.
    index : int
        Row of ``X`` that was presented.
    x : ndarray of shape (d,)
        That example.
    y : int
        Its label (0 or 1).
    z : float
        :math:`\\mathbf{w}^\\top\\mathbf{x} + b` with the weights *before* the update.
    y_hat : int
        The prediction :math:`\\hat y` made with the weights before the update.
    mistake : bool
        ``y_hat != y``, i.e. whether an update happened.
    w : ndarray of shape (d,)
        Copy of the weights *after* the update.
    b : float
        Bias after the update.
    """

    epoch: int
    index: int
    x: np.ndarray
    y: int
    z: float
    y_hat: int
    mistake: bool
    w: np.ndarray
    b: float


class Perceptron:
    """A single perceptron (linear threshold unit) for binary classification.

    .. math::

        z = \\mathbf{w}^\\top \\mathbf{x} + b, \\qquad
        \\hat y = \\operatorname{step}(z) = \\mathbb{1}[z \\ge 0].

    Trained one example at a time with the perceptron rule

    .. math::

        \\mathbf{w} \\leftarrow \\mathbf{w} + \\eta\\,(y - \\hat y)\\,\\mathbf{x}, \\qquad
        b \\leftarrow b + \\eta\\,(y - \\hat y),

    which changes nothing when :math:`\\hat y = y` and adds (:math:`y = 1`) or subtracts
    (:math:`y = 0`) :math:`\\eta\\,\\mathbf{x}` after a mistake.

    Parameters
    ----------
    n_features : int
        Input dimension :math:`d \\ge 1`.
    lr : float
        Learning rate :math:`\\eta > 0`. Starting from zero weights, :math:`\\eta` only
        scales :math:`(\\mathbf{w}, b)` and never changes a prediction, so the sequence
        of mistakes is the same for every :math:`\\eta`.
    init : {"zeros", "normal"}
        Initial weights and bias: all zero, or drawn from
        :math:`\\mathcal{N}(0, 0.01^2)` using ``rng``.
    rng : numpy.random.Generator, int or None
        Used by ``init="normal"``, and for shuffling in :meth:`fit` /
        :meth:`train_steps` when they are given no ``rng`` of their own.

    Attributes
    ----------
    w : ndarray of shape (d,), float64
        Weights; can be assigned (e.g. ``p.w = [0.5, -0.6]``), the shape is checked.
    b : float
        Bias; can be assigned.

    Examples
    --------
    The notes' worked example:

    >>> p = Perceptron(2)
    >>> p.w, p.b = [0.5, -0.6], 0.2
    >>> p.decision_function([1.0, 2.0])  # 0.5 - 1.2 + 0.2 in floating point
    -0.49999999999999994
    >>> p.predict([1.0, 2.0])
    0
    """

    def __init__(self, n_features: int, lr: float = 1.0, init: str = "zeros", rng=None):
        self.n_features = check_number(n_features, "n_features", low=1, integer=True)
        self.lr = check_number(lr, "lr", low=0, low_inclusive=False)
        self.init = check_choice(init, "init", ("zeros", "normal"))
        self._rng = as_rng(rng)
        self.reset()

    # -- parameters -----------------------------------------------------------

    @property
    def w(self) -> np.ndarray:
        return self._w

    @w.setter
    def w(self, value) -> None:
        self._w = check_array(value, "w", shape=(self.n_features,)).astype(np.float64)

    @property
    def b(self) -> float:
        return self._b

    @b.setter
    def b(self, value) -> None:
        self._b = check_number(value, "b")

    def reset(self) -> None:
        """Re-initialise ``w`` and ``b`` according to ``init``."""
        if self.init == "zeros":
            self._w = np.zeros(self.n_features)
            self._b = 0.0
        else:
            self._w = NORMAL_INIT_STD * self._rng.standard_normal(self.n_features)
            self._b = float(NORMAL_INIT_STD * self._rng.standard_normal())

    def __repr__(self) -> str:
        return f"Perceptron(n_features={self.n_features}, lr={self.lr:g}, init={self.init!r})"

    # -- inference ------------------------------------------------------------

    def _check_X(self, X) -> np.ndarray:
        X = check_array(X, "X", ndim=(1, 2))
        if X.shape[-1] != self.n_features:
            want = f"({self.n_features},) or (n, {self.n_features})"
            raise ValueError(f"X: expected shape {want}, got shape {X.shape}")
        return X

    def decision_function(self, X):
        """The pre-activation :math:`z = \\mathbf{w}^\\top\\mathbf{x} + b` of each example.

        .. math::

            \\mathbf{z} = X\\mathbf{w} + b

        Parameters
        ----------
        X : array_like of shape (n, d), or (d,) for a single example

        Returns
        -------
        z : ndarray of shape (n,), or float for a single example
            Its sign says on which side of the decision boundary the point lies;
            :math:`|z| / \\lVert\\mathbf{w}\\rVert` is its distance to the boundary.
        """
        X = self._check_X(X)
        z = X @ self._w + self._b
        return float(z) if X.ndim == 1 else z

    def predict(self, X):
        """Predicted labels :math:`\\hat y = \\mathbb{1}[z \\ge 0]`.

        Parameters
        ----------
        X : array_like of shape (n, d), or (d,) for a single example

        Returns
        -------
        y_hat : ndarray of shape (n,), int64, or int for a single example
            0 or 1; a point exactly on the boundary (:math:`z = 0`) gets 1.
        """
        z = self.decision_function(X)
        if isinstance(z, float):
            return int(z >= 0)
        return (z >= 0).astype(np.int64)

    def decision_boundary(self, x1):
        """The second coordinate of the boundary line for given first coordinates.

        For two features the boundary :math:`w_1 x_1 + w_2 x_2 + b = 0` is the line

        .. math::

            x_2 = -\\frac{w_1 x_1 + b}{w_2}.

        Parameters
        ----------
        x1 : float or array_like of shape (m,)

        Returns
        -------
        x2 : float or ndarray of shape (m,)

        Raises
        ------
        ValueError
            When the perceptron does not have exactly 2 features, when
            :math:`w_2 = 0` (the boundary is the vertical line :math:`x_1 = -b / w_1`,
            which is not a function of :math:`x_1`), or when :math:`\\mathbf{w} = 0`
            (no boundary: every point gets the same label).
        """
        if self.n_features != 2:
            raise ValueError(
                f"decision_boundary: needs a perceptron with 2 features, this one has {self.n_features}"
            )
        w1, w2 = self._w
        if w1 == 0 and w2 == 0:
            raise ValueError(
                "decision_boundary: w = (0, 0), so there is no boundary line "
                f"(every point gets the label of step(b) = {int(self._b >= 0)})"
            )
        if w2 == 0:
            raise ValueError(
                f"decision_boundary: w2 = 0, so the boundary is the vertical line "
                f"x1 = -b / w1 = {-self._b / w1:g}; it cannot be written as x2 = f(x1)"
            )
        x1_arr = check_array(x1, "x1", ndim=(0, 1))
        x2 = -(w1 * x1_arr + self._b) / w2
        return float(x2) if x1_arr.ndim == 0 else x2

    # -- training ---------------------------------------------------------------

    def _learn_one(self, x: np.ndarray, y: int) -> tuple[float, int]:
        """Predict one example, apply the perceptron rule, return (z, y_hat)."""
        z = float(x @ self._w + self._b)
        y_hat = int(z >= 0)
        error = y - y_hat  # -1, 0 or +1
        if error:
            self._w += self.lr * error * x
            self._b += self.lr * error
        return z, y_hat

    def _prepare(self, X, y, epochs, shuffle, rng):
        X = check_array(X, "X", shape=(None, self.n_features))
        y = check_binary_labels(y, "y", X.shape[0])
        epochs = check_number(epochs, "epochs", low=1, integer=True)
        rng = self._rng if rng is None else as_rng(rng)
        return X.astype(np.float64), y, epochs, bool(shuffle), rng

    @staticmethod
    def _epoch_order(n: int, shuffle: bool, rng) -> np.ndarray:
        return rng.permutation(n) if shuffle else np.arange(n)

    def fit(self, X, y, epochs: int = 100, shuffle: bool = False, rng=None) -> PerceptronResult:
        """Train with the perceptron rule until an epoch makes no mistake.

        Each epoch presents every example once (in row order, or a fresh random order
        when ``shuffle=True``) and applies the rule after each one. The rule is
        inherently sequential: each prediction uses the weights left by the previous
        example, so this is a loop over examples.

        Training continues from the current ``w`` and ``b`` (call :meth:`reset` to start
        over) and stops after the first epoch without a mistake, or after ``epochs``.

        Parameters
        ----------
        X : array_like of shape (n, d)
        y : array_like of shape (n,)
            Labels in {0, 1}.
        epochs : int
            Maximum number of epochs, ``>= 1``.
        shuffle : bool
            Present the examples in a new random order each epoch.
        rng : numpy.random.Generator, int or None
            For shuffling; defaults to the generator given to the constructor.

        Returns
        -------
        PerceptronResult
            ``converged`` is False when ``epochs`` ran out first, as it must on data
            that is not linearly separable (e.g. XOR).

        Raises
        ------
        ValueError
            For labels other than 0 and 1 (the message names them), or shapes that do
            not match ``n_features``.
        """
        X, y, epochs, shuffle, rng = self._prepare(X, y, epochs, shuffle, rng)
        mistakes_per_epoch: list[int] = []
        for epoch, i, _, y_hat in self._present(X, y, epochs, shuffle, rng, stop_when_converged=True):
            if epoch == len(mistakes_per_epoch):
                mistakes_per_epoch.append(0)
            mistakes_per_epoch[epoch] += int(y_hat != y[i])
        return PerceptronResult(
            mistakes_per_epoch=mistakes_per_epoch,
            converged=mistakes_per_epoch[-1] == 0,
            n_updates=sum(mistakes_per_epoch),
            epochs_run=len(mistakes_per_epoch),
            w=self._w.copy(),
            b=self._b,
        )

    def train_steps(
        self, X, y, epochs: int = 1, shuffle: bool = False, rng=None, *, stop_when_converged: bool = True
    ) -> Iterator[PerceptronStep]:
        """Train like :meth:`fit`, yielding a :class:`PerceptronStep` after every example.

        Meant for widgets and tables that replay training mistake by mistake. The
        arguments are checked when ``train_steps`` is called; training happens lazily,
        one example per ``next()``, and updates this perceptron as it goes.

        Parameters
        ----------
        X : array_like of shape (n, d)
        y : array_like of shape (n,)
            Labels in {0, 1}.
        epochs : int
            Maximum number of epochs, ``>= 1``.
        shuffle : bool
            Present the examples in a new random order each epoch.
        rng : numpy.random.Generator, int or None
            For shuffling; defaults to the generator given to the constructor.
        stop_when_converged : bool
            Stop after the first epoch without a mistake (as :meth:`fit` does).

        Yields
        ------
        PerceptronStep
            ``n`` records per epoch.

        Raises
        ------
        ValueError
            As :meth:`fit`.
        """
        X, y, epochs, shuffle, rng = self._prepare(X, y, epochs, shuffle, rng)
        return self._steps(X, y, epochs, shuffle, rng, stop_when_converged)

    def _present(self, X, y, epochs, shuffle, rng, stop_when_converged):
        """Present the examples epoch by epoch, learning from each; yield ``(epoch, i, z, y_hat)``."""
        for epoch in range(epochs):
            mistakes = 0
            for i in self._epoch_order(len(y), shuffle, rng):
                z, y_hat = self._learn_one(X[i], int(y[i]))
                mistakes += y_hat != y[i]
                yield epoch, int(i), z, y_hat
            if stop_when_converged and mistakes == 0:
                return

    def _steps(self, X, y, epochs, shuffle, rng, stop_when_converged):
        for epoch, i, z, y_hat in self._present(X, y, epochs, shuffle, rng, stop_when_converged):
            yield PerceptronStep(
                epoch=epoch, index=i, x=X[i].copy(), y=int(y[i]), z=z, y_hat=y_hat,
                mistake=bool(y_hat != y[i]), w=self._w.copy(), b=self._b,
            )
