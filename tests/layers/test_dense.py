"""Tests for nnlib.layers.Dense: gradients, the formula, accumulation, freezing, errors."""

import numpy as np
import pytest

from nnlib.gradcheck import check_layer_gradients
from nnlib.layers import Dense, LeakyReLU, Tanh


def test_dense_gradients():
    rng = np.random.default_rng(0)
    layer = Dense(4, 3, rng=1)
    layer.params["b"][:] = rng.normal(size=3)  # a non-zero bias, so b enters the check for real
    errors = check_layer_gradients(layer, rng.normal(size=(5, 4)), rng=2)
    assert set(errors) == {"x", "W", "b"}
    assert max(errors.values()) < 1e-8


def test_dense_forward_matches_formula():
    layer = Dense(2, 3, rng=0)
    layer.params["b"][:] = [1.0, 2.0, 3.0]
    x = np.array([[1.0, 2.0], [-1.0, 0.5]])
    np.testing.assert_allclose(layer.forward(x), x @ layer.params["W"] + layer.params["b"])


def test_backward_accumulates():
    rng = np.random.default_rng(0)
    layer = Dense(3, 2, rng=0)
    x, dy = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    layer.forward(x)
    layer.backward(dy)
    once = {k: v.copy() for k, v in layer.grads.items()}
    np.testing.assert_allclose(once["W"], x.T @ dy)
    layer.backward(dy)
    for k in once:
        np.testing.assert_allclose(layer.grads[k], 2 * once[k])


def test_zero_grad_keeps_the_same_arrays():
    layer = Dense(3, 2, rng=0)
    grad_W = layer.grads["W"]
    layer.forward(np.ones((2, 3)))
    layer.backward(np.ones((2, 2)))
    assert np.any(grad_W != 0)
    layer.zero_grad()
    assert layer.grads["W"] is grad_W and np.all(grad_W == 0)


def test_frozen_layer_passes_dx_but_accumulates_nothing():
    rng = np.random.default_rng(0)
    x, dy = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    free, frozen = Dense(3, 2, rng=1), Dense(3, 2, rng=1)
    frozen.trainable = False
    free.forward(x)
    frozen.forward(x)
    np.testing.assert_allclose(frozen.backward(dy), free.backward(dy))
    assert np.all(frozen.grads["W"] == 0) and np.all(frozen.grads["b"] == 0)
    assert np.any(free.grads["W"] != 0)


def test_dense_shape_error_names_the_layer():
    with pytest.raises(ValueError) as info:
        Dense(2, 8, rng=0).forward(np.ones((5, 3)))
    assert str(info.value) == "Dense(2 -> 8): expected input of shape (n, 2), got (5, 3)"
    with pytest.raises(ValueError, match=r"Dense\(2 -> 8\): expected input of shape \(n, 2\), got \(2,\)"):
        Dense(2, 8, rng=0).forward(np.ones(2))


def test_wrong_dy_shape_names_the_layer():
    layer = Dense(2, 3, rng=0)
    layer.forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"Dense\(2 -> 3\)\.backward: dy: expected .*\(4, 3\)"):
        layer.backward(np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"Dense\(2 -> 3\)\.backward"):
        layer.backward(np.ones((4, 2)), input_grad=False)
    act = Tanh()
    act.forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"Tanh\(\)\.backward"):
        act.backward(np.ones((2, 4)))


def test_non_numeric_input_raises():
    with pytest.raises(TypeError, match="Dense"):
        Dense(2, 2, rng=0).forward(np.array([["a", "b"]]))


def test_float64_input_to_float32_layer_is_refused():
    layer = Dense(2, 2, rng=0, dtype=np.float32)
    with pytest.raises(TypeError, match=r"expected input of dtype float32.*got float64.*astype"):
        layer.forward(np.ones((1, 2)))
    # integer input has no float dtype to preserve: it is converted
    assert layer.forward(np.ones((1, 2), dtype=int)).dtype == np.float32


def test_dense_constructor_validation():
    with pytest.raises(ValueError, match="in_features"):
        Dense(0, 3)
    with pytest.raises(TypeError, match="out_features"):
        Dense(2, 2.5)
    with pytest.raises(ValueError, match="init"):
        Dense(2, 3, init="uniformish")
    with pytest.raises(TypeError, match="dtype"):
        Dense(2, 3, dtype=np.int32)
    with pytest.raises(ValueError, match="alpha"):
        LeakyReLU(-0.1)


def test_dense_init_is_reproducible_and_biases_start_at_zero():
    a, b, c = Dense(5, 4, rng=3), Dense(5, 4, rng=3), Dense(5, 4, rng=4)
    np.testing.assert_array_equal(a.params["W"], b.params["W"])
    assert not np.array_equal(a.params["W"], c.params["W"])
    assert np.all(a.params["b"] == 0)
    assert a.n_params == 5 * 4 + 4
