"""Tests for the image layers: Conv2d, MaxPool2d, AvgPool2d, Flatten (gradients, the loop oracle,
shapes, the protocol, errors, save/load)."""

import numpy as np
import pytest

from nnlib import functional as F
from nnlib.gradcheck import check_layer_gradients
from nnlib.io import load_model, save_model
from nnlib.layers import AvgPool2d, Conv2d, Dense, Flatten, MaxPool2d, ReLU, Sequential
from nnlib.layers.conv import kernel_init


def small_cnn(rng=0, dtype=np.float64):
    return Sequential(Conv2d(2, 3, 3, padding=1, rng=rng, dtype=dtype), ReLU(), MaxPool2d(2),
                      Conv2d(3, 4, 2, stride=2, rng=rng + 1, dtype=dtype), ReLU(), AvgPool2d(1),
                      Flatten(), Dense(4 * 2 * 2, 5, rng=rng + 2, dtype=dtype))


def with_biases(layer, rng):
    for name, p in layer.parameters().items():
        if name.endswith("b"):
            p[:] = rng.normal(size=p.shape)  # non-zero biases enter the checks for real
    return layer


@pytest.mark.parametrize("stride, padding", [(1, 0), (1, 1), (2, 1), ((2, 1), (0, 2))])
def test_conv2d_gradients(stride, padding):
    rng = np.random.default_rng(0)
    layer = with_biases(Conv2d(3, 4, (3, 2), stride=stride, padding=padding, rng=1), rng)
    errors = check_layer_gradients(layer, rng.normal(size=(2, 3, 7, 6)), rng=2)
    assert set(errors) == {"x", "W", "b"}
    assert max(errors.values()) < 1e-7


@pytest.mark.parametrize("make", [lambda: MaxPool2d(2), lambda: MaxPool2d(3, stride=2), lambda: AvgPool2d(2),
                                  lambda: AvgPool2d((2, 3), stride=1), Flatten])
def test_pool_and_flatten_gradients(make):
    rng = np.random.default_rng(0)
    errors = check_layer_gradients(make(), rng.normal(size=(2, 3, 7, 6)), rng=1)
    assert set(errors) == {"x"} and errors["x"] < 1e-7


def test_a_whole_cnn_has_the_right_gradients():
    rng = np.random.default_rng(3)
    model = with_biases(small_cnn(), rng)
    errors = check_layer_gradients(model, rng.normal(size=(3, 2, 8, 8)), rng=4)
    assert set(errors) == {"x", "0.W", "0.b", "3.W", "3.b", "7.W", "7.b"}
    assert max(errors.values()) < 1e-6


def test_conv2d_agrees_with_the_loop_oracle():
    rng = np.random.default_rng(5)
    layer = with_biases(Conv2d(2, 3, 3, stride=2, padding=1, rng=0), rng)
    x, dy = rng.normal(size=(2, 2, 7, 7)), rng.normal(size=(2, 3, 4, 4))
    y = layer.forward(x)
    dx = layer.backward(dy)
    y_loops, cache = F.conv2d_forward_loops(x, layer.params["W"], layer.params["b"], 2, 1)
    dx_loops, grads = F.conv2d_backward_loops(dy, cache)
    np.testing.assert_allclose(y, y_loops, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dx, dx_loops, rtol=1e-12, atol=1e-12)
    for name in ("W", "b"):
        np.testing.assert_allclose(layer.grads[name], grads[name], rtol=1e-12, atol=1e-12)


def test_backward_accumulates_and_frozen_layers_pass_dx_only():
    rng = np.random.default_rng(0)
    layer = Conv2d(1, 2, 3, rng=0)
    x = rng.normal(size=(2, 1, 5, 5))
    dy = rng.normal(size=(2, 2, 3, 3))
    layer.forward(x)
    dx = layer.backward(dy)
    once = {k: v.copy() for k, v in layer.grads.items()}
    layer.backward(dy)
    for k in once:
        np.testing.assert_allclose(layer.grads[k], 2 * once[k])
    layer.zero_grad()
    layer.trainable = False
    layer.forward(x)
    np.testing.assert_allclose(layer.backward(dy), dx)
    assert all(np.all(g == 0) for g in layer.grads.values())
    assert layer.backward(dy, input_grad=False) is None


@pytest.mark.parametrize("make", [lambda: Conv2d(2, 3, 3, padding=1, rng=0), lambda: MaxPool2d(2),
                                  lambda: AvgPool2d(2), Flatten, small_cnn])
def test_backward_never_mutates_dy_nor_updates_params(make):
    rng = np.random.default_rng(1)
    layer = make()
    before = {k: v.copy() for k, v in layer.parameters().items()}
    y = layer.forward(rng.normal(size=(3, 2, 8, 8)))
    dy = rng.normal(size=y.shape)
    dy_copy = dy.copy()
    dx = layer.backward(dy)
    np.testing.assert_array_equal(dy, dy_copy)
    assert dx is not dy and dx.shape == (3, 2, 8, 8)
    for k, v in layer.parameters().items():
        np.testing.assert_array_equal(v, before[k])


@pytest.mark.parametrize("make", [lambda: Conv2d(1, 2, 3), MaxPool2d, AvgPool2d, Flatten])
def test_backward_before_forward_raises(make):
    with pytest.raises(RuntimeError, match=r"backward\(\) was called before forward\(\)"):
        make().backward(np.ones((1, 2, 2, 2)))


