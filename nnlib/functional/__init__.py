r"""Forward/backward pairs: the operations of a network as pure functions.

Every operation comes as two functions::

    y, cache = op_forward(x, ...)        # compute the output, remember what backward needs
    dx, grads = op_backward(dy, cache)   # chain rule: dL/dx (and dL/dparams) from dL/dy

``dy`` is the gradient of a scalar loss :math:`L` with respect to the output
``y`` (same shape as ``y``), ``dx`` the gradient with respect to the input
``x`` (same shape as ``x``) and ``grads`` a dict of parameter gradients
(``{"W": dW, "b": db}`` for :func:`linear_backward`, ``{}`` for activations).
In each docstring :math:`\delta = \partial L / \partial y` denotes ``dy``.

Several outputs, several inputs
-------------------------------
An op with several outputs (a recurrent step returning :math:`h_t, c_t`)
returns them as a tuple, ``(h, c), cache = op_forward(...)``, and its backward
takes a tuple of upstream gradients, one per output in the same order,
``op_backward((dh, dc), cache)``. An op with several data inputs returns a
tuple of their gradients as its first result, in the order of the forward's
arguments: ``(dx, dh_prev, dc_prev), grads = op_backward(...)``. The gradient
checker (:func:`nnlib.gradcheck.check_function_gradient`) handles both.

Conventions
-----------
* Rows are examples: :func:`linear_forward` computes :math:`Z = XW + b` with
  ``X (n, d_in)``, ``W (d_in, d_out)``, ``b (d_out,)``. Images are
  ``(n, C, H, W)``, sequences ``(n, T, D)``.
* The cache is a plain dict (``{"op": "sigmoid", "y": y}``): readable in a
  notebook, and checked by the backward function, which refuses a cache made
  by a different operation.
* Backward functions never modify ``dy`` or the cache; they check that ``dy``
  has the shape and dtype of the forward output.
* ``float32`` stays ``float32``; integer input becomes ``float64``. Backward
  refuses a ``dy`` whose dtype differs from the forward output's.
* NaN and inf are propagated, not rejected, so that a training loop can
  detect divergence in the loss and report it.

Where the operations live
-------------------------
One module per family: ``dense`` (the affine map), ``activation``
(elementwise activations), ``softmax`` (softmax and log-softmax along an
axis), ``conv`` and ``pool`` (images; their plain loop twins, the test
oracles, in ``loops``), ``dropout`` (inverted dropout) and ``norm`` (batch
and layer normalisation). Later families each get their own module here,
re-exported by this package: ``rnn``, ``lstm`` and ``gru`` (step and sequence
pairs) and ``attention``. The checks they share (input, cache, upstream
gradients) are in ``nnlib.functional._common``.

Layers (:mod:`nnlib.layers`) wrap these functions; the chapters show them next
to their derivations.
"""

# Each module's __all__ is its public list; this package re-exports them all.
from nnlib.functional import activation, conv, dense, dropout, loops, norm, pool, softmax
from nnlib.functional.activation import *  # noqa: F403
from nnlib.functional.conv import *  # noqa: F403
from nnlib.functional.dense import *  # noqa: F403
from nnlib.functional.dropout import *  # noqa: F403
from nnlib.functional.loops import *  # noqa: F403
from nnlib.functional.norm import *  # noqa: F403
from nnlib.functional.pool import *  # noqa: F403
from nnlib.functional.softmax import *  # noqa: F403

__all__ = [
    *dense.__all__,
    *activation.__all__,
    *softmax.__all__,
    *conv.__all__,
    *pool.__all__,
    *loops.__all__,
    *dropout.__all__,
    *norm.__all__,
]
