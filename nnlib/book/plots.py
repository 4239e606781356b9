"""The book's palette, and the plots the chapters share: decision boundaries, loss curves, a function and its derivative.

Each helper draws into matplotlib axes that the caller passes and returns the
artists it made, so widgets can update them. All colours of the book (chapters,
widgets, films) come from one colour-blind-safe palette (Okabe & Ito):
:data:`CLASS_COLORS`, and what is made from it here (:data:`PROBABILITY_CMAP`,
:func:`lighten`, :data:`INK`, :data:`HIGHLIGHT`, :data:`WARNING`, :data:`ERROR`).
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, ListedColormap

__all__ = [
    "CLASS_COLORS",
    "PROBABILITY_CMAP",
    "INK",
    "HIGHLIGHT",
    "WARNING",
    "ERROR",
    "lighten",
    "grid_points",
    "plot_decision_boundary",
    "plot_function_and_derivative",
    "plot_history",
]

#: Colour of class k is ``CLASS_COLORS[k]`` (Okabe–Ito palette, safe for colour-blind readers):
#: blue, vermillion, bluish green, reddish purple, orange, sky blue, yellow, black.
CLASS_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")

#: Diverging map for P(class 1): class-0 blue at 0, white at 0.5, class-1 vermillion at 1.
PROBABILITY_CMAP = LinearSegmentedColormap.from_list(
    "nnlib_probability", [CLASS_COLORS[0], "#FFFFFF", CLASS_COLORS[1]]
)

#: Text and lines that are not data: near black.
INK = "#262626"
#: What a reader's eye should go to (the example just seen, a marker): orange.
HIGHLIGHT = CLASS_COLORS[4]
#: Warnings and errors in status lines: dark orange and dark vermillion (readable on white).
WARNING, ERROR = "#A65E00", "#C03000"


def lighten(color, amount: float = 0.7) -> tuple[float, float, float]:
    r"""``color`` mixed with white: ``amount`` 0 keeps it, 1 gives white (an opaque pale tint).

    .. math::

        c' = (1 - a)\,c + a\,\mathbf{1}

    Parameters
    ----------
    color : matplotlib colour
    amount : float in [0, 1]

    Returns
    -------
    tuple of 3 floats
        RGB in [0, 1].
    """
    from matplotlib.colors import to_rgb

    if not 0.0 <= amount <= 1.0:
        raise ValueError(f"amount: expected a number in [0, 1], got {amount!r}")
    return tuple((1 - amount) * c + amount for c in to_rgb(color))


def grid_points(X, resolution: int = 200, padding: float = 0.5):
    """A regular grid covering the 2-D points ``X`` plus a margin, flattened for ``predict``.

    Parameters
    ----------
    X : ndarray of shape (n, 2)
        The data points.
    resolution : int, default 200
        Grid points along each axis.
    padding : float, default 0.5
        Margin added on every side of the data's bounding box.

    Returns
    -------
    points : ndarray of shape (resolution**2, 2)
        Grid points, row by row from the bottom-left corner.
    extent : tuple of 4 floats
        ``(x_min, x_max, y_min, y_max)`` for :meth:`matplotlib.axes.Axes.imshow`.

    Examples
    --------
    A widget can recolour the image of :func:`plot_decision_boundary` cheaply:

    >>> points, extent = grid_points(X, resolution=100)               # doctest: +SKIP
    >>> image.set_data(predict(points).reshape(100, 100))              # doctest: +SKIP
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X: expected an array of shape (n, 2), got shape {X.shape}")
    low, high = X.min(axis=0) - padding, X.max(axis=0) + padding
    x1, x2 = np.meshgrid(np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution))
    return np.column_stack([x1.ravel(), x2.ravel()]), (low[0], high[0], low[1], high[1])