def test_float32_stays_float32_and_float64_input_is_refused():
    rng = np.random.default_rng(0)
    model = small_cnn(dtype=np.float32)
    x = rng.normal(size=(2, 2, 8, 8)).astype(np.float32)
    y = model.forward(x)
    assert y.dtype == np.float32
    assert model.backward(np.ones_like(y)).dtype == np.float32
    assert all(g.dtype == np.float32 for g in model.gradients().values())
    with pytest.raises(TypeError, match="float32"):
        model.forward(x.astype(np.float64))


@pytest.mark.parametrize("n, k, p, s", [(n, k, p, s) for n in (1, 2, 5, 8, 14) for k in (1, 2, 3, 5)
                                        for p in (0, 1, 2) for s in (1, 2, 3) if k <= n + 2 * p])
def test_output_shape_is_the_forward_shape(n, k, p, s):
    conv = Conv2d(1, 2, k, stride=s, padding=p, rng=0)
    y = conv.forward(np.zeros((1, 1, n, n + 1)))
    assert y.shape == conv.output_shape((1, 1, n, n + 1))
    assert y.shape[2] == (n + 2 * p - k) // s + 1
    if k <= n:
        pool = MaxPool2d(k, stride=s)
        assert pool.forward(np.zeros((1, 1, n, n + 1))).shape == pool.output_shape((1, 1, n, n + 1))


def test_summary_of_a_cnn_lists_every_shape():
    text = small_cnn().summary((None, 2, 8, 8))
    for shape in ("(n, 3, 8, 8)", "(n, 3, 4, 4)", "(n, 4, 2, 2)", "(n, 16)", "(n, 5)"):
        assert shape in text


def test_shapes_with_unknown_sizes():
    assert Conv2d(2, 3, 3).output_shape((None, 2, None, 9)) == (None, 3, None, 7)
    assert MaxPool2d(2).output_shape((None, 3, None, 8)) == (None, 3, None, None)
    assert Flatten().output_shape((None, 3, None, 4)) == (None, None)
    assert Flatten().output_shape((None, 3, 2, 4)) == (None, 24)


def test_parameters_and_regularized_names():
    model = small_cnn()
    assert model[0].params["W"].shape == (3, 2, 3, 3) and model[0].n_params == 3 * 2 * 9 + 3
    assert list(model.regularized_parameters()) == ["0.W", "3.W", "7.W"]
    assert MaxPool2d().n_params == AvgPool2d().n_params == Flatten().n_params == 0


def test_kernel_init_uses_the_convolution_fans():
    W = kernel_init("he_normal", 64, 16, 3, 3, rng=0)
    assert W.shape == (64, 16, 3, 3) and W.flags.c_contiguous
    assert W.var() == pytest.approx(2 / (16 * 9), rel=0.05)
    W = kernel_init("glorot_uniform", 32, 8, 5, 5, rng=0, dtype=np.float32)
    assert W.dtype == np.float32
    assert W.var() == pytest.approx(2 / (8 * 25 + 32 * 25), rel=0.05)
    np.testing.assert_array_equal(kernel_init("he_normal", 4, 2, 3, 3, rng=7), kernel_init("he_normal", 4, 2, 3, 3, rng=7))


def test_bad_input_names_what_was_expected():
    conv = Conv2d(3, 4, 3)
    with pytest.raises(ValueError, match=r"expected images of shape \(N, 3, H, W\), got \(2, 2, 5, 5\)"):
        conv.forward(np.zeros((2, 2, 5, 5)))
    with pytest.raises(ValueError, match=r"got \(2, 3, 5\)"):
        conv.forward(np.zeros((2, 3, 5)))
    with pytest.raises(ValueError, match="height >= 3"):
        conv.forward(np.zeros((1, 3, 2, 5)))
    with pytest.raises(ValueError, match="Conv2d"):
        conv.forward(np.zeros((1, 3, 5, 5)))
        conv.backward(np.zeros((1, 4, 2, 2)))
    with pytest.raises(ValueError, match="MaxPool2d"):
        MaxPool2d(3).forward(np.zeros((1, 1, 2, 2)))
    with pytest.raises(ValueError, match=r"expected images of shape \(N, C, H, W\)"):
        AvgPool2d().forward(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="kernel_size"):
        Conv2d(1, 1, 0)
    with pytest.raises(ValueError, match="padding"):
        Conv2d(1, 1, 3, padding=-1)
    with pytest.raises(ValueError, match="stride"):
        MaxPool2d(2, stride=(1, 2, 3))
    with pytest.raises(ValueError, match="init"):
        Conv2d(1, 1, 3, init="nope")


def test_repr():
    assert repr(Conv2d(1, 8, 3, padding=1)) == "Conv2d(1 -> 8, 3x3, padding=1)"
    assert repr(Conv2d(2, 4, (3, 5), stride=2, dtype=np.float32)) == "Conv2d(2 -> 4, 3x5, stride=2, float32)"
    assert repr(MaxPool2d(2)) == "MaxPool2d(2x2)" and repr(AvgPool2d(3, stride=2)) == "AvgPool2d(3x3, stride=2)"


def test_save_and_load_a_cnn(tmp_path):
    rng = np.random.default_rng(0)
    model = with_biases(small_cnn(), rng)
    path = save_model(model, tmp_path / "cnn")
    loaded = load_model(path)
    x = rng.normal(size=(2, 2, 8, 8))
    np.testing.assert_array_equal(loaded.forward(x), model.forward(x))
    assert [repr(a) for a in loaded] == [repr(b) for b in model]
