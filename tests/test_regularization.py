"""Tests for nnlib.regularization: values on hand-computed numbers, weights-only, gradient checks."""

import numpy as np
import pytest

from nnlib.gradcheck import numerical_gradient, relative_error
from nnlib.layers import Dense, mlp
from nnlib.regularization import is_weight, l1_penalty, l2_penalty


def test_l2_value_and_gradient_by_hand():
    # (lam/2) * (1 + 4 + 9 + 16) = 0.25 * 30 = 7.5; gradient lam * W
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    value, grads = l2_penalty({"W": W}, 0.5)
    assert value == pytest.approx(7.5, rel=1e-15)
    assert set(grads) == {"W"}
    np.testing.assert_allclose(grads["W"], [[0.5, 1.0], [1.5, 2.0]])


def test_l1_value_and_gradient_by_hand():
    # 0.1 * (1 + 2 + 0 + 3) = 0.6; gradient 0.1 * sign(W), sign(0) = 0
    W = np.array([[1.0, -2.0], [0.0, 3.0]])
    value, grads = l1_penalty({"W": W}, 0.1)
    assert value == pytest.approx(0.6, rel=1e-14)
    np.testing.assert_allclose(grads["W"], [[0.1, -0.1], [0.0, 0.1]])


@pytest.mark.parametrize("penalty", [l1_penalty, l2_penalty])
def test_a_model_penalises_what_its_layers_declare_not_what_names_suggest(penalty):
    model = mlp([3, 4, 2], "tanh", rng=0)
    model[0].params["b"][:] = 7.0  # biases are not penalised, whatever their values
    value, grads = penalty(model, 1.0)
    assert sorted(grads) == ["0.W", "2.W"]
    assert value == pytest.approx(penalty(model.regularized_parameters(), 1.0)[0], rel=1e-15)

    class Gain(Dense):  # declares its bias too, and a parameter that is not called W
        regularized = ("W", "b", "g")

        def __init__(self):
            super().__init__(2, 2, rng=0)
            self.params["g"], self.grads["g"] = np.ones(1), np.zeros(1)

    assert sorted(penalty(Gain(), 1.0)[1]) == ["W", "b", "g"]


def test_a_dict_is_penalised_entirely():
    value, grads = l2_penalty({"W": np.ones((1, 2)), "b": np.array([2.0])}, 1.0)
    assert value == pytest.approx(0.5 * (1 + 1 + 4)) and sorted(grads) == ["W", "b"]
    assert is_weight("3.W") and not is_weight("3.b")
    with pytest.raises(TypeError, match="name: expected a parameter name"):
        is_weight(3)


@pytest.mark.parametrize("penalty", [l1_penalty, l2_penalty])
def test_penalty_gradients_match_finite_differences(penalty):
    rng = np.random.default_rng(0)
    # entries bounded away from 0 so that |w| is differentiable for L1
    W = rng.uniform(0.1, 1.0, size=(4, 3)) * rng.choice([-1.0, 1.0], size=(4, 3))
    V = rng.uniform(0.1, 1.0, size=(3, 2))
    params = {"0.W": W, "1.W": V, "0.b": rng.normal(size=3)}
    _, grads = penalty(params, 0.37)
    for name in ("0.W", "1.W"):
        numeric = numerical_gradient(lambda _: penalty(params, 0.37)[0], params[name])
        assert relative_error(grads[name], numeric) < 1e-8


@pytest.mark.parametrize("penalty", [l1_penalty, l2_penalty])
def test_zero_lambda_gives_zero(penalty):
    value, grads = penalty({"W": np.ones((2, 2))}, 0.0)
    assert value == 0.0
    assert np.all(grads["W"] == 0)


@pytest.mark.parametrize("penalty", [l1_penalty, l2_penalty])
def test_validation(penalty):
    with pytest.raises(ValueError, match="lam"):
        penalty({"W": np.ones(2)}, -0.1)
    with pytest.raises(TypeError, match="params"):
        penalty([np.ones(2)], 0.1)
    with pytest.raises(TypeError, match=r"params\['W'\]: expected a float32 or float64 array, got dtype int64"):
        penalty({"W": np.ones(2, dtype=int)}, 0.1)
    with pytest.raises(TypeError, match=r"params: expected string names, got key 0 \(int\)"):
        penalty({0: np.ones(2)}, 0.1)  # bug: escaped as "'int' object has no attribute 'endswith'"


def test_penalty_grads_keep_float32():
    _, grads = l2_penalty({"W": np.ones((2, 2), dtype=np.float32)}, 0.1)
    assert grads["W"].dtype == np.float32
