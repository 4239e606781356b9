"""Tests for nnlib.layers.Sequential: gradients, dotted names, the chain rule by hand, input_grad, freezing,
layers written elsewhere, list behaviour, summaries, and nesting."""

import numpy as np
import pytest

from nnlib.gradcheck import check_layer_gradients
from nnlib.layers import Dense, Layer, ReLU, Sequential, Sigmoid, Softmax, Tanh, mlp


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
    np.testing.assert_allclose(model.gradients()["0.W"], x.T @ dh)
    assert model.params == {} and model.grads == {}  # a container has no parameters of its own


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


def test_frozen_layer_is_left_out_of_trainable_parameters():
    model = mlp([3, 4, 2], "tanh", rng=0)
    model[0].trainable = False
    assert list(model.parameters()) == ["0.W", "0.b", "2.W", "2.b"]
    assert list(model.parameters(trainable_only=True)) == ["2.W", "2.b"]
    assert list(model.gradients(trainable_only=True)) == ["2.W", "2.b"]
    assert model.parameters(trainable_only=True)["2.W"] is model[2].params["W"]


def test_sequential_trainable_property_sets_every_layer():
    model = mlp([2, 3, 1], rng=0)
    model.trainable = False
    assert not model.trainable and model.parameters(trainable_only=True) == {}
    model[2].trainable = True
    assert model.trainable


def test_train_eval_flags():
    model = mlp([2, 3, 1], rng=0)
    assert model.training and all(layer.training for layer in model)
    assert model.eval() is model
    assert not model.training and not any(layer.training for layer in model)
    model.train()
    assert all(layer.training for layer in model)

# ---------------------------------------------------------------------- nesting


def nested_model():
    return Sequential(Sequential(Dense(3, 4, rng=0), Tanh()), Sequential(Dense(4, 2, rng=1), Sigmoid()))


def test_nested_sequential_names_gradients_and_output_activation():
    model = nested_model()
    assert list(model.parameters()) == ["0.0.W", "0.0.b", "1.0.W", "1.0.b"]
    assert model.output_activation == "sigmoid" and model.input_shape == (None, 3)
    assert Sequential(mlp([2, 3], rng=0), Softmax()).output_activation == "softmax"
    assert Sequential().output_activation is None and mlp([2, 2], rng=0).output_activation is None
    errors = check_layer_gradients(model, np.random.default_rng(0).normal(size=(5, 3)), rng=0)
    assert max(errors.values()) < 1e-7


def test_input_grad_false_through_a_nested_first_layer():
    rng = np.random.default_rng(3)
    model = nested_model()
    x, dy = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    model.forward(x)
    model.backward(dy)
    full = {k: v.copy() for k, v in model.gradients().items()}
    model.zero_grad()
    model.forward(x)
    assert model.backward(dy, input_grad=False) is None
    for k, v in model.gradients().items():
        np.testing.assert_allclose(v, full[k], rtol=1e-13)


def test_replacing_an_entry_of_layers_replaces_the_child():
    """Chapter 4 swaps a layer in place: model.layers[3] = ForgetfulTanh()."""
    model = mlp([2, 3, 3, 1], "tanh", rng=0)
    relu = ReLU()
    model.layers[3] = relu
    assert model.children()["3"] is relu and model[3] is relu


def test_summary_of_a_nested_model():
    text = nested_model().summary()
    assert "(n, 2)" in text and "Total parameters: 26 (trainable: 26, frozen: 0)" in text
