r"""Batch and layer normalisation as forward/backward pairs.

Both standardise numbers with a mean and a variance, then scale and shift them
with learned :math:`\gamma, \beta`; they differ in *which* numbers share the
statistics:

* **batch normalisation** (:func:`batch_norm_forward`): each feature (axis 1)
  over the batch, :math:`x` of shape ``(N, C)``, or each channel over the
  batch and the positions for images ``(N, C, H, W)`` (and ``(N, C, L)``);
* **layer normalisation** (:func:`layer_norm_forward`): each example (each
  position of a sequence) over its features, the last axis.

With :math:`m` numbers sharing a mean :math:`\mu` and a (biased) variance
:math:`\sigma^2`:

.. math::

    \mu = \frac{1}{m}\sum_{i} x_i, \qquad
    \sigma^2 = \frac{1}{m}\sum_{i} (x_i - \mu)^2, \qquad
    \hat x_i = \frac{x_i - \mu}{\sqrt{\sigma^2 + \epsilon}}, \qquad
    y_i = \gamma\, \hat x_i + \beta

Because :math:`\mu` and :math:`\sigma^2` depend on every :math:`x_i`, the
backward pass has two extra terms besides :math:`\gamma\,\delta_i/\sqrt{\sigma^2 + \epsilon}`;
with :math:`g_i = \gamma\,\delta_i` it collapses to

.. math::

    \frac{\partial L}{\partial x_i} = \frac{1}{\sqrt{\sigma^2 + \epsilon}}
    \Bigl(g_i - \frac{1}{m}\sum_j g_j - \hat x_i\,\frac{1}{m}\sum_j g_j \hat x_j\Bigr)

(derived step by step, and checked symbolically, in chapter 7).

In *evaluation* mode batch normalisation uses fixed statistics (the running
averages a :class:`~nnlib.layers.BatchNorm` layer keeps): pass them as
``mean`` and ``var``; the op is then a per-feature affine map and its input
gradient is :math:`\gamma\,\delta_i / \sqrt{\sigma^2 + \epsilon}` alone.
"""

from __future__ import annotations

import numpy as np

from nnlib._validation import check_array, check_number
from nnlib.functional._common import cached_and_upstream, float_input, same_dtype_as

__all__ = ["batch_norm_forward", "batch_norm_backward", "layer_norm_forward", "layer_norm_backward"]


# --------------------------------------------------------------------------- shared
#
# These ops read and write arrays of megabytes (feature maps) with little arithmetic per
# number: their time goes into memory passes and into the page faults of fresh temporaries.
# So each statistic is one pass (a sum, or a sum of products through einsum without the
# product array), results are updated in place, and only the arrays that are returned or
# cached are allocated.


def _sum_of_products(a: np.ndarray, b: np.ndarray, axes: tuple) -> np.ndarray:
    r""":math:`\sum a \odot b` over ``axes`` (kept as size-1 axes), without the product as a temporary."""
    letters = "abcdefgh"[:a.ndim]
    kept = "".join(c for k, c in enumerate(letters) if k not in axes)
    out = np.einsum(f"{letters},{letters}->{kept}", a, b)
    return out.reshape([1 if k in axes else n for k, n in enumerate(a.shape)])


def _standardize(x: np.ndarray, axes: tuple, eps: float):
    r"""``(x_hat, mean, var, inv_std)`` with the statistics over ``axes`` (kept as size-1 axes).

    Two passes for the statistics (the mean, then the variance about it: no cancellation
    as in :math:`\overline{x^2} - \bar x^2`), one array allocated: :math:`\hat x`.
    """
    axes = tuple(a % x.ndim for a in axes)
    count = x.dtype.type(np.prod([x.shape[a] for a in axes]))
    mean = np.sum(x, axis=axes, keepdims=True) / count
    x_hat = x - mean  # centred; standardised in place below
    var = _sum_of_products(x_hat, x_hat, axes) / count
    inv_std = 1.0 / np.sqrt(var + x.dtype.type(eps))
    x_hat *= inv_std
    return x_hat, mean, var, inv_std


