"""Tests for nnlib.optim.clip: clipping by global norm and by value."""

import math

import numpy as np
import pytest

from nnlib.optim import clip_grad_norm, clip_grad_value, global_norm


def test_clip_grad_norm_scales_to_max_norm():
    # global norm = sqrt(3^2 + 0^2 + 4^2) = 5; scaled by 1/5
    g = {"W": np.array([3.0, 0.0]), "b": np.array([4.0])}
    assert clip_grad_norm(g, 1.0) == 5.0
    np.testing.assert_allclose(g["W"], [0.6, 0.0])
    np.testing.assert_allclose(g["b"], [0.8])
    assert math.isclose(global_norm(g), 1.0)


def test_clip_grad_norm_leaves_small_gradients_alone():
    g = {"W": np.array([[3.0, 0.0]]), "b": np.array([4.0])}
    assert clip_grad_norm(g, 10.0) == 5.0
    np.testing.assert_array_equal(g["W"], [[3.0, 0.0]])
    np.testing.assert_array_equal(g["b"], [4.0])


def test_clip_grad_norm_non_finite_returns_it_and_leaves_grads():
    g = {"W": np.array([np.nan, 1.0])}
    assert math.isnan(clip_grad_norm(g, 1.0))
    assert g["W"][1] == 1.0


def test_clip_grad_norm_validates():
    with pytest.raises(ValueError, match="max_norm"):
        clip_grad_norm({"W": np.ones(2)}, 0.0)
    with pytest.raises(TypeError):
        clip_grad_norm([np.ones(2)], 1.0)


def test_clip_grad_value_by_hand():
    # entries beyond +-1 are cut to +-1; the others stay
    g = {"W": np.array([[3.0, -0.5], [0.25, -2.0]]), "b": np.array([1.0, -1.5])}
    assert clip_grad_value(g, 1.0) == 3.0
    np.testing.assert_array_equal(g["W"], [[1.0, -0.5], [0.25, -1.0]])
    np.testing.assert_array_equal(g["b"], [1.0, -1.0])


def test_clip_grad_value_changes_the_direction_clip_grad_norm_keeps_it():
    by_value = {"g": np.array([3.0, 0.5])}
    by_norm = {"g": np.array([3.0, 0.5])}
    clip_grad_value(by_value, 1.0)
    clip_grad_norm(by_norm, 1.0)
    np.testing.assert_array_equal(by_value["g"], [1.0, 0.5])       # ratio 2, was 6
    assert by_norm["g"][0] / by_norm["g"][1] == pytest.approx(6.0)  # ratio kept


def test_clip_grad_value_leaves_small_gradients_alone_and_keeps_dtype():
    g = {"W": np.array([0.5, -0.25], dtype=np.float32)}
    before = g["W"]
    assert clip_grad_value(g, 1.0) == 0.5
    assert g["W"] is before and g["W"].dtype == np.float32
    np.testing.assert_array_equal(g["W"], np.array([0.5, -0.25], dtype=np.float32))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_clip_grad_value_non_finite_returns_it_and_leaves_grads(bad):
    for order in (("a", "b"), ("b", "a")):  # wherever the bad entry is
        values = {"a": np.array([5.0, 1.0]), "b": np.array([bad, 2.0])}
        g = {k: values[k] for k in order}
        largest = clip_grad_value(g, 1.0)
        assert not math.isfinite(largest) and (math.isnan(largest) == math.isnan(bad))
        assert g["a"][0] == 5.0 and g["b"][1] == 2.0


def test_clip_grad_value_validates():
    with pytest.raises(ValueError, match=r"clip_value: expected a value in \(0, inf\), got 0.0"):
        clip_grad_value({"W": np.ones(2)}, 0.0)
    with pytest.raises(ValueError, match="clip_value"):
        clip_grad_value({"W": np.ones(2)}, -1.0)
    with pytest.raises(TypeError, match="grads"):
        clip_grad_value([np.ones(2)], 1.0)
    with pytest.raises(TypeError, match="grads"):
        clip_grad_value({"W": np.ones(2, dtype=int)}, 1.0)
