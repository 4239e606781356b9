"""Tests for nnlib.layers: gradient checks, the layer protocol, freezing, errors, Sequential, mlp."""

import numpy as np
import pytest

from nnlib import functional as F
from nnlib.gradcheck import check_layer_gradients
from nnlib.layers import (
    ACTIVATION_LAYERS,
    LAYERS,
    Dense,
    Identity,
    Layer,
    LeakyReLU,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Step,
    Tanh,
    mlp,
)


def away_from_zero(rng, shape, margin=0.1):
    """Inputs with |x| >= margin, so that ReLU / LeakyReLU / step kinks are not crossed by eps."""
    x = rng.uniform(margin, 2.0, size=shape)
    return x * rng.choice([-1.0, 1.0], size=shape)


ACTIVATIONS = [Sigmoid, Tanh, ReLU, lambda: LeakyReLU(0.2), Softmax, Identity]


# ---------------------------------------------------------------------- gradient checks


def test_dense_gradients():
    rng = np.random.default_rng(0)
    layer = Dense(4, 3, rng=1)
    layer.params["b"][:] = rng.normal(size=3)  # a non-zero bias, so b enters the check for real
    errors = check_layer_gradients(layer, rng.normal(size=(5, 4)), rng=2)
    assert set(errors) == {"x", "W", "b"}
    assert max(errors.values()) < 1e-8


@pytest.mark.parametrize("make", ACTIVATIONS, ids=["Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softmax", "Identity"])
def test_activation_gradients(make):
    rng = np.random.default_rng(3)
    errors = check_layer_gradients(make(), away_from_zero(rng, (6, 4)), rng=4)
    assert list(errors) == ["x"]
    assert errors["x"] < 1e-8


def test_step_passes_no_gradient():
    layer = Step()
    x = away_from_zero(np.random.default_rng(0), (3, 4))
    np.testing.assert_array_equal(layer.forward(x), (x >= 0).astype(float))
    dx = layer.backward(np.ones((3, 4)))
    assert dx.shape == (3, 4) and np.all(dx == 0)
    assert check_layer_gradients(layer, x, rng=0)["x"] == 0.0


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "leaky_relu"])
def test_small_sequential_gradients(activation):
    rng = np.random.default_rng(5)
    model = mlp([3, 5, 4, 2], activation, rng=6)
    for layer in model:
        if isinstance(layer, Dense):
            layer.params["b"][:] = rng.normal(scale=0.5, size=layer.out_features)
    errors = check_layer_gradients(model, rng.normal(size=(7, 3)), rng=7)
    assert set(errors) == {"x", "0.W", "0.b", "2.W", "2.b", "4.W", "4.b"}
    assert max(errors.values()) < 1e-7


def test_sequential_with_softmax_output_gradients():
    rng = np.random.default_rng(8)
    model = mlp([3, 6, 4], "tanh", output="softmax", rng=9)
    errors = check_layer_gradients(model, rng.normal(size=(5, 3)), rng=10)
    assert max(errors.values()) < 1e-7


def test_a_wrong_backward_is_caught():
    """The gradient check used above can fail: a Dense with a wrong bias gradient does."""

    class BrokenDense(Dense):
        def backward(self, dy, input_grad=True):
            dx = super().backward(dy, input_grad)
            self.grads["b"] *= 2.0
            return dx

    with pytest.raises(AssertionError):
        check_layer_gradients(BrokenDense(3, 2, rng=0), np.ones((4, 3)), rng=0)


# ---------------------------------------------------------------------- protocol


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


@pytest.mark.parametrize("make", [lambda: Dense(4, 4, rng=0), Sigmoid, Tanh, ReLU, lambda: LeakyReLU(0.1),
                                  Softmax, Step, Identity, lambda: mlp([4, 3, 4], "relu", rng=0)])
def test_backward_never_mutates_dy_nor_updates_params(make):
    rng = np.random.default_rng(1)
    layer = make()
    before = {k: v.copy() for k, v in layer.parameters().items()}
    y = layer.forward(rng.normal(size=(3, 4)))
    dy = rng.normal(size=y.shape)
    dy_copy = dy.copy()
    dx = layer.backward(dy)
    np.testing.assert_array_equal(dy, dy_copy)
    assert dx is not dy
    for k, v in layer.parameters().items():
        np.testing.assert_array_equal(v, before[k])


@pytest.mark.parametrize("make", [lambda: Dense(2, 3), Sigmoid, ReLU, lambda: mlp([2, 3], rng=0)])
def test_backward_before_forward_raises(make):
    with pytest.raises(RuntimeError, match=r"backward\(\) was called before forward\(\)"):
        make().backward(np.ones((1, 3)))


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