def _standardized_backward(g: np.ndarray, x_hat: np.ndarray, inv_std: np.ndarray, axes: tuple) -> np.ndarray:
    r""":math:`\partial L/\partial x` from :math:`g = \partial L/\partial \hat x`: the compact formula.

    .. math:: \frac{\partial L}{\partial x} = \frac{1}{s}\bigl(g - \bar g - \hat x\, \overline{g \hat x}\bigr)
    """
    axes = tuple(a % g.ndim for a in axes)
    count = g.dtype.type(np.prod([g.shape[a] for a in axes]))
    g_mean = np.sum(g, axis=axes, keepdims=True) / count
    gx_mean = _sum_of_products(g, x_hat, axes) / count
    dx = x_hat * -gx_mean
    dx += g
    dx -= g_mean
    dx *= inv_std
    return dx


def _affine_params(x: np.ndarray, gamma, beta, size: int):
    """γ and β: vectors of ``size`` entries (one per normalised feature), the dtype of ``x``."""
    gamma = check_array(gamma, "gamma", shape=(size,), dtype="float", finite=False)
    beta = check_array(beta, "beta", shape=(size,), dtype="float", finite=False)
    same_dtype_as(x, gamma=gamma, beta=beta)
    return gamma, beta


def _check_eps(eps) -> float:
    return check_number(eps, "eps", low=0.0, low_inclusive=False)


# --------------------------------------------------------------------------- batch normalisation


def _feature_view(x: np.ndarray) -> tuple:
    """Shape that broadcasts a ``(C,)`` vector along axis 1 of ``x``: ``(1, C, 1, 1)`` for images."""
    return (1, x.shape[1]) + (1,) * (x.ndim - 2)


def _fixed_statistics(x: np.ndarray, mean, var):
    """The evaluation-mode statistics: both or neither, ``(C,)``, the dtype of ``x``, ``var >= 0``."""
    if (mean is None) != (var is None):
        raise ValueError("mean, var: expected both (evaluation mode) or neither (batch statistics), got one")
    C = x.shape[1]
    mean = check_array(mean, "mean", shape=(C,), dtype="float", finite=False)
    var = check_array(var, "var", shape=(C,), dtype="float", finite=False)
    same_dtype_as(x, mean=mean, var=var)
    if np.any(var < 0):
        raise ValueError(f"var: expected variances >= 0, got {var[var < 0][:3].tolist()}")
    return mean, var


