"""Tests for nnlib.gradcheck, including that the checker fails on wrong gradients."""

import re

import numpy as np
import pytest

from nnlib import functional as F
from nnlib import losses as L
from nnlib.layers import Dense, Layer, Sequential, Tanh
from op_specs import toy_pair_backward, toy_pair_forward
from nnlib.gradcheck import (
    GradientCheckError,
    check_function_gradient,
    check_layer_gradients,
    check_loss_gradient,
    numerical_gradient,
    relative_error,
)

# ------------------------------------------------------------- toy layers (protocol only)


class ToyDense(Layer):
    """A tanh(xW + b) layer written from scratch, with switchable mistakes; its backward takes only dy."""

    def __init__(self, d_in, d_out, rng, dtype=np.float64, wrong=None):
        super().__init__()
        self.params = {"W": rng.normal(size=(d_in, d_out)).astype(dtype), "b": rng.normal(size=d_out).astype(dtype)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.wrong = wrong

    def forward(self, x):
        self.x = x
        return np.tanh(x @ self.params["W"] + self.params["b"])

    def backward(self, dy):
        y = np.tanh(self.x @ self.params["W"] + self.params["b"])
        dz = dy * (1 - y**2)
        self.grads["W"] += self.x.T @ dz * (1.01 if self.wrong == "W" else 1.0)
        self.grads["b"] += dz.sum(axis=0) if self.wrong != "b" else dz.mean(axis=0)
        dx = dz @ self.params["W"].T
        return -dx if self.wrong == "x" else dx


# ------------------------------------------------------------ numerical_gradient


def test_numerical_gradient_of_known_functions():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 4))
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(v**2), x), 2 * x, atol=1e-8)
    A = rng.normal(size=(5, 5))
    v = rng.normal(size=5)
    np.testing.assert_allclose(numerical_gradient(lambda u: u @ A @ u, v), (A + A.T) @ v, atol=1e-8)


def test_numerical_gradient_restores_x_bitwise_even_when_f_raises():
    x = np.random.default_rng(1).normal(size=(2, 3))
    before = x.copy()
    numerical_gradient(lambda v: np.sum(np.sin(v)), x)
    assert np.array_equal(x, before)

    calls = []

    def explode(v):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("boom")
        return float(v.sum())

    with pytest.raises(RuntimeError, match="boom"):
        numerical_gradient(explode, x)
    assert np.array_equal(x, before)


def test_numerical_gradient_input_errors():
    with pytest.raises(TypeError, match="x: expected dtype float64, got float32; gradient checks must run in float64"):
        numerical_gradient(lambda v: float(v.sum()), np.ones(3, dtype=np.float32))
    with pytest.raises(TypeError, match="x: expected a numpy.ndarray, got list"):
        numerical_gradient(lambda v: 0.0, [1.0, 2.0])
    with pytest.raises(ValueError, match=r"eps: expected a value in \(0, inf\), got 0.0"):
        numerical_gradient(lambda v: 0.0, np.ones(2), eps=0.0)


# ---------------------------------------------------------------- relative_error


def test_relative_error_definition():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0  # no 0/0
    # max|a-b| / (max|a| + max|b|) = 0.5 / (2 + 2.5)
    assert relative_error([1.0, 2.0], [1.0, 2.5]) == pytest.approx(0.5 / 4.5)
    assert relative_error([1.0], [-1.0]) == 1.0
    assert np.isnan(relative_error([np.nan], [1.0]))
    with pytest.raises(ValueError, match=r"b: expected the same shape as a \(2,\), got shape \(2, 1\)"):
        relative_error(np.ones(2), np.ones((2, 1)))


# ------------------------------------------------------- check_function_gradient


def test_check_function_gradient_passes_and_names_inputs():
    rng = np.random.default_rng(2)
    x, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    errors = check_function_gradient(F.linear_forward, F.linear_backward, x, W, b, rng=0)
    assert list(errors) == ["x", "W", "b"] and max(errors.values()) < 1e-8
    errors = check_function_gradient(F.linear_forward, F.linear_backward, x, W, b, names=("inp", "W", "b"), rng=0)
    assert list(errors) == ["inp", "W", "b"]


