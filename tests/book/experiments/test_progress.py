"""LossWatch: it says when the loss is not going down, and only then."""

import numpy as np
import pytest

from nnlib.book.experiments import LossWatch


def watch(losses, window=10):
    w = LossWatch(window=window, step_name="epoch")
    messages = []
    for loss in losses:
        w.add(loss)
        messages.append(w.message)
    return w, messages


def test_a_jumping_loss_is_reported_with_a_smaller_rate():
    rng = np.random.default_rng(0)
    w, messages = watch(1.0 + rng.uniform(0, 2, size=40))
    assert all(m is None for m in messages[:19])  # no verdict before 2W losses
    assert "jumps up and down" in w.message and "smaller" in w.message and "20 epochs" in w.message


def test_a_decreasing_loss_is_not_reported():
    _, messages = watch(np.exp(-np.linspace(0, 5, 60)))
    assert not any(messages)
    noisy = np.exp(-np.linspace(0, 3, 60)) * (1 + 0.05 * np.random.default_rng(1).standard_normal(60))
    _, messages = watch(noisy)
    assert not any(messages)


def test_convergence_is_not_reported():
    losses = np.concatenate([np.linspace(1.0, 0.01, 30), 0.01 + 0.0005 * np.sin(np.arange(40))])
    _, messages = watch(losses)
    assert not any(messages)


def test_stuck_and_wobbling_suggests_a_smaller_rate_and_creeping_a_larger_one():
    stuck = 0.693 + 0.01 * np.sin(np.arange(40) * 2.0)  # a dead network at chance level
    w, _ = watch(np.concatenate([[0.7], stuck]))
    assert "stuck near 0.69" in w.message and "smaller" in w.message
    creeping = 0.9 - 1e-5 * np.arange(40)  # a learning rate far too small
    w, _ = watch(creeping)
    assert "hardly going down" in w.message and "larger" in w.message


def test_a_message_stays_a_window_long_and_then_goes():
    jumping = 1.0 + 2.0 * (np.arange(30) % 2)
    w, _ = watch(jumping)
    assert w.message is not None
    for loss in np.exp(-np.linspace(0, 8, 9)) * 0.1:  # suddenly learning
        w.add(loss)
    assert w.message is not None  # held for W steps: no flicker
    for loss in np.full(12, 1e-4):
        w.add(loss)
    assert w.message is None


def test_non_finite_losses_are_left_to_divergence_checks_and_reset_forgets():
    w, _ = watch([1.0, float("nan"), float("inf"), None, 0.5])
    assert w.losses == [1.0, 0.5]
    w.reset()
    assert w.losses == [] and w.message is None
    with pytest.raises(ValueError, match="window"):
        LossWatch(window=1)
