"""Tests for nnlib.io: round trips, and refusal of pickled, unknown, mismatched or damaged files."""

import json
import re

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
    register_layer,
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
    assert meta["model"]["children"]["0"] == {
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
    for version, model in [(FORMAT_VERSION, {"type": "Sequential", "children": {"0": {"type": "Conv9D"}}}),
                           (1, {"type": "Sequential", "layers": [{"type": "Conv9D", "config": {}}]})]:
        write_npz(tmp_path / "m.npz", {"format": "nnlib-model", "format_version": version, "model": model})
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


# ---------------------------------------------------------------------- files that are not model files


@pytest.mark.parametrize("kind, problem", [
    ("empty", r"not an nnlib model file: the file is empty"),
    ("text", r"not an nnlib model file: it is a text file \(it starts with b'W,b\\n1,2\\n'\), not an .npz archive"),
    ("npy", r"not an nnlib model file: it holds a single NumPy array \(.npy\), not a model archive"),
    ("truncated", r"not a readable nnlib model file: the archive is damaged or truncated"),
    ("corrupted", r"not a readable nnlib model file: the archive is damaged or truncated"),
])
def test_a_file_that_is_not_a_model_gives_one_clear_error(tmp_path, kind, problem):
    """Bug: these raised BadZipFile, EOFError, TypeError, or claimed the file held pickled data."""
    good = save_model(mlp([2, 3, 1], rng=0), tmp_path / "good").read_bytes()
    path = tmp_path / f"{kind}.npz"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "text":
        path.write_text("W,b\n1,2\n")
    elif kind == "npy":
        path = tmp_path / "weights.npy"
        np.save(path, np.ones(3))
    elif kind == "truncated":
        path.write_bytes(good[: len(good) // 2])
    else:
        path.write_bytes(good[:200] + bytes(64) + good[264:])
    with pytest.raises(ValueError) as info:
        load_model(path)
    assert re.match(re.escape(str(path)) + ": " + problem, str(info.value)), str(info.value)


def test_the_name_given_to_save_model_loads_again(tmp_path):
    """Bug: save_model("m1") wrote m1.npz, then load_model("m1") failed without a hint."""
    model = mlp([2, 3, 1], rng=0)
    save_model(model, tmp_path / "m1")
    loaded = load_model(tmp_path / "m1")
    np.testing.assert_array_equal(loaded[0].params["W"], model[0].params["W"])
    with pytest.raises(FileNotFoundError, match=r"m2: no such model file \(nor .*m2\.npz\)"):
        load_model(tmp_path / "m2")


def test_a_version_1_file_still_loads(tmp_path):
    model = mlp([2, 3, 1], rng=0)
    layer_1 = {"type": "Dense", "config": model[0].config(), "trainable": False}
    layer_3 = {"type": "Dense", "config": model[2].config(), "trainable": True}
    meta = {"format": "nnlib-model", "format_version": 1, "nnlib_version": "0.1.0",
            "model": {"type": "Sequential", "layers": [layer_1, {"type": "Tanh", "config": {}}, layer_3]}}
    write_npz(tmp_path / "old.npz", meta, **model.parameters())
    loaded = load_model(tmp_path / "old.npz")
    assert repr(loaded) == repr(model) and not loaded[0].trainable and loaded[2].trainable
    for k, v in model.parameters().items():
        np.testing.assert_array_equal(loaded.parameters()[k], v)


# ---------------------------------------------------------------------- children in attributes, buffers


@register_layer
class RunningMean(Layer):
    """Identity that keeps the running mean of its inputs in a buffer (saved, never optimized)."""

    def __init__(self, width: int = 2):
        super().__init__()
        self.width = width
        self.register_buffer("mean", np.zeros(width))

    def forward(self, x):
        if self.training:
            self._buffers["mean"][:] = 0.9 * self._buffers["mean"] + 0.1 * x.mean(axis=0)
        self._cache = True
        return x

    def backward(self, dy, input_grad=True):
        return dy

    def config(self):
        return {"width": self.width}


@register_layer
class Head(Layer):
    """Children in attributes: a Dense and a RunningMean."""

    def __init__(self, d_in: int = 2):
        super().__init__()
        self.d_in = d_in
        self.norm = RunningMean(d_in)
        self.out = Dense(d_in, 1, rng=0)

    def forward(self, x):
        return self.out.forward(self.norm.forward(x))

    def config(self):
        return {"d_in": self.d_in}


def test_round_trip_of_attribute_children_and_buffers(tmp_path):
    model = Sequential(Dense(3, 2, rng=4), Head(2))
    model.forward(np.random.default_rng(0).normal(size=(5, 3)))
    model[1].out.params["b"][:] = 0.5
    model[1].norm.trainable = False
    path = save_model(model, tmp_path / "head")
    with np.load(path) as archive:
        meta = json.loads(str(archive["__nnlib__"]))
    assert list(meta["buffers"]) == ["1.norm.mean"] and "1.norm.mean" not in meta["params"]
    assert list(meta["model"]["children"]["1"]["children"]) == ["norm", "out"]
    loaded = load_model(path)
    assert list(loaded.parameters()) == ["0.W", "0.b", "1.out.W", "1.out.b"]
    np.testing.assert_array_equal(loaded.buffers()["1.norm.mean"], model.buffers()["1.norm.mean"])
    assert np.any(loaded.buffers()["1.norm.mean"] != 0) and not loaded[1].norm.trainable
    for k, v in model.parameters().items():
        np.testing.assert_array_equal(loaded.parameters()[k], v)


def test_buffers_are_checked_like_parameters(tmp_path):
    path = save_model(Sequential(Head(2)), tmp_path / "m")
    with np.load(path) as archive:
        arrays = {k: archive[k] for k in archive.files}
    arrays["0.norm.mean"] = np.zeros(3)
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ValueError, match=r"buffer '0\.norm\.mean' has shape \(3,\) in the file.*expects \(2,\)"):
        load_model(tmp_path / "bad.npz")
