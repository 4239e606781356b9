"""Tests for nnlib.training.callbacks: the callback protocol, early stopping, History."""

import numpy as np
import pytest

from nnlib.layers import mlp
from nnlib.optim import SGD, Adam
from nnlib.training import EarlyStopping, History, evaluate, fit

from .helpers import Recorder, blobs


def test_callback_order_and_partial_last_batch():
    X, y = blobs(10)
    model = mlp([2, 3, 3], rng=0)
    rec = Recorder()
    fit(model, X, y, loss="softmax_cross_entropy", optimizer=SGD(model.parameters(), lr=0.1), epochs=2,
        batch_size=4, callbacks=[rec], rng=0)
    assert rec.calls == ["begin", ("batch", 1, 1), ("batch", 1, 2), ("batch", 1, 3), ("epoch", 1),
                         ("batch", 2, 1), ("batch", 2, 2), ("batch", 2, 3), ("epoch", 2), "end"]
    assert rec.batch_sizes == [4, 4, 2] * 2
    assert rec.begin_logs["metrics"] == ["loss", "accuracy"] and rec.begin_logs["batches_per_epoch"] == 3
    assert set(rec.last_logs) == {"loss", "accuracy"}


def test_callback_returning_true_stops_training():
    X, y = blobs(10)
    model = mlp([2, 3, 3], rng=0)
    rec = Recorder(stop_at=2)
    history = fit(model, X, y, loss="softmax_cross_entropy", optimizer=SGD(model.parameters(), lr=0.1),
                  epochs=10, callbacks=[rec])
    assert len(history) == 2 and history.stopped_epoch == 2
    assert rec.calls[-1] == "end"


def test_early_stopping_unit():
    model = mlp([2, 2], rng=0)
    es = EarlyStopping(patience=2, monitor="val_loss")
    es.on_train_begin(model, {"metrics": ["loss", "val_loss"]})
    W = model.parameters()["0.W"]
    stops = []
    for epoch, value in enumerate([1.0, 0.5, 0.6, 0.7, 0.4], start=1):
        W += 1.0  # parameters change every epoch
        if epoch == 2:
            best_W = W.copy()
        stops.append(es.on_epoch_end(epoch, {"val_loss": value}))
        if stops[-1]:
            break
    assert stops == [False, False, False, True]
    assert es.best == 0.5 and es.best_epoch == 2 and es.stopped_epoch == 4
    es.on_train_end(History())
    np.testing.assert_array_equal(W, best_W)  # restored in place


def test_early_stopping_maximizes_accuracy_and_honours_min_delta():
    es = EarlyStopping(patience=1, monitor="accuracy", min_delta=0.05, restore_best=False)
    es.on_train_begin(mlp([2, 2], rng=0), {"metrics": ["loss", "accuracy"]})
    assert es.on_epoch_end(1, {"accuracy": 0.5}) is False
    assert es.on_epoch_end(2, {"accuracy": 0.52}) is True  # +0.02 < min_delta: no improvement
    assert es.best == 0.5


def test_early_stopping_in_fit():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 2)), rng.integers(0, 2, size=40)  # labels are noise: val loss cannot improve long
    model = mlp([2, 32, 2], "tanh", rng=0)
    es = EarlyStopping(patience=3)
    history = fit(model, X[:20], y[:20], loss="softmax_cross_entropy",
                  optimizer=Adam(model.parameters(), lr=0.05), epochs=200, validation_data=(X[20:], y[20:]),
                  early_stopping=es, rng=0)
    assert len(history) < 200 and history.stopped_epoch == es.stopped_epoch == len(history)
    assert es.best_epoch == len(history) - 3
    assert evaluate(model, X[20:], y[20:], "softmax_cross_entropy")["loss"] == pytest.approx(es.best)


def test_early_stopping_validation():
    with pytest.raises(ValueError, match="patience"):
        EarlyStopping(patience=0)
    with pytest.raises(ValueError, match="min_delta"):
        EarlyStopping(min_delta=-1)


def test_history_extend_and_repr():
    a, b = History(), History()
    a.record(1, {"loss": 1.0})
    b.record(2, {"loss": 0.5})
    a.extend(b)
    assert a["loss"] == [1.0, 0.5] and a.epochs == [1, 2]
    assert repr(a) == "History(2 epochs: loss)"
