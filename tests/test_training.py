"""Tests for nnlib.training: fit/evaluate/predict, validation before training, divergence, callbacks."""

import numpy as np
import pytest

from nnlib import losses
from nnlib.layers import Dense, Sequential, Sigmoid, mlp
from nnlib.optim import SGD, Adam, Momentum
from nnlib.training import (
    Callback,
    EarlyStopping,
    History,
    TrainingDivergedError,
    evaluate,
    fit,
    predict,
    predict_classes,
    predict_proba,
    train_step,
)

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_y = np.array([0, 1, 1, 0])


def blobs(n=60, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    centers = np.array([[0.0, 2.0], [2.0, -1.0], [-2.0, -1.0]])
    return centers[y] + 0.3 * rng.normal(size=(n, 2)), y


def snapshot(model):
    return {k: v.copy() for k, v in model.parameters().items()}


def assert_same_params(model, snap):
    for k, v in model.parameters().items():
        np.testing.assert_array_equal(v, snap[k], err_msg=k)


class Recorder(Callback):
    def __init__(self, stop_at=None):
        self.calls, self.stop_at, self.batch_sizes = [], stop_at, []

    def on_train_begin(self, model, logs):
        self.calls.append("begin")
        self.begin_logs = logs

    def on_batch_end(self, batch, logs):
        self.calls.append(("batch", logs["epoch"], batch))
        self.batch_sizes.append(logs["size"])

    def on_epoch_end(self, epoch, logs):
        self.calls.append(("epoch", epoch))
        self.last_logs = logs
        return epoch == self.stop_at

    def on_train_end(self, history):
        self.calls.append("end")


# ---------------------------------------------------------------------- learning


def test_fit_learns_xor():
    model = mlp([2, 8, 2], "tanh", rng=0)
    history = fit(model, XOR_X, XOR_y, loss="softmax_cross_entropy",
                  optimizer=Adam(model.parameters(), lr=0.05), epochs=300, rng=0)
    assert history["accuracy"][-1] == 1.0
    assert history["loss"][-1] < 0.01 < history["loss"][0]
    np.testing.assert_array_equal(predict_classes(model, XOR_X), XOR_y)
    assert history.epochs == list(range(1, 301)) and len(history) == 300


def test_fit_regression_with_minibatches():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(64, 1))
    y = np.sin(2 * X)
    model = mlp([1, 16, 1], "tanh", rng=1)
    history = fit(model, X, y, loss="mse", optimizer=Adam(model.parameters(), lr=0.02),
                  epochs=100, batch_size=16, rng=2)
    assert set(history.history) == {"loss"}
    assert history["loss"][-1] < 0.1 * history["loss"][0]
    assert evaluate(model, X, y, "mse")["loss"] < 0.01


def test_binary_targets_of_shape_n_for_a_single_output():
    model = mlp([2, 8, 1], "tanh", rng=0)
    history = fit(model, XOR_X, XOR_y, loss="bce_with_logits",
                  optimizer=Adam(model.parameters(), lr=0.05), epochs=300, rng=0)
    assert history["accuracy"][-1] == 1.0
    proba = predict_proba(model, XOR_X)
    assert proba.shape == (4, 1) and np.all((proba > 0) & (proba < 1))
    np.testing.assert_array_equal(predict_classes(model, XOR_X), XOR_y)


def test_validation_data_and_history_keys():
    X, y = blobs()
    model = mlp([2, 8, 3], "relu", rng=0)
    history = fit(model, X[:40], y[:40], loss="softmax_cross_entropy", optimizer=Adam(model.parameters(), lr=0.01),
                  epochs=3, batch_size=8, validation_data=(X[40:], y[40:]), rng=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 3 for v in history.history.values())
    val = evaluate(model, X[40:], y[40:], "softmax_cross_entropy")
    assert history["val_loss"][-1] == pytest.approx(val["loss"])
    assert history["val_accuracy"][-1] == pytest.approx(val["accuracy"])


def test_epoch_loss_is_the_mean_over_examples():
    """Full batch, SGD: the recorded loss is the loss at the parameters before the step."""
    X, y = blobs()
    model = mlp([2, 4, 3], "tanh", rng=0)
    expected = losses.softmax_cross_entropy_loss(predict(model, X), y)[0]
    history = fit(model, X, y, loss="softmax_cross_entropy", optimizer=SGD(model.parameters(), lr=0.1),
                  epochs=1, shuffle=False)
    assert history["loss"][0] == pytest.approx(expected, rel=1e-12)


