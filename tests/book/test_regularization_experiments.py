"""The runs of chapter 7 (nnlib.book.experiments.regularization): settings, subsets, runs, masks, batch statistics."""

import numpy as np
import pytest

from nnlib.book.experiments.digits import load_digits
from nnlib.book.experiments.regularization import (DigitsRun, LabSettings, balanced_subset, mask_average,
                                                   train_mode_outputs)
from nnlib.layers import BatchNorm, Dropout, mlp


@pytest.fixture(scope="module")
def digits():
    return load_digits()


def test_balanced_subsets_are_even_over_the_classes_and_nested(digits):
    y = digits.y_train
    small, large = balanced_subset(y, 50), balanced_subset(y, 205)
    assert np.bincount(y[small], minlength=10).tolist() == [5] * 10
    assert sorted(np.bincount(y[large], minlength=10)) == [20] * 5 + [21] * 5
    assert set(small) <= set(large) and len(set(large)) == 205
    assert sorted(balanced_subset(y, len(y))) == list(range(len(y)))


@pytest.mark.parametrize("change,error,message", [
    ({"n_train": 101}, ValueError, r"n_train: expected an even number"),
    ({"n_train": 2000}, ValueError, r"n_train: expected a value in \[10, 1078\]"),
    ({"dropout": 0.95}, ValueError, r"dropout: expected a value in \[0, 0\.9\]"),
    ({"activation": "swish"}, ValueError, r"activation: expected one of"),
    ({"batch_norm": 1}, TypeError, r"batch_norm: expected True or False"),
    ({"lr": 0}, ValueError, r"lr: expected a value in \(0, 10\]"),
])
def test_bad_settings_are_refused(change, error, message):
    with pytest.raises(error, match=message):
        LabSettings().replace(**change)


def test_a_run_trains_epoch_by_epoch_and_knows_its_mistakes(digits):
    run = DigitsRun(LabSettings(n_train=60, width=16), digits)
    assert len(run.X) == 60 and run.trainer.batch_size == 32
    first = run.epoch()
    run.train(3)
    assert len(run.history) == 4 and run.history["val_accuracy"][0] == first["val_accuracy"]
    wrong, predicted = run.mistakes("val")
    assert np.all(predicted != digits.y_val[wrong])
    assert len(wrong) == round((1 - run.history["val_accuracy"][-1]) * len(digits.y_val))
    assert run.model.training  # predictions ran in evaluation mode and restored the mode


def test_batch_norm_with_a_last_batch_of_one_is_refused(digits):
    with pytest.raises(ValueError, match=r"leaves a last batch of one digit"):
        DigitsRun(LabSettings(n_train=66, batch_norm=True, batch_size=5), digits)


def test_the_same_settings_give_the_same_run(digits):
    a = DigitsRun(LabSettings(n_train=40, width=8, dropout=0.3), digits).train(2)
    b = DigitsRun(LabSettings(n_train=40, width=8, dropout=0.3), digits).train(2)
    assert a.history["loss"] == b.history["loss"]


def test_mask_average_of_one_mask_is_one_training_mode_pass_and_restores_the_model():
    model = mlp([5, 8, 3], "relu", rng=0, dropout=0.5)
    x = np.random.default_rng(1).normal(size=(4, 5))
    own_rng = model[2].rng
    averaged = mask_average(model, x, 1, rng=3)
    model[2].rng = np.random.default_rng(3)
    logits = model.forward(x)  # training mode: the same mask
    np.testing.assert_allclose(averaged, np.exp(logits) / np.exp(logits).sum(1, keepdims=True), rtol=1e-12)
    model[2].rng = own_rng
    assert model.training and model[2].rng is own_rng
    many = mask_average(model, x, 400, rng=4)
    evaluation = model.eval().forward(x)
    model.train()
    assert np.abs(many - np.exp(evaluation) / np.exp(evaluation).sum(1, keepdims=True)).max() < 0.2
    with pytest.raises(ValueError, match=r"expected a network with Dropout layers"):
        mask_average(mlp([5, 3], rng=0), x, 2)


def test_train_mode_outputs_use_each_batchs_statistics_and_leave_the_model_alone():
    model = mlp([4, 6, 3], "relu", rng=0, batch_norm=True, dropout=0.5)
    rng = np.random.default_rng(5)
    for _ in range(3):
        model.forward(rng.normal(size=(8, 4)))
    buffers = {k: v.copy() for k, v in model.buffers().items()}
    x = rng.normal(size=(9, 4))
    out = train_mode_outputs(model, x, 4)  # batches of 4, 4, and the last row joins the second: 4, 5
    twin = mlp([4, 6, 3], "relu", rng=0, batch_norm=True, dropout=0.5)
    for name, value in model.parameters().items():
        twin.parameters()[name][:] = value
    twin.eval()
    twin[1].train()
    np.testing.assert_allclose(out[:4], twin.forward(x[:4]), rtol=1e-12)
    np.testing.assert_allclose(out[4:], twin.forward(x[4:]), rtol=1e-12)
    for name, value in model.buffers().items():
        np.testing.assert_array_equal(value, buffers[name])
    assert isinstance(model[3], Dropout) and model.training
