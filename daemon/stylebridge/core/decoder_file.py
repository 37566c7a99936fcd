"""Feature-decoder files: safetensors (tensor_file: checked, atomic, no pickle) whose header says
`format: stylebridge-decoder` and, in `stylebridge`, JSON with the shape and training recipe."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import torch

from stylebridge.core.feature_decoder import DecoderShape, FeatureDecoder
from stylebridge.core.tensor_file import check_format, check_payload, read_tensors, write_checked

DECODER_FORMAT = "stylebridge-decoder"
DECODER_FORMAT_VERSION = 1


@dataclass(frozen=True)
class LoadedDecoder:
    """A decoder (float32, eval mode) and what its file says about its training."""

    decoder: FeatureDecoder
    recipe: dict[str, Any] = field(default_factory=dict)


def save_decoder(
    path: Path, decoder: FeatureDecoder, recipe: dict[str, Any], dtype: torch.dtype
) -> None:
    """Write the decoder in `dtype` with its shape and recipe."""
    tensors = {k: v.detach().to("cpu", dtype) for k, v in decoder.state_dict().items()}
    info = {"shape": decoder.shape.to_dict(), "recipe": recipe}
    header = {
        "format": DECODER_FORMAT,
        "format_version": str(DECODER_FORMAT_VERSION),
        "stylebridge": json.dumps(info, sort_keys=True),
    }
    write_checked(path, tensors, header)


def load_decoder(path: Path) -> LoadedDecoder:
    """Read and verify a decoder file; ValueError naming what is wrong with it."""
    header, tensors = read_tensors(path)
    check_format(path, header, DECODER_FORMAT, DECODER_FORMAT_VERSION, "feature decoder")
    check_payload(path, header, tensors)
    try:
        info = json.loads(header["stylebridge"])
        shape = DecoderShape.from_dict(info["shape"])
        recipe = dict(info.get("recipe", {}))
    except (KeyError, TypeError, ValueError, RecursionError) as e:
        raise ValueError(f"{path} has unreadable decoder metadata: {e}") from None
    decoder = FeatureDecoder(shape)
    try:
        decoder.load_state_dict({k: v.float() for k, v in tensors.items()}, strict=True)
    except RuntimeError as e:
        raise ValueError(f"{path} does not match its declared shape: {e}") from None
    return LoadedDecoder(decoder.eval(), recipe)


def decoder_file_name(level: str) -> str:
    return f"decoder-{level}.safetensors"


# The base level: without it the arbitrary-style path is not installed (every other level's
# decoder is optional and adds a pass, core/decoder_levels.py).
DECODER_FILE_NAME = decoder_file_name("relu4_1")


def default_decoder_path(level: str = "relu4_1") -> Path:
    """A level's decoder shipped inside the package (the file may be absent for extra levels)."""
    return Path(str(resources.files("stylebridge") / "models" / decoder_file_name(level)))


def installed_decoder_path(models_dir: Path, level: str = "relu4_1") -> Path:
    """A level's decoder the daemon and `stylize --fast` use: one in the user's models folder
    (a retrained decoder, or a tiny one in tests) wins over the shipped one."""
    own = models_dir / decoder_file_name(level)
    return own if own.is_file() else default_decoder_path(level)


def shipped_decoder_paths() -> list[Path]:
    """Every level's decoder shipped in the package, in PASS_ORDER (the base level first)."""
    from stylebridge.core.decoder_levels import PASS_ORDER

    return [path for path in map(default_decoder_path, PASS_ORDER) if path.is_file()]