def test_float32_stays_float32():
    rng = np.random.default_rng(0)
    model = mlp([3, 5, 2], "sigmoid", rng=0, dtype=np.float32)
    assert all(p.dtype == np.float32 for p in model.parameters().values())
    x = rng.normal(size=(4, 3)).astype(np.float32)
    y = model.forward(x)
    assert y.dtype == np.float32
    dx = model.backward(np.ones_like(y))
    assert dx.dtype == np.float32
    assert all(g.dtype == np.float32 for g in model.gradients().values())
    for make in (Sigmoid, Tanh, ReLU, LeakyReLU, Softmax, Step, Identity):
        assert make().forward(x).dtype == np.float32


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


def test_identity_returns_a_copy():
    x = np.ones((2, 2))
    y = Identity().forward(x)
    y += 1
    assert np.all(x == 1)


def test_train_eval_flags():
    model = mlp([2, 3, 1], rng=0)
    assert model.training and all(layer.training for layer in model)
    assert model.eval() is model
    assert not model.training and not any(layer.training for layer in model)
    model.train()
    assert all(layer.training for layer in model)


# ---------------------------------------------------------------------- freezing


def test_frozen_layer_is_left_out_of_trainable_parameters():
    model = mlp([3, 4, 2], "tanh", rng=0)
    model[0].trainable = False
    assert list(model.parameters()) == ["0.W", "0.b", "2.W", "2.b"]
    assert list(model.parameters(trainable_only=True)) == ["2.W", "2.b"]
    assert list(model.gradients(trainable_only=True)) == ["2.W", "2.b"]
    assert model.parameters(trainable_only=True)["2.W"] is model[2].params["W"]


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


def test_sequential_trainable_property_sets_every_layer():
    model = mlp([2, 3, 1], rng=0)
    model.trainable = False
    assert not model.trainable and model.parameters(trainable_only=True) == {}
    model[2].trainable = True
    assert model.trainable


# ---------------------------------------------------------------------- Sequential


def test_sequential_names_and_live_arrays():
    model = Sequential(Dense(2, 3, rng=0), Tanh(), Dense(3, 1, rng=1))
    params = model.parameters()
    assert list(params) == ["0.W", "0.b", "2.W", "2.b"]
    assert params["2.W"] is model[2].params["W"]
    assert model.gradients()["0.W"] is model[0].grads["W"]
    x = np.ones((1, 2))
    before = model.forward(x).copy()
    params["2.b"] += 1.0  # in-place changes through the dict reach the layer
    np.testing.assert_allclose(model.forward(x), before + 1.0)


def test_sequential_accepts_a_list_and_validates():
    layers = [Dense(2, 2, rng=0), ReLU()]
    assert len(Sequential(layers)) == 2 and len(Sequential(*layers)) == 2
    with pytest.raises(TypeError, match=r"layers\[1\]: expected a Layer, got int"):
        Sequential(Dense(2, 2, rng=0), 3)


def test_sequential_forward_backward_match_manual_chain():
    rng = np.random.default_rng(0)
    model = mlp([3, 4, 2], "tanh", rng=0)
    x, dy = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    y = model.forward(x)
    W0, b0, W2, b2 = (model.parameters()[k] for k in ("0.W", "0.b", "2.W", "2.b"))
    h = np.tanh(x @ W0 + b0)
    np.testing.assert_allclose(y, h @ W2 + b2)
    dx = model.backward(dy)
    dh = (dy @ W2.T) * (1 - h**2)
    np.testing.assert_allclose(dx, dh @ W0.T)
    np.testing.assert_allclose(model.grads["0.W"], x.T @ dh)


def test_input_grad_false_gives_the_same_parameter_gradients():
    rng = np.random.default_rng(1)
    model = mlp([3, 4, 4, 2], "relu", rng=0)
    x, dy = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    model.forward(x)
    assert model.backward(dy) is not None
    full = {k: v.copy() for k, v in model.gradients().items()}
    model.zero_grad()
    assert model.backward(dy, input_grad=False) is None
    for k, v in model.gradients().items():
        np.testing.assert_allclose(v, full[k], rtol=1e-13)


def test_input_grad_false_with_frozen_first_layer():
    rng = np.random.default_rng(2)
    model = mlp([3, 4, 2], "tanh", rng=0)
    model[0].trainable = False
    x, dy = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    model.forward(x)
    model.backward(dy, input_grad=False)
    assert np.all(model[0].grads["W"] == 0)
    np.testing.assert_allclose(model[2].grads["W"], np.tanh(x @ model[0].params["W"]).T @ dy)


