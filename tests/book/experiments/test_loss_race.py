"""The loss race of chapter 3: the data and one logistic regression trained by full-batch gradient descent."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import losses
from nnlib.activations import sigmoid
from nnlib.book.experiments import LogisticRun, LossRaceRun, make_1d_data


def test_make_1d_data_is_balanced_and_seeded():
    x, y = make_1d_data(40, rng=0)
    assert x.shape == (40, 1) and y.shape == (40, 1)
    assert y.sum() == 20
    x2, _ = make_1d_data(40, rng=0)
    assert np.array_equal(x, x2)
    assert x[y[:, 0] == 1].mean() > 0 > x[y[:, 0] == 0].mean()
    with pytest.raises(ValueError, match="even"):
        make_1d_data(41)


@pytest.mark.parametrize("loss", ["ce", "mse", "mae"])
def test_one_step_is_gradient_descent_on_the_stated_loss(loss):
    x, y = make_1d_data(20, rng=3)
    run = LogisticRun(x, y, loss, lr=0.3, w0=0.7, b0=-0.2)
    z = 0.7 * x - 0.2
    if loss == "ce":
        _, dz = losses.bce_with_logits_loss(z, y)
    else:
        fn = losses.mse_loss if loss == "mse" else losses.mae_loss
        _, dp = fn(sigmoid(z), y)
        dz = dp * sigmoid(z) * (1 - sigmoid(z))
    dw, db = float(np.sum(dz * x)), float(np.sum(dz))
    metrics = run.step()
    assert run.weight == pytest.approx(0.7 - 0.3 * dw, abs=1e-12)
    assert run.bias == pytest.approx(-0.2 - 0.3 * db, abs=1e-12)
    assert metrics["grad_w"] == pytest.approx(abs(dw), abs=1e-12)
    assert metrics["ce"] == pytest.approx(losses.bce_with_logits_loss(z, y)[0])


def test_race_steps_both_runs_from_the_same_start():
    x, y = make_1d_data(20, rng=0)
    race = LossRaceRun(x, y, "mae", lr=0.5, w0=-2.0)
    assert race.ce.weight == race.rival.weight == -2.0 and race.rival.loss_name == "mae"
    metrics = race.step()
    assert set(metrics) == {"loss", "rival_ce", "rival_loss"}
    assert metrics["loss"] == race.ce.history["ce"][0] and metrics["rival_ce"] == race.rival.history["ce"][0]
    with pytest.raises(ValueError, match="rival"):
        LossRaceRun(x, y, "hinge")