def batch_norm_forward(x, gamma, beta, *, eps: float = 1e-5, mean=None, var=None):
    r"""Batch normalisation over axis 1 (features, or the channels of images).

    .. math::

        \hat x = \frac{x - \mu_c}{\sqrt{\sigma_c^2 + \epsilon}}, \qquad y = \gamma_c\, \hat x + \beta_c

    **Training** (``mean``, ``var`` not given): :math:`\mu_c, \sigma_c^2` are
    the mean and the *biased* variance (divided by :math:`m`) of feature
    :math:`c` over the batch, :math:`m = N` values for ``(N, C)`` and
    :math:`m = N H W` for images ``(N, C, H, W)``. **Evaluation**: the given
    ``mean`` and ``var`` (a layer's running statistics) are used instead.

    Parameters
    ----------
    x : array_like, shape (N, C) or (N, C, L) or (N, C, H, W)
    gamma, beta : array_like, shape (C,)
        Scale and shift, the dtype of ``x``.
    eps : float, default 1e-5
        :math:`\epsilon > 0`, added to the variance (a feature that is constant
        over the batch would otherwise divide by zero).
    mean, var : array_like, shape (C,), optional
        Fixed statistics (evaluation mode); both or neither.

    Returns
    -------
    y : ndarray, shape and dtype of ``x``
    cache : dict
        ``{"op": "batch_norm", "mode": "batch" or "fixed", "x_hat", "inv_std",
        "gamma", "axes", "y"}`` and, in training mode, the batch statistics
        ``"mean"``, ``"var"`` (``(C,)``, biased) and ``"count"`` :math:`m`, from
        which a layer updates its running statistics.

    Raises
    ------
    ValueError
        If ``x`` has fewer than 2 axes, a shape does not match ``C``, only one
        of ``mean``/``var`` is given or a variance is negative, ``eps <= 0``,
        or (training) each feature has a single value (:math:`m = 1`: the
        batch variance is 0 and every output would be :math:`\beta`).
    TypeError
        If the arrays do not share one float dtype.

    Examples
    --------
    >>> y, cache = batch_norm_forward([[1.0], [3.0]], [2.0], [0.5])
    >>> y.round(3), cache["mean"], cache["var"]
    (array([[-1.5],
           [ 2.5]]), array([2.]), array([1.]))
    """
    x = float_input(x, "x", ndim=(2, 3, 4))
    eps = _check_eps(eps)
    C, axes = x.shape[1], (0, *range(2, x.ndim))
    gamma, beta = _affine_params(x, gamma, beta, C)
    view = _feature_view(x)
    count = x.size // C
    cache = {"op": "batch_norm", "gamma": gamma, "axes": axes}
    if mean is None and var is None:
        if count < 2:
            raise ValueError(f"x: batch statistics need more than one value per feature, got shape {x.shape} "
                             "(use a batch of at least 2 examples, or evaluation mode)")
        x_hat, mu, sigma2, inv_std = _standardize(x, axes, eps)
        cache.update(mode="batch", mean=mu.reshape(C), var=sigma2.reshape(C), count=count)
    else:
        mu, sigma2 = _fixed_statistics(x, mean, var)
        inv_std = (1.0 / np.sqrt(sigma2 + x.dtype.type(eps))).reshape(view)
        x_hat = x - mu.reshape(view)
        x_hat *= inv_std
        cache.update(mode="fixed")
    y = x_hat * gamma.reshape(view)
    y += beta.reshape(view)
    cache.update(x_hat=x_hat, inv_std=inv_std, y=y)
    return y, cache


