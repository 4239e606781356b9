"""Tests for nnlib.training.trainer: Trainer (validated once; step, run_epoch, history) and train_step."""

import numpy as np
import pytest

from nnlib import losses
from nnlib.layers import Layer, Sequential, mlp
from nnlib.optim import SGD, Adam
from nnlib.training import Trainer, TrainingDivergedError, fit, predict, train_step

from .helpers import XOR_X, assert_same_params, blobs, snapshot


def test_train_step_updates_and_returns_the_loss():
    X, y = blobs(20)
    model = mlp([2, 4, 3], rng=0)
    opt = SGD(model.parameters(), lr=0.1)
    expected = losses.softmax_cross_entropy_loss(predict(model, X), y)[0]
    before = snapshot(model)
    assert train_step(model, X, y, loss="softmax_cross_entropy", optimizer=opt) == pytest.approx(expected)
    assert not np.array_equal(model.parameters()["0.W"], before["0.W"])
    with pytest.raises(TrainingDivergedError, match="the loss is"):
        train_step(model, X * np.inf, y, loss="softmax_cross_entropy", optimizer=opt)


def test_train_step_refuses_a_missing_optimizer_clearly():
    """Bug: train_step(..., optimizer=None) escaped as an AttributeError from deep inside."""
    X, y = blobs(20)
    with pytest.raises(TypeError, match=r"optimizer: expected an nnlib.optim optimizer \(e.g. Adam\), got NoneType None"):
        train_step(mlp([2, 4, 3], rng=0), X, y, loss="softmax_cross_entropy", optimizer=None)


def make_trainer(batch_size=16, **kw):
    X, y = blobs()
    model = mlp([2, 6, 3], "tanh", rng=0)
    opt = kw.pop("optimizer", None) or Adam(model.parameters(), lr=0.05)
    return model, Trainer(model, X, y, loss="softmax_cross_entropy", optimizer=opt, batch_size=batch_size, rng=5, **kw)


def test_step_walks_through_the_epoch_and_closes_it():
    model, trainer = make_trainer(batch_size=16)  # 60 examples: batches of 16, 16, 16, 12
    assert trainer.batches_per_epoch == 4 and trainer.metrics == ["loss", "accuracy"]
    sizes = []
    for expected_batch in (1, 2, 3):
        logs = trainer.step()
        assert (logs["epoch"], logs["batch"]) == (1, expected_batch) and "epoch_logs" not in logs
        sizes.append(logs["size"])
    logs = trainer.step()
    assert sizes + [logs["size"]] == [16, 16, 16, 12] and logs["batch"] == 4
    assert set(logs["epoch_logs"]) == {"loss", "accuracy"}
    assert trainer.epoch == 1 and trainer.batch == 0 and trainer.history.epochs == [1]
    assert trainer.history["loss"] == [logs["epoch_logs"]["loss"]]
    assert trainer.step()["epoch"] == 2


def test_run_epoch_is_what_fit_does():
    X, y = blobs()
    model, trainer = make_trainer()
    logs = [trainer.run_epoch() for _ in range(3)]
    same = mlp([2, 6, 3], "tanh", rng=0)
    history = fit(same, X, y, loss="softmax_cross_entropy", optimizer=Adam(same.parameters(), lr=0.05), epochs=3,
                  batch_size=16, rng=5)
    assert [entry["loss"] for entry in logs] == history["loss"] == trainer.history["loss"]
    for k, v in model.parameters().items():
        np.testing.assert_array_equal(v, same.parameters()[k])


def test_run_epoch_finishes_the_current_epoch():
    _, trainer = make_trainer(batch_size=16)
    trainer.step()
    seen = []
    trainer.run_epoch(on_batch_end=lambda logs: seen.append(logs["batch"]))
    assert seen == [2, 3, 4] and trainer.epoch == 1


def test_validation_and_penalty_are_recorded():
    X, y = blobs(80)
    _, trainer = make_trainer(validation_data=(X[60:], y[60:]), l2=0.01)
    assert trainer.metrics == ["loss", "accuracy", "val_loss", "val_accuracy", "penalty"]
    assert set(trainer.run_epoch()) == set(trainer.metrics)


def test_nothing_is_validated_again_after_construction(monkeypatch):
    """A widget calls step() 25+ times a second: the checks ran once, at construction."""
    from nnlib.training import _checks

    _, trainer = make_trainer()

    def refuse(*args, **kwargs):
        raise AssertionError("validated again")

    for name in ("prepare", "check_optimizer", "check_inputs", "check_targets", "loss_function", "check_model"):
        monkeypatch.setattr(_checks, name, refuse)
    for _ in range(2 * trainer.batches_per_epoch):
        trainer.step()
    assert trainer.epoch == 2


def test_divergence_leaves_parameters_and_position_unchanged():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(32, 3)) * 100, rng.normal(size=(32, 1))
    model = mlp([3, 16, 1], "relu", rng=0)
    trainer = Trainer(model, X, y, loss="mse", optimizer=SGD(model.parameters(), lr=10.0), batch_size=8, rng=0)
    with pytest.raises(TrainingDivergedError) as info:
        for _ in range(200):
            before, position = snapshot(model), (trainer.epoch, trainer.batch)
            trainer.step()
    assert_same_params(model, before)
    assert (trainer.epoch, trainer.batch) == position
    assert f"at epoch {position[0] + 1}, batch {position[1] + 1} of 4" in str(info.value)
    assert "lower learning rate (lr is 10)" in str(info.value)


def test_a_penalty_needs_declared_parameters():
    class Shift(Layer):  # trainable, but declares nothing for weight decay
        def __init__(self):
            super().__init__()
            self.params, self.grads = {"b": np.zeros(2)}, {"b": np.zeros(2)}

        def forward(self, x):
            self._cache = True
            return x + self.params["b"]

        def backward(self, dy, input_grad=True):
            self.grads["b"] += dy.sum(axis=0)
            return dy

    model = Sequential(Shift())
    with pytest.raises(ValueError, match=r"no trainable layer of the model declares parameters to penalise"):
        Trainer(model, XOR_X, XOR_X, loss="mse", optimizer=SGD(model.parameters()), l2=0.1)
    trainer = Trainer(model, XOR_X, XOR_X + 1, loss="mse", optimizer=SGD(model.parameters(), lr=0.5))
    assert trainer.run_epoch()["loss"] > 0


def test_construction_validates_everything():
    model, trainer = make_trainer()
    X, y = blobs()
    with pytest.raises(TypeError, match="shuffle: expected True or False, got str 'yes'"):
        Trainer(model, X, y, loss="softmax_cross_entropy", optimizer=trainer.optimizer, shuffle="yes")
    with pytest.raises(ValueError, match=r"batch_size: expected an integer in \[1, 60\]"):
        Trainer(model, X, y, loss="softmax_cross_entropy", optimizer=trainer.optimizer, batch_size=61)
    assert repr(trainer) == "Trainer(60 examples, batch_size=16, epoch=0, batch=0 of 4)"
