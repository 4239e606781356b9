"""Optional: Nesterov, AdaGrad, AdamW and the schedules against PyTorch (skipped without it).

Both libraries get the same parameters and the same sequence of gradients; the
parameters must agree to float64 round-off after every step, and the schedules'
rates at every step.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from nnlib.optim import (SGD, AdaGrad, AdamW, CosineDecay, LambdaSchedule,  # noqa: E402
                         LinearWarmup, Momentum, StepDecay)

SHAPES = {"W": (3, 4), "b": (4,)}


def _compare(make_ours, make_theirs, n_steps=4, seed=0):
    """Apply the same random gradients to both; compare after every step. ``make_theirs(W, b)``."""
    rng = np.random.default_rng(seed)
    ours = {name: rng.normal(size=shape) for name, shape in SHAPES.items()}
    theirs = {name: torch.tensor(value.copy(), requires_grad=True) for name, value in ours.items()}
    opt, topt = make_ours(ours), make_theirs(theirs["W"], theirs["b"])
    for step in range(n_steps):
        grads = {name: rng.normal(scale=2.0, size=shape) for name, shape in SHAPES.items()}
        opt.step(grads)
        for name, g in grads.items():
            theirs[name].grad = torch.tensor(g)
        topt.step()
        for name in SHAPES:
            np.testing.assert_allclose(ours[name], theirs[name].detach().numpy(), rtol=1e-12, atol=1e-14,
                                       err_msg=f"{name} after step {step + 1}")


def test_nesterov_matches_torch():
    _compare(lambda p: Momentum(p, lr=0.1, beta=0.9, form="classical", nesterov=True),
             lambda W, b: torch.optim.SGD([W, b], lr=0.1, momentum=0.9, nesterov=True))


def test_nesterov_ema_form_matches_torch_with_scaled_lr():
    _compare(lambda p: Momentum(p, lr=0.5, beta=0.8, nesterov=True),
             lambda W, b: torch.optim.SGD([W, b], lr=0.5 * 0.2, momentum=0.8, nesterov=True))


@pytest.mark.parametrize("initial", [0.0, 0.3])
def test_adagrad_matches_torch(initial):
    _compare(lambda p: AdaGrad(p, lr=0.05, eps=1e-10, initial_accumulator=initial),
             lambda W, b: torch.optim.Adagrad([W, b], lr=0.05, eps=1e-10, initial_accumulator_value=initial))


def test_adamw_matches_torch():
    _compare(lambda p: AdamW(p, lr=0.01, beta1=0.9, beta2=0.99, eps=1e-8, weight_decay=0.3),
             lambda W, b: torch.optim.AdamW([W, b], lr=0.01, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.3))


def test_adamw_decaying_only_the_weights_matches_torch_parameter_groups():
    _compare(lambda p: AdamW(p, lr=0.01, weight_decay=0.3, decayed=["W"]),
             lambda W, b: torch.optim.AdamW([{"params": [W]}, {"params": [b], "weight_decay": 0.0}],
                                            lr=0.01, weight_decay=0.3))


def _rates_match(make_ours, make_theirs, n_steps):
    opt = SGD({"w": np.zeros(1)}, lr=0.4)
    tparam = torch.zeros(1, requires_grad=True)
    topt = torch.optim.SGD([tparam], lr=0.4)
    schedule, tschedule = make_ours(opt), make_theirs(topt)
    ours, theirs = [opt.lr], [topt.param_groups[0]["lr"]]
    for _ in range(n_steps):
        topt.step()  # PyTorch warns when the schedule steps before the optimizer
        ours.append(schedule.step())
        tschedule.step()
        theirs.append(topt.param_groups[0]["lr"])
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)


def test_step_decay_matches_step_lr():
    _rates_match(lambda o: StepDecay(o, step_size=3, gamma=0.3),
                 lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.3), 10)


def test_cosine_decay_matches_cosine_annealing_lr_up_to_total_steps():
    _rates_match(lambda o: CosineDecay(o, total_steps=12, min_lr=0.01),
                 lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=12, eta_min=0.01), 12)


def test_linear_warmup_matches_linear_lr():
    _rates_match(lambda o: LinearWarmup(o, warmup_steps=5, start_factor=0.1),
                 lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=5), 8)


def test_lambda_schedule_matches_lambda_lr():
    factor = lambda t: 0.9 ** t / (1 + t)  # noqa: E731
    _rates_match(lambda o: LambdaSchedule(o, factor), lambda o: torch.optim.lr_scheduler.LambdaLR(o, factor), 8)


def test_cosine_with_warmup_matches_sequential_lr():
    _rates_match(
        lambda o: CosineDecay(o, total_steps=10, warmup_steps=3, start_factor=0.25),
        lambda o: torch.optim.lr_scheduler.SequentialLR(o, [
            torch.optim.lr_scheduler.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=3),
            torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=7)], milestones=[3]), 10)