def test_check_function_gradient_catches_a_wrong_backward():
    def wrong_sigmoid_backward(dy, cache):
        y = cache["y"]
        return dy * y * (1 + y), {}  # sign error

    x = np.random.default_rng(3).normal(size=(3, 4))
    with pytest.raises(GradientCheckError) as info:
        check_function_gradient(F.sigmoid_forward, wrong_sigmoid_backward, x, rng=0)
    message = str(info.value)
    assert "1 of 1 gradients over tol = 1.0e-06" in message
    assert re.search(r"^x\s+\(3, 4\)\s+\S+\s+FAIL$", message, flags=re.M)
    assert isinstance(info.value, AssertionError)


def test_only_the_wrong_parameter_is_flagged():
    def wrong_db(dz, cache):
        dx, grads = F.linear_backward(dz, cache)
        return dx, {"W": grads["W"], "b": grads["b"] / dz.shape[0]}  # mean instead of sum

    rng = np.random.default_rng(4)
    x, W, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    with pytest.raises(GradientCheckError) as info:
        check_function_gradient(F.linear_forward, wrong_db, x, W, b, rng=0)
    status = dict(re.findall(r"^(\w+)\s+\(.*?\)\s+\S+\s+(OK|FAIL)$", str(info.value), flags=re.M))
    assert status == {"x": "OK", "W": "OK", "b": "FAIL"}


def test_random_upstream_gradient_catches_a_zero_softmax_backward():
    """With f = sum(softmax(x)) (upstream all ones) the true gradient is 0, so a backward that
    returns zeros would pass; the random upstream gradient exposes it."""
    x = np.random.default_rng(5).normal(size=(3, 4))
    y, cache = F.softmax_forward(x)
    np.testing.assert_allclose(F.softmax_backward(np.ones_like(y), cache)[0], 0.0, atol=1e-15)
    with pytest.raises(GradientCheckError):
        check_function_gradient(F.softmax_forward, lambda dy, c: (np.zeros_like(dy), {}), x, rng=0)


def test_backward_that_mutates_dy_is_caught():
    def mutating_backward(dy, cache):
        dy *= 1 - cache["y"] ** 2
        return dy, {}

    with pytest.raises(GradientCheckError, match="backward modified its upstream gradient dy in place"):
        check_function_gradient(F.tanh_forward, mutating_backward, np.ones((2, 2)), rng=0)


def test_wrong_gradient_shape_is_caught():
    with pytest.raises(GradientCheckError, match=r"gradient for 'x': expected shape \(2, 3\) \(the input's\), got \(3,\)"):
        check_function_gradient(F.tanh_forward, lambda dy, c: (dy.sum(axis=0), {}), np.ones((2, 3)), rng=0)


def test_check_function_gradient_argument_errors():
    x = np.ones((2, 2))
    with pytest.raises(TypeError, match=r"inputs\[0\]: expected dtype float64, got float32"):
        check_function_gradient(F.tanh_forward, F.tanh_backward, x.astype(np.float32))
    with pytest.raises(ValueError, match="names: expected 1 names"):
        check_function_gradient(F.tanh_forward, F.tanh_backward, x, names=("x", "y"))
    with pytest.raises(ValueError, match=r"names: \['V'\] are not keys of the grads returned by backward \['W', 'b'\]"):
        check_function_gradient(F.linear_forward, F.linear_backward, x, x, np.ones(2), names=("x", "V", "b"))
    with pytest.raises(ValueError, match="inputs: expected at least one input array, got none"):
        check_function_gradient(F.tanh_forward, F.tanh_backward)


def test_integer_inputs_are_promoted_and_not_modified():
    x = np.array([[1, 2], [3, 4]])
    check_function_gradient(F.tanh_forward, F.tanh_backward, x, rng=0)
    assert x.dtype.kind == "i" and x.tolist() == [[1, 2], [3, 4]]


# --------------------------------------------------------- check_layer_gradients


def test_layer_check_passes_and_restores_everything():
    rng = np.random.default_rng(6)
    layer = ToyDense(3, 4, rng)
    x = rng.normal(size=(5, 3))
    x_before, W_before = x.copy(), layer.params["W"].copy()
    errors = check_layer_gradients(layer, x, rng=0)
    assert list(errors) == ["x", "W", "b"] and max(errors.values()) < 1e-8
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(layer.params["W"], W_before)