def _as_image(output, resolution: int):
    """Turn ``predict``'s output on the grid into (image, kind): kind is "labels" or "proba"."""
    output = np.asarray(output)
    if output.ndim == 2 and output.shape[1] == 1:
        output = output[:, 0]
    if output.ndim == 2:  # (m, C) class probabilities or scores
        if output.shape[1] == 2:
            return output[:, 1].reshape(resolution, resolution), "proba"
        return output.argmax(axis=1).reshape(resolution, resolution), "labels"
    if output.ndim != 1 or output.shape[0] != resolution * resolution:
        raise ValueError(
            f"predict: expected an output of shape (m,), (m, 1) or (m, C) for m = {resolution**2} "
            f"grid points, got shape {output.shape}"
        )
    is_integer = np.issubdtype(output.dtype, np.integer) or output.dtype == bool
    return output.reshape(resolution, resolution), "labels" if is_integer else "proba"


def plot_decision_boundary(
    ax,
    predict,
    X,
    y,
    resolution: int = 200,
    padding: float = 0.5,
    *,
    alpha: float = 0.55,
    point_size: float = 22,
    n_classes: int | None = None,
    aspect: str | float = "auto",
):
    """Colour the plane by a classifier's prediction and draw the data points on top.

    ``predict`` is evaluated once on a ``resolution x resolution`` grid and the
    result is shown as an image (fast, and easy to update with ``set_data``).

    - Integer output (class labels, shape ``(m,)``): one flat colour per class.
    - Float output of shape ``(m,)`` or ``(m, 1)``: the probability of class 1,
      on a diverging map (blue = class 0, white = 0.5, vermillion = class 1),
      so the decision boundary is where the colour turns white.
    - Output of shape ``(m, C)``: for ``C == 2`` the second column is used as
      the probability of class 1; for ``C > 2`` the arg-max label.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    predict : callable
        Maps an array of shape (m, 2) to labels (m,) or probabilities (m,), (m, 1), (m, C).
    X : ndarray of shape (n, 2)
        Data points, drawn on top.
    y : ndarray of shape (n,)
        Integer class labels 0, 1, ..., K-1; point k gets ``CLASS_COLORS[y[k]]``.
    resolution : int, default 200
        Grid points along each axis.
    padding : float, default 0.5
        Margin around the data.
    alpha : float, default 0.55
        Opacity of the background image.
    point_size : float, default 22
        Marker area of the data points.
    n_classes : int, optional
        Number of classes for the label colours; by default the largest label
        seen in ``y`` or in the predictions, plus one.
    aspect : {"auto", "equal"} or float, default "auto"
        Axes aspect; use ``"equal"`` when angles matter (a weight vector drawn
        perpendicular to the boundary looks perpendicular only then).

    Returns
    -------
    matplotlib.image.AxesImage
        The background image; update it with ``image.set_data(...)`` using the
        grid of :func:`grid_points`.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"y: expected shape ({X.shape[0]},) to match X, got shape {y.shape}")
    points, extent = grid_points(X, resolution, padding)
    image, kind = _as_image(predict(points), resolution)
    if kind == "labels":
        if n_classes is None:
            n_classes = int(max(image.max(), y.max() if y.size else 0)) + 1
        cmap = ListedColormap(CLASS_COLORS[:n_classes])
        norm = {"vmin": -0.5, "vmax": n_classes - 0.5}
    else:
        cmap, norm = PROBABILITY_CMAP, {"vmin": 0.0, "vmax": 1.0}
    artist = ax.imshow(
        image, extent=extent, origin="lower", cmap=cmap, alpha=alpha, aspect=aspect,
        interpolation="nearest", **norm,
    )
    for label in np.unique(y):
        members = y == label
        ax.scatter(
            X[members, 0], X[members, 1], s=point_size, color=CLASS_COLORS[int(label) % len(CLASS_COLORS)],
            edgecolors="white", linewidths=0.6, label=f"class {label}", zorder=3,
        )
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return artist


def plot_history(ax, history, keys=("loss", "val_loss"), *, logy: bool = False):
    """Plot training curves (one line per metric) against the epoch.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    history : nnlib.training.History or dict of str to list of float
        Anything with a ``.history`` dict, or the dict itself.
    keys : sequence of str, default ("loss", "val_loss")
        Metrics to draw; keys missing from ``history`` are skipped. A key
        ``val_<name>`` is drawn dashed in the colour of ``<name>``.
    logy : bool, default False
        Use a logarithmic loss axis.

    Returns
    -------
    list of matplotlib.lines.Line2D
        One line per drawn key (empty if no key was found).
    """
    curves = getattr(history, "history", history)
    if not hasattr(curves, "keys"):
        raise TypeError(f"history: expected an nnlib History or a dict of lists, got {type(history).__name__}")
    present = [key for key in keys if key in curves and len(curves[key]) > 0]
    bases = list(dict.fromkeys(key.removeprefix("val_") for key in present))
    lines = []
    for key in present:
        values = np.asarray(curves[key], dtype=float)
        color = CLASS_COLORS[bases.index(key.removeprefix("val_")) % len(CLASS_COLORS)]
        style = "--" if key.startswith("val_") else "-"
        (line,) = ax.plot(np.arange(1, len(values) + 1), values, style, color=color, label=key)
        lines.append(line)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss" if present and all(k.endswith("loss") for k in present) else "value")
    if logy:
        ax.set_yscale("log")
    if lines:
        ax.legend(frameon=False)
    ax.grid(True, alpha=0.3)
    return lines


def plot_function_and_derivative(ax_or_pair, f, df, x=None, label: str = ""):
    """Plot a function and its derivative, on one axes or side by side on two.

    Parameters
    ----------
    ax_or_pair : matplotlib.axes.Axes or pair of Axes
        One axes (both curves, the derivative dashed) or two (function left,
        derivative right).
    f, df : callable or sympy.Expr
        The function and its derivative, vectorised over a NumPy array (e.g.
        ``nnlib.activations.sigmoid`` and ``sigmoid_derivative``). A SymPy
        expression in one variable is turned into a NumPy function with
        :func:`sympy.lambdify`.
    x : ndarray of shape (m,), optional
        Where to evaluate; default ``np.linspace(-6, 6, 601)``.
    label : str, default ""
        Name of the function, e.g. ``r"\\sigma"``; curves are labelled
        ``$label(x)$`` and ``$label'(x)$`` (``f`` when empty).

    Returns
    -------
    list of matplotlib.lines.Line2D
        ``[function line, derivative line]``.
    """
    x = np.linspace(-6, 6, 601) if x is None else np.asarray(x, dtype=float)
    axes = list(ax_or_pair) if np.iterable(ax_or_pair) else [ax_or_pair, ax_or_pair]
    if len(axes) != 2:
        raise ValueError(f"ax_or_pair: expected one Axes or a pair of Axes, got {len(axes)} axes")
    name = label or "f"
    lines = []
    for ax, fn, text, style, color in (
        (axes[0], f, f"${name}(x)$", "-", CLASS_COLORS[0]),
        (axes[1], df, f"${name}'(x)$", "--" if axes[0] is axes[1] else "-", CLASS_COLORS[1]),
    ):
        values = np.broadcast_to(np.asarray(_as_numpy_function(fn)(x), dtype=float), x.shape)
        (line,) = ax.plot(x, values, style, color=color, label=text)
        lines.append(line)
        ax.axhline(0, color="0.6", linewidth=0.8, zorder=0)
        ax.axvline(0, color="0.6", linewidth=0.8, zorder=0)
        ax.grid(True, alpha=0.3)
        ax.set_xlabel("$x$")
        ax.legend(frameon=False)
    return lines


def _as_numpy_function(fn):
    """A callable on arrays: ``fn`` itself, or a SymPy expression lambdified over its variable."""
    if callable(fn):
        return fn
    free = sorted(getattr(fn, "free_symbols", ()), key=str)
    if len(free) > 1:
        raise ValueError(f"expected a SymPy expression in one variable, got {fn} with variables {free}")
    import sympy as sp

    return sp.lambdify(free or [sp.Symbol("x")], fn, "numpy")
