r"""The perceptron chapter's run: a perceptron trained one example at a time, on small 2-D data sets.

One *step* presents one example to :class:`nnlib.perceptron.Perceptron` (through
:meth:`~nnlib.perceptron.Perceptron.train_steps`): the perceptron predicts it and,
if the prediction is wrong, the rule

.. math::

    \mathbf{w} \leftarrow \mathbf{w} + \eta\,(y - \hat y)\,\mathbf{x}, \qquad
    b \leftarrow b + \eta\,(y - \hat y)

moves the boundary :math:`\mathbf{w}^\top\mathbf{x} + b = 0`. :class:`PerceptronRun`
keeps the counts a reader watches: mistakes per epoch, the example just seen, and
whether an epoch went by without a mistake (converged).
"""

from __future__ import annotations

import numpy as np

from nnlib.book.validation import check_number, check_option
from nnlib.data import logic_gate, make_linearly_separable
from nnlib.perceptron import Perceptron, mistake_bound

__all__ = ["PERCEPTRON_DATASETS", "make_perceptron_dataset", "line_in_box", "halfplane_in_box", "PerceptronRun"]

#: The data sets of the chapter's widget, in the order of its dropdown.
PERCEPTRON_DATASETS = ("separable", "AND", "OR", "XOR", "noisy")

_SEPARABLE_MARGIN = 0.15  # geometric margin of the "separable" data set
_NOISY_STD = 0.35  # coordinate noise of the "noisy" data set (it usually overlaps)


def make_perceptron_dataset(name: str, n_points: int = 40, seed: int = 0):
    """The perceptron widget's data sets, as ``(X, y, boundary)``.

    Parameters
    ----------
    name : {"separable", "AND", "OR", "XOR", "noisy"}
        ``"separable"``: :func:`nnlib.data.make_linearly_separable` with margin 0.15;
        ``"AND"``, ``"OR"``, ``"XOR"``: the 4-row truth tables of
        :func:`nnlib.data.logic_gate`; ``"noisy"``: the separable construction with
        margin 0 and Gaussian noise of standard deviation 0.35, whose classes usually
        overlap.
    n_points : int
        Number of points of the generated data sets (ignored for the gates).
    seed : int
        Seed of the generated data sets (ignored for the gates).

    Returns
    -------
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,), int64
    boundary : tuple (w_star, b_star) or None
        A true separating line for ``"separable"`` (so the mistake bound can be
        computed), otherwise None.
    """
    check_option(name, "dataset", PERCEPTRON_DATASETS)
    if name in ("AND", "OR", "XOR"):
        X, y = logic_gate(name.lower())
        return X, y, None
    if name == "separable":
        X, y, w_star, b_star = make_linearly_separable(
            n_points, margin=_SEPARABLE_MARGIN, rng=seed, return_boundary=True
        )
        return X, y, (w_star, b_star)
    X, y = make_linearly_separable(n_points, margin=0.0, noise=_NOISY_STD, rng=seed)
    return X, y, None


def line_in_box(w, b, extent):
    """The segment of the line :math:`w_1 x_1 + w_2 x_2 + b = 0` inside a box.

    Parameters
    ----------
    w : sequence of 2 floats
    b : float
    extent : tuple (x_min, x_max, y_min, y_max)

    Returns
    -------
    ndarray of shape (2, 2) or None
        The two ends (rows), or None when the line misses the box (or ``w = 0``).
    """
    x_min, x_max, y_min, y_max = extent
    w1, w2 = w
    ends = []
    if w2 != 0:  # crossings with the left and right edges
        for x1 in (x_min, x_max):
            x2 = -(w1 * x1 + b) / w2
            if y_min <= x2 <= y_max:
                ends.append((x1, x2))
    if w1 != 0:  # crossings with the bottom and top edges
        for x2 in (y_min, y_max):
            x1 = -(w2 * x2 + b) / w1
            if x_min <= x1 <= x_max:
                ends.append((x1, x2))
    if len(ends) < 2:
        return None
    ends = np.array(ends)
    far = np.argmax(np.linalg.norm(ends - ends[0], axis=1))  # corners can appear twice
    return ends[[0, far]]


