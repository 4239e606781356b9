"""Saving and loading models: NumPy ``.npz`` arrays plus a JSON description, never pickle.

A saved file holds

* one array per parameter, under its (dotted) name, e.g. ``"0.W"``;
* ``"__nnlib__"``: a string array holding JSON: the format version, the model
  as nested ``{"type": class name, "config": constructor arguments,
  "trainable": bool}`` entries (``Sequential`` lists its ``"layers"``), and the
  shape and dtype of every parameter.

Loading reads with ``allow_pickle=False`` (a file cannot run code), rebuilds
the model from :data:`nnlib.layers.LAYERS` (only registered classes, see
:func:`nnlib.layers.register_layer`) and checks every parameter's name, shape
and dtype before copying the values in.

Only parameters are stored, not optimizer state or gradients.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from nnlib import __version__
from nnlib.layers import LAYERS, Layer, Sequential

__all__ = ["save_model", "load_model", "FORMAT_VERSION"]

FORMAT_VERSION = 1
"""Version of the file layout written by :func:`save_model`."""

_META_KEY = "__nnlib__"


def _describe(layer: Layer) -> dict:
    name = type(layer).__name__
    if LAYERS.get(name) is not type(layer):
        raise TypeError(
            f"model: layer {name} is not registered in nnlib.layers.LAYERS, so it could not be "
            "loaded again; decorate its class with @register_layer"
        )
    if isinstance(layer, Sequential):
        return {"type": name, "layers": [_describe(child) for child in layer.layers]}
    return {"type": name, "config": layer.config(), "trainable": bool(layer.trainable)}


def save_model(model: Layer, path) -> Path:
    """Save a model's architecture and parameters to an ``.npz`` file.

    Parameters
    ----------
    model : Layer or Sequential
        Every layer's class must be registered in :data:`nnlib.layers.LAYERS`
        (all built-in layers are).
    path : str or os.PathLike
        Destination; ``".npz"`` is appended if missing (as NumPy does).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    TypeError
        If ``model`` is not a layer or contains an unregistered layer class.

    Examples
    --------
    >>> from nnlib.layers import mlp
    >>> import tempfile, os
    >>> model = mlp([2, 4, 1], rng=0)
    >>> path = save_model(model, os.path.join(tempfile.mkdtemp(), "xor"))
    >>> path.name
    'xor.npz'
    """
    if not isinstance(model, Layer):
        raise TypeError(f"model: expected an nnlib Layer or Sequential, got {type(model).__name__}")
    path = Path(os.fspath(path))
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    params = model.parameters()
    if _META_KEY in params:
        raise ValueError(f"model: a parameter is named {_META_KEY!r}, which is reserved")
    meta = {
        "format": "nnlib-model",
        "format_version": FORMAT_VERSION,
        "nnlib_version": __version__,
        "model": _describe(model),
        "params": {name: {"shape": list(p.shape), "dtype": p.dtype.name} for name, p in params.items()},
    }
    np.savez(path, **{_META_KEY: np.array(json.dumps(meta))}, **params)
    return path


def _build(desc, where: str = "model") -> Layer:
    if not isinstance(desc, dict) or not isinstance(desc.get("type"), str):
        raise ValueError(f"{where}: expected a layer description {{'type': ..., ...}}, got {desc!r}")
    name = desc["type"]
    if name not in LAYERS:
        raise ValueError(f"{where}: unknown layer type {name!r}; known types are {sorted(LAYERS)}")
    cls = LAYERS[name]
    if issubclass(cls, Sequential):
        children = desc.get("layers")
        if not isinstance(children, list):
            raise ValueError(f"{where}: expected a list of 'layers' for {name}")
        return cls([_build(child, f"{where}.{i}") for i, child in enumerate(children)])
    config = desc.get("config", {})
    if not isinstance(config, dict):
        raise ValueError(f"{where}: expected a dict 'config' for {name}, got {config!r}")
    try:
        layer = cls(**config)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}: cannot rebuild {name} from config {config}: {exc}") from None
    layer.trainable = bool(desc.get("trainable", True))
    return layer


def _read_array(archive, key: str, path: Path) -> np.ndarray:
    try:
        return archive[key]
    except ValueError as exc:  # "Object arrays cannot be loaded when allow_pickle=False"
        raise ValueError(
            f"{path}: array {key!r} holds Python objects (it would need pickle to load); "
            "refusing to load it (nnlib files contain only numeric arrays and a JSON string)"
        ) from exc


def load_model(path) -> Layer:
    """Load a model saved by :func:`save_model`.

    Parameters
    ----------
    path : str or os.PathLike
        An ``.npz`` file written by :func:`save_model`.

    Returns
    -------
    Layer
        The rebuilt model (usually a :class:`~nnlib.layers.Sequential`) in
        training mode, with the saved parameters and freezing flags.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the file is not an nnlib model file, holds object (pickled) arrays,
        names an unknown layer type, or a parameter is missing, unexpected, or
        has another shape or dtype than the rebuilt model expects (the message
        names the parameter and both shapes).
    """
    path = Path(os.fspath(path))
    with np.load(path, allow_pickle=False) as archive:
        if _META_KEY not in archive.files:
            raise ValueError(f"{path}: not an nnlib model file (no {_META_KEY!r} entry)")
        meta_arr = _read_array(archive, _META_KEY, path)
        if meta_arr.dtype.kind != "U" or meta_arr.ndim != 0:
            raise ValueError(f"{path}: {_META_KEY!r} must be a JSON string, got dtype {meta_arr.dtype}")
        try:
            meta = json.loads(str(meta_arr))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: the model description is not valid JSON ({exc})") from None
        if not isinstance(meta, dict) or meta.get("format") != "nnlib-model":
            raise ValueError(f"{path}: not an nnlib model description")
        if meta.get("format_version") != FORMAT_VERSION:
            raise ValueError(
                f"{path}: format version {meta.get('format_version')!r} is not supported "
                f"(this nnlib reads version {FORMAT_VERSION})"
            )
        model = _build(meta.get("model"))
        arrays = {key: _read_array(archive, key, path) for key in archive.files if key != _META_KEY}

    params = model.parameters()
    missing = [k for k in params if k not in arrays]
    extra = [k for k in arrays if k not in params]
    if missing or extra:
        raise ValueError(f"{path}: parameters do not match the model: missing {missing}, unexpected {extra}")
    for name, live in params.items():
        saved = arrays[name]
        if saved.shape != live.shape:
            raise ValueError(
                f"{path}: parameter {name!r} has shape {saved.shape} in the file, "
                f"but the model built from the description expects {live.shape}"
            )
        if saved.dtype != live.dtype:
            raise ValueError(
                f"{path}: parameter {name!r} has dtype {saved.dtype} in the file, "
                f"but the model built from the description expects {live.dtype}"
            )
        np.copyto(live, saved)
    return model
