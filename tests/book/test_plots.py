"""Tests for nnlib.book.plots (headless: Agg canvas, no pyplot)."""

from types import SimpleNamespace

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.colors import ListedColormap, to_hex  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.image import AxesImage  # noqa: E402

from nnlib.book.plots import (  # noqa: E402
    CLASS_COLORS,
    PROBABILITY_CMAP,
    grid_points,
    plot_decision_boundary,
    plot_function_and_derivative,
    plot_history,
)


def new_axes(ncols=1):
    fig = Figure(figsize=(6, 3))
    FigureCanvasAgg(fig)
    return fig, fig.subplots(1, ncols)


@pytest.fixture
def blobs():
    rng = np.random.default_rng(0)
    centers = np.array([[-2.0, 0.0], [2.0, 0.0], [0.0, 3.0]])
    y = np.repeat([0, 1, 2], 20)
    return centers[y] + rng.normal(scale=0.5, size=(60, 2)), y


def sigmoid_of_x1(points):
    return 1 / (1 + np.exp(-points[:, 0]))


def test_grid_points_cover_data_plus_padding(blobs):
    X, _ = blobs
    points, extent = grid_points(X, resolution=7, padding=0.5)
    assert points.shape == (49, 2)
    assert extent == pytest.approx((X[:, 0].min() - 0.5, X[:, 0].max() + 0.5, X[:, 1].min() - 0.5, X[:, 1].max() + 0.5))
    assert points[0] == pytest.approx([extent[0], extent[2]])  # row by row from bottom-left
    assert points[6] == pytest.approx([extent[1], extent[2]])
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        grid_points(np.zeros((5, 3)))


def test_binary_probabilities_use_the_diverging_map(blobs):
    X, y = blobs
    binary = y % 2
    fig, ax = new_axes()
    image = plot_decision_boundary(ax, sigmoid_of_x1, X, binary, resolution=50)
    assert isinstance(image, AxesImage)
    assert image.get_array().shape == (50, 50)
    assert image.get_cmap().name == PROBABILITY_CMAP.name
    assert image.get_clim() == (0.0, 1.0)
    assert image.origin == "lower"
    # left column is mostly class 0 (p < 0.5), right column class 1
    assert image.get_array()[:, 0].max() < 0.5 < image.get_array()[:, -1].min()
    # points on top, one collection per class, in the class colours
    assert len(ax.collections) == 2
    assert [to_hex(c.get_facecolor()[0]) for c in ax.collections] == [c.lower() for c in CLASS_COLORS[:2]]
    fig.canvas.draw()


def test_multiclass_labels_use_a_discrete_map(blobs):
    X, y = blobs

    def nearest_center(points):
        centers = np.array([[-2.0, 0.0], [2.0, 0.0], [0.0, 3.0]])
        return np.argmin(((points[:, None, :] - centers) ** 2).sum(-1), axis=1)

    fig, ax = new_axes()
    image = plot_decision_boundary(ax, nearest_center, X, y, resolution=40)
    cmap = image.get_cmap()
    assert isinstance(cmap, ListedColormap) and cmap.N == 3
    assert set(np.unique(image.get_array())) == {0, 1, 2}
    assert len(ax.collections) == 3
    fig.canvas.draw()


def test_class_probability_matrices(blobs):
    X, y = blobs
    fig, (ax1, ax2) = new_axes(2)

    def three_columns(points):
        scores = np.column_stack([-points[:, 0], points[:, 0], points[:, 1] - 2])
        return np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)

    image = plot_decision_boundary(ax1, three_columns, X, y, resolution=30)
    assert np.issubdtype(image.get_array().dtype, np.integer)  # arg-max labels
    two = plot_decision_boundary(ax2, lambda P: np.column_stack([1 - sigmoid_of_x1(P), sigmoid_of_x1(P)]), X, y % 2)
    assert two.get_clim() == (0.0, 1.0)


def test_image_can_be_updated_with_set_data(blobs):
    X, y = blobs
    fig, ax = new_axes()
    image = plot_decision_boundary(ax, sigmoid_of_x1, X, y % 2, resolution=20)
    points, _ = grid_points(X, resolution=20)
    image.set_data(1 - sigmoid_of_x1(points).reshape(20, 20))
    assert image.get_array()[:, 0].min() > 0.5
    fig.canvas.draw()


def test_bad_prediction_shape_and_labels_raise(blobs):
    X, y = blobs
    fig, ax = new_axes()
    with pytest.raises(ValueError, match="predict"):
        plot_decision_boundary(ax, lambda P: np.zeros(7), X, y)
    with pytest.raises(ValueError, match="y: expected shape"):
        plot_decision_boundary(ax, sigmoid_of_x1, X, y[:-1])


def test_plot_history_accepts_history_objects_and_dicts():
    curves = {"loss": [1.0, 0.5, 0.25], "val_loss": [1.1, 0.6, 0.4], "accuracy": [0.5, 0.7, 0.9]}
    fig, (ax1, ax2) = new_axes(2)
    lines = plot_history(ax1, SimpleNamespace(history=curves))
    assert [line.get_label() for line in lines] == ["loss", "val_loss"]
    assert lines[1].get_linestyle() == "--" and lines[0].get_color() == lines[1].get_color()
    assert list(lines[0].get_xdata()) == [1, 2, 3]
    assert ax1.get_ylabel() == "loss"
    lines = plot_history(ax2, curves, keys=("accuracy", "val_accuracy", "missing"))
    assert [line.get_label() for line in lines] == ["accuracy"]  # missing keys skipped
    assert ax2.get_ylabel() == "value"
    fig.canvas.draw()


def test_plot_history_with_nothing_to_draw():
    fig, ax = new_axes()
    assert plot_history(ax, {}) == []
    assert ax.get_legend() is None
    with pytest.raises(TypeError, match="History"):
        plot_history(ax, [1, 2, 3])


def test_function_and_derivative_on_one_axes():
    fig, ax = new_axes()
    f, df = lambda x: x**2, lambda x: 2 * x
    lines = plot_function_and_derivative(ax, f, df, label=r"\sigma")
    assert len(lines) == 2 and all(line.axes is ax for line in lines)
    x = lines[0].get_xdata()
    assert x[0] == -6 and x[-1] == 6 and len(x) == 601
    assert np.allclose(lines[1].get_ydata(), 2 * x)
    assert lines[1].get_linestyle() == "--"
    assert lines[0].get_label() == r"$\sigma(x)$" and lines[1].get_label() == r"$\sigma'(x)$"
    fig.canvas.draw()


def test_function_and_derivative_on_a_pair_with_sympy():
    sp = pytest.importorskip("sympy")
    t = sp.Symbol("t")
    fig, axes = new_axes(2)
    x = np.linspace(-2, 2, 9)
    lines = plot_function_and_derivative(axes, sp.tanh(t), 1 - sp.tanh(t) ** 2, x=x)
    assert lines[0].axes is axes[0] and lines[1].axes is axes[1]
    assert np.allclose(lines[0].get_ydata(), np.tanh(x))
    assert np.allclose(lines[1].get_ydata(), 1 - np.tanh(x) ** 2)
    constant = plot_function_and_derivative(axes, t**2, sp.Integer(2) * 1, x=x)[1]
    assert np.allclose(constant.get_ydata(), 2)
    with pytest.raises(ValueError, match="pair"):
        plot_function_and_derivative([axes[0]] * 3, np.sin, np.cos)
