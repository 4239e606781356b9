"""Tests for nnlib.optim.schedules against hand-computed learning rates."""

import math

import numpy as np
import pytest

from nnlib.optim import SGD, Adam, CosineDecay, LambdaSchedule, LinearWarmup, LRSchedule, StepDecay


def sgd(lr=1.0):
    return SGD({"w": np.zeros(1)}, lr=lr)


def rates(schedule, n):
    """The optimizer's rate at t = 0 (set by the constructor), then after each of n calls of step()."""
    return [schedule.optimizer.lr] + [schedule.step() for _ in range(n)]


def test_step_decay():
    # alpha_t = 0.4 * 0.5 ** (t // 3): 0.4 0.4 0.4 0.2 0.2 0.2 0.1
    np.testing.assert_allclose(rates(StepDecay(sgd(0.4), step_size=3, gamma=0.5), 6),
                               [0.4, 0.4, 0.4, 0.2, 0.2, 0.2, 0.1], rtol=1e-15)


def test_cosine_decay():
    # T = 4, alpha_0 = 1, alpha_min = 0.2: 0.2 + 0.8 (1 + cos(pi t / 4)) / 2
    # t=0: 1.0   t=1: 0.2 + 0.4 (1 + 0.70711) = 0.88284   t=2: 0.6   t=3: 0.31716   t=4: 0.2, then it stays
    got = rates(CosineDecay(sgd(1.0), total_steps=4, min_lr=0.2), 6)
    expected = [1.0, 0.2 + 0.4 * (1 + math.sqrt(0.5)), 0.6, 0.2 + 0.4 * (1 - math.sqrt(0.5)), 0.2, 0.2, 0.2]
    np.testing.assert_allclose(got, expected, rtol=1e-14)


def test_cosine_decay_with_warmup():
    # W = 2, f0 = 0: t=0: 0, t=1: 0.5; then the cosine over T - W = 2 steps: t=2: 1, t=3: 0.5, t=4: 0
    got = rates(CosineDecay(sgd(2.0), total_steps=4, warmup_steps=2), 5)
    np.testing.assert_allclose(got, [0.0, 1.0, 2.0, 1.0, 0.0, 0.0], rtol=1e-15, atol=1e-15)


def test_linear_warmup():
    # W = 4, f0 = 0.2, alpha_0 = 0.5: 0.5 * (0.2 + 0.8 t / 4) = 0.1, 0.2, 0.3, 0.4, then 0.5 for ever
    got = rates(LinearWarmup(sgd(0.5), warmup_steps=4, start_factor=0.2), 6)
    np.testing.assert_allclose(got, [0.1, 0.2, 0.3, 0.4, 0.5, 0.5, 0.5], rtol=1e-15)


def test_lambda_schedule():
    got = rates(LambdaSchedule(sgd(0.3), lambda t: 1 / (t + 1)), 3)
    np.testing.assert_allclose(got, [0.3, 0.15, 0.1, 0.075], rtol=1e-15)


def test_the_scheduled_rate_is_the_rate_the_optimizer_steps_with():
    w = np.zeros(1)
    opt = SGD({"w": w}, lr=1.0)
    schedule = StepDecay(opt, step_size=1, gamma=0.5)
    for _ in range(3):
        opt.step({"w": np.ones(1)})
        schedule.step()
    assert w[0] == -(1.0 + 0.5 + 0.25)


def test_works_with_any_optimizer_and_lr_at_does_not_step():
    opt = Adam({"w": np.zeros(2)}, lr=0.01)
    schedule = CosineDecay(opt, total_steps=10)
    assert schedule.lr_at(5) == pytest.approx(0.005)
    assert schedule.t == 0 and opt.lr == 0.01
    assert "CosineDecay(base_lr=0.01, t=0" in repr(schedule)


@pytest.mark.parametrize(
    "make, error, match",
    [
        (lambda o: StepDecay(o, step_size=0), ValueError, "step_size"),
        (lambda o: StepDecay(o, step_size=2.5), TypeError, "step_size"),
        (lambda o: StepDecay(o, step_size=2, gamma=0.0), ValueError, "gamma"),
        (lambda o: CosineDecay(o, total_steps=3, warmup_steps=3), ValueError, "total_steps"),
        (lambda o: CosineDecay(o, total_steps=3, min_lr=2.0), ValueError, "min_lr"),
        (lambda o: CosineDecay(o, total_steps=3, min_lr=-0.1), ValueError, "min_lr"),
        (lambda o: LinearWarmup(o, warmup_steps=0), ValueError, "warmup_steps"),
        (lambda o: LinearWarmup(o, warmup_steps=3, start_factor=1.5), ValueError, "start_factor"),
        (lambda o: LambdaSchedule(o, 0.5), TypeError, "factor"),
        (lambda o: LambdaSchedule(o, lambda t: -1.0), ValueError, r"factor\(0\)"),
        (lambda o: StepDecay({"w": np.zeros(1)}, step_size=1), TypeError, "optimizer"),
    ],
)
def test_bad_arguments_raise(make, error, match):
    opt = sgd(1.0)
    with pytest.raises(error, match=match):
        make(opt)
    assert opt.lr == 1.0


def test_base_class_has_no_factor():
    with pytest.raises(NotImplementedError):
        LRSchedule(sgd())
    with pytest.raises(ValueError, match="t"):
        StepDecay(sgd(), step_size=1).lr_at(-1)
