"""Tests for nnlib.layers.Dropout: a fresh mask per training step, the identity in evaluation, gradients,
its own generator, save/load."""

import numpy as np
import pytest

from nnlib.gradcheck import check_layer_gradients
from nnlib.io import load_model, save_model
from nnlib.layers import Dense, Dropout, Sequential


def test_training_draws_a_new_mask_each_call_and_backward_uses_the_last_one():
    layer = Dropout(0.5, rng=0)
    x = np.ones((6, 8))
    first, second = layer.forward(x), layer.forward(x)
    assert np.any(first != second)
    dy = np.random.default_rng(1).normal(size=x.shape)
    np.testing.assert_allclose(layer.backward(dy), dy * (second != 0) * 2.0, rtol=1e-15)


def test_evaluation_mode_is_the_identity():
    layer = Dropout(0.9, rng=0).eval()
    x = np.random.default_rng(2).normal(size=(3, 4))
    np.testing.assert_array_equal(layer.forward(x), x)
    np.testing.assert_array_equal(layer.backward(np.ones((3, 4))), np.ones((3, 4)))
    assert layer.train().forward(np.ones((50, 50))).min() == 0.0


def test_gradients_with_the_mask_fixed():
    """The check re-runs forward; re-seeding the layer's generator each time keeps the mask fixed."""
    model = Sequential(Dense(4, 5, rng=0), Dropout(0.4))
    original = model[1].forward

    def same_mask_forward(x):
        model[1].rng = np.random.default_rng(3)
        return original(x)

    model[1].forward = same_mask_forward
    errors = check_layer_gradients(model, np.random.default_rng(4).normal(size=(6, 4)), rng=5)
    assert max(errors.values()) < 1e-8


def test_a_seed_makes_runs_repeatable_and_the_global_state_is_untouched():
    state = np.random.get_state()[1].copy()
    a = Dropout(0.5, rng=7).forward(np.ones((4, 4)))
    b = Dropout(0.5, rng=7).forward(np.ones((4, 4)))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_any_shape_and_float32():
    y = Dropout(0.5, rng=0).forward(np.ones((2, 3, 4, 4), dtype=np.float32))
    assert y.shape == (2, 3, 4, 4) and y.dtype == np.float32


def test_save_and_load_keep_p(tmp_path):
    model = Sequential(Dense(3, 2, rng=0), Dropout(0.3, rng=1))
    loaded = load_model(save_model(model, tmp_path / "m"))
    assert isinstance(loaded[1], Dropout) and loaded[1].p == 0.3 and loaded.parameters().keys() == {"0.W", "0.b"}


def test_backward_before_forward_and_bad_p():
    with pytest.raises(RuntimeError, match=r"backward\(\) was called before forward\(\)"):
        Dropout(0.5).backward(np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"p: expected a value in \[0, 1\), got 1\.0"):
        Dropout(1.0)
    with pytest.raises(ValueError, match=r"Dropout\(p=0\.5\)\.backward: dy: expected the shape of the forward output"):
        layer = Dropout(0.5, rng=0)
        layer.forward(np.ones((2, 2)))
        layer.backward(np.ones((3, 2)))
