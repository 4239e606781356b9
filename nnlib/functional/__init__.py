r"""Forward/backward pairs: the operations of a network as pure functions.

Every operation comes as two functions::

    y, cache = op_forward(x, ...)        # compute the output, remember what backward needs
    dx, grads = op_backward(dy, cache)   # chain rule: dL/dx (and dL/dparams) from dL/dy

``dy`` is the gradient of a scalar loss :math:`L` with respect to the output
``y`` (same shape as ``y``), ``dx`` the gradient with respect to the input
``x`` (same shape as ``x``) and ``grads`` a dict of parameter gradients
(``{"W": dW, "b": db}`` for :func:`linear_backward`, ``{}`` for activations).
In each docstring :math:`\delta = \partial L / \partial y` denotes ``dy``.

Conventions
-----------
* Rows are examples: :func:`linear_forward` computes :math:`Z = XW + b` with
  ``X (n, d_in)``, ``W (d_in, d_out)``, ``b (d_out,)``.
* The cache is a plain dict (``{"op": "sigmoid", "y": y}``): readable in a
  notebook, and checked by the backward function, which refuses a cache made
  by a different operation.
* Backward functions never modify ``dy`` or the cache; they check that ``dy``
  has the shape and dtype of the forward output.
* ``float32`` stays ``float32``; integer input becomes ``float64``. Backward
  refuses a ``dy`` whose dtype differs from the forward output's.
* NaN and inf are propagated, not rejected, so that a training loop can
  detect divergence in the loss and report it.

Layers (:mod:`nnlib.layers`) wrap these functions; the chapters show them next
to their derivations.
"""

from __future__ import annotations

import numpy as np

from nnlib import activations as A
from nnlib._validation import check_array, check_number

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
]


# ------------------------------------------------------------------------ helpers


def _input(x, name: str = "x", ndim=None) -> np.ndarray:
    """Validate a forward input: float32/float64 array (ints -> float64), NaN/inf allowed."""
    return check_array(x, name, ndim=ndim, dtype="float", finite=False)


def _check_cache(cache, op: str) -> dict:
    if not isinstance(cache, dict) or "op" not in cache:
        raise TypeError(
            f"cache: expected the cache dict returned by {op}_forward, got {type(cache).__name__}"
        )
    if cache["op"] != op:
        raise ValueError(
            f"cache: expected a cache from {op}_forward, got one from {cache['op']}_forward"
        )
    return cache


def _upstream(dy, shape: tuple, dtype: np.dtype) -> np.ndarray:
    """Validate the upstream gradient ``dy`` against the forward output's shape and dtype."""
    dy = check_array(dy, "dy", dtype="float", finite=False)
    if dy.shape != tuple(shape):
        raise ValueError(
            f"dy: expected the shape of the forward output {tuple(shape)}, got shape {dy.shape}"
        )
    if dy.dtype != dtype:
        raise TypeError(
            f"dy: expected dtype {np.dtype(dtype)} (the dtype of the forward output), got {dy.dtype}"
        )
    return dy


def _axis(axis, ndim: int) -> int:
    """Normalise ``axis`` to a non-negative index (validation shared with activations)."""
    return A._check_axis(axis, ndim) % ndim


# ------------------------------------------------------------------------- linear


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
    W = _input(W, "W", ndim=2)
    d_in, d_out = W.shape
    x = check_array(x, "x", shape=(None, d_in), dtype="float", finite=False)
    b = check_array(b, "b", shape=(d_out,), dtype="float", finite=False)
    for name, arr in (("W", W), ("b", b)):
        if arr.dtype != x.dtype:
            raise TypeError(
                f"{name}: expected dtype {x.dtype} (the dtype of x), got {arr.dtype}; "
                f"convert with .astype(np.{x.dtype})"
            )
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
    cache = _check_cache(cache, "linear")
    x, W = cache["x"], cache["W"]
    dz = _upstream(dz, (x.shape[0], W.shape[1]), x.dtype)
    dx = dz @ W.T if input_grad else None
    dW = x.T @ dz
    db = dz.sum(axis=0)
    return dx, {"W": dW, "b": db}


# ------------------------------------------------------------------------ identity