def halfplane_in_box(w, b, extent) -> np.ndarray:
    r"""The part of a box where the perceptron predicts 1: :math:`\{\mathbf{x} : \mathbf{w}^\top\mathbf{x} + b \ge 0\}`.

    The box is clipped by the line (one step of Sutherland–Hodgman clipping):
    corners on the class-1 side are kept, and where an edge crosses the line
    the crossing point is added.

    Parameters
    ----------
    w : sequence of 2 floats
    b : float
    extent : tuple (x_min, x_max, y_min, y_max)

    Returns
    -------
    ndarray of shape (k, 2)
        The polygon's corners in order (k = 0 when the whole box is class 0).
    """
    x_min, x_max, y_min, y_max = extent
    corners = np.array([(x_min, y_min), (x_max, y_min), (x_max, y_max), (x_min, y_max)], dtype=float)
    z = corners @ np.asarray(w, dtype=float) + b
    polygon = []
    for k in range(4):
        a, c = corners[k], corners[(k + 1) % 4]
        za, zc = z[k], z[(k + 1) % 4]
        if za >= 0:
            polygon.append(a)
        if (za >= 0) != (zc >= 0):  # the edge crosses the line
            polygon.append(a + za / (za - zc) * (c - a))
    return np.array(polygon).reshape(-1, 2)


class PerceptronRun:
    """A perceptron trained example by example, with the counts a reader watches.

    Parameters
    ----------
    dataset : {"separable", "AND", "OR", "XOR", "noisy"}, default "separable"
    lr : float, default 1.0
        The learning rate :math:`\\eta`, in (0, 100].
    epochs : int, default 20
        Maximum number of epochs; training also stops after the first epoch
        without a mistake.
    init : {"zeros", "normal"}, default "zeros"
        Initial weights (``"normal"``: :math:`\\mathcal{N}(0, 0.01^2)`).
    seed : int, default 0
        Seed of the generated data sets and of ``init="normal"``.
    n_points : int, default 30
        Number of points of the generated data sets.

    Attributes
    ----------
    perceptron : nnlib.perceptron.Perceptron
    X, y : ndarray
        The data set.
    bound : float or None
        Novikoff's bound :math:`(R/\\gamma)^2` for the separable data set, else None.
    last : nnlib.perceptron.PerceptronStep or None
        The record of the latest step.
    mistakes : int
        Updates so far, all epochs.
    mistakes_per_epoch : list of int
        Mistakes of every epoch started so far (the last one may be incomplete).
    seen_in_epoch : int
        Examples presented in the current epoch.
    converged : bool
        True once a whole epoch made no mistake.
    """

    def __init__(self, dataset: str = "separable", lr: float = 1.0, epochs: int = 20, init: str = "zeros",
                 seed: int = 0, n_points: int = 30):
        self.dataset = check_option(dataset, "dataset", PERCEPTRON_DATASETS)
        check_option(init, "init", ("zeros", "normal"))
        lr = check_number(lr, "lr", low=0.0, low_inclusive=False, high=100.0)
        epochs = check_number(epochs, "epochs", low=1, integer=True)
        self.X, self.y, boundary = make_perceptron_dataset(dataset, n_points, seed)
        self.bound = None if boundary is None else mistake_bound(self.X, self.y, *boundary)
        self.perceptron = Perceptron(2, lr=lr, init=init, rng=seed)
        self._records = self.perceptron.train_steps(self.X, self.y, epochs=epochs)
        self.last = None
        self.mistakes = 0
        self.mistakes_per_epoch: list[int] = []
        self.seen_in_epoch = 0
        self.converged = False

    def step(self) -> dict:
        """Present the next example (one update at most); returns the counts after it.

        Returns
        -------
        dict
            ``epoch`` (from 1), ``mistakes`` (all epochs), ``epoch_mistakes``,
            ``accuracy`` of the current weights on the whole data set, and
            ``converged: "yes"`` once an epoch made no mistake.

        Raises
        ------
        StopIteration
            When training is over (converged, or the last epoch ended).
        """
        record = next(self._records)
        if record.epoch == len(self.mistakes_per_epoch):  # a new epoch begins
            self.mistakes_per_epoch.append(0)
            self.seen_in_epoch = 0
        self.seen_in_epoch += 1
        self.mistakes_per_epoch[-1] += int(record.mistake)
        self.mistakes += int(record.mistake)
        self.last = record
        self.converged = self.epoch_done and self.mistakes_per_epoch[-1] == 0
        metrics = {
            "epoch": record.epoch + 1,
            "mistakes": self.mistakes,
            "epoch_mistakes": self.mistakes_per_epoch[-1],
            "accuracy": float(np.mean(self.perceptron.predict(self.X) == self.y)),
        }
        if self.converged:
            metrics["converged"] = "yes"
        return metrics

    @property
    def epoch_done(self) -> bool:
        """True when the latest step ended an epoch."""
        return self.seen_in_epoch == len(self.y)