def batch_norm_backward(dy, cache):
    r"""Backward pass of :func:`batch_norm_forward`.

    .. math::

        \frac{\partial L}{\partial \gamma_c} = \sum_{i \in c} \delta_i \hat x_i, \qquad
        \frac{\partial L}{\partial \beta_c} = \sum_{i \in c} \delta_i, \qquad
        \frac{\partial L}{\partial x_i} = \frac{\gamma_c}{\sqrt{\sigma_c^2 + \epsilon}}
        \Bigl(\delta_i - \overline{\delta} - \hat x_i\, \overline{\delta \hat x}\Bigr)

    where the sums and the means :math:`\overline{\,\cdot\,}` run over the
    :math:`m` values of feature :math:`c` (so the two means are
    :math:`\frac1m \partial L/\partial\beta_c` and :math:`\frac1m \partial L/\partial\gamma_c`, which the
    code computes first). In evaluation mode the statistics
    are constants and :math:`\partial L/\partial x_i = \gamma_c\, \delta_i / \sqrt{\sigma_c^2 + \epsilon}`.

    Parameters
    ----------
    dy : array_like, shape of the forward output
        :math:`\delta = \partial L/\partial y`.
    cache : dict
        From :func:`batch_norm_forward`.

    Returns
    -------
    dx : ndarray, shape and dtype of ``x``
    grads : dict
        ``{"gamma": (C,), "beta": (C,)}``.
    """
    _, dy = cached_and_upstream(dy, cache, "batch_norm", "y")
    x_hat, inv_std, axes = cache["x_hat"], cache["inv_std"], cache["axes"]
    view = _feature_view(x_hat)
    d_gamma = _sum_of_products(dy, x_hat, axes).reshape(-1)
    d_beta = np.sum(dy, axis=axes)
    scale = cache["gamma"].reshape(view) * inv_std  # gamma / s
    if cache["mode"] == "fixed":
        return dy * scale, {"gamma": d_gamma, "beta": d_beta}
    m = dy.dtype.type(dy.size // d_beta.size)
    # the compact formula with g = gamma * dy: its two means are gamma * d_beta / m and gamma * d_gamma / m
    dx = x_hat * (-d_gamma / m).reshape(view)
    dx += dy
    dx -= (d_beta / m).reshape(view)
    dx *= scale
    return dx, {"gamma": d_gamma, "beta": d_beta}


# --------------------------------------------------------------------------- layer normalisation


def layer_norm_forward(x, gamma, beta, *, eps: float = 1e-5):
    r"""Layer normalisation over the last axis: each example (or sequence position) by its own statistics.

    .. math::

        \mu_n = \frac{1}{D}\sum_{k} x_{n,k}, \quad
        \sigma_n^2 = \frac{1}{D}\sum_{k} (x_{n,k} - \mu_n)^2, \quad
        y_{n,k} = \gamma_k\, \frac{x_{n,k} - \mu_n}{\sqrt{\sigma_n^2 + \epsilon}} + \beta_k

    The same computation in training and evaluation (no running statistics).

    Parameters
    ----------
    x : array_like, shape (..., D)
        E.g. ``(N, D)`` or sequences ``(N, T, D)``.
    gamma, beta : array_like, shape (D,)
        Scale and shift, the dtype of ``x``.
    eps : float, default 1e-5
        :math:`\epsilon > 0`.

    Returns
    -------
    y : ndarray, shape and dtype of ``x``
    cache : dict
        ``{"op": "layer_norm", "x_hat", "inv_std", "gamma", "y"}``.

    Raises
    ------
    ValueError
        If ``x`` is 0-D, γ or β is not of shape ``(D,)``, or ``eps <= 0``.
    TypeError
        If the arrays do not share one float dtype.
    """
    x = float_input(x, "x")
    if x.ndim == 0:
        raise ValueError("x: expected an array with a feature axis (the last), got a scalar")
    eps = _check_eps(eps)
    gamma, beta = _affine_params(x, gamma, beta, x.shape[-1])
    x_hat, _, _, inv_std = _standardize(x, (x.ndim - 1,), eps)
    y = x_hat * gamma
    y += beta
    return y, {"op": "layer_norm", "x_hat": x_hat, "inv_std": inv_std, "gamma": gamma, "y": y}


def layer_norm_backward(dy, cache):
    r"""Backward pass of :func:`layer_norm_forward` (the compact formula along the last axis).

    .. math::

        \frac{\partial L}{\partial \gamma_k} = \sum_{n} \delta_{n,k} \hat x_{n,k}, \quad
        \frac{\partial L}{\partial \beta_k} = \sum_{n} \delta_{n,k}, \quad
        \frac{\partial L}{\partial x_{n,k}} = \frac{1}{\sqrt{\sigma_n^2 + \epsilon}}
        \Bigl(g_{n,k} - \overline{g_{n}} - \hat x_{n,k}\, \overline{g_n \hat x_n}\Bigr),
        \ g = \gamma \odot \delta

    with the means :math:`\overline{\,\cdot\,}` over the last axis and the sums
    over every other axis.

    Parameters
    ----------
    dy : array_like, shape of the forward output
    cache : dict
        From :func:`layer_norm_forward`.

    Returns
    -------
    dx : ndarray, shape and dtype of ``x``
    grads : dict
        ``{"gamma": (D,), "beta": (D,)}``.
    """
    _, dy = cached_and_upstream(dy, cache, "layer_norm", "y")
    x_hat, inv_std = cache["x_hat"], cache["inv_std"]
    outer = tuple(range(dy.ndim - 1))
    grads = {"gamma": _sum_of_products(dy, x_hat, outer).reshape(-1), "beta": np.sum(dy, axis=outer)}
    dx = _standardized_backward(dy * cache["gamma"], x_hat, inv_std, (dy.ndim - 1,))
    return dx, grads