@pytest.mark.parametrize("wrong", ["x", "W", "b"])
def test_layer_check_catches_each_wrong_gradient(wrong):
    rng = np.random.default_rng(7)
    layer = ToyDense(3, 2, rng, wrong=wrong)
    with pytest.raises(GradientCheckError) as info:
        check_layer_gradients(layer, rng.normal(size=(6, 3)), rng=0)
    message = str(info.value)
    assert message.startswith("Gradient check of ToyDense failed: 1 of 3 gradients over tol = 1.0e-06")
    status = dict(re.findall(r"^(\w+)\s+\(.*?\)\s+\S+\s+(OK|FAIL)$", message, flags=re.M))
    assert status == {name: ("FAIL" if name == wrong else "OK") for name in ("x", "W", "b")}


def test_layer_check_report_is_an_aligned_table():
    rng = np.random.default_rng(8)
    with pytest.raises(GradientCheckError) as info:
        check_layer_gradients(ToyDense(2, 2, rng, wrong="W"), rng.normal(size=(3, 2)), rng=0)
    lines = str(info.value).splitlines()[1:]
    header = lines[0]
    assert header.split() == ["name", "shape", "relative", "error", "status"]
    shape_col, err_col, status_col = (header.index(h) for h in ("shape", "relative error", "status"))
    assert set(lines[1]) == {"-", " "}
    assert [line[:3] for line in lines[2:]] == ["x  ", "W  ", "b  "]
    for line in lines[2:]:
        assert line[shape_col] == "(" and line[shape_col - 1] == " "
        assert re.match(r"\d\.\d{3}e[-+]\d\d ", line[err_col:])
        assert line[status_col:] in ("OK", "FAIL")


def test_layer_check_on_a_container_uses_dotted_names():
    rng = np.random.default_rng(9)
    model = Sequential(ToyDense(3, 5, rng), ToyDense(5, 2, rng))
    errors = check_layer_gradients(model, rng.normal(size=(4, 3)), rng=0)
    assert list(errors) == ["x", "0.W", "0.b", "1.W", "1.b"]
    broken = Sequential(ToyDense(3, 5, rng), ToyDense(5, 2, rng, wrong="b"))
    with pytest.raises(GradientCheckError, match=r"(?m)^1\.b\s+\(2,\)\s+\S+\s+FAIL"):
        check_layer_gradients(broken, rng.normal(size=(4, 3)), rng=0)


def test_layer_check_requires_float64():
    rng = np.random.default_rng(10)
    layer = ToyDense(3, 2, rng, dtype=np.float32)
    with pytest.raises(TypeError, match="parameter 'W': expected dtype float64, got float32; gradient checks must run in float64"):
        check_layer_gradients(layer, np.ones((2, 3)))
    with pytest.raises(TypeError, match="x: expected dtype float64, got float32"):
        check_layer_gradients(ToyDense(3, 2, rng), np.ones((2, 3), dtype=np.float32))


def test_layer_check_on_nnlib_layers():
    rng = np.random.default_rng(11)
    model = Sequential(Dense(3, 4, rng=0), Tanh(), Dense(4, 2, rng=1))
    errors = check_layer_gradients(model, rng.normal(size=(5, 3)), rng=0)
    assert list(errors) == ["x", "0.W", "0.b", "2.W", "2.b"]


# ----------------------------------------------------------- check_loss_gradient


def test_loss_check_passes_and_catches_a_missing_1_over_n():
    rng = np.random.default_rng(12)
    y_pred, y = rng.normal(size=(6, 1)), rng.normal(size=(6, 1))
    assert check_loss_gradient(L.mse_loss, y_pred, y) < 1e-8

    def mse_without_mean_in_grad(y_pred, y_true):
        loss, grad = L.mse_loss(y_pred, y_true)
        return loss, grad * y_pred.size

    with pytest.raises(GradientCheckError, match=r"(?m)^mse_without_mean_in_grad\s+\(6, 1\)\s+\S+\s+FAIL"):
        check_loss_gradient(mse_without_mean_in_grad, y_pred, y)


def test_loss_check_argument_errors():
    with pytest.raises(TypeError, match="y_pred: expected dtype float64, got float32"):
        check_loss_gradient(L.mse_loss, np.ones(3, dtype=np.float32), np.ones(3))
    with pytest.raises(GradientCheckError, match=r"loss gradient: expected shape \(3,\), got \(1,\)"):
        check_loss_gradient(lambda p, y: (0.0, np.zeros(1)), np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match=r"tol: expected a value in \(0, inf\), got -1.0"):
        check_loss_gradient(L.mse_loss, np.ones(3), np.ones(3), tol=-1.0)


