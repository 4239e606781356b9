"""The table of functional ops that drives the generic tests: one ``OpSpec`` per op.

**Adding an op is one entry here plus the tests of its formula** (in
``tests/functional/test_<family>.py``). For every entry the generic tests
(``tests/functional/test_ops_generic.py``, and ``test_ops_torch.py`` where
PyTorch is installed) check:

* the gradient, by centred differences in float64 with a random upstream
  gradient (one per output), relative error below ``tol`` (1e-6);
* that forward and backward mutate neither the inputs, nor the upstream
  gradient(s), nor the cache;
* that float32 in gives float32 out (outputs and every gradient);
* that backward rejects a cache from another op, and an upstream gradient of
  the wrong shape, the wrong dtype or (several outputs) the wrong count, with
  a message naming what was expected;
* agreement with the PyTorch twin, forward and gradients, at random points
  *and* at the kinks (where the op's convention must match PyTorch's).

An entry gives: ``forward(*inputs) -> (y, cache)`` and ``backward(dy, cache)``
(keyword options bound with a lambda); ``make_inputs(rng, dtype)``, the data
inputs first, then the parameters, kept away from the ``kinks``; how many
leading inputs are data inputs (their gradients come back as ``dx``, a tuple
when there are several); the inputs' values where the op is not
differentiable; and the PyTorch twin, ``torch_twin(*tensors)`` returning a
tensor or a tuple of tensors, computing the same function (``None`` if there
is none).

Sizes are small on purpose (the checks are O(inputs x forward cost)).
The recurrent ops add their entries below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from nnlib import functional as F
from nnlib.functional._common import check_cache, check_upstreams, float_input


@dataclass(frozen=True)
class OpSpec:
    name: str
    forward: Callable
    backward: Callable
    make_inputs: Callable
    n_data_inputs: int = 1
    kinks: tuple = ()
    torch_twin: Callable | None = None
    tol: float = 1e-6

    def __str__(self) -> str:
        return self.name


def away_from(kinks, margin=0.1):
    """Input maker: normal entries of ``shape``, each at least ``margin`` from every kink."""

    def make(rng, dtype, shape=(2, 3, 4)):
        x = rng.normal(size=shape)
        for k in kinks:
            near = np.abs(x - k) < margin
            x[near] = k + np.where(x[near] >= k, margin, -margin) * (1 + rng.uniform(size=near.sum()))
        return (x.astype(dtype),)

    return make


def normal(*shapes):
    """Input maker: standard-normal arrays of the given shapes."""
    return lambda rng, dtype: tuple(rng.normal(size=s).astype(dtype) for s in shapes)


_MEAN, _VAR = np.array([0.5, -1.0, 2.0]), np.array([0.25, 4.0, 1.5])  # fixed (running) statistics


def _torch():
    import torch

    return torch, torch.nn.functional


# ----------------------------------------------------------------------------- the table


OP_SPECS = [
    OpSpec("linear", F.linear_forward, F.linear_backward, normal((5, 3), (3, 4), (4,)),
           torch_twin=lambda x, W, b: _torch()[1].linear(x, W.T, b)),
    OpSpec("identity", F.identity_forward, F.identity_backward, away_from(()),
           torch_twin=lambda x: x * 1.0),
    OpSpec("step", F.step_forward, F.step_backward, away_from((0.0,)), kinks=(0.0,),
           torch_twin=lambda x: (x >= 0).to(x.dtype) + 0.0 * x),
    OpSpec("sigmoid", F.sigmoid_forward, F.sigmoid_backward, away_from(()),
           torch_twin=lambda x: _torch()[0].sigmoid(x)),
    OpSpec("tanh", F.tanh_forward, F.tanh_backward, away_from(()),
           torch_twin=lambda x: _torch()[0].tanh(x)),
    OpSpec("relu", F.relu_forward, F.relu_backward, away_from((0.0,)), kinks=(0.0,),
           torch_twin=lambda x: _torch()[0].relu(x)),
    OpSpec("leaky_relu", lambda x: F.leaky_relu_forward(x, alpha=0.2), F.leaky_relu_backward,
           away_from((0.0,)), kinks=(0.0,),
           torch_twin=lambda x: _torch()[1].leaky_relu(x, negative_slope=0.2)),
    OpSpec("softplus", F.softplus_forward, F.softplus_backward, away_from(()),
           torch_twin=lambda x: _torch()[1].softplus(x)),
    OpSpec("softmax", F.softmax_forward, F.softmax_backward, away_from(()),
           torch_twin=lambda x: _torch()[0].softmax(x, dim=-1)),
    OpSpec("softmax(axis=0)", lambda x: F.softmax_forward(x, axis=0), F.softmax_backward, away_from(()),
           torch_twin=lambda x: _torch()[0].softmax(x, dim=0)),
    OpSpec("log_softmax", F.log_softmax_forward, F.log_softmax_backward, away_from(()),
           torch_twin=lambda x: _torch()[0].log_softmax(x, dim=-1)),
    OpSpec("log_softmax(axis=1)", lambda x: F.log_softmax_forward(x, axis=1), F.log_softmax_backward,
           away_from(()), torch_twin=lambda x: _torch()[0].log_softmax(x, dim=1)),
    # images (N, C, H, W); weights (C_out, C_in, kH, kW)
    OpSpec("conv2d", F.conv2d_forward, F.conv2d_backward, normal((2, 3, 6, 5), (4, 3, 3, 3), (4,)),
           torch_twin=lambda x, W, b: _torch()[1].conv2d(x, W, b)),
    OpSpec("conv2d(stride=2, padding=1)", lambda x, W, b: F.conv2d_forward(x, W, b, stride=2, padding=1),
           F.conv2d_backward, normal((2, 2, 7, 6), (3, 2, 3, 3), (3,)),
           torch_twin=lambda x, W, b: _torch()[1].conv2d(x, W, b, stride=2, padding=1)),
    OpSpec("max_pool2d", F.max_pool2d_forward, F.max_pool2d_backward, normal((2, 3, 6, 4)),
           torch_twin=lambda x: _torch()[1].max_pool2d(x, 2)),
    OpSpec("max_pool2d(3, stride=2)", lambda x: F.max_pool2d_forward(x, kernel_size=3, stride=2),
           F.max_pool2d_backward, normal((2, 2, 7, 7)),
           torch_twin=lambda x: _torch()[1].max_pool2d(x, 3, stride=2)),
    OpSpec("avg_pool2d", F.avg_pool2d_forward, F.avg_pool2d_backward, normal((2, 3, 6, 4)),
           torch_twin=lambda x: _torch()[1].avg_pool2d(x, 2)),
    OpSpec("flatten", F.flatten_forward, F.flatten_backward, normal((2, 3, 2, 2)),
           torch_twin=lambda x: x.flatten(1)),
    # dropout: a seeded mask is the same at every call (the gradient check re-runs forward); PyTorch draws its
    # own masks, so training mode is compared with a mask taken from PyTorch in test_norm_dropout_torch.py
    OpSpec("dropout(p=0.3)", lambda x: F.dropout_forward(x, 0.3, rng=0), F.dropout_backward, away_from(())),
    OpSpec("dropout(p=0.3, evaluation)", lambda x: F.dropout_forward(x, 0.3, training=False), F.dropout_backward,
           away_from(()), torch_twin=lambda x: _torch()[1].dropout(x, 0.3, training=False)),
    # batch norm: features (N, C), images (N, C, H, W), and evaluation mode with fixed statistics
    OpSpec("batch_norm", F.batch_norm_forward, F.batch_norm_backward, normal((6, 4), (4,), (4,)),
           torch_twin=lambda x, g, b: _torch()[1].batch_norm(x, None, None, g, b, training=True, eps=1e-5)),
    OpSpec("batch_norm (images)", F.batch_norm_forward, F.batch_norm_backward, normal((3, 2, 4, 3), (2,), (2,)),
           torch_twin=lambda x, g, b: _torch()[1].batch_norm(x, None, None, g, b, training=True, eps=1e-5)),
    OpSpec("batch_norm (evaluation)",
           lambda x, g, b: F.batch_norm_forward(x, g, b, mean=_MEAN.astype(x.dtype), var=_VAR.astype(x.dtype)),
           F.batch_norm_backward, normal((5, 3), (3,), (3,)),
           torch_twin=lambda x, g, b: _torch()[1].batch_norm(x, _torch()[0].tensor(_MEAN), _torch()[0].tensor(_VAR),
                                                             g, b, training=False, eps=1e-5)),
    # layer norm: rows (N, D) and sequences (N, T, D)
    OpSpec("layer_norm", F.layer_norm_forward, F.layer_norm_backward, normal((4, 5), (5,), (5,)),
           torch_twin=lambda x, g, b: _torch()[1].layer_norm(x, (5,), g, b, eps=1e-5)),
    OpSpec("layer_norm (sequences)", F.layer_norm_forward, F.layer_norm_backward, normal((2, 3, 4), (4,), (4,)),
           torch_twin=lambda x, g, b: _torch()[1].layer_norm(x, (4,), g, b, eps=1e-5)),
    # the layers' cases: "same" padding at stride 1 (Conv2d(..., padding=1), chapter 8's CNN), overlapping averages
    OpSpec("conv2d(padding=1)", lambda x, W, b: F.conv2d_forward(x, W, b, padding=1), F.conv2d_backward,
           normal((3, 2, 5, 6), (3, 2, 3, 3), (3,)),
           torch_twin=lambda x, W, b: _torch()[1].conv2d(x, W, b, padding=1)),
    OpSpec("avg_pool2d(3, stride=2)", lambda x: F.avg_pool2d_forward(x, kernel_size=3, stride=2),
           F.avg_pool2d_backward, normal((2, 2, 7, 7)),
           torch_twin=lambda x: _torch()[1].avg_pool2d(x, 3, stride=2)),
]


# ------------------------------------------------- a toy op with two outputs and two data inputs
#
# nnlib has no multi-output op yet (the LSTM step will be the first). This toy keeps the
# generic tests' multi-output, multi-input paths honest until then; it follows the
# conventions of nnlib.functional exactly.


def toy_pair_forward(a, b, w):
    r"""Two outputs from two data inputs and a parameter: :math:`s = aw + b`, :math:`p = a \odot b`."""
    a, b, w = float_input(a, "a", 2), float_input(b, "b", 2), float_input(w, "w", 2)
    return (a @ w + b, a * b), {"op": "toy_pair", "a": a, "b": b, "w": w}


def toy_pair_backward(dys, cache):
    r""":math:`\partial a = \delta_s w^\top + \delta_p \odot b`, :math:`\partial b = \delta_s + \delta_p \odot a`,
    :math:`\partial w = a^\top \delta_s`."""
    cache = check_cache(cache, "toy_pair")
    a, b, w = cache["a"], cache["b"], cache["w"]
    ds, dp = check_upstreams(dys, {"s": a.shape, "p": a.shape}, a.dtype)
    return (ds @ w.T + dp * b, ds + dp * a), {"w": a.T @ ds}


MACHINERY_SPECS = [
    OpSpec("toy_pair (2 outputs, 2 data inputs)", toy_pair_forward, toy_pair_backward,
           normal((4, 3), (4, 3), (3, 3)), n_data_inputs=2,
           torch_twin=lambda a, b, w: (a @ w + b, a * b)),
]

ALL_SPECS = OP_SPECS + MACHINERY_SPECS
