"""Image files <-> (1, 3, H, W) float tensors in [0, 1] (sRGB), and resizing."""

from __future__ import annotations

import math
import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import numpy as np
import torch
from PIL import Image, ImageOps, UnidentifiedImageError
from torch import Tensor
from torch.nn import functional


def open_image(path: str | Path, at_least_px: int | None = None) -> Image.Image:
    """The file as a PIL image, EXIF orientation applied; clear errors for missing/non-images.

    With `at_least_px` the image is decoded small, its long side still >= at_least_px: JPEG by
    the decoder's own scaling (draft), other formats by `reduce` right after decoding, so a huge
    photo never becomes a huge float tensor. Decompression bombs (Pillow's pixel limit) are
    refused with a ValueError.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder, not an image")
    try:
        with warnings.catch_warnings():
            # Below Pillow's hard limit (DecompressionBombError) a large photo is legitimate.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                return ImageOps.exif_transpose(_decode_small(image, at_least_px))
    except Image.DecompressionBombError as e:
        raise ValueError(f"{path} is refused as a possible decompression bomb: {e}") from None
    except UnidentifiedImageError:
        raise ValueError(f"{path} is not an image Pillow can read") from None
    except OSError as e:
        raise ValueError(f"{path} could not be read as an image: {e}") from None


_REDUCIBLE_MODES = ("L", "LA", "RGB", "RGBA", "I", "F")


def _decode_small(image: Image.Image, at_least_px: int | None) -> Image.Image:
    """Decode `image`, shrunk by an integer factor keeping its long side >= at_least_px."""
    if not at_least_px or max(image.size) <= at_least_px:
        image.load()
        return image
    scale = at_least_px / max(image.size)
    size = (max(1, math.ceil(image.width * scale)), max(1, math.ceil(image.height * scale)))
    image.draft(None, size)  # JPEG: the decoder scales by 1/2, 1/4 or 1/8; others: no-op
    image.load()
    factor = max(image.size) // at_least_px
    if factor < 2:
        return image
    if image.mode not in _REDUCIBLE_MODES:
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    return image.reduce(factor)


def pil_to_tensor(image: Image.Image) -> Tensor:
    """PIL image (any mode; alpha composited over white) -> (1, 3, H, W) float32 in [0, 1]."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    array = np.asarray(image.convert("RGB"), dtype=np.float32) / 255.0
    return torch.from_numpy(array.copy()).permute(2, 0, 1).unsqueeze(0)


def tensor_to_pil(image: Tensor) -> Image.Image:
    """(1, 3, H, W) in [0, 1] (clamped) -> 8-bit RGB PIL image."""
    array = image.detach()[0].clamp(0, 1).mul(255).round().to(torch.uint8)
    return Image.fromarray(array.permute(1, 2, 0).cpu().numpy(), mode="RGB")


def fit_long_side(height: int, width: int, long_side_px: int) -> tuple[int, int]:
    """(H, W) scaled so that max(H, W) == long_side_px, each side at least 1."""
    if long_side_px < 1:
        raise ValueError(f"size must be at least 1 px, got {long_side_px}")
    scale = long_side_px / max(height, width)
    return max(1, round(height * scale)), max(1, round(width * scale))


def resize(image: Tensor, size_hw: tuple[int, int]) -> Tensor:
    """(B, C, H, W) -> (B, C, h, w) with antialiased bilinear filtering."""
    if tuple(image.shape[-2:]) == tuple(size_hw):
        return image
    return functional.interpolate(
        image, size=size_hw, mode="bilinear", align_corners=False, antialias=True
    )


def resize_to_area(image: Tensor, area_px: float, min_side_px: int = 1) -> Tensor:
    """(B, C, H, W) resized, up or down, to about `area_px` pixels, keeping its aspect.

    How every path sizes a style image: by area, not long side, so that a wide painting and a
    square pattern have strokes of the same size relative to a picture of that area (which is
    also how the quality benchmark compares a result with its style).
    """
    height, width = image.shape[-2:]
    scale = math.sqrt(area_px / (height * width))
    size = (max(min_side_px, round(height * scale)), max(min_side_px, round(width * scale)))
    return resize(image, size)


def resize_long_side(image: Tensor, long_side_px: int) -> Tensor:
    """(B, C, H, W) resized so that its longer side is `long_side_px`."""
    return resize(image, fit_long_side(image.shape[-2], image.shape[-1], long_side_px))


def load_image(
    path: str | Path, long_side_px: int | None = None, at_least_px: int | None = None
) -> Tensor:
    """Image file -> (1, 3, H, W) float32 RGB in [0, 1], optionally resized to a long side.

    at_least_px: decode at a reduced size whose long side is still >= at_least_px (see
    open_image), for callers that resize to that size anyway.
    """
    image = pil_to_tensor(open_image(path, at_least_px))
    return image if long_side_px is None else resize_long_side(image, long_side_px)


def load_image_at_most(path: str | Path, max_side_px: int) -> Tensor:
    """Image file -> (1, 3, H, W) in [0, 1], shrunk (never enlarged) to a longer side <= max."""
    image = load_image(path)
    if max(image.shape[-2:]) <= max_side_px:
        return image
    return resize_long_side(image, max_side_px)


def load_mask(path: str | Path, size_hw: tuple[int, int]) -> Tensor:
    """Greyscale (or alpha) file -> (1, 1, H, W) in [0, 1] at `size_hw`; white = stylize."""
    image = open_image(path)
    grey = image.getchannel("A") if image.mode in ("RGBA", "LA") else image.convert("L")
    array = np.asarray(grey, dtype=np.float32) / 255.0
    return resize(torch.from_numpy(array.copy())[None, None], size_hw).clamp(0, 1)


def save_image(image: Tensor, path: str | Path, quality: int = 95) -> None:
    """(1, 3, H, W) in [0, 1] -> file; the format follows the suffix (png, jpg, webp, ...).

    Atomic (`write_atomically`): a full disk or a crash leaves the old file intact (it may be one
    of the inputs), never half a file.
    """
    path = Path(path)
    image_format = Image.registered_extensions().get(path.suffix.lower())
    if image_format is None:
        raise ValueError(f"cannot tell an image format from the name {path.name!r}")
    write_atomically(
        path, lambda handle: tensor_to_pil(image).save(handle, format=image_format, quality=quality)
    )


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Call write(handle) on a temporary file in path's folder, then rename it over `path`."""
    if path.parent and not path.parent.exists():
        raise FileNotFoundError(f"output folder {path.parent} does not exist")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process umask (mkstemp makes 0600 files; an image should get the usual mode)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