# ------------------------------------------------------- several outputs, several inputs


def test_several_outputs_and_data_inputs_are_checked_and_named():
    rng = np.random.default_rng(13)
    a, b, w = rng.normal(size=(4, 3)), rng.normal(size=(4, 3)), rng.normal(size=(3, 3))
    errors = check_function_gradient(toy_pair_forward, toy_pair_backward, a, b, w, rng=0)
    assert list(errors) == ["a", "b", "w"] and max(errors.values()) < 1e-8
    errors = check_function_gradient(lambda u, v, m: toy_pair_forward(u, v, m), toy_pair_backward, a, b, w,
                                     names=("x", "h", "w"), rng=0)
    assert list(errors) == ["x", "h", "w"]


@pytest.mark.parametrize("wrong", ["first output ignored", "second output ignored", "db", "dw"])
def test_a_wrong_multi_output_backward_is_caught_where_it_is_wrong(wrong):
    def backward(dys, cache):
        ds, dp = dys
        if wrong == "first output ignored":
            ds = np.zeros_like(ds)
        if wrong == "second output ignored":
            dp = np.zeros_like(dp)
        (da, db), grads = toy_pair_backward((ds, dp), cache)
        if wrong == "db":
            db = 2 * db
        if wrong == "dw":
            grads = {"w": grads["w"].T}
        return (da, db), grads

    rng = np.random.default_rng(14)
    with pytest.raises(GradientCheckError) as info:
        check_function_gradient(toy_pair_forward, backward, *(rng.normal(size=s) for s in [(4, 3), (4, 3), (3, 3)]),
                                rng=0)
    failed = set(re.findall(r"^(\w+)\s+\(.*?\)\s+\S+\s+FAIL$", str(info.value), flags=re.M))
    assert failed == {"first output ignored": {"a", "b", "w"}, "second output ignored": {"a", "b"},
                      "db": {"b"}, "dw": {"w"}}[wrong]


def test_a_multi_output_backward_that_mutates_an_upstream_gradient_is_caught():
    def mutating(dys, cache):
        dys[1] *= 2.0
        return toy_pair_backward(dys, cache)

    x = np.ones((2, 2))
    with pytest.raises(GradientCheckError, match="backward modified its upstream gradient dy in place"):
        check_function_gradient(toy_pair_forward, lambda dys, c: mutating(list(dys), c), x, x, x, rng=0)
    with pytest.raises(GradientCheckError, match="backward modified its upstream gradient dy in place"):
        check_function_gradient(toy_pair_forward, lambda dys, c: (dys[0].__imul__(2), toy_pair_backward(dys, c))[1],
                                x, x, x, rng=0)


class TwoHeads(Layer):
    """A layer with two outputs, (xW, tanh(x)): backward takes a pair of upstream gradients."""

    def __init__(self):
        super().__init__()
        self.params = {"W": np.random.default_rng(0).normal(size=(3, 2))}
        self.grads = {"W": np.zeros((3, 2))}

    def forward(self, x):
        self._cache = x
        return x @ self.params["W"], np.tanh(x)

    def backward(self, dys, input_grad=True):
        dz, dt = dys
        x = self._require_cache()
        self.grads["W"] += x.T @ dz
        return dz @ self.params["W"].T + dt * (1 - np.tanh(x) ** 2)


def test_a_layer_with_two_outputs_is_checked_with_one_upstream_gradient_each():
    errors = check_layer_gradients(TwoHeads(), np.random.default_rng(15).normal(size=(4, 3)), rng=0)
    assert list(errors) == ["x", "W"] and max(errors.values()) < 1e-8


def test_the_layer_check_catches_a_layer_that_mutates_dy():
    class Mutating(Dense):
        def backward(self, dy, input_grad=True):
            dx = super().backward(dy, input_grad)
            dy *= 0
            return dx

    with pytest.raises(GradientCheckError, match="backward modified its upstream gradient dy in place"):
        check_layer_gradients(Mutating(2, 2, rng=0), np.ones((3, 2)), rng=0)
