"""Tests for nnlib.training.predict: predict, predict_proba, predict_classes, evaluate."""

import numpy as np
import pytest

from nnlib import losses
from nnlib.layers import Dense, Sequential, Sigmoid, Softmax, mlp
from nnlib.training import evaluate, predict, predict_classes, predict_proba

from .helpers import XOR_X, blobs


def test_predict_restores_the_mode_and_validates():
    model = mlp([2, 3, 2], rng=0)
    model.eval()
    predict(model, XOR_X)
    assert not model.training
    model.train()
    predict(model, XOR_X)
    assert model.training
    with pytest.raises(ValueError, match=r"X: expected a 2-D or 3-D or 4-D array, got shape \(2,\)"):
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


@pytest.mark.parametrize("inner", [lambda: Sequential(Dense(2, 1, rng=3), Sigmoid()),
                                   lambda: Sequential(Dense(2, 1, rng=3), Sequential(Sigmoid()))])
def test_nested_sigmoid_output_is_not_squashed_twice(inner):
    """Bug: with the Sigmoid inside a nested Sequential, predict_proba applied a second sigmoid (all p > 0.5)
    and predict_classes returned 1 for every row."""
    model = Sequential(inner())
    model[0][0].params["W"][:] = [[4.0], [4.0]]
    model[0][0].params["b"][:] = -6.0
    p = predict_proba(model, XOR_X)
    np.testing.assert_array_equal(p, predict(model, XOR_X))
    np.testing.assert_array_equal(predict_classes(model, XOR_X), [0, 0, 0, 1])


def test_nested_softmax_output_is_not_squashed_twice():
    model = Sequential(Sequential(Dense(2, 3, rng=0), Softmax()))
    np.testing.assert_array_equal(predict_proba(model, XOR_X), predict(model, XOR_X))
    np.testing.assert_allclose(predict_proba(model, XOR_X, from_logits=True).sum(axis=1), 1.0)


def test_evaluate_runs_the_model_once_and_refuses_a_softmax_output_with_a_logits_loss():
    X, y = blobs()
    model = mlp([2, 4, 3], rng=0)
    calls = []
    forward = model.forward
    model.forward = lambda x: calls.append(x.shape) or forward(x)
    evaluate(model, X, y, "softmax_cross_entropy")
    assert calls == [X.shape]
    with pytest.raises(ValueError, match="ends in a Softmax layer"):
        evaluate(mlp([2, 4, 3], rng=0, output="softmax"), X, y, "softmax_cross_entropy")