def test_one_hot_targets_give_the_same_training_as_labels():
    X, y = blobs()
    runs = []
    for targets in (y, np.eye(3)[y]):
        model = mlp([2, 4, 3], "tanh", rng=0)
        fit(model, X, targets, loss="softmax_cross_entropy", optimizer=SGD(model.parameters(), lr=0.5),
            epochs=3, batch_size=10, rng=1)
        runs.append(snapshot(model))
    for k in runs[0]:
        np.testing.assert_allclose(runs[0][k], runs[1][k], rtol=1e-12)


def test_float32_training_keeps_float32():
    X, y = blobs()
    model = mlp([2, 8, 3], "relu", rng=0, dtype=np.float32)
    fit(model, X.astype(np.float32), y, loss="softmax_cross_entropy",
        optimizer=Adam(model.parameters(), lr=0.01), epochs=2, batch_size=16, rng=0)
    assert all(p.dtype == np.float32 for p in model.parameters().values())
    assert predict(model, X.astype(np.float32)).dtype == np.float32


# ---------------------------------------------------------------------- repeated calls


@pytest.mark.parametrize("make_opt", [lambda p: Adam(p, lr=0.05), lambda p: Momentum(p, lr=0.5, beta=0.9)])
def test_one_epoch_at_a_time_equals_one_call(make_opt):
    """The Playground calls fit(epochs=1) repeatedly with the same optimizer: state must persist."""
    X, y = blobs()
    one = mlp([2, 6, 3], "tanh", rng=0)
    fit(one, X, y, loss="softmax_cross_entropy", optimizer=make_opt(one.parameters()),
        epochs=4, batch_size=16, rng=np.random.default_rng(5))

    stepwise = mlp([2, 6, 3], "tanh", rng=0)
    opt, gen, history = make_opt(stepwise.parameters()), np.random.default_rng(5), History()
    for epoch in range(4):
        history.extend(fit(stepwise, X, y, loss="softmax_cross_entropy", optimizer=opt, epochs=1,
                           batch_size=16, rng=gen, initial_epoch=epoch))
    for k, v in one.parameters().items():
        np.testing.assert_allclose(stepwise.parameters()[k], v, rtol=1e-12)
    assert history.epochs == [1, 2, 3, 4]

    fresh = mlp([2, 6, 3], "tanh", rng=0)
    gen = np.random.default_rng(5)
    for _ in range(4):  # a new optimizer each epoch forgets its state: different result
        fit(fresh, X, y, loss="softmax_cross_entropy", optimizer=make_opt(fresh.parameters()), epochs=1,
            batch_size=16, rng=gen)
    assert not np.allclose(fresh.parameters()["0.W"], one.parameters()["0.W"])


# ---------------------------------------------------------------------- validation before training


def _bad_fit_cases():
    X, y = blobs(30)
    return [
        (dict(X=X[:, 0]), ValueError, "X: expected a 2-D array"),
        (dict(X=np.ones((30, 3))), ValueError, r"Dense\(2 -> 5\): expected input of shape \(n, 2\)"),
        (dict(X=np.where(np.eye(30, 2) == 1, np.nan, X)), ValueError, "X: expected finite values"),
        (dict(y=y[:-1]), ValueError, "y: expected 30 targets"),
        (dict(y=y + 3), ValueError, r"labels in \[0, 2\]"),
        (dict(y=y + 0.5), TypeError, "integer labels"),
        (dict(loss="cross_entropy"), ValueError, "loss: expected one of"),
        (dict(loss="mse"), ValueError, "y does not fit"),
        (dict(epochs=0), ValueError, "epochs"),
        (dict(epochs=2.5), TypeError, "epochs"),
        (dict(batch_size=0), ValueError, r"batch_size: expected an integer in \[1, 30\]"),
        (dict(batch_size=31), ValueError, r"batch_size: expected an integer in \[1, 30\]"),
        (dict(l2=-1.0), ValueError, "l2"),
        (dict(clip_norm=0.0), ValueError, "clip_norm"),
        (dict(shuffle="yes"), TypeError, "shuffle"),
        (dict(callbacks=[object()]), TypeError, r"callbacks\[0\]"),
        (dict(early_stopping=EarlyStopping()), ValueError, "validation_data"),
        (dict(validation_data=(X, y[:5])), ValueError, "y_val: expected 30 targets"),
        (dict(X=X.astype(np.float32)), TypeError, "X: expected dtype float64"),
        (dict(optimizer="adam"), TypeError, "optimizer"),
    ]