def test_sequential_with_a_layer_written_elsewhere():
    """A layer whose backward takes only dy (no input_grad keyword) still works in a Sequential."""

    class Scale(Layer):
        def __init__(self):
            super().__init__()
            self.params = {"s": np.array([2.0])}
            self.grads = {"s": np.zeros(1)}

        def forward(self, x):
            self._cache = x
            return x * self.params["s"]

        def backward(self, dy):
            self.grads["s"] += np.sum(dy * self._cache)
            return dy * self.params["s"]

    model = Sequential(Scale(), Dense(2, 1, rng=0))
    x = np.array([[1.0, 2.0]])
    model.forward(x)
    model.backward(np.ones((1, 1)), input_grad=False)
    assert model[0].grads["s"][0] == pytest.approx((x @ model[1].params["W"]).item())


def test_getitem_slice_len_iter_repr_summary():
    model = mlp([2, 8, 8, 3], "tanh", rng=0)
    assert len(model) == 5
    assert isinstance(model[1], Tanh)
    assert [type(layer) for layer in model[0:2]] == [Dense, Tanh]
    assert model[0:2][0] is model[0]
    assert repr(model).splitlines()[1] == "  (0): Dense(2 -> 8)"
    assert model.n_params == (2 * 8 + 8) + (8 * 8 + 8) + (8 * 3 + 3)
    model[0].trainable = False
    text = model.summary()
    assert "(n, 3)" in text and "no (frozen)" in text
    assert "Total parameters: 123 (trainable: 99, frozen: 24)" in text
    assert model.output_shape((None, 2)) == (None, 3)


def test_summary_without_known_input_shape():
    text = Sequential(Tanh(), Dense(2, 3, rng=0)).summary()
    assert "?" in text
    assert "(n, 4)" in Sequential(Tanh(), Dense(4, 3, rng=0)).summary(input_shape=(None, 4))


# ---------------------------------------------------------------------- mlp


def test_mlp_structure_and_default_init():
    model = mlp([2, 8, 8, 3], "tanh", rng=0)
    assert [type(layer) for layer in model] == [Dense, Tanh, Dense, Tanh, Dense]
    assert all(layer.init == "glorot_uniform" for layer in model if isinstance(layer, Dense))
    relu_model = mlp([2, 8, 3], "relu", output="softmax", rng=0)
    assert [type(layer) for layer in relu_model] == [Dense, ReLU, Dense, Softmax]
    assert all(layer.init == "he_normal" for layer in relu_model if isinstance(layer, Dense))


def test_mlp_custom_activation_and_init_and_seed():
    model = mlp([2, 4, 1], lambda: LeakyReLU(0.3), init="lecun_normal", rng=1)
    assert model[1].alpha == 0.3 and model[0].init == "lecun_normal"
    again = mlp([2, 4, 1], lambda: LeakyReLU(0.3), init="lecun_normal", rng=1)
    for k, v in model.parameters().items():
        np.testing.assert_array_equal(v, again.parameters()[k])
    # one generator is shared: the two layers do not get the same draws
    square = mlp([4, 4, 4], rng=0)
    assert not np.array_equal(square[0].params["W"], square[2].params["W"])


@pytest.mark.parametrize("sizes, error", [([3], ValueError), ([3, 0, 2], ValueError), ("32", TypeError),
                                          ([2, 2.5], TypeError)])
def test_mlp_rejects_bad_sizes(sizes, error):
    with pytest.raises(error):
        mlp(sizes)


def test_mlp_rejects_unknown_activation():
    with pytest.raises(ValueError, match="activation"):
        mlp([2, 3, 1], "swish")
    with pytest.raises(TypeError, match="activation"):
        mlp([2, 3, 1], 3)


def test_registries():
    assert set(ACTIVATION_LAYERS) >= {"sigmoid", "tanh", "relu", "leaky_relu", "softmax", "step", "identity"}
    assert {"Dense", "Sequential", "Softmax"} <= set(LAYERS)


def test_layers_use_the_functional_ops():
    """The layer and the functional pair give identical numbers (layers add no math of their own)."""
    rng = np.random.default_rng(0)
    x, dy = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    for layer, fwd, bwd in [(Sigmoid(), F.sigmoid_forward, F.sigmoid_backward),
                            (LeakyReLU(0.2), lambda v: F.leaky_relu_forward(v, 0.2), F.leaky_relu_backward)]:
        y_ref, cache = fwd(x)
        np.testing.assert_array_equal(layer.forward(x), y_ref)
        np.testing.assert_array_equal(layer.backward(dy), bwd(dy, cache)[0])
