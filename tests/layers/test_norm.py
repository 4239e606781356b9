"""Tests for nnlib.layers.BatchNorm and LayerNorm: gradients in both modes, the running statistics (their
update on hand-computed numbers, both conventions), buffers saved and loaded, no weight decay, freezing, errors."""

import numpy as np
import pytest

from nnlib import optim
from nnlib.gradcheck import check_layer_gradients
from nnlib.io import load_model, save_model
from nnlib.layers import BatchNorm, Dense, LayerNorm, Sequential, Tanh, mlp
from nnlib.training import Trainer


def randomized(layer, seed=0):
    """γ and β away from 1 and 0, so that both enter the gradient check for real."""
    rng = np.random.default_rng(seed)
    for p in layer.params.values():
        p[:] = rng.normal(size=p.shape)
    return layer


@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 2), (3, 3, 4, 5)])
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_gradients_in_both_modes(shape, training):
    layer = randomized(BatchNorm(3))
    layer.buffers()["running_mean"][:] = [0.5, -0.5, 1.0]
    layer.buffers()["running_var"][:] = [2.0, 0.5, 1.5]
    layer.train(training)
    errors = check_layer_gradients(layer, np.random.default_rng(1).normal(size=shape), rng=2)
    assert set(errors) == {"x", "gamma", "beta"} and max(errors.values()) < 1e-7


@pytest.mark.parametrize("shape", [(5, 4), (2, 3, 4)])
def test_layer_norm_gradients(shape):
    errors = check_layer_gradients(randomized(LayerNorm(4)), np.random.default_rng(3).normal(size=shape), rng=4)
    assert max(errors.values()) < 1e-7


def test_running_statistics_on_hand_computed_numbers():
    """Batch [[1, 10], [3, 30]]: mean (2, 20), biased variance (1, 100), unbiased (2, 200)."""
    x = np.array([[1.0, 10.0], [3.0, 30.0]])
    bn = BatchNorm(2, momentum=0.1)
    bn.forward(x)
    np.testing.assert_allclose(bn.buffers()["running_mean"], [0.2, 2.0], rtol=1e-15)
    np.testing.assert_allclose(bn.buffers()["running_var"], [0.9 + 0.2, 0.9 + 20.0], rtol=1e-15)
    biased = BatchNorm(2, momentum=0.1, unbiased=False)
    biased.forward(x)
    np.testing.assert_allclose(biased.buffers()["running_var"], [0.9 + 0.1, 0.9 + 10.0], rtol=1e-15)
    bn.forward(x)  # a second step: 0.9 * 0.2 + 0.1 * 2
    np.testing.assert_allclose(bn.buffers()["running_mean"], [0.38, 3.8], rtol=1e-14)


def test_running_statistics_of_images_count_every_position():
    x = np.random.default_rng(5).normal(2.0, 3.0, size=(4, 2, 3, 3))
    bn = BatchNorm(2, momentum=1.0)  # momentum 1: the running statistics are the last batch's
    bn.forward(x)
    m = 4 * 3 * 3
    np.testing.assert_allclose(bn.buffers()["running_mean"], x.mean(axis=(0, 2, 3)), rtol=1e-12)
    np.testing.assert_allclose(bn.buffers()["running_var"], x.var(axis=(0, 2, 3)) * m / (m - 1), rtol=1e-12)


def test_evaluation_uses_the_running_statistics_and_updates_nothing():
    rng = np.random.default_rng(6)
    bn = randomized(BatchNorm(3), 7)
    for _ in range(20):
        bn.forward(rng.normal(1.0, 2.0, size=(16, 3)))
    before = {k: v.copy() for k, v in bn.buffers().items()}
    x = rng.normal(size=(5, 3))
    y = bn.eval().forward(x)
    mean, var = before["running_mean"], before["running_var"]
    np.testing.assert_allclose(y, bn.params["gamma"] * (x - mean) / np.sqrt(var + 1e-5) + bn.params["beta"], rtol=1e-12)
    np.testing.assert_allclose(bn.forward(x[:1]), y[:1], rtol=1e-12)  # one example alone: the same output
    for k in before:
        np.testing.assert_array_equal(bn.buffers()[k], before[k])