@pytest.mark.parametrize("overrides, error, message", _bad_fit_cases())
def test_fit_validates_before_training(overrides, error, message):
    X, y = blobs(30)
    model = mlp([2, 5, 3], "tanh", rng=0)
    args = dict(X=X, y=y, loss="softmax_cross_entropy", optimizer=Adam(model.parameters(), lr=0.1), epochs=2)
    args.update(overrides)
    recorder = Recorder()
    if "callbacks" not in overrides:
        args["callbacks"] = [recorder]
    before = snapshot(model)
    with pytest.raises(error, match=message):
        fit(model, args.pop("X"), args.pop("y"), **args)
    assert_same_params(model, before)
    assert not any(isinstance(c, tuple) for c in recorder.calls)  # no batch, no epoch ran


def test_optimizer_built_on_another_model_is_refused():
    X, y = blobs(30)
    old = mlp([2, 5, 3], rng=0)
    new = mlp([2, 5, 3], rng=0)  # same names, different arrays: the notebook "re-ran one cell" bug
    with pytest.raises(ValueError, match="not this model's trainable parameters"):
        fit(new, X, y, loss="softmax_cross_entropy", optimizer=Adam(old.parameters()), epochs=1)


def test_frozen_layers_need_an_optimizer_on_trainable_parameters():
    X, y = blobs(30)
    model = mlp([2, 5, 3], rng=0)
    model[0].trainable = False
    with pytest.raises(ValueError, match=r"trainable_only=True"):
        fit(model, X, y, loss="softmax_cross_entropy", optimizer=Adam(model.parameters()), epochs=1)
    frozen = snapshot(model)
    fit(model, X, y, loss="softmax_cross_entropy", optimizer=Adam(model.parameters(trainable_only=True), lr=0.1),
        epochs=3, batch_size=10, rng=0)
    np.testing.assert_array_equal(model[0].params["W"], frozen["0.W"])
    assert not np.array_equal(model[2].params["W"], frozen["2.W"])


# ---------------------------------------------------------------------- divergence


def test_divergence_raises_and_keeps_the_last_good_parameters():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(32, 3)) * 100
    y = rng.normal(size=(32, 1))
    model = mlp([3, 16, 1], "relu", rng=0)

    class KeepLast(Callback):
        def on_batch_end(self, batch, logs):
            self.last = snapshot(model)

    keep = KeepLast()
    keep.last = snapshot(model)
    with pytest.raises(TrainingDivergedError) as info:
        fit(model, X, y, loss="mse", optimizer=SGD(model.parameters(), lr=10.0), epochs=50, batch_size=8,
            callbacks=[keep], rng=0)
    err = info.value
    assert isinstance(err, FloatingPointError)
    message = str(err)
    assert f"epoch {err.epoch}, batch {err.batch} of 4" in message
    assert "learning rate" in message and "clip" in message and "standardiz" in message
    assert_same_params(model, keep.last)
    assert all(np.all(np.isfinite(v)) for v in model.parameters().values())


def test_non_finite_gradient_is_caught_before_the_step():
    class NaNGrad(Dense):
        def backward(self, dy, input_grad=True):
            dx = super().backward(dy, input_grad)
            self.grads["W"][0, 0] = np.nan
            return dx

    model = Sequential(NaNGrad(2, 1, rng=0))
    before = snapshot(model)
    with pytest.raises(TrainingDivergedError, match="epoch 1, batch 1 of 1: a gradient is not finite"):
        fit(model, XOR_X, XOR_y, loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=1)
    assert_same_params(model, before)


