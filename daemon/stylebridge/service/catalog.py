"""The answers of list_methods (parameter schema per path) and list_styles (with thumbnails)."""

from __future__ import annotations

import base64
import binascii
import functools
import io
from pathlib import Path
from typing import Any

from stylebridge.editor.style_names import style_title
from stylebridge.service import protocol as wire
from stylebridge.service.protocol import ProtocolError

THUMBNAIL_PX = 64
LIST_STYLES_KEYS = ("v", "op", "id", "path", "model")


def _init_help(spec: Any) -> Any:
    """The daemon takes no file paths (protocol.SAFE_INITS): its `init` help says so."""
    import dataclasses

    help_text = (
        "content, noise or network (the shipped fast network's result for the same styles, "
        "which a few steps then refine); the daemon takes no image paths"
    )
    return dataclasses.replace(spec, help=help_text)


DAEMON_HELP: dict[str, Any] = {"init": _init_help}


def list_methods() -> dict[str, Any]:
    """Style methods and, per installed path, its parameter schema. The arbitrary path is left out
    while no decoder file is installed (docs/protocol.md: a path left out is not installed);
    checked on every call, since `stylebridge train-decoder` may add one to a running daemon."""
    answer = _all_methods()
    if _has_decoder():
        return answer
    paths = {k: v for k, v in answer["paths"].items() if k != wire.PATH_ARBITRARY}
    return {**answer, "paths": paths}


def _has_decoder() -> bool:
    from stylebridge.service.arbitrary_runner import decoder_file

    try:
        decoder_file()
    except ProtocolError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def _all_methods() -> dict[str, Any]:
    """Style methods and, per path, the full parameter schema (ParameterSpec.to_wire())."""
    from stylebridge.core.methods import METHODS
    from stylebridge.core.optimize_params import OPTIMIZE_PARAMETERS
    from stylebridge.service.path_parameters import DAEMON_ONLY_PARAMETERS, parameter_specs

    specs = [s for s in OPTIMIZE_PARAMETERS if s.name not in DAEMON_ONLY_PARAMETERS]
    optimize = [DAEMON_HELP.get(s.name, lambda spec: spec)(s).to_wire() for s in specs]
    paths: dict[str, Any] = {wire.PATH_OPTIMIZE: {"parameters": optimize}}
    try:
        network = parameter_specs(wire.PATH_NETWORK)
    except ProtocolError:  # the network path is not installed: the daemon offers optimize only
        pass
    else:
        paths[wire.PATH_NETWORK] = {"parameters": [s.to_wire() for s in network]}
    arbitrary = parameter_specs(wire.PATH_ARBITRARY)
    paths[wire.PATH_ARBITRARY] = {"parameters": [s.to_wire() for s in arbitrary]}
    methods = [
        {"name": m.name, "label": m.label, "relation": m.relation, "default_weight": 1.0}
        for m in METHODS.values()
    ]
    return {"methods": methods, "paths": paths}


@functools.lru_cache(maxsize=64)
def _library_thumbnail(path: str) -> bytes:
    from PIL import Image

    with Image.open(path) as picture:
        picture = picture.convert("RGB")
        picture.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
        buffer = io.BytesIO()
        picture.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def library_styles() -> list[dict[str, Any]]:
    """The bundled style images (optimize and arbitrary paths)."""
    from stylebridge.core.style_library import list_styles

    return [
        {
            "name": name,
            "label": style_title(name),
            "source": wire.SOURCE_LIBRARY,
            "thumbnail": _library_thumbnail(str(path)),
            "thumbnail_format": "jpeg",
        }
        for name, path in list_styles().items()
    ]


def _decode_thumbnail(text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


@functools.lru_cache(maxsize=16)
def _model_styles(path: str, signature: tuple[int, ...]) -> tuple[tuple[str, bytes | None], ...]:
    from stylebridge.core.model_file import read_metadata

    metadata = read_metadata(path)
    return tuple(
        (name, _decode_thumbnail(metadata.thumbnails.get(name, "")))
        for name in metadata.style_names
    )


def model_path(model: str) -> Path:
    """The file of a listed model name; ProtocolError(unknown_model) for anything else."""
    from stylebridge.core.model_file import resolve_model

    if not wire.is_model_name(model):
        raise ProtocolError("unknown_model", f"model names are letters, digits, - and _: {model!r}")
    path = resolve_model(model)
    if not path.is_file():
        raise ProtocolError("unknown_model", f"no model {model!r} in the models folder")
    return path


def file_signature(path: Path) -> tuple[int, int, int]:
    """(mtime ns, size, inode): changes when `stylebridge add-style` rewrites the file."""
    info = path.stat()
    return info.st_mtime_ns, info.st_size, info.st_ino


def bad_model(model: str, path: Path, error: BaseException) -> ProtocolError:
    """ProtocolError(bad_model) with the reason, the server's path replaced by the model name."""
    reason = str(error).replace(str(path), f"model {model!r}")
    return ProtocolError("bad_model", f"model {model!r} cannot be used: {reason}")


def model_style_entries(model: str) -> tuple[tuple[str, bytes | None], ...]:
    """(style name, JPEG thumbnail or None) of a model, from its metadata (no checksum check)."""
    path = model_path(model)
    try:
        return _model_styles(str(path), file_signature(path))
    except (ValueError, RecursionError, OSError) as e:
        raise bad_model(model, path, e) from None


def model_styles(model: str) -> list[dict[str, Any]]:
    """The styles of a network model file (network path)."""
    entries = []
    for name, thumbnail in model_style_entries(model):
        entry: dict[str, Any] = {"name": name, "label": style_title(name)}
        entry["source"] = wire.SOURCE_MODEL
        if thumbnail is not None:
            entry["thumbnail"], entry["thumbnail_format"] = thumbnail, "jpeg"
        entries.append(entry)
    return entries


def list_styles(header: dict[str, Any]) -> dict[str, Any]:
    """The reply fields of list_styles for the requested path (default: network)."""
    wire.require_map(header, "header", LIST_STYLES_KEYS)
    path = wire.require_str(header.get("path", wire.PATH_NETWORK), "path")
    if path in (wire.PATH_OPTIMIZE, wire.PATH_ARBITRARY):
        return {"path": path, "styles": library_styles()}
    if path == wire.PATH_NETWORK:
        model = wire.require_str(header.get("model", "default"), "model")
        return {"path": path, "model": model, "styles": model_styles(model)}
    raise ProtocolError(
        "unknown_method", f"'path' must be optimize, network or arbitrary, got {path!r}"
    )
