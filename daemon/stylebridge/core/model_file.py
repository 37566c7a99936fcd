"""Multi-style network files: safetensors tensors plus a JSON metadata header and a checksum.

The safetensors header's `__metadata__` holds `format`, `format_version`, `sha256` (of the tensor
payload: names, dtypes, shapes and bytes, in name order) and `stylebridge` (JSON: style names,
width multiplier, per-style JPEG thumbnails in base64, training recipe). Nothing is unpickled.
"""

from __future__ import annotations

import base64
import io
import json
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import torch
from PIL import Image
from torch import Tensor

from stylebridge.core.tensor_file import (
    check_format,
    check_payload,
    read_header,
    read_tensors,
    write_checked,
)
from stylebridge.core.transformer import NetworkShape, StyleNetwork

FORMAT_NAME = "stylebridge-cin"
FORMAT_VERSION = 1
MODEL_SUFFIX = ".safetensors"
THUMBNAIL_PX = 64


@dataclass(frozen=True)
class ModelMetadata:
    """What a model file says about itself besides its tensors."""

    style_names: tuple[str, ...]
    width: float = 1.0
    thumbnails: dict[str, str] = field(default_factory=dict)  # style name -> base64 JPEG
    recipe: dict[str, Any] = field(default_factory=dict)  # data, steps, size, weights, losses...
    shape: NetworkShape | None = None  # None: the paper's network at `width` (first format)

    def build_network(self) -> StyleNetwork:
        """An untrained network of the shape this metadata describes."""
        return StyleNetwork(len(self.style_names), width=self.width, shape=self.shape)

    def to_json(self) -> str:
        data = {
            "style_names": list(self.style_names),
            "width": self.width,
            "thumbnails": self.thumbnails,
            "recipe": self.recipe,
        }
        if self.shape is not None:
            data["shape"] = self.shape.to_dict()
        return json.dumps(data, sort_keys=True)

    @staticmethod
    def from_json(text: str) -> ModelMetadata:
        data = json.loads(text)
        names = data["style_names"]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError("style_names must be a list of strings")
        return ModelMetadata(
            style_names=tuple(names),
            width=float(data["width"]),
            thumbnails=dict(data.get("thumbnails", {})),
            recipe=dict(data.get("recipe", {})),
            shape=None if data.get("shape") is None else NetworkShape.from_dict(data["shape"]),
        )


@dataclass(frozen=True)
class LoadedModel:
    """A network (float32, eval mode) and its file's metadata."""

    network: StyleNetwork
    metadata: ModelMetadata


def thumbnail_base64(image: Tensor, size_px: int = THUMBNAIL_PX) -> str:
    """(1, 3, H, W) image in [0, 1] -> a small JPEG, base64 text."""
    array = (image[0].clamp(0, 1) * 255).round().byte().permute(1, 2, 0).cpu().numpy()
    picture = Image.fromarray(array)
    picture.thumbnail((size_px, size_px))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def save_model(
    path: Path | str,
    network: StyleNetwork,
    metadata: ModelMetadata,
    dtype: torch.dtype = torch.float16,
) -> None:
    """Write `network` in `dtype` with its metadata (atomically, checksummed: tensor_file)."""
    path = Path(path)
    if len(metadata.style_names) != network.num_styles:
        raise ValueError(
            f"metadata names {len(metadata.style_names)} styles, "
            f"the network has {network.num_styles}"
        )
    tensors = {k: v.detach().to("cpu", dtype) for k, v in network.state_dict().items()}
    header = {
        "format": FORMAT_NAME,
        "format_version": str(FORMAT_VERSION),
        "stylebridge": metadata.to_json(),
    }
    write_checked(Path(path), tensors, header)


def _check_header(path: Path, header: dict[str, str]) -> ModelMetadata:
    check_format(path, header, FORMAT_NAME, FORMAT_VERSION, "model")
    try:
        return ModelMetadata.from_json(header["stylebridge"])
    except (KeyError, TypeError, ValueError, RecursionError) as e:  # RecursionError: deep JSON
        raise ValueError(f"{path} has unreadable model metadata: {e}") from None


def load_model(path: Path | str) -> LoadedModel:
    """Read, verify the checksum, rebuild the network in float32 eval mode; ValueError if bad."""
    path = Path(path)
    header, tensors = read_tensors(path)
    metadata = _check_header(path, header)
    check_payload(path, header, tensors)
    network = metadata.build_network()
    try:
        network.load_state_dict({k: v.float() for k, v in tensors.items()}, strict=True)
    except RuntimeError as e:
        raise ValueError(f"{path} does not match its declared architecture: {e}") from None
    return LoadedModel(network.eval(), metadata)


def read_metadata(path: Path | str) -> ModelMetadata:
    """Only the metadata (no checksum check): for listing styles quickly."""
    path = Path(path)
    return _check_header(path, read_header(path))


def default_model_path() -> Path:
    """The multi-style network shipped inside the package."""
    return Path(str(resources.files("stylebridge") / "models" / ("default" + MODEL_SUFFIX)))


def resolve_model(name_or_path: str, models_dir: Path | None = None) -> Path:
    """'default' -> the shipped file; a bare name -> models_dir/NAME.safetensors; else a path."""
    if not name_or_path:
        raise ValueError("model name must not be empty")
    if "/" in name_or_path or os.sep in name_or_path or Path(name_or_path).suffix:
        return Path(name_or_path).expanduser()
    if name_or_path == "default":
        return default_model_path()
    if models_dir is None:
        from stylebridge.config import paths

        models_dir = paths().models_dir
    return models_dir / (name_or_path + MODEL_SUFFIX)
