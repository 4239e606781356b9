"""Rosenblatt's perceptron, trained with the perceptron learning rule.

The model (one neuron with a step activation) and the rule, exactly as in the
course notes:

.. math::

    z = \\mathbf{w}^\\top \\mathbf{x} + b, \\qquad
    \\hat y = \\begin{cases} 1 & z \\ge 0 \\\\ 0 & z < 0 \\end{cases}

.. math::

    \\mathbf{w} \\leftarrow \\mathbf{w} + \\eta\\,(y - \\hat y)\\,\\mathbf{x}, \\qquad
    b \\leftarrow b + \\eta\\,(y - \\hat y).

Labels are :math:`y \\in \\{0, 1\\}`. Many texts use :math:`t \\in \\{-1, +1\\}` with
:math:`\\hat t = \\operatorname{sign}(z)` and the update
:math:`\\mathbf{w} \\leftarrow \\mathbf{w} + \\eta\\, t\\, \\mathbf{x}` on mistakes; this is the
same algorithm: with :math:`t = 2y - 1`, a mistake has :math:`y - \\hat y = t`, and a
correct prediction has :math:`y - \\hat y = 0` (no update). Convert with
``y = (t + 1) // 2``.
"""

from nnlib.perceptron.bound import mistake_bound
from nnlib.perceptron.model import Perceptron, PerceptronResult, PerceptronStep

__all__ = ["Perceptron", "PerceptronResult", "PerceptronStep", "mistake_bound"]
