"""Tests for nnlib.models.mlp (also importable as nnlib.layers.mlp)."""

import numpy as np
import pytest

from nnlib.layers import Dense, LeakyReLU, ReLU, Softmax, Tanh
from nnlib.models import mlp


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

def test_mlp_is_still_importable_from_layers():
    from nnlib import layers

    assert layers.mlp is mlp
