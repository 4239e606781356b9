"""Saving and loading models: NumPy ``.npz`` arrays plus a JSON description, never pickle.

A saved file holds

* one array per parameter and per buffer, under its dotted name, e.g. ``"0.W"``;
* ``"__nnlib__"``: a string array holding JSON: the format version, the model
  as nested ``{"type": class name, "config": constructor arguments,
  "trainable": bool, "children": {name: ...}}`` entries (a layer without
  children has no ``"children"``), and the shape and dtype of every parameter
  and buffer.

Loading reads with ``allow_pickle=False`` (a file cannot run code), rebuilds
the model from :data:`nnlib.layers.LAYERS` (only registered classes, see
:func:`nnlib.layers.register_layer`) through each class's
:meth:`~nnlib.layers.Layer.from_config`, and checks every array's name, shape
and dtype before copying the values in. Anything else (an empty, truncated or
damaged file, a text file, a single ``.npy`` array) is refused with one
``ValueError`` naming the file and what is wrong with it. Files written by the
first format version (containers listed as ``"layers"``) still load.

Only parameters and buffers are stored, not optimizer state or gradients.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import numpy as np

from nnlib import __version__
from nnlib.layers import LAYERS, Layer

__all__ = ["save_model", "load_model", "FORMAT_VERSION"]

FORMAT_VERSION = 2
"""Version of the file layout written by :func:`save_model` (version 1 files are read too)."""

_META_KEY = "__nnlib__"


# -------------------------------------------------------------------------------- saving


def _describe(layer: Layer) -> dict:
    name = type(layer).__name__
    if LAYERS.get(name) is not type(layer):
        raise TypeError(
            f"model: layer {name} is not registered in nnlib.layers.LAYERS, so it could not be "
            "loaded again; decorate its class with @register_layer"
        )
    desc = {"type": name, "config": layer.config(), "trainable": bool(layer._trainable)}
    children = layer.children()
    if children:
        desc["children"] = {key: _describe(child) for key, child in children.items()}
    return desc


def _arrays_to_save(model: Layer) -> tuple[dict, dict]:
    params, buffers = model.parameters(), model.buffers()
    clash = sorted(set(params) & set(buffers)) + sorted({_META_KEY} & (set(params) | set(buffers)))
    if clash:
        raise ValueError(f"model: the names {clash} are used twice (parameter and buffer) or reserved")
    return params, buffers


def save_model(model: Layer, path) -> Path:
    """Save a model's architecture, parameters and buffers to an ``.npz`` file.

    Parameters
    ----------
    model : Layer
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
    >>> from nnlib.models import mlp
    >>> import tempfile, os
    >>> model = mlp([2, 4, 1], rng=0)
    >>> path = save_model(model, os.path.join(tempfile.mkdtemp(), "xor"))
    >>> path.name
    'xor.npz'
    """
    if not isinstance(model, Layer):
        raise TypeError(f"model: expected an nnlib Layer (e.g. a Sequential), got {type(model).__name__}")
    path = Path(os.fspath(path))
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    params, buffers = _arrays_to_save(model)

    def shapes(arrays):
        return {name: {"shape": list(a.shape), "dtype": a.dtype.name} for name, a in arrays.items()}

    meta = {"format": "nnlib-model", "format_version": FORMAT_VERSION, "nnlib_version": __version__,
            "model": _describe(model), "params": shapes(params), "buffers": shapes(buffers)}
    np.savez(path, **{_META_KEY: np.array(json.dumps(meta))}, **params, **buffers)
    return path


# -------------------------------------------------------------------------------- loading


def _upgrade_v1(desc):
    """A format-1 description (containers list their ``"layers"``) in the format-2 shape."""
    if isinstance(desc, dict) and isinstance(desc.get("layers"), list):
        children = {str(i): _upgrade_v1(child) for i, child in enumerate(desc["layers"])}
        return {"type": desc.get("type"), "config": {}, "trainable": True, "children": children}
    return desc


def _build(desc, where: str = "model") -> Layer:
    if not isinstance(desc, dict) or not isinstance(desc.get("type"), str):
        raise ValueError(f"{where}: expected a layer description {{'type': ..., ...}}, got {desc!r}")
    name = desc["type"]
    if name not in LAYERS:
        raise ValueError(f"{where}: unknown layer type {name!r}; known types are {sorted(LAYERS)}")
    config, children = desc.get("config", {}), desc.get("children", {})
    if not isinstance(config, dict) or not isinstance(children, dict):
        raise ValueError(f"{where}: expected dicts 'config' and 'children' for {name}, got {config!r}, {children!r}")
    built = {key: _build(child, f"{where}.{key}") for key, child in children.items()}
    try:
        layer = LAYERS[name].from_config(config, built)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}: cannot rebuild {name} from config {config}: {exc}") from None
    layer._trainable = bool(desc.get("trainable", True))
    return layer


def _resolve(path) -> Path:
    """The file to read: ``path``, or ``path + ".npz"`` when only that exists (what save_model wrote)."""
    path = Path(os.fspath(path))
    if path.exists():
        return path
    with_suffix = path.with_name(path.name + ".npz")
    if path.suffix != ".npz" and with_suffix.exists():
        return with_suffix
    tried = f" (nor {with_suffix})" if path.suffix != ".npz" else ""
    raise FileNotFoundError(f"{path}: no such model file{tried}")


def _not_an_archive(path: Path) -> str | None:
    """What is wrong with a file that is not a zip archive (an .npz), or None if it is one."""
    with open(path, "rb") as f:
        head = f.read(8)
    if not head:
        return "the file is empty"
    if head.startswith(b"PK\x03\x04"):
        return None
    if head.startswith(b"\x93NUMPY"):
        return "it holds a single NumPy array (.npy), not a model archive (.npz) as save_model writes"
    if all(32 <= c < 127 or c in b"\t\n\r" for c in head):
        return f"it is a text file (it starts with {head!r}), not an .npz archive as save_model writes"
    return f"it is not an .npz archive (it starts with {head!r})"


def _read_array(archive, key: str, path: Path) -> np.ndarray:
    try:
        return archive[key]
    except ValueError as exc:  # "Object arrays cannot be loaded when allow_pickle=False", or a bad header
        raise ValueError(
            f"{path}: array {key!r} holds Python objects (it would need pickle to load) or is damaged; "
            f"refusing to load it (nnlib files contain only numeric arrays and a JSON string): {exc}"
        ) from None


def _read_archive(path: Path) -> tuple[dict, dict]:
    """The JSON description and the arrays of an nnlib file, or one ValueError saying what is wrong."""
    problem = _not_an_archive(path)
    if problem:
        raise ValueError(f"{path}: not an nnlib model file: {problem}")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: _read_array(archive, key, path) for key in archive.files}
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise ValueError(f"{path}: not a readable nnlib model file: the archive is damaged or truncated ({exc})") from None
    meta = arrays.pop(_META_KEY, None)
    if meta is None:
        raise ValueError(f"{path}: not an nnlib model file (no {_META_KEY!r} entry)")
    if meta.dtype.kind != "U" or meta.ndim != 0:
        raise ValueError(f"{path}: {_META_KEY!r} must be a JSON string, got dtype {meta.dtype}")
    try:
        meta = json.loads(str(meta))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: the model description is not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != "nnlib-model":
        raise ValueError(f"{path}: not an nnlib model description")
    if meta.get("format_version") not in (1, FORMAT_VERSION):
        raise ValueError(f"{path}: format version {meta.get('format_version')!r} is not supported "
                         f"(this nnlib reads versions 1 to {FORMAT_VERSION})")
    return meta, arrays


def _copy_into(live: dict, saved: dict, kind: str, path: Path) -> None:
    """Copy the saved arrays into the model's live ones, after checking names, shapes and dtypes."""
    missing = [k for k in live if k not in saved]
    extra = [k for k in saved if k not in live]
    if missing or extra:
        raise ValueError(f"{path}: {kind} do not match the model: missing {missing}, unexpected {extra}")
    for name, array in live.items():
        for what, got, want in (("shape", saved[name].shape, array.shape), ("dtype", saved[name].dtype, array.dtype)):
            if got != want:
                raise ValueError(f"{path}: {kind[:-1]} {name!r} has {what} {got} in the file, "
                                 f"but the model built from the description expects {want}")
    for name, array in live.items():
        np.copyto(array, saved[name])


