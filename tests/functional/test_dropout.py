"""The formulas of nnlib.functional.dropout: inverted scaling, expectation, the mask, evaluation, bad input.

Gradient checks, purity, dtypes and bad caches/upstreams of every op are in test_ops_generic.py.
"""

import numpy as np
import pytest

from nnlib import functional as F


def test_kept_entries_are_scaled_by_one_over_one_minus_p_and_the_rest_are_zero():
    x = np.random.default_rng(0).normal(size=(50, 40))
    y, cache = F.dropout_forward(x, 0.3, rng=1)
    mask = cache["mask"]
    assert mask.dtype == np.bool_ and mask.shape == x.shape
    np.testing.assert_allclose(y[mask], x[mask] / 0.7, rtol=1e-15)
    assert np.all(y[~mask] == 0)


def test_the_drop_probability_is_p():
    _, cache = F.dropout_forward(np.ones((400, 500)), 0.3, rng=2)
    dropped = 1 - cache["mask"].mean()
    assert abs(dropped - 0.3) < 0.005  # 200,000 draws: the standard error is 0.001


def test_the_expected_output_is_the_input():
    """E[m x / (1 - p)] = x: the average over many masks approaches x (and evaluation returns x itself)."""
    x = np.random.default_rng(3).normal(size=(4, 5))
    rng = np.random.default_rng(4)
    mean = np.mean([F.dropout_forward(x, 0.5, rng=rng)[0] for _ in range(20000)], axis=0)
    np.testing.assert_allclose(mean, x, atol=0.05 * np.abs(x).max())
    no_scaling = np.mean([F.dropout_forward(x, 0.5, rng=rng)[0] * 0.5 for _ in range(2000)], axis=0)
    assert np.abs(no_scaling - 0.5 * x).max() < np.abs(no_scaling - x).max()  # the notes' unscaled form: (1-p) x


def test_backward_uses_the_forward_mask_and_scale():
    rng = np.random.default_rng(5)
    x, dy = rng.normal(size=(6, 7)), rng.normal(size=(6, 7))
    y, cache = F.dropout_forward(x, 0.25, rng=6)
    dx, grads = F.dropout_backward(dy, cache)
    np.testing.assert_allclose(dx, dy * cache["mask"] / 0.75, rtol=1e-15)
    assert grads == {}


@pytest.mark.parametrize("kwargs", [{"training": False}, {"p": 0.0}])
def test_evaluation_and_p_zero_are_the_identity(kwargs):
    x = np.random.default_rng(7).normal(size=(3, 4))
    y, cache = F.dropout_forward(x, **{"p": 0.5, **kwargs})
    np.testing.assert_array_equal(y, x)
    assert y is not x and cache["mask"] is None
    dy = np.ones_like(x)
    dx, _ = F.dropout_backward(dy, cache)
    np.testing.assert_array_equal(dx, dy)
    assert dx is not dy


def test_a_seed_repeats_the_mask_and_a_generator_moves_on():
    x = np.ones((5, 6))
    a, b = F.dropout_forward(x, 0.5, rng=8)[0], F.dropout_forward(x, 0.5, rng=8)[0]
    np.testing.assert_array_equal(a, b)
    gen = np.random.default_rng(8)
    c, d = F.dropout_forward(x, 0.5, rng=gen)[0], F.dropout_forward(x, 0.5, rng=gen)[0]
    np.testing.assert_array_equal(a, c)
    assert np.any(c != d)


def test_numpys_global_random_state_is_untouched():
    state = np.random.get_state()[1].copy()
    F.dropout_forward(np.ones((10, 10)), 0.5)
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_a_given_mask_is_used_as_it_is():
    x = np.arange(1.0, 7.0).reshape(2, 3)
    mask = np.array([[True, False, True], [False, False, True]])
    y, _ = F.dropout_forward(x, 0.5, mask=mask)
    np.testing.assert_array_equal(y, [[2.0, 0.0, 6.0], [0.0, 0.0, 12.0]])


def test_float32_masks_and_outputs():
    y, cache = F.dropout_forward(np.ones((3, 4), dtype=np.float32), 0.5, rng=0)
    assert y.dtype == np.float32 and set(np.unique(y)) <= {0.0, 2.0}


@pytest.mark.parametrize("kwargs,error,message", [
    ({"p": 1.0}, ValueError, r"p: expected a value in \[0, 1\), got 1\.0"),
    ({"p": -0.1}, ValueError, r"p: expected a value in \[0, 1\)"),
    ({"p": "0.5"}, TypeError, r"p: expected a number, got str"),
    ({"training": 1}, TypeError, r"training: expected True or False"),
    ({"mask": np.ones((2, 3), dtype=bool), "rng": 0}, ValueError, r"mask, rng: expected one of them"),
    ({"mask": np.ones((2, 3))}, TypeError, r"mask: expected a boolean keep-mask \(True = keep\), got dtype float64"),
    ({"mask": np.ones((3, 2), dtype=bool)}, ValueError, r"mask: expected shape \(2, 3\), got shape \(3, 2\)"),
])
def test_bad_arguments_are_refused(kwargs, error, message):
    with pytest.raises(error, match=message):
        F.dropout_forward(np.ones((2, 3)), **{"p": 0.5, **kwargs})
