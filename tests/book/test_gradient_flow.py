"""Chapter 6's experiments: deep digit classifiers, per-layer gradient statistics, and training with SGD."""

import numpy as np
import pytest

from nnlib import losses
from nnlib.book.experiments.gradient_flow import (FlowTraining, deep_mlp, dense_layers, flow_digits,
                                                  measure_flow)
from nnlib.training import TrainingDivergedError

X, y, X_val, y_val = flow_digits()
XB, YB = X[:128], y[:128]


def test_digits_are_standardized_with_the_training_statistics():
    assert X.shape == (1078, 64) and X_val.shape == (360, 64)
    used = X.std(axis=0) > 0
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(X.std(axis=0)[used], 1, rtol=1e-12)
    assert used.sum() == 60  # four pixels are 0 in every training image
    assert not X.flags.writeable  # shared: a chapter cannot change another's data


def test_deep_mlp_layout_gain_and_seed():
    model = deep_mlp(5, width=16, activation="relu", init="he_normal", gain=2.0, rng=3)
    dense = dense_layers(model)
    assert [d.params["W"].shape for d in dense] == [(64, 16), (16, 16), (16, 16), (16, 16), (16, 10)]
    plain = dense_layers(deep_mlp(5, width=16, activation="relu", init="he_normal", rng=3))
    for scaled, unscaled in zip(dense, plain):
        np.testing.assert_array_equal(scaled.params["W"], 2.0 * unscaled.params["W"])
        assert not scaled.params["b"].any()
    assert type(model.layers[1]).__name__ == "ReLU" and len(model.layers) == 9


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(depth=1), ValueError, "depth"),
    (dict(depth=61), ValueError, "depth"),
    (dict(depth=3, activation="softplus"), ValueError, "activation: expected one of"),
    (dict(depth=3, init="zeros"), ValueError, "init: expected one of"),
    (dict(depth=3, gain=0.0), ValueError, "gain"),
    (dict(depth=3, width=2.5), TypeError, "width"),
])
def test_deep_mlp_rejects_bad_settings(kwargs, error, message):
    with pytest.raises(error, match=message):
        deep_mlp(**kwargs)


def test_measure_flow_agrees_with_the_models_own_backward_pass():
    model = deep_mlp(6, activation="tanh", init="glorot_normal", rng=0)
    stats = measure_flow(model, XB, YB)
    mine = {name: grad.copy() for name, grad in model.gradients().items()}
    model.zero_grad()
    loss, d_out = losses.softmax_cross_entropy_loss(model.forward(XB), YB)
    model.backward(d_out)
    for name, grad in model.gradients().items():
        np.testing.assert_allclose(mine[name], grad, rtol=1e-12, atol=0)
    dense = dense_layers(model)
    np.testing.assert_allclose(stats.weight_grad_norm, [np.linalg.norm(d.grads["W"]) for d in dense], rtol=1e-12)
    assert stats.loss == pytest.approx(loss, rel=1e-12)
    assert stats.delta_norm[-1] == pytest.approx(np.linalg.norm(d_out), rel=1e-12)  # (P - Y)/m at the top
    first_z = XB @ dense[0].params["W"]
    assert stats.pre_activation_std[0] == pytest.approx(first_z.std(), rel=1e-12)
    assert stats.activation_std[0] == pytest.approx(np.tanh(first_z).std(), rel=1e-12)
    assert stats.activation_std[-1] == stats.pre_activation_std[-1] == pytest.approx(model.forward(XB).std())


def test_measure_flow_delta_recursion_by_hand():
    """delta of the layer below = (delta W^T) * g'(Z), checked on a two-layer ReLU network."""
    model = deep_mlp(2, width=8, activation="relu", init="he_normal", rng=1)
    stats = measure_flow(model, XB, YB)
    W1, W2 = (d.params["W"] for d in dense_layers(model))
    Z1 = XB @ W1
    logits = np.maximum(Z1, 0) @ W2
    P = np.exp(logits - logits.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    delta2 = (P - np.eye(10)[YB]) / len(YB)
    delta1 = (delta2 @ W2.T) * (Z1 > 0)
    np.testing.assert_allclose(stats.delta_norm, [np.linalg.norm(delta1), np.linalg.norm(delta2)], rtol=1e-10)
    np.testing.assert_allclose(stats.weight_grad_norm[0], np.linalg.norm(XB.T @ delta1), rtol=1e-10)


def test_the_rates_of_the_chapter():
    """Sigmoid gradients vanish, ReLU with He's variance keeps them, ReLU with LeCun's loses 1/sqrt 2 a layer."""
    sigmoid = measure_flow(deep_mlp(20, activation="sigmoid", init="glorot_normal"), XB, YB)
    he = measure_flow(deep_mlp(20, activation="relu", init="he_normal"), XB, YB)
    lecun = measure_flow(deep_mlp(20, activation="relu", init="lecun_normal"), XB, YB)
    assert sigmoid.gradient_ratio < 1e-9 and sigmoid.delta_ratio < 1e-9
    assert 0.3 < he.delta_ratio < 3
    per_layer = lecun.delta_ratio ** (1 / 19)
    assert per_layer == pytest.approx(2**-0.5, rel=0.05)
    assert np.all(sigmoid.learning_speed > 0) and sigmoid.learning_speed[0] < 1e-9


def test_flow_training_records_every_step_and_learns():
    run = FlowTraining(deep_mlp(3, activation="tanh", init="lecun_normal", rng=0), lr=0.1, rng=0)
    assert run.n_steps == 0 and not run.relative_change().any()
    logs = [run.step() for _ in range(run.trainer.batches_per_epoch)]
    assert run.n_steps == 34 and len(run.grad_norms) == 34 and run.grad_norms[0].shape == (3,)
    assert "val_accuracy" in logs[-1] and "val_accuracy" not in logs[0]
    run.run(epochs=2)
    assert len(run.val_accuracy) == 3 and run.val_accuracy[-1] > 0.85
    assert np.mean(run.losses[-34:]) < 0.5 * np.mean(run.losses[:5])
    assert np.all(run.relative_change() > 0)


def test_flow_training_clips():
    model = deep_mlp(10, activation="tanh", init="lecun_normal", gain=2.0, rng=0)
    run = FlowTraining(model, lr=0.1, clip_norm=0.5, rng=0)
    for _ in range(5):
        run.step()
    assert max(np.linalg.norm(norms) for norms in run.grad_norms) <= 0.5 + 1e-12
    by_value = FlowTraining(deep_mlp(10, activation="tanh", init="lecun_normal", gain=2.0, rng=0), lr=0.1,
                            clip_value=1e-3, rng=0)
    by_value.step()
    assert all(np.abs(d.grads["W"]).max() <= 1e-3 for d in by_value.dense)


def test_flow_training_stops_on_divergence():
    run = FlowTraining(deep_mlp(4, activation="relu", init="he_normal", gain=3.0, rng=0), lr=50.0, rng=0)
    with pytest.raises(TrainingDivergedError):
        for _ in range(200):
            run.step()
