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

from nnlib.functional.activation import (
    identity_backward,
    identity_forward,
    leaky_relu_backward,
    leaky_relu_forward,
    relu_backward,
    relu_forward,
    sigmoid_backward,
    sigmoid_forward,
    softplus_backward,
    softplus_forward,
    step_backward,
    step_forward,
    tanh_backward,
    tanh_forward,
)
from nnlib.functional.conv import conv2d_backward, conv2d_forward, conv_output_size
from nnlib.functional.dense import linear_backward, linear_forward
from nnlib.functional.dropout import dropout_backward, dropout_forward
from nnlib.functional.loops import (
    avg_pool2d_backward_loops,
    avg_pool2d_forward_loops,
    conv2d_backward_loops,
    conv2d_forward_loops,
    max_pool2d_backward_loops,
    max_pool2d_forward_loops,
)
from nnlib.functional.norm import (
    batch_norm_backward,
    batch_norm_forward,
    layer_norm_backward,
    layer_norm_forward,
)
from nnlib.functional.pool import (
    avg_pool2d_backward,
    avg_pool2d_forward,
    flatten_backward,
    flatten_forward,
    max_pool2d_backward,
    max_pool2d_forward,
)
from nnlib.functional.softmax import (
    log_softmax_backward,
    log_softmax_forward,
    softmax_backward,
    softmax_forward,
)

__all__ = [
    "linear_forward",
    "linear_backward",
    "identity_forward",
    "identity_backward",
    "step_forward",
    "step_backward",
    "sigmoid_forward",
    "sigmoid_backward",
    "tanh_forward",
    "tanh_backward",
    "relu_forward",
    "relu_backward",
    "leaky_relu_forward",
    "leaky_relu_backward",
    "softplus_forward",
    "softplus_backward",
    "softmax_forward",
    "softmax_backward",
    "log_softmax_forward",
    "log_softmax_backward",
    "conv_output_size",
    "conv2d_forward",
    "conv2d_backward",
    "max_pool2d_forward",
    "max_pool2d_backward",
    "avg_pool2d_forward",
    "avg_pool2d_backward",
    "flatten_forward",
    "flatten_backward",
    "conv2d_forward_loops",
    "conv2d_backward_loops",
    "max_pool2d_forward_loops",
    "max_pool2d_backward_loops",
    "avg_pool2d_forward_loops",
    "avg_pool2d_backward_loops",
    "dropout_forward",
    "dropout_backward",
    "batch_norm_forward",
    "batch_norm_backward",
    "layer_norm_forward",
    "layer_norm_backward",
]
