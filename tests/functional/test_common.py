"""The checks every functional op shares (nnlib.functional._common)."""

import numpy as np
import pytest

from nnlib.functional._common import check_cache, check_upstream, check_upstreams, float_input


def test_upstream_must_match_the_output_exactly():
    dy = check_upstream(np.ones((3, 4)), (3, 4), np.float64)
    assert dy.shape == (3, 4)
    with pytest.raises(ValueError, match=r"dy: expected the shape of the forward output \(3, 4\), got shape \(3, 1\)"):
        check_upstream(np.ones((3, 1)), (3, 4), np.float64)  # would broadcast silently without the check
    with pytest.raises(TypeError, match=r"dy: expected dtype float32 \(the dtype of the forward output\), got float64"):
        check_upstream(np.ones((3, 4)), (3, 4), np.float32)


def test_several_upstream_gradients_come_as_a_tuple_one_per_output():
    outputs = {"h": (2, 3), "c": (2, 3)}
    dh, dc = check_upstreams((np.ones((2, 3)), np.zeros((2, 3))), outputs, np.float64)
    assert dh.sum() == 6 and dc.sum() == 0
    with pytest.raises(TypeError, match=r"dy: expected a tuple of 2 upstream gradients \(dh, dc\), got ndarray"):
        check_upstreams(np.ones((2, 3)), outputs, np.float64)
    with pytest.raises(TypeError, match=r"dy: expected a tuple of 2 upstream gradients \(dh, dc\), got tuple of 1 item"):
        check_upstreams((np.ones((2, 3)),), outputs, np.float64)
    with pytest.raises(ValueError, match=r"dc: expected the shape of the forward output \(2, 3\), got shape \(3, 2\)"):
        check_upstreams((np.ones((2, 3)), np.ones((3, 2))), outputs, np.float64)


def test_cache_and_input_checks():
    assert check_cache({"op": "tanh", "y": 1}, "tanh")["y"] == 1
    with pytest.raises(TypeError, match="cache: expected the cache dict returned by relu_forward, got list"):
        check_cache([1], "relu")
    assert float_input([[1, 2]]).dtype == np.float64
    assert np.isnan(float_input([np.nan])[0])  # NaN passes: training reports divergence itself
    with pytest.raises(ValueError, match=r"W: expected a 2-D array, got shape \(3,\)"):
        float_input(np.ones(3), "W", ndim=2)
