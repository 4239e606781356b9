r"""The dense (fully connected, affine) operation: :math:`Z = XW + b`, rows are examples.

Its backward pass is the "linear local rule" of backpropagation: the input
gradient is the upstream gradient times :math:`W^\top`, the weight gradient is
:math:`X^\top` times it, and the bias gradient its sum over the batch.
"""

from __future__ import annotations

from nnlib._validation import check_array
from nnlib.functional._common import check_cache, check_upstream, float_input, same_dtype_as

__all__ = ["linear_forward", "linear_backward"]


def linear_forward(x, W, b):
    r"""Affine (fully connected) layer, rows are examples.

    .. math::

        Z = X W + \mathbf{1}\, b^\top, \qquad
        z_{ik} = \sum_j x_{ij} W_{jk} + b_k

    Parameters
    ----------
    x : array_like, shape (n, d_in)
        A batch of ``n`` examples.
    W : array_like, shape (d_in, d_out)
        Weights.
    b : array_like, shape (d_out,)
        Biases.

    Returns
    -------
    z : ndarray, shape (n, d_out)
        Same dtype as the inputs.
    cache : dict
        ``{"op": "linear", "x": x, "W": W}`` (references, not copies).

    Raises
    ------
    ValueError
        If a shape is wrong (e.g. ``x`` has ``d_in`` columns but ``W`` has a
        different number of rows), or an input is not 2-D/1-D as listed.
    TypeError
        If ``x``, ``W`` and ``b`` do not share one float dtype.

    Examples
    --------
    >>> z, cache = linear_forward([[1.0, 2.0]], [[1.0], [1.0]], [0.5])
    >>> z
    array([[3.5]])
    """
    W = float_input(W, "W", ndim=2)
    d_in, d_out = W.shape
    x = check_array(x, "x", shape=(None, d_in), dtype="float", finite=False)
    b = check_array(b, "b", shape=(d_out,), dtype="float", finite=False)
    same_dtype_as(x, W=W, b=b)
    z = x @ W + b
    return z, {"op": "linear", "x": x, "W": W}


def linear_backward(dz, cache, input_grad: bool = True):
    r"""Backward pass of :func:`linear_forward`.

    With :math:`\delta = \partial L / \partial Z` of shape ``(n, d_out)``:

    .. math::

        \frac{\partial L}{\partial X} = \delta W^\top, \qquad
        \frac{\partial L}{\partial W} = X^\top \delta, \qquad
        \frac{\partial L}{\partial b} = \sum_{i=1}^{n} \delta_{i,:}

    The parameter gradients are *sums* over the batch; if :math:`L` is a mean
    over examples, the :math:`1/n` is already inside :math:`\delta` (the losses
    in :mod:`nnlib.losses` return the gradient of the mean).

    Parameters
    ----------
    dz : array_like, shape (n, d_out)
        Upstream gradient :math:`\partial L / \partial Z`.
    cache : dict
        From :func:`linear_forward`.
    input_grad : bool, default True
        Compute :math:`\partial L / \partial X`. The first layer of a network does not
        need it; skipping it saves a third of the layer's backward work.

    Returns
    -------
    dx : ndarray, shape (n, d_in), or None when ``input_grad`` is False
    grads : dict
        ``{"W": dW (d_in, d_out), "b": db (d_out,)}``.
    """
    cache = check_cache(cache, "linear")
    x, W = cache["x"], cache["W"]
    dz = check_upstream(dz, (x.shape[0], W.shape[1]), x.dtype)
    dx = dz @ W.T if input_grad else None
    dW = x.T @ dz
    db = dz.sum(axis=0)
    return dx, {"W": dW, "b": db}
