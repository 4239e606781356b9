"""The deep-stack experiment of the chapter "Activation functions": forward and backward through random layers."""

import numpy as np
import pytest

from nnlib import activations as act
from nnlib.book.experiments import ACTIVATION_LAYERS, build_stack, run_deep_stack


def manual_run(activation, depth, scale, shift, init, width, n, seed):
    """Forward and backward pass written out with NumPy, on the same random numbers as run_deep_stack."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, width))
    stack = build_stack(activation, depth, scale=scale, shift=shift, init=init, width=width, rng=rng)
    _, f, df = ACTIVATION_LAYERS[activation]
    weights = [(layer.params["W"].copy(), layer.params["b"].copy()) for layer in stack[::2]]
    zs = []
    for W, b in weights:
        z = a @ W + b
        a = f(z)
        zs.append(z)
    upstream = rng.standard_normal(a.shape)
    deltas = [None] * depth
    for l in range(depth - 1, -1, -1):
        deltas[l] = upstream * df(zs[l])
        upstream = deltas[l] @ weights[l][0].T
    return zs, deltas


@pytest.mark.parametrize("activation", sorted(ACTIVATION_LAYERS))
@pytest.mark.parametrize("init", ["glorot_normal", "he_normal", "standard_normal"])
def test_run_matches_backpropagation_written_out(activation, init):
    settings = dict(depth=4, scale=0.7, shift=0.3, init=init, width=5, n=6)
    run = run_deep_stack(activation, rng=3, **settings)
    zs, deltas = manual_run(activation, seed=3, **settings)
    assert run.depth == 4
    for l in range(4):
        np.testing.assert_allclose(run.pre_activations[l], zs[l], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(run.gradients[l], deltas[l], rtol=1e-12, atol=1e-14)


def test_scale_and_shift_reach_the_layers():
    stack = build_stack("tanh", 2, scale=3.0, shift=-1.5, init="glorot_normal", width=8, rng=0)
    reference = build_stack("tanh", 2, scale=1.0, shift=0.0, init="glorot_normal", width=8, rng=0)
    np.testing.assert_allclose(stack[0].params["W"], 3.0 * reference[0].params["W"])
    assert np.all(stack[2].params["b"] == -1.5)


def test_initializer_variances_are_as_documented():
    width, depth = 128, 6
    for init, variance in [("glorot_normal", 2 / (2 * width)), ("he_normal", 2 / width), ("standard_normal", 1.0)]:
        stack = build_stack("relu", depth, init=init, width=width, rng=1)
        measured = np.var(np.concatenate([layer.params["W"].ravel() for layer in stack[::2]]))
        assert abs(measured - variance) < 0.05 * variance, (init, measured, variance)


def test_same_seed_same_run_and_deeper_stack_shares_first_layers():
    a = run_deep_stack("sigmoid", depth=3, rng=7)
    b = run_deep_stack("sigmoid", depth=3, rng=7)
    c = run_deep_stack("sigmoid", depth=5, rng=7)
    np.testing.assert_array_equal(a.activations[-1], b.activations[-1])
    np.testing.assert_array_equal(a.activations[2], c.activations[2])


def test_known_behaviour_of_deep_stacks():
    sigmoid = run_deep_stack("sigmoid", depth=20, init="glorot_normal", rng=0)
    relu = run_deep_stack("relu", depth=20, init="he_normal", rng=0)
    sigmoid_ratio = sigmoid.gradient_std[0] / sigmoid.gradient_std[-1]
    relu_ratio = relu.gradient_std[0] / relu.gradient_std[-1]
    assert sigmoid_ratio < 0.25**15
    assert 0.1 < relu_ratio < 10
    assert np.all(sigmoid.saturated_fraction >= 0) and np.all(sigmoid.saturated_fraction <= 1)


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"activation": "swish"}, ValueError),
        ({"init": "orthogonal"}, ValueError),
        ({"depth": 0}, ValueError),
        ({"depth": 51}, ValueError),
        ({"depth": 2.5}, TypeError),
        ({"scale": 0.0}, ValueError),
        ({"scale": float("nan")}, ValueError),
        ({"shift": "1"}, TypeError),
        ({"width": 0}, ValueError),
        ({"n": 10**6}, ValueError),
    ],
)
def test_bad_settings_raise_clear_errors(kwargs, error):
    settings = {"activation": "relu", "depth": 2, "width": 4, "n": 3}
    settings.update(kwargs)
    activation = settings.pop("activation")
    with pytest.raises(error, match=next(iter(kwargs))):
        run_deep_stack(activation, **settings)


def test_derivatives_used_by_the_experiment_are_nnlib_s():
    assert ACTIVATION_LAYERS["sigmoid"][2] is act.sigmoid_derivative
    assert ACTIVATION_LAYERS["relu"][2](np.array(0.0)) == 0.0
