"""Tests for nnlib.training.fit: learning, validation before training, divergence, clipping, penalties."""

import numpy as np
import pytest

from nnlib import losses
from nnlib.layers import Dense, Sequential, Softmax, Tanh, mlp
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
)

from .helpers import XOR_X, XOR_y, Recorder, assert_same_params, blobs, snapshot


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


def _bad_fit_cases():
    X, y = blobs(30)
    return [
        (dict(X=X[:, 0]), ValueError, r"X: expected a 2-D or 3-D or 4-D array, got shape \(30,\)"),
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
        (dict(clip_value=-1.0), ValueError, "clip_value"),
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


def test_clip_value_bounds_every_entry_of_every_step():
    X, y = blobs()
    model = mlp([2, 8, 3], "tanh", rng=0)

    class LargestChange(Callback):
        changes = []

        def on_train_begin(self, m, logs):
            self.prev = snapshot(model)

        def on_batch_end(self, batch, logs):
            now = snapshot(model)
            self.changes.append(max(np.max(np.abs(now[k] - self.prev[k])) for k in now))
            self.prev = now

    cb = LargestChange()
    fit(model, X * 50, y, loss="softmax_cross_entropy", optimizer=SGD(model.parameters(), lr=0.1), epochs=3,
        batch_size=10, clip_value=0.5, callbacks=[cb], rng=0)
    # with plain SGD every entry moves by lr * |clipped g| <= 0.1 * 0.5
    assert max(cb.changes) <= 0.05 + 1e-12
    assert max(cb.changes) > 0.049  # the clip was active


def test_clip_value_stops_on_a_non_finite_gradient():
    class NaNGrad(Dense):
        def backward(self, dy, input_grad=True):
            dx = super().backward(dy, input_grad)
            self.grads["W"][0, 0] = np.inf  # clamping would hide it
            return dx

    model = Sequential(NaNGrad(2, 1, rng=0))
    before = snapshot(model)
    with pytest.raises(TrainingDivergedError, match="a gradient is not finite"):
        fit(model, XOR_X, XOR_y, loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=1, clip_value=1.0)
    assert_same_params(model, before)


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


def test_verbose_prints_one_line_per_epoch(capsys):
    model = mlp([2, 3, 2], rng=0)
    fit(model, XOR_X, XOR_y, loss="softmax_cross_entropy", optimizer=SGD(model.parameters(), lr=0.1), epochs=3,
        verbose=True)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("epoch 1/3  loss ") and "accuracy" in lines[0]

# ---------------------------------------------------------------------- messages that say what was passed


def test_wrong_input_width_reports_the_shape_of_X_not_a_probe_batch():
    """Bug: the error showed the one-row probe batch, 'got (1, 3)', instead of X's shape."""
    X, y = blobs(30)
    model = mlp([2, 5, 3], "tanh", rng=0)
    with pytest.raises(ValueError) as info:
        fit(model, np.ones((30, 3)), y, loss="softmax_cross_entropy", optimizer=Adam(model.parameters()), epochs=1)
    message = str(info.value)
    assert message.startswith("X: the model does not accept it (shape (30, 3))")
    assert "got (30, 3)" in message and "(1, 3)" not in message


@pytest.mark.parametrize("validation_data, error, message", [
    ("X", TypeError, r"validation_data: expected a pair \(X_val, y_val\), got ndarray of shape \(30, 2\)"),
    ("[X]", TypeError, r"validation_data: expected a pair \(X_val, y_val\), got list of 1 item"),
    ("(X, y, y)", TypeError, r"validation_data: expected a pair \(X_val, y_val\), got tuple of 3 items"),
    ("(np.ones((30, 3)), y)", ValueError, r"X_val: the model does not accept it \(shape \(30, 3\)\)"),
    ("(X, y[:5])", ValueError, r"y_val: expected 30 targets \(one per row of X_val\), got 5"),
])
def test_bad_validation_data_says_what_was_passed(validation_data, error, message):
    X, y = blobs(30)
    model = mlp([2, 5, 3], "tanh", rng=0)
    with pytest.raises(error, match=message):
        fit(model, X, y, loss="softmax_cross_entropy", optimizer=Adam(model.parameters()), epochs=1,
            validation_data=eval(validation_data))


@pytest.mark.parametrize("callbacks, message", [
    (3, r"callbacks: expected a list of Callback instances, got int 3"),
    (Recorder(), r"callbacks: expected a list of Callback instances, got Recorder"),
    ([Recorder, Recorder()], r"callbacks\[0\]: expected a Callback instance, got type"),
])
def test_callbacks_of_the_wrong_type_are_refused_up_front(callbacks, message):
    """Bug: fit(..., callbacks=3) escaped as "'int' object is not iterable" from deep inside."""
    X, y = blobs(30)
    model = mlp([2, 5, 3], "tanh", rng=0)
    with pytest.raises(TypeError, match=message):
        fit(model, X, y, loss="softmax_cross_entropy", optimizer=Adam(model.parameters()), epochs=1,
            callbacks=callbacks)


def test_an_optimizer_on_another_model_says_what_differs():
    """Bug: the message printed two identical lists of names."""
    X, y = blobs(30)
    old, new = mlp([2, 5, 3], rng=0), mlp([2, 5, 3], rng=0)
    with pytest.raises(ValueError) as info:
        fit(new, X, y, loss="softmax_cross_entropy", optimizer=Adam(old.parameters()), epochs=1)
    message = str(info.value)
    assert "the names match, but the arrays ['0.W', '0.b', '2.W', '2.b'] are other arrays than the model's" in message
    assert message.count("'0.W'") == 1
    with pytest.raises(ValueError, match=r"it lacks \['2.W', '2.b'\] and has \[\] besides"):
        fit(new, X, y, loss="softmax_cross_entropy", optimizer=Adam({k: v for k, v in new.parameters().items()
                                                                     if k.startswith("0.")}), epochs=1)


@pytest.mark.parametrize("model, loss, layer", [
    (lambda: mlp([2, 5, 3], rng=0, output="softmax"), "softmax_cross_entropy", "Softmax"),
    (lambda: Sequential(mlp([2, 5, 3], rng=0), Sequential(Softmax())), "softmax_cross_entropy", "Softmax"),
    (lambda: mlp([2, 5, 1], rng=0, output="sigmoid"), "bce_with_logits", "Sigmoid"),
])
def test_a_probability_output_with_a_loss_on_logits_is_refused(model, loss, layer):
    """Bug: a model ending in Softmax trained with softmax cross-entropy (on logits) was accepted and trained badly."""
    X, y = blobs(30)
    if layer == "Sigmoid":
        y = (y == 0).astype(float)
    model = model()
    with pytest.raises(ValueError, match=rf"loss: '{loss}' takes logits .* ends in a {layer} layer.*Remove the final"):
        fit(model, X, y, loss=loss, optimizer=Adam(model.parameters()), epochs=1)


def test_a_sigmoid_output_trains_with_bce_on_probabilities():
    model = mlp([2, 8, 1], "tanh", rng=0, output="sigmoid")
    history = fit(model, XOR_X, XOR_y, loss="bce", optimizer=Adam(model.parameters(), lr=0.05), epochs=400, rng=0)
    assert history["accuracy"][-1] == 1.0


def test_fit_and_predict_a_nested_model():
    X, y = blobs()
    model = Sequential(Sequential(Dense(2, 8, rng=0), Tanh()), Sequential(Dense(8, 3, rng=1)))
    history = fit(model, X, y, loss="softmax_cross_entropy", optimizer=Adam(model.parameters(), lr=0.05),
                  epochs=30, batch_size=20, l2=1e-3, rng=0)
    assert history["accuracy"][-1] > 0.95 and "penalty" in history.history
    np.testing.assert_array_equal(predict_classes(model, X), predict(model, X).argmax(axis=1))
