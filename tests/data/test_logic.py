"""Tests for nnlib.data.logic: the truth tables."""


import numpy as np
import pytest

from nnlib.data import logic_gate


@pytest.mark.parametrize(
    "name, table",
    [
        ("and", [0, 0, 0, 1]),
        ("or", [0, 1, 1, 1]),
        ("xor", [0, 1, 1, 0]),
        ("nand", [1, 1, 1, 0]),
        ("nor", [1, 0, 0, 0]),
        ("xnor", [1, 0, 0, 1]),
    ],
)
def test_logic_gate_truth_tables(name, table):
    X, y = logic_gate(name)
    assert X.dtype == np.float64 and y.dtype == np.int64
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    assert y.tolist() == table


def test_logic_gate_returns_fresh_arrays_and_rejects_unknown_names():
    X, y = logic_gate("and")
    X[:] = 7
    y[:] = 7
    X2, y2 = logic_gate("and")
    assert X2.max() == 1 and y2.tolist() == [0, 0, 0, 1]
    with pytest.raises(ValueError, match=r"name: expected one of .*'xor'.*got 'xorr'"):
        logic_gate("xorr")
