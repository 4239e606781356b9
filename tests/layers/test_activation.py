"""Tests for the activation layers of nnlib.layers: gradients, the step, copies, the functional ops underneath."""

import numpy as np
import pytest

from nnlib import functional as F
from nnlib.gradcheck import check_layer_gradients
from nnlib.layers import ACTIVATION_LAYERS, Identity, LeakyReLU, ReLU, Sigmoid, Softmax, Step, Tanh


def away_from_zero(rng, shape, margin=0.1):
    """Inputs with |x| >= margin, so that ReLU / LeakyReLU / step kinks are not crossed by eps."""
    x = rng.uniform(margin, 2.0, size=shape)
    return x * rng.choice([-1.0, 1.0], size=shape)


ACTIVATIONS = [Sigmoid, Tanh, ReLU, lambda: LeakyReLU(0.2), Softmax, Identity]


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


def test_identity_returns_a_copy():
    x = np.ones((2, 2))
    y = Identity().forward(x)
    y += 1
    assert np.all(x == 1)


def test_layers_use_the_functional_ops():
    """The layer and the functional pair give identical numbers (layers add no math of their own)."""
    rng = np.random.default_rng(0)
    x, dy = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    for layer, fwd, bwd in [(Sigmoid(), F.sigmoid_forward, F.sigmoid_backward),
                            (LeakyReLU(0.2), lambda v: F.leaky_relu_forward(v, 0.2), F.leaky_relu_backward)]:
        y_ref, cache = fwd(x)
        np.testing.assert_array_equal(layer.forward(x), y_ref)
        np.testing.assert_array_equal(layer.backward(dy), bwd(dy, cache)[0])

def test_each_activation_declares_its_output_activation_and_no_parameters():
    for name, cls in ACTIVATION_LAYERS.items():
        layer = cls()
        assert layer.output_activation == name
        assert layer.parameters() == {} and layer.regularized == ()


def test_options_are_operation_arguments_and_config_separately():
    """The op receives alpha/axis; config() holds only what rebuilds the layer (no mode, no per-call option)."""
    leaky, soft = LeakyReLU(0.3), Softmax(axis=0)
    assert leaky.config() == {"alpha": 0.3} and soft.config() == {"axis": 0}
    x = np.array([[-1.0, 2.0], [3.0, -4.0]])
    np.testing.assert_array_equal(leaky.forward(x), F.leaky_relu_forward(x, alpha=0.3)[0])
    np.testing.assert_allclose(soft.forward(x).sum(axis=0), [1.0, 1.0])
    leaky.eval()
    assert leaky.config() == {"alpha": 0.3}