def load_model(path) -> Layer:
    """Load a model saved by :func:`save_model`.

    Parameters
    ----------
    path : str or os.PathLike
        The file written by :func:`save_model`; the ``".npz"`` it appended may
        be left out (``load_model("m1")`` reads ``m1.npz``).

    Returns
    -------
    Layer
        The rebuilt model (usually a :class:`~nnlib.layers.Sequential`) in
        training mode, with the saved parameters, buffers and freezing flags.

    Raises
    ------
    FileNotFoundError
        If neither ``path`` nor ``path + ".npz"`` exists.
    ValueError
        If the file is not an nnlib model file (empty, truncated, damaged, text,
        a single ``.npy`` array, no description), holds object (pickled) arrays,
        names an unknown layer type, or an array is missing, unexpected, or has
        another shape or dtype than the rebuilt model expects. The message
        names the file and what is wrong.
    """
    path = _resolve(path)
    meta, arrays = _read_archive(path)
    model = _build(_upgrade_v1(meta.get("model")))
    buffer_names = meta.get("buffers", {})
    _copy_into(model.parameters(), {k: v for k, v in arrays.items() if k not in buffer_names}, "parameters", path)
    _copy_into(model.buffers(), {k: v for k, v in arrays.items() if k in buffer_names}, "buffers", path)
    return model
