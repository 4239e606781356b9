"""Tests for nnlib.optim.clip: clipping by global norm."""

import math

import numpy as np
import pytest

from nnlib.optim import clip_grad_norm, global_norm


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