def identity_forward(x):
    r"""Identity map (a "linear" activation), useful as a placeholder.

    .. math::

        y = x, \qquad \frac{\partial L}{\partial x} = \delta

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    y : ndarray, same shape and dtype as ``x`` (a copy)
    cache : dict
    """
    x = _input(x)
    return x.copy(), {"op": "identity", "shape": x.shape, "dtype": x.dtype}


def identity_backward(dy, cache):
    r"""Backward pass of :func:`identity_forward`: :math:`\partial L/\partial x = \delta`.

    Parameters
    ----------
    dy : array_like, same shape as the forward output
    cache : dict
        From :func:`identity_forward`.

    Returns
    -------
    dx : ndarray, same shape as ``dy`` (a copy)
    grads : dict
        ``{}``.
    """
    cache = _check_cache(cache, "identity")
    dy = _upstream(dy, cache["shape"], cache["dtype"])
    return dy.copy(), {}


# ---------------------------------------------------------------------------- step


def step_forward(x):
    r"""Heaviside step, :math:`y = \mathbb{1}[x \ge 0]` (see :func:`nnlib.activations.step`).

    .. math::

        y = \begin{cases} 1 & x \ge 0 \\ 0 & x < 0 \end{cases},
        \qquad \frac{\partial L}{\partial x} = 0

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    y : ndarray, same shape and dtype as ``x``
    cache : dict
    """
    x = _input(x)
    return A.step(x), {"op": "step", "shape": x.shape, "dtype": x.dtype}


def step_backward(dy, cache):
    r"""Backward pass of :func:`step_forward`: zero everywhere.

    .. math::

        \frac{\partial L}{\partial x} = \delta \cdot \operatorname{step}'(x) = 0

    The step is flat almost everywhere, so no gradient passes through it; this
    is why perceptrons are trained with their own rule, not backpropagation.

    Parameters
    ----------
    dy : array_like, same shape as the forward output
    cache : dict
        From :func:`step_forward`.

    Returns
    -------
    dx : ndarray of zeros, same shape as ``dy``
    grads : dict
        ``{}``.
    """
    cache = _check_cache(cache, "step")
    dy = _upstream(dy, cache["shape"], cache["dtype"])
    return np.zeros_like(dy), {}


# ------------------------------------------------------------------------- sigmoid


def sigmoid_forward(x):
    r"""Logistic sigmoid (stable; see :func:`nnlib.activations.sigmoid`).

    .. math::

        y = \sigma(x) = \frac{1}{1 + e^{-x}}

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    y : ndarray, same shape and dtype as ``x``
    cache : dict
        ``{"op": "sigmoid", "y": y}``: backward needs only the output.
    """
    y = np.asarray(A.sigmoid(_input(x)))
    return y, {"op": "sigmoid", "y": y}


def sigmoid_backward(dy, cache):
    r"""Backward pass of :func:`sigmoid_forward`, from the cached output :math:`y`.

    .. math::

        \frac{\partial L}{\partial x} = \delta \odot y \odot (1 - y)

    Parameters
    ----------
    dy : array_like, same shape as ``y``
    cache : dict
        From :func:`sigmoid_forward`.

    Returns
    -------
    dx : ndarray, same shape as ``dy``
    grads : dict
        ``{}``.
    """
    y = _check_cache(cache, "sigmoid")["y"]
    dy = _upstream(dy, y.shape, y.dtype)
    return dy * y * (1 - y), {}


# ---------------------------------------------------------------------------- tanh


def tanh_forward(x):
    r"""Hyperbolic tangent.

    .. math::

        y = \tanh(x)

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    y : ndarray, same shape and dtype as ``x``
    cache : dict
        ``{"op": "tanh", "y": y}``.
    """
    y = np.tanh(_input(x))
    return y, {"op": "tanh", "y": y}


def tanh_backward(dy, cache):
    r"""Backward pass of :func:`tanh_forward`, from the cached output :math:`y`.

    .. math::

        \frac{\partial L}{\partial x} = \delta \odot (1 - y^2)

    Parameters
    ----------
    dy : array_like, same shape as ``y``
    cache : dict
        From :func:`tanh_forward`.

    Returns
    -------
    dx : ndarray, same shape as ``dy``
    grads : dict
        ``{}``.
    """
    y = _check_cache(cache, "tanh")["y"]
    dy = _upstream(dy, y.shape, y.dtype)
    return dy * (1 - y * y), {}


