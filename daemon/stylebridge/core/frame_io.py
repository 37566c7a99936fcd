"""Frame files <-> (1, 3, H, W) float tensors, keeping 16 bits per channel where a file has them.

Pillow decodes 16-bit RGB PNG and TIFF as 8-bit without a word, so such frames go through OpenCV
(the optional `frames` extra: opencv-python-headless) both ways; without it they are read and
written with 8 bits and `LoadedFrame.lost_bits` says so. Writes are atomic: an interrupted batch
never leaves half a frame under a frame's name.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image
from torch import Tensor

from stylebridge.core.images import load_image, open_image, save_image, write_atomically

SIXTEEN_BIT_SUFFIXES = (".png", ".tif", ".tiff")
FRAMES_EXTRA = "pip install 'stylebridge[frames]'"


@dataclass(frozen=True)
class LoadedFrame:
    """`rgb` (1, 3, H, W) in [0, 1]; `bits` per channel it is written back with (8 or 16);
    `lost_bits`: the file has 16 bits but this install can only keep 8."""

    rgb: Tensor
    bits: int
    lost_bits: bool = False


def has_16bit_support() -> bool:
    """Whether OpenCV (the `frames` extra) is installed to read and write 16-bit RGB."""
    return importlib.util.find_spec("cv2") is not None


def is_16bit_file(path: Path) -> bool:
    """Whether Pillow's header parse says the file stores 16 bits per sample."""
    image = open_header(path)
    tiles = getattr(image, "tile", None) or []  # ImageFile's decoder plan: raw modes like RGB;16B
    raw_mode = tiles[0][3] if tiles and len(tiles[0]) > 3 else ""
    return image.mode.startswith("I;16") or "16" in str(raw_mode)


def open_header(path: Path) -> Image.Image:
    """The file opened lazily (header only); the same clear errors as open_image."""
    try:
        with Image.open(path) as image:
            return image  # header fields (mode, tile) stay readable after closing
    except (OSError, SyntaxError):
        open_image(path)  # raises the clear error for a missing or unreadable file
        raise


def read_frame(path: Path) -> LoadedFrame:
    """A frame file -> LoadedFrame; ValueError / FileNotFoundError naming the file."""
    if path.suffix.lower() not in SIXTEEN_BIT_SUFFIXES or not is_16bit_file(path):
        return LoadedFrame(load_image(path), 8)
    if not has_16bit_support():
        return LoadedFrame(load_image(path), 8, lost_bits=True)
    return LoadedFrame(_read_16bit(path), 16)


def _read_16bit(path: Path) -> Tensor:
    import cv2

    array: Any = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if array is None:
        raise ValueError(f"{path} could not be read as a 16-bit image")
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    elif array.shape[2] == 4:  # BGRA: composited over white, as pil_to_tensor does
        alpha = array[:, :, 3:4].astype(np.float32) / 65535.0
        array = array[:, :, :3] * alpha + 65535.0 * (1.0 - alpha)
    rgb = np.ascontiguousarray(array[:, :, 2::-1], dtype=np.float32) / 65535.0
    return torch.from_numpy(rgb).permute(2, 0, 1).unsqueeze(0)


def write_frame(rgb: Tensor, path: Path, bits: int) -> None:
    """(1, 3, H, W) in [0, 1] -> `path` atomically, with 16 bits where asked and possible."""
    if bits != 16 or path.suffix.lower() not in SIXTEEN_BIT_SUFFIXES or not has_16bit_support():
        save_image(rgb, path)
        return
    import cv2

    array = rgb.detach()[0].clamp(0, 1).mul(65535).round().to(torch.int32).cpu().numpy()
    bgr = np.ascontiguousarray(array.transpose(1, 2, 0)[:, :, ::-1], dtype=np.uint16)
    ok, encoded = cv2.imencode(path.suffix.lower(), bgr)
    if not ok:
        raise ValueError(f"OpenCV could not encode {path.name} as 16-bit")
    write_atomically(path, lambda handle: handle.write(encoded.tobytes()))