def test_buffers_are_saved_loaded_and_never_parameters(tmp_path):
    model = mlp([3, 4, 2], "tanh", rng=0, batch_norm=True)
    for _ in range(3):
        model.forward(np.random.default_rng(8).normal(size=(10, 3)))
    assert list(model.buffers()) == ["1.running_mean", "1.running_var"]
    assert "1.running_mean" not in model.parameters() and "1.gamma" in model.parameters()
    loaded = load_model(save_model(model, tmp_path / "bn"))
    for name, value in model.buffers().items():
        np.testing.assert_array_equal(loaded.buffers()[name], value)
    x = np.random.default_rng(9).normal(size=(4, 3))
    np.testing.assert_array_equal(loaded.eval().forward(x), model.eval().forward(x))
    assert repr(loaded[1]) == "BatchNorm(4)" and loaded[1].config() == model[1].config()


def test_gamma_and_beta_are_not_decayed():
    def model():
        return Sequential(Dense(3, 4, rng=0), BatchNorm(4), Tanh(), Dense(4, 2, rng=1), LayerNorm(2))

    assert list(model().regularized_parameters()) == ["0.W", "3.W"]
    X, y = np.random.default_rng(10).normal(size=(8, 3)), np.arange(8) % 2
    after = {}
    for l2 in (0.0, 10.0):  # one SGD step with and without a strong penalty
        net = model()
        Trainer(net, X, y, loss="softmax_cross_entropy", optimizer=optim.SGD(net.parameters(), lr=0.1), l2=l2,
                batch_size=8, shuffle=False).step()
        after[l2] = net.parameters()
    for name in ("1.gamma", "1.beta", "4.gamma", "4.beta"):
        np.testing.assert_array_equal(after[0.0][name], after[10.0][name])
    assert not np.allclose(after[0.0]["0.W"], after[10.0]["0.W"])
    net = model()
    net[1].regularized = ("gamma",)  # opting in, on the instance
    assert "1.gamma" in net.regularized_parameters()


def test_a_frozen_batch_norm_passes_gradients_but_keeps_none():
    bn = randomized(BatchNorm(2))
    bn.trainable = False
    bn.forward(np.random.default_rng(11).normal(size=(4, 2)))
    dx = bn.backward(np.ones((4, 2)) + np.arange(8.0).reshape(4, 2))
    assert dx.shape == (4, 2) and np.abs(dx).sum() > 0
    assert not bn.grads["gamma"].any() and bn.backward(np.ones((4, 2)), input_grad=False) is None


def test_float32_throughout():
    bn = BatchNorm(3, dtype=np.float32)
    y = bn.forward(np.random.default_rng(12).normal(size=(4, 3)).astype(np.float32))
    assert y.dtype == np.float32 and bn.buffers()["running_var"].dtype == np.float32
    assert bn.backward(np.ones_like(y)).dtype == np.float32 and bn.grads["gamma"].dtype == np.float32
    with pytest.raises(TypeError, match=r"expected input of dtype float32"):
        bn.forward(np.ones((4, 3)))


@pytest.mark.parametrize("layer,x,message", [
    (BatchNorm(3), np.ones((4, 2)), r"BatchNorm\(3\): expected input of shape \(n, 3\), \(n, 3, L\) or \(n, 3, H, W\), "
                                    r"got \(4, 2\)"),
    (BatchNorm(3), np.ones(3), r"BatchNorm\(3\): expected input of shape"),
    (BatchNorm(3), np.ones((1, 3)), r"batch statistics need more than one value per feature"),
    (LayerNorm(3), np.ones((4, 2)), r"LayerNorm\(3\): expected input of shape \(n, 3\) or \(n, T, 3\), got \(4, 2\)"),
])
def test_bad_input_is_refused(layer, x, message):
    with pytest.raises(ValueError, match=message):
        layer.forward(x)


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match=r"momentum: expected a value in \(0, 1\]"):
        BatchNorm(3, momentum=0.0)
    with pytest.raises(TypeError, match=r"unbiased: expected True or False"):
        BatchNorm(3, unbiased="yes")
    with pytest.raises(ValueError, match=r"num_features: expected a value in \[1, inf\)"):
        LayerNorm(0)


def test_mlp_builds_the_blocks_of_chapter_7():
    model = mlp([4, 8, 8, 3], "relu", rng=0, batch_norm=True, dropout=0.2)
    kinds = [type(layer).__name__ for layer in model]
    assert kinds == ["Dense", "BatchNorm", "ReLU", "Dropout", "Dense", "BatchNorm", "ReLU", "Dropout", "Dense"]
    plain = mlp([4, 8, 8, 3], "relu", rng=0)
    np.testing.assert_array_equal(plain[0].params["W"], model[0].params["W"])  # the same draws as without them
    np.testing.assert_array_equal(plain[2].params["W"], model[4].params["W"])
