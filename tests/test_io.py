"""Tests for nnlib.io: round trips, and refusal of pickled, unknown or mismatched files."""

import json

import numpy as np
import pytest

from nnlib.io import FORMAT_VERSION, load_model, save_model
from nnlib.layers import (
    Dense,
    Identity,
    Layer,
    LeakyReLU,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Step,
    Tanh,
    mlp,
)


def every_layer_model(dtype=np.float64):
    return Sequential(
        Dense(3, 5, rng=0, dtype=dtype), Tanh(), Dense(5, 4, init="he_uniform", rng=1, dtype=dtype),
        LeakyReLU(0.25), Sequential(Dense(4, 4, rng=2, dtype=dtype), ReLU()), Sigmoid(), Identity(), Step(),
        Dense(4, 3, rng=3, dtype=dtype), Softmax(axis=1),
    )


def write_npz(path, meta, **arrays):
    np.savez(path, __nnlib__=np.array(json.dumps(meta)), **arrays)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_round_trip(tmp_path, dtype):
    model = every_layer_model(dtype)
    for p in model.parameters().values():  # non-trivial biases too
        p += np.linspace(-1, 1, p.size).reshape(p.shape).astype(dtype)
    model[0].trainable = False
    path = save_model(model, tmp_path / "model.npz")
    loaded = load_model(path)
    assert repr(loaded) == repr(model)
    assert list(loaded.parameters()) == list(model.parameters()) == [
        "0.W", "0.b", "2.W", "2.b", "4.0.W", "4.0.b", "8.W", "8.b"]
    for k, v in model.parameters().items():
        got = loaded.parameters()[k]
        assert got.dtype == dtype
        np.testing.assert_array_equal(got, v)
    assert loaded[3].alpha == 0.25 and loaded[9].axis == 1 and loaded[2].init == "he_uniform"
    assert not loaded[0].trainable and loaded[2].trainable
    x = np.random.default_rng(0).normal(size=(6, 3)).astype(dtype)
    np.testing.assert_array_equal(loaded.forward(x), model.forward(x))


def test_suffix_is_added_and_path_returned(tmp_path):
    path = save_model(mlp([2, 3, 1], rng=0), tmp_path / "xor")
    assert path == tmp_path / "xor.npz" and path.exists()
    assert isinstance(load_model(str(path)), Sequential)


def test_single_layer_round_trip(tmp_path):
    layer = Dense(2, 3, rng=5)
    loaded = load_model(save_model(layer, tmp_path / "dense"))
    assert isinstance(loaded, Dense)
    np.testing.assert_array_equal(loaded.params["W"], layer.params["W"])


def test_file_holds_only_plain_arrays(tmp_path):
    path = save_model(mlp([2, 3, 1], rng=0), tmp_path / "m")
    with np.load(path, allow_pickle=False) as archive:
        assert all(archive[k].dtype != object for k in archive.files)
        meta = json.loads(str(archive["__nnlib__"]))
    assert meta["format_version"] == FORMAT_VERSION
    assert meta["params"]["0.W"] == {"shape": [2, 3], "dtype": "float64"}
    assert meta["model"]["layers"][0] == {
        "type": "Dense", "config": {"in_features": 2, "out_features": 3, "init": "glorot_uniform",
                                    "dtype": "float64"}, "trainable": True}


def test_pickled_object_array_is_refused(tmp_path):
    path = save_model(mlp([2, 3, 1], rng=0), tmp_path / "m.npz")
    with np.load(path) as archive:
        arrays = {k: archive[k] for k in archive.files}
    arrays["0.W"] = np.array([{"payload": "anything"}], dtype=object)  # would need pickle to load
    np.savez(tmp_path / "evil.npz", allow_pickle=True, **arrays)
    with pytest.raises(ValueError, match=r"array '0\.W' holds Python objects"):
        load_model(tmp_path / "evil.npz")


def test_unknown_layer_type_is_refused(tmp_path):
    meta = {"format": "nnlib-model", "format_version": FORMAT_VERSION,
            "model": {"type": "Sequential", "layers": [{"type": "Conv9D", "config": {}}]}, "params": {}}
    write_npz(tmp_path / "m.npz", meta)
    with pytest.raises(ValueError, match=r"model\.0: unknown layer type 'Conv9D'; known types are"):
        load_model(tmp_path / "m.npz")


def test_shape_mismatch_names_the_parameter_and_both_shapes(tmp_path):
    path = save_model(mlp([2, 3, 1], rng=0), tmp_path / "m.npz")
    with np.load(path) as archive:
        arrays = {k: archive[k] for k in archive.files}
    arrays["2.W"] = np.zeros((4, 1))
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ValueError, match=r"parameter '2\.W' has shape \(4, 1\) in the file.*expects \(3, 1\)"):
        load_model(tmp_path / "bad.npz")


def test_dtype_mismatch_is_refused(tmp_path):
    path = save_model(mlp([2, 3, 1], rng=0), tmp_path / "m.npz")
    with np.load(path) as archive:
        arrays = {k: archive[k] for k in archive.files}
    arrays["0.b"] = arrays["0.b"].astype(np.float32)
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ValueError, match=r"parameter '0\.b' has dtype float32.*expects float64"):
        load_model(tmp_path / "bad.npz")


def test_missing_and_extra_parameters_are_refused(tmp_path):
    path = save_model(mlp([2, 3, 1], rng=0), tmp_path / "m.npz")
    with np.load(path) as archive:
        arrays = {k: archive[k] for k in archive.files}
    arrays["9.W"] = arrays.pop("2.W")
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ValueError, match=r"missing \['2\.W'\], unexpected \['9\.W'\]"):
        load_model(tmp_path / "bad.npz")


def test_not_an_nnlib_file(tmp_path):
    np.savez(tmp_path / "plain.npz", W=np.ones(2))
    with pytest.raises(ValueError, match="not an nnlib model file"):
        load_model(tmp_path / "plain.npz")
    write_npz(tmp_path / "future.npz", {"format": "nnlib-model", "format_version": 99, "model": {}})
    with pytest.raises(ValueError, match="format version 99"):
        load_model(tmp_path / "future.npz")


def test_bad_config_is_a_value_error(tmp_path):
    meta = {"format": "nnlib-model", "format_version": FORMAT_VERSION,
            "model": {"type": "Dense", "config": {"in_features": -2, "out_features": 3}}}
    write_npz(tmp_path / "m.npz", meta)
    with pytest.raises(ValueError, match="cannot rebuild Dense"):
        load_model(tmp_path / "m.npz")


def test_unregistered_layer_cannot_be_saved(tmp_path):
    class Custom(Layer):
        pass

    with pytest.raises(TypeError, match="not registered"):
        save_model(Sequential(Custom()), tmp_path / "m")
    with pytest.raises(TypeError, match="model"):
        save_model({"W": np.ones(2)}, tmp_path / "m")