def test_clipping_bounds_every_step():
    X, y = blobs()
    model = mlp([2, 8, 3], "tanh", rng=0)

    class StepSize(Callback):
        sizes = []

        def on_train_begin(self, m, logs):
            self.prev = snapshot(model)

        def on_batch_end(self, batch, logs):
            now = snapshot(model)
            self.sizes.append(np.sqrt(sum(np.sum((now[k] - self.prev[k]) ** 2) for k in now)))
            self.prev = now

    cb = StepSize()
    fit(model, X * 50, y, loss="softmax_cross_entropy", optimizer=SGD(model.parameters(), lr=0.1), epochs=3,
        batch_size=10, clip_norm=0.5, callbacks=[cb], rng=0)
    # with plain SGD, ||delta theta|| = lr * ||clipped g|| <= 0.1 * 0.5
    assert max(cb.sizes) <= 0.05 + 1e-12
    assert max(cb.sizes) > 0.04  # the clip was active (the raw gradients are large)


def test_l2_penalty_enters_the_gradient():
    X, y = blobs(20)
    model = mlp([2, 3, 3], "tanh", rng=0)
    before = snapshot(model)
    # expected full-batch SGD step: W -= lr * (dL/dW + lam W); b -= lr * dL/db
    model.zero_grad()
    _, d_out = losses.softmax_cross_entropy_loss(model.forward(X), y)
    model.backward(d_out)
    data_grads = {k: v.copy() for k, v in model.gradients().items()}
    history = fit(model, X, y, loss="softmax_cross_entropy", optimizer=SGD(model.parameters(), lr=0.1),
                  epochs=1, l2=0.3, shuffle=False)
    for k, v in model.parameters().items():
        extra = 0.3 * before[k] if k.endswith("W") else 0.0
        np.testing.assert_allclose(v, before[k] - 0.1 * (data_grads[k] + extra), rtol=1e-12, atol=1e-15)
    expected_penalty = 0.15 * sum(np.sum(v**2) for k, v in model.parameters().items() if k.endswith("W"))
    assert history["penalty"][0] == pytest.approx(expected_penalty)


# ---------------------------------------------------------------------- callbacks and early stopping


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


def test_verbose_prints_one_line_per_epoch(capsys):
    model = mlp([2, 3, 2], rng=0)
    fit(model, XOR_X, XOR_y, loss="softmax_cross_entropy", optimizer=SGD(model.parameters(), lr=0.1), epochs=3,
        verbose=True)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("epoch 1/3  loss ") and "accuracy" in lines[0]


# ---------------------------------------------------------------------- predict / evaluate / train_step


def test_predict_restores_the_mode_and_validates():
    model = mlp([2, 3, 2], rng=0)
    model.eval()
    predict(model, XOR_X)
    assert not model.training
    model.train()
    predict(model, XOR_X)
    assert model.training
    with pytest.raises(ValueError, match="X: expected a 2-D array"):
        predict(model, XOR_X[0])


def test_predict_proba_softmax_and_probability_outputs():
    model = mlp([2, 3, 3], rng=0)
    p = predict_proba(model, XOR_X)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_array_equal(predict_classes(model, XOR_X), p.argmax(axis=1))
    with_sigmoid = mlp([2, 3, 1], rng=0, output="sigmoid")
    assert isinstance(with_sigmoid[-1], Sigmoid)
    np.testing.assert_array_equal(predict_proba(with_sigmoid, XOR_X), predict(with_sigmoid, XOR_X))
    probs = predict_proba(with_sigmoid, XOR_X)
    np.testing.assert_array_equal(predict_classes(with_sigmoid, XOR_X, threshold=0.3),
                                  (probs[:, 0] >= 0.3).astype(int))
    with pytest.raises(ValueError, match="threshold"):
        predict_classes(with_sigmoid, XOR_X, threshold=1.0)


def test_evaluate_matches_the_loss_function():
    X, y = blobs()
    model = mlp([2, 4, 3], rng=0)
    logits = predict(model, X)
    result = evaluate(model, X, y, "softmax_cross_entropy")
    assert result["loss"] == pytest.approx(losses.softmax_cross_entropy_loss(logits, y)[0])
    assert result["accuracy"] == pytest.approx(np.mean(logits.argmax(axis=1) == y))
    assert set(evaluate(model, X, np.eye(3)[y], "mse")) == {"loss"}


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


def test_history_extend_and_repr():
    a, b = History(), History()
    a.record(1, {"loss": 1.0})
    b.record(2, {"loss": 0.5})
    a.extend(b)
    assert a["loss"] == [1.0, 0.5] and a.epochs == [1, 2]
    assert repr(a) == "History(2 epochs: loss)"
