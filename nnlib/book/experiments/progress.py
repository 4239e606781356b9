r"""Is the loss going down? A watch that says so when it is not, and suggests what to change.

A learning rate that is too large rarely sends the loss to NaN at once: more
often it makes the loss jump up and down, or pins it near its starting value
(dead ReLU units), with no error at all. :class:`LossWatch` looks at the last
:math:`2W` losses of a run, the earlier half :math:`E` and the recent half
:math:`R`, and reports

- a loss that **jumps**: it went up by at least half its level within the
  recent half, and that half is not clearly lower than the earlier one,

  .. math::

      \sum_{k \in R} \max(0, \ell_k - \ell_{k-1}) \ge \tfrac12 \operatorname{median}(R)
      \quad\text{and}\quad
      \operatorname{median}(R) \ge 0.8\,\operatorname{median}(E):

  the steps are too large;
- a loss that is **stalled** (:math:`\operatorname{median}(R) \ge 0.99\,\operatorname{median}(E)`)
  and no better than at the start (:math:`\operatorname{median}(R) \ge 0.9\,\ell_1`): stuck
  (usually steps too large, dead ReLU units), or creeping (steps too small) when
  it went down steadily (up in fewer than a third of the recent steps).

A run that has learned (its loss well below the first one) and flattens out is
not reported: that is convergence. A message stays for at least :math:`W` steps,
so that it does not flicker while the loss jumps.
"""

from __future__ import annotations

import math

import numpy as np

from nnlib.book.validation import check_number

__all__ = ["LossWatch"]


class LossWatch:
    """Watch a run's loss step by step; :attr:`message` says when it is not going down.

    Parameters
    ----------
    window : int, default 15
        :math:`W`, the size of each half of the window (the first verdict
        comes after :math:`2W` losses).
    step_name : str, default "step"
        What one loss stands for, in the message ("step", "epoch", ...).

    Attributes
    ----------
    losses : list of float
        The finite losses seen since the last :meth:`reset`.
    message : str or None
        Why the loss is not going down, and what to try; None while it is.

    Examples
    --------
    >>> watch = LossWatch(window=3)
    >>> for loss in [0.7, 2.0, 0.6, 1.9, 0.8, 2.2, 0.7]:
    ...     watch.add(loss)
    >>> watch.message is not None
    True
    """

    def __init__(self, window: int = 15, step_name: str = "step"):
        self.window = check_number(window, "window", low=2, integer=True)
        self.step_name = str(step_name)
        self.reset()

    def reset(self) -> None:
        """Forget every loss (a new run)."""
        self.losses: list[float] = []
        self.message = None
        self._said_at = 0  # when the message was last given

    def add(self, loss) -> None:
        """Record the loss after one more step and update :attr:`message`.

        Non-finite losses are ignored: divergence is reported elsewhere.
        """
        if loss is None or not math.isfinite(loss):
            return
        self.losses.append(float(loss))
        verdict = self._verdict()
        if verdict is not None:
            self.message, self._said_at = verdict, len(self.losses)
        elif len(self.losses) - self._said_at >= self.window:  # a message stays at least W steps: no flicker
            self.message = None

    def _verdict(self) -> str | None:
        w = self.window
        if len(self.losses) < 2 * w:
            return None
        losses = np.asarray(self.losses[-2 * w - 1:])  # one more, for the first rise of the recent half
        earlier, recent = np.median(losses[-2 * w:-w]), np.median(losses[-w:])
        rises = np.diff(losses[-w - 1:])
        erratic = np.maximum(rises, 0).sum() >= 0.5 * recent
        steps = f"{2 * w} {self.step_name}s"
        if erratic and recent >= 0.8 * earlier:  # jumping, and not clearly lower than before
            return (f"the loss is not going down: it jumps up and down around {recent:.3g} over the last {steps}. "
                    "The learning rate is probably too large: try a smaller one.")
        if erratic or recent < 0.99 * earlier:
            return None  # going down
        if recent < 0.9 * self.losses[0]:
            return None  # it learned, and flattens out: converged
        if recent < earlier and np.count_nonzero(rises > 0) < w / 3:  # creeping down, steadily
            return (f"the loss is hardly going down: {recent:.3g} after {len(self.losses)} {self.step_name}s. "
                    "The learning rate may be too small: try a larger one.")
        return (f"the loss is not going down: it is stuck near {recent:.3g}, no lower than at the start, "
                f"over the last {steps}. Too large a learning rate can do this (ReLU units die): "
                "try a smaller one.")
