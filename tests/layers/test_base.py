"""The Layer protocol of nnlib.layers.base: children, dotted names, buffers, declared regularization,
modes, freezing, rebuilding from a config, the registry."""

import numpy as np
import pytest

from nnlib.gradcheck import check_layer_gradients
from nnlib.layers import ACTIVATION_LAYERS, LAYERS, Dense, Layer, ReLU, Sequential, Tanh, register_layer


class Scale(Layer):
    """y = s * x with one parameter s (declared regularized) and a buffer counting forward calls."""

    regularized = ("s",)

    def __init__(self, s=2.0):
        super().__init__()
        self.params = {"s": np.array([s])}
        self.grads = {"s": np.zeros(1)}
        self.register_buffer("calls", np.zeros(1))

    def forward(self, x):
        self._buffers["calls"] += 1
        self._cache = x
        return x * self.params["s"]

    def backward(self, dy, input_grad=True):
        if self._trainable:
            self.grads["s"] += np.sum(dy * self._require_cache())
        return dy * self.params["s"] if input_grad else None


class Block(Layer):
    """A layer with children held in attributes and a parameter of its own: y = dense(x) * gain, then act."""

    regularized = ("gain",)

    def __init__(self, d_in=3, d_out=2):
        super().__init__()
        self.dense = Dense(d_in, d_out, rng=0)
        self.act = Tanh()
        self.params = {"gain": np.array([1.5])}
        self.grads = {"gain": np.zeros(1)}
        self.d_in, self.d_out = d_in, d_out

    def forward(self, x):
        z = self.dense.forward(x)
        self._cache = z
        return self.act.forward(z * self.params["gain"])

    def backward(self, dy, input_grad=True):
        dz_scaled = self.act.backward(dy)
        z = self._require_cache()
        if self._trainable:
            self.grads["gain"] += np.sum(dz_scaled * z)
        return self.dense.backward(dz_scaled * self.params["gain"], input_grad)

    def config(self):
        return {"d_in": self.d_in, "d_out": self.d_out}


def test_children_are_the_layer_attributes_in_assignment_order():
    block = Block()
    assert list(block.children()) == ["dense", "act"]
    assert block.children()["dense"] is block.dense
    block._private = Tanh()  # a private attribute is not a child
    assert list(block.children()) == ["dense", "act"]


def test_parameters_are_dotted_recursive_and_live():
    model = Sequential(Block(), Sequential(Dense(2, 2, rng=1), Scale()))
    assert list(model.parameters()) == ["0.gain", "0.dense.W", "0.dense.b", "1.0.W", "1.0.b", "1.1.s"]
    assert list(model.gradients()) == list(model.parameters())
    assert model.parameters()["0.dense.W"] is model[0].dense.params["W"]
    assert model.gradients()["1.1.s"] is model[1][1].grads["s"]
    assert model.n_params == 1 + 3 * 2 + 2 + 2 * 2 + 2 + 1


def test_buffers_are_saved_state_never_parameters():
    model = Sequential(Dense(2, 2, rng=0), Scale())
    assert list(model.buffers()) == ["1.calls"] and "1.calls" not in model.parameters()
    model.forward(np.ones((1, 2)))
    model.forward(np.ones((1, 2)))
    assert model.buffers()["1.calls"][0] == 2
    with pytest.raises(ValueError, match="'s' is already a parameter"):
        model[1].register_buffer("s", np.zeros(1))
    with pytest.raises(TypeError, match="name: expected a non-empty string without dots"):
        model[1].register_buffer("a.b", np.zeros(1))


def test_regularized_parameters_are_declared_not_inferred_from_names():
    model = Sequential(Block(), Dense(2, 1, rng=0), Scale())
    assert list(model.regularized_parameters()) == ["0.gain", "0.dense.W", "1.W", "2.s"]
    model[1].trainable = False
    assert list(model.regularized_parameters(trainable_only=True)) == ["0.gain", "0.dense.W", "2.s"]

    class Misdeclared(Dense):
        regularized = ("Wx",)

    with pytest.raises(ValueError, match=r"declares 'Wx' in regularized, but has no such parameter"):
        Misdeclared(2, 2).regularized_parameters()


def test_train_and_eval_reach_every_descendant():
    model = Sequential(Block(), Sequential(Dense(2, 2, rng=0), ReLU()))
    assert model.eval() is model
    assert not any(layer.training for _, layer in model._named_layers())
    model.train()
    assert all(layer.training for _, layer in model._named_layers())


def test_freezing_is_separate_from_the_mode_and_recursive():
    model = Sequential(Block(), Dense(2, 1, rng=0))
    model.eval()
    assert model.trainable and list(model.parameters(trainable_only=True)) == list(model.parameters())
    model[0].trainable = False  # freezes the block and its children
    assert not model[0].dense.trainable and model.trainable
    assert list(model.parameters(trainable_only=True)) == ["1.W", "1.b"]
    model.trainable = False
    assert not model.trainable and model.parameters(trainable_only=True) == {}
    model[0].dense.trainable = True
    assert model.trainable and list(model.parameters(trainable_only=True)) == ["0.dense.W", "0.dense.b"]
    assert not model.training  # freezing never touched the mode


def test_zero_grad_reaches_every_descendant():
    model = Sequential(Block(), Sequential(Dense(2, 2, rng=0)))
    model.forward(np.ones((2, 3)))
    model.backward(np.ones((2, 2)))
    assert all(np.any(g != 0) for g in model.gradients().values())
    model.zero_grad()
    assert all(np.all(g == 0) for g in model.gradients().values())


def test_gradient_check_of_a_layer_with_children_and_own_parameters():
    rng = np.random.default_rng(0)
    model = Sequential(Block(3, 4), Dense(4, 2, rng=1), Scale(0.7))
    errors = check_layer_gradients(model, rng.normal(size=(5, 3)), rng=1)
    assert list(errors) == ["x", "0.gain", "0.dense.W", "0.dense.b", "1.W", "1.b", "2.s"]
    assert max(errors.values()) < 1e-7
    assert model[2]._buffers["calls"][0] == 0  # the check restores the buffers it touched


def test_from_config_puts_the_given_children_in_place():
    dense = Dense(4, 5, rng=3)
    rebuilt = Block.from_config({"d_in": 4, "d_out": 5}, {"dense": dense, "act": Tanh()})
    assert rebuilt.dense is dense
    with pytest.raises(ValueError, match=r"its config builds children \['dense', 'act'\], but the description lists \['act'\]"):
        Block.from_config({"d_in": 4, "d_out": 5}, {"act": Tanh()})
    seq = Sequential.from_config({}, {"0": dense, "1": Tanh()})
    assert seq[0] is dense and len(seq) == 2


def test_unimplemented_passes_name_the_class():
    with pytest.raises(NotImplementedError, match="Layer does not implement forward"):
        Layer().forward(np.ones(2))
    with pytest.raises(NotImplementedError, match="Layer does not implement backward"):
        Layer().backward(np.ones(2))


def test_registry():
    assert {"Dense", "Sequential", "Softmax", "Tanh"} <= set(LAYERS)
    assert set(ACTIVATION_LAYERS) >= {"sigmoid", "tanh", "relu", "leaky_relu", "softmax", "step", "identity"}
    with pytest.raises(TypeError, match="expected a subclass of Layer"):
        register_layer(int)
    try:
        assert register_layer(Block) is Block and LAYERS["Block"] is Block
    finally:
        LAYERS.pop("Block", None)