# ---------------------------------------------------------------------------- relu


def relu_forward(x):
    r"""Rectified linear unit.

    .. math::

        y = \max(0, x)

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    y : ndarray, same shape and dtype as ``x``
    cache : dict
        ``{"op": "relu", "x": x}``.
    """
    x = _input(x)
    return np.maximum(x, 0), {"op": "relu", "x": x}


def relu_backward(dy, cache):
    r"""Backward pass of :func:`relu_forward` (convention :math:`\operatorname{ReLU}'(0) = 0`).

    .. math::

        \frac{\partial L}{\partial x} = \delta \odot \mathbb{1}[x > 0]

    Parameters
    ----------
    dy : array_like, same shape as ``x``
    cache : dict
        From :func:`relu_forward`.

    Returns
    -------
    dx : ndarray, same shape as ``dy``
    grads : dict
        ``{}``.
    """
    x = _check_cache(cache, "relu")["x"]
    dy = _upstream(dy, x.shape, x.dtype)
    return np.where(x > 0, dy, 0).astype(x.dtype, copy=False), {}


# ---------------------------------------------------------------------- leaky relu


def leaky_relu_forward(x, alpha: float = 0.01):
    r"""Leaky ReLU with slope ``alpha`` for :math:`x \le 0`.

    .. math::

        y = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}

    Parameters
    ----------
    x : array_like, any shape
    alpha : float, default 0.01
        Negative-side slope, :math:`\ge 0`.

    Returns
    -------
    y : ndarray, same shape and dtype as ``x``
    cache : dict
        ``{"op": "leaky_relu", "x": x, "alpha": alpha}``.

    Raises
    ------
    ValueError
        If ``alpha < 0``.
    """
    x = _input(x)
    alpha = check_number(alpha, "alpha", low=0.0)
    return np.where(x > 0, x, alpha * x), {"op": "leaky_relu", "x": x, "alpha": alpha}


def leaky_relu_backward(dy, cache):
    r"""Backward pass of :func:`leaky_relu_forward` (convention :math:`f'(0) = \alpha`).

    .. math::

        \frac{\partial L}{\partial x} = \delta \odot
        \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}

    Parameters
    ----------
    dy : array_like, same shape as ``x``
    cache : dict
        From :func:`leaky_relu_forward`.

    Returns
    -------
    dx : ndarray, same shape as ``dy``
    grads : dict
        ``{}``.
    """
    cache = _check_cache(cache, "leaky_relu")
    x, alpha = cache["x"], cache["alpha"]
    dy = _upstream(dy, x.shape, x.dtype)
    return np.where(x > 0, dy, alpha * dy), {}


# ------------------------------------------------------------------------ softplus


def softplus_forward(x):
    r"""Softplus (stable; see :func:`nnlib.activations.softplus`).

    .. math::

        y = \log(1 + e^{x}) = \max(x, 0) + \log(1 + e^{-|x|})

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    y : ndarray, same shape and dtype as ``x``
    cache : dict
        ``{"op": "softplus", "x": x}``.
    """
    x = _input(x)
    return np.asarray(A.softplus(x)), {"op": "softplus", "x": x}


def softplus_backward(dy, cache):
    r"""Backward pass of :func:`softplus_forward`.

    .. math::

        \frac{\partial L}{\partial x} = \delta \odot \sigma(x)

    Parameters
    ----------
    dy : array_like, same shape as ``x``
    cache : dict
        From :func:`softplus_forward`.

    Returns
    -------
    dx : ndarray, same shape as ``dy``
    grads : dict
        ``{}``.
    """
    x = _check_cache(cache, "softplus")["x"]
    dy = _upstream(dy, x.shape, x.dtype)
    return dy * A.sigmoid(x), {}


# ------------------------------------------------------------------------- softmax


