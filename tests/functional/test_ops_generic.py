"""Generic tests of every functional op, driven by the table in tests/op_specs.py."""

import numpy as np
import pytest

from nnlib.gradcheck import check_function_gradient
from op_specs import ALL_SPECS

SPECS = pytest.mark.parametrize("spec", ALL_SPECS, ids=str)


def outputs_of(y):
    return y if isinstance(y, tuple) else (y,)


def upstream_like(y, rng):
    """A random upstream gradient for ``y``: a tuple for several outputs, an array for one."""
    G = tuple(rng.normal(size=out.shape).astype(out.dtype) for out in outputs_of(y))
    return G if isinstance(y, tuple) else G[0]


def all_gradients(spec, dx, grads):
    data = tuple(dx) if spec.n_data_inputs > 1 else (dx,)
    assert len(data) == spec.n_data_inputs
    return [*data, *grads.values()]


def snapshot(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (tuple, list)):
        return type(value)(snapshot(v) for v in value)
    if isinstance(value, dict):
        return {k: snapshot(v) for k, v in value.items()}
    return value


def assert_same(a, b):
    if isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, (tuple, list)):
        for u, v in zip(a, b, strict=True):
            assert_same(u, v)
    elif isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            assert_same(a[k], b[k])
    else:
        assert a == b


@SPECS
def test_gradient_with_a_random_upstream_gradient(spec):
    inputs = spec.make_inputs(np.random.default_rng(0), np.float64)
    errors = check_function_gradient(spec.forward, spec.backward, *inputs, rng=1, tol=spec.tol)
    assert len(errors) == len(inputs) and max(errors.values()) < spec.tol


@SPECS
def test_inputs_stay_away_from_the_kinks(spec):
    for seed in range(5):
        for x in spec.make_inputs(np.random.default_rng(seed), np.float64)[:spec.n_data_inputs]:
            for kink in spec.kinks:
                assert np.min(np.abs(x - kink)) > 1e-3, f"{spec}: an input sits at the kink {kink}"


@SPECS
def test_nothing_is_mutated(spec):
    rng = np.random.default_rng(2)
    inputs = spec.make_inputs(rng, np.float64)
    inputs_before = snapshot(inputs)
    y, cache = spec.forward(*inputs)
    cache_before = snapshot(cache)
    dy = upstream_like(y, rng)
    dy_before = snapshot(dy)
    dx, grads = spec.backward(dy, cache)
    assert_same(inputs, inputs_before)
    assert_same(dy, dy_before)
    assert_same(cache, cache_before)
    for g, d in zip(all_gradients(spec, dx, grads), outputs_of(dy)):
        assert g is not d


@SPECS
def test_float32_stays_float32(spec):
    rng = np.random.default_rng(3)
    y, cache = spec.forward(*spec.make_inputs(rng, np.float32))
    assert all(out.dtype == np.float32 for out in outputs_of(y))
    dx, grads = spec.backward(upstream_like(y, rng), cache)
    assert all(g.dtype == np.float32 for g in all_gradients(spec, dx, grads))


@SPECS
def test_a_cache_from_another_op_is_refused(spec):
    rng = np.random.default_rng(4)
    y, cache = spec.forward(*spec.make_inputs(rng, np.float64))
    dy = upstream_like(y, rng)
    with pytest.raises(ValueError, match=r"cache: expected a cache from \w+_forward, got one from other_forward"):
        spec.backward(dy, {**cache, "op": "other"})
    with pytest.raises(TypeError, match=r"cache: expected the cache dict returned by \w+_forward, got tuple"):
        spec.backward(dy, tuple(cache.values()))


@SPECS
def test_an_upstream_gradient_of_the_wrong_shape_or_dtype_is_refused(spec):
    rng = np.random.default_rng(5)
    y, cache = spec.forward(*spec.make_inputs(rng, np.float64))
    good = outputs_of(upstream_like(y, rng))
    multi = isinstance(y, tuple)
    for k, g in enumerate(good):
        bad_shape = np.concatenate([g, g], axis=0)  # one more batch, never broadcastable back
        bad_dtype = g.astype(np.float32)
        for bad, error, message in [(bad_shape, ValueError, r"expected the shape of the forward output"),
                                    (bad_dtype, TypeError, r"expected dtype float64 \(the dtype of the forward output\)")]:
            sent = good[:k] + (bad,) + good[k + 1:]
            with pytest.raises(error, match=r"^d\w*: " + message):
                spec.backward(sent if multi else sent[0], cache)
    if multi:
        with pytest.raises(TypeError, match=rf"dy: expected a tuple of {len(good)} upstream gradients"):
            spec.backward(good[:-1], cache)
