"""Novikoff's bound on the number of mistakes the perceptron makes on separable data."""

from __future__ import annotations

import numpy as np

from nnlib._validation import check_array, check_binary_labels, check_number

__all__ = ["mistake_bound"]


def mistake_bound(X, y, w_star, b_star, *, return_terms: bool = False):
    """Novikoff's bound :math:`(R/\\gamma)^2` on the number of perceptron updates.

    The bias is folded into the weights with augmented vectors
    :math:`\\tilde{\\mathbf{x}}_i = (\\mathbf{x}_i, 1)` and
    :math:`\\tilde{\\mathbf{w}} = (\\mathbf{w}, b)`, so :math:`z = \\tilde{\\mathbf{w}}^\\top
    \\tilde{\\mathbf{x}}`. With signed labels :math:`t_i = 2y_i - 1 \\in \\{-1, +1\\}` and the
    given separator scaled to unit length in the augmented space,
    :math:`\\tilde{\\mathbf{u}} = (\\mathbf{w}^*, b^*) / \\lVert(\\mathbf{w}^*, b^*)\\rVert`:

    .. math::

        R = \\max_i \\lVert\\tilde{\\mathbf{x}}_i\\rVert = \\max_i \\sqrt{\\lVert\\mathbf{x}_i\\rVert^2 + 1},
        \\qquad
        \\gamma = \\min_i t_i\\, \\tilde{\\mathbf{u}}^\\top \\tilde{\\mathbf{x}}_i,
        \\qquad
        \\text{updates} \\le \\left(\\frac{R}{\\gamma}\\right)^2.

    :math:`\\gamma` is the margin of :math:`(\\mathbf{w}^*, b^*)` in the augmented space.
    It is *not* the geometric distance to the line in the plane: if
    :math:`\\lVert\\mathbf{w}^*\\rVert = 1` and every point is at distance at least
    :math:`\\delta` from the line :math:`\\mathbf{w}^{*\\top}\\mathbf{x} + b^* = 0`, then
    :math:`\\gamma = \\delta / \\sqrt{1 + b^{*2}}`. Both :math:`R` and :math:`\\gamma`
    depend on where the origin is, so centring the data usually gives a smaller bound.

    Assumptions: the perceptron starts from :math:`\\mathbf{w} = 0, b = 0`
    (``init="zeros"``), uses any learning rate :math:`\\eta > 0` (from zero the weights
    are :math:`\\eta` times those of :math:`\\eta = 1`, so :math:`\\eta` cancels out of the
    bound), and :math:`(\\mathbf{w}^*, b^*)` separates the data strictly
    (:math:`\\gamma > 0`). The bound counts updates (mistakes) over all epochs, whatever
    the order the examples are presented in; it holds for the
    :math:`z \\ge 0 \\Rightarrow 1` convention because every mistake has
    :math:`t_i\\,\\tilde{\\mathbf{w}}^\\top\\tilde{\\mathbf{x}}_i \\le 0`. Any positive
    multiple of :math:`(\\mathbf{w}^*, b^*)` gives the same bound; a better separator
    (larger :math:`\\gamma`) gives a tighter one.

    Parameters
    ----------
    X : array_like of shape (n, d)
    y : array_like of shape (n,)
        Labels in {0, 1}.
    w_star : array_like of shape (d,)
        A separating weight vector (need not have unit length), e.g. the one returned
        by :func:`nnlib.data.make_linearly_separable` with ``return_boundary=True``.
    b_star : float
        Its bias.
    return_terms : bool
        Also return ``R`` and ``gamma``.

    Returns
    -------
    bound : float
        :math:`(R/\\gamma)^2`.
    R, gamma : float
        Only with ``return_terms=True``.

    Raises
    ------
    ValueError
        When :math:`(\\mathbf{w}^*, b^*)` does not separate the data (some
        :math:`t_i\\,\\tilde{\\mathbf{u}}^\\top\\tilde{\\mathbf{x}}_i \\le 0`); the message says how
        many points are on the wrong side or on the line.
    """
    X = check_array(X, "X", ndim=2)
    d = X.shape[1]
    y = check_binary_labels(y, "y", X.shape[0])
    w_star = check_array(w_star, "w_star", shape=(d,))
    b_star = check_number(b_star, "b_star")

    X_aug = np.column_stack([X, np.ones(X.shape[0])])
    u = np.append(w_star, b_star)
    norm = np.linalg.norm(u)
    if norm == 0:
        raise ValueError("w_star, b_star: expected a non-zero separator, got all zeros")
    u = u / norm
    t = 2 * y - 1
    signed_margins = t * (X_aug @ u)
    bad = int(np.sum(signed_margins <= 0))
    if bad:
        raise ValueError(
            f"w_star, b_star: do not separate the data: {bad} of {len(y)} points lie on the "
            "wrong side of the line or on it (the bound needs gamma > 0)"
        )
    R = float(np.max(np.linalg.norm(X_aug, axis=1)))
    gamma = float(np.min(signed_margins))
    bound = (R / gamma) ** 2
    return (bound, R, gamma) if return_terms else bound