def softmax_forward(x, axis: int = -1):
    r"""Softmax along ``axis`` (stable; see :func:`nnlib.activations.softmax`).

    .. math::

        y_i = \frac{e^{x_i - m}}{\sum_j e^{x_j - m}}, \qquad m = \max_j x_j

    Parameters
    ----------
    x : array_like, shape (..., C)
        Logits, e.g. ``(n, C)``: one distribution per row.
    axis : int, default -1

    Returns
    -------
    y : ndarray, same shape and dtype as ``x``
    cache : dict
        ``{"op": "softmax", "y": y, "axis": axis}``.

    Raises
    ------
    ValueError
        If ``x`` is a scalar or ``axis`` is out of range.
    """
    x = _input(x)
    axis = _axis(axis, x.ndim)
    y = A.softmax(x, axis=axis)
    return y, {"op": "softmax", "y": y, "axis": axis}


def softmax_backward(dy, cache):
    r"""Backward pass of :func:`softmax_forward`: the vector-Jacobian product.

    With :math:`\partial y_i / \partial x_j = y_i(\delta_{ij} - y_j)`:

    .. math::

        \frac{\partial L}{\partial x_j} = \sum_i \delta_i\, y_i (\delta_{ij} - y_j)
        = y_j \Bigl(\delta_j - \sum_i \delta_i y_i\Bigr),
        \qquad \frac{\partial L}{\partial x} = y \odot \bigl(\delta - \langle \delta, y \rangle\bigr)

    (the inner product taken along ``axis``). No :math:`C \times C` Jacobian is
    formed. For a classifier prefer
    :func:`nnlib.losses.softmax_cross_entropy_loss` on the logits, which fuses
    softmax and cross-entropy into :math:`(p - y)/n`.

    Parameters
    ----------
    dy : array_like, same shape as ``y``
    cache : dict
        From :func:`softmax_forward`.

    Returns
    -------
    dx : ndarray, same shape as ``dy``
    grads : dict
        ``{}``.
    """
    cache = _check_cache(cache, "softmax")
    y, axis = cache["y"], cache["axis"]
    dy = _upstream(dy, y.shape, y.dtype)
    return y * (dy - np.sum(dy * y, axis=axis, keepdims=True)), {}


# --------------------------------------------------------------------- log-softmax


def log_softmax_forward(x, axis: int = -1):
    r"""Log-softmax along ``axis`` (log-sum-exp stable).

    .. math::

        y_i = x_i - \operatorname{LSE}(x), \qquad
        \operatorname{LSE}(x) = m + \log \sum_j e^{x_j - m}, \quad m = \max_j x_j

    Parameters
    ----------
    x : array_like, shape (..., C)
    axis : int, default -1

    Returns
    -------
    y : ndarray, same shape and dtype as ``x``
    cache : dict
        ``{"op": "log_softmax", "y": y, "axis": axis}``.

    Raises
    ------
    ValueError
        If ``x`` is a scalar or ``axis`` is out of range.
    """
    x = _input(x)
    axis = _axis(axis, x.ndim)
    y = A.log_softmax(x, axis=axis)
    return y, {"op": "log_softmax", "y": y, "axis": axis}


def log_softmax_backward(dy, cache):
    r"""Backward pass of :func:`log_softmax_forward`.

    With :math:`\partial y_i / \partial x_j = \delta_{ij} - p_j` and
    :math:`p = e^{y} = \operatorname{softmax}(x)`:

    .. math::

        \frac{\partial L}{\partial x_j} = \delta_j - p_j \sum_i \delta_i

    Parameters
    ----------
    dy : array_like, same shape as ``y``
    cache : dict
        From :func:`log_softmax_forward`.

    Returns
    -------
    dx : ndarray, same shape as ``dy``
    grads : dict
        ``{}``.
    """
    cache = _check_cache(cache, "log_softmax")
    y, axis = cache["y"], cache["axis"]
    dy = _upstream(dy, y.shape, y.dtype)
    return dy - np.exp(y) * np.sum(dy, axis=axis, keepdims=True), {}


# ------------------------------------------------------------- images: convolution and pooling
# Imported last: these modules use the helpers above. (N, C, H, W) images.

from nnlib.functional import conv, loops, pool  # noqa: E402
from nnlib.functional.conv import *  # noqa: E402,F401,F403
from nnlib.functional.loops import *  # noqa: E402,F401,F403
from nnlib.functional.pool import *  # noqa: E402,F401,F403

__all__ += conv.__all__ + pool.__all__ + loops.__all__
