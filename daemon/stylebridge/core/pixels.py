"""Raw pixel buffers, laid out as a PixelLayout says (pixel_layout.py) <-> (1, C, H, W) float
tensors.

Integer samples map to [0, 1] by their full range; float samples are taken as they are and clamped.
Tensors are always RGB(A) in sRGB encoding, as the networks and VGG expect; a "linear" buffer is
converted with the IEC 61966-2-1 sRGB curve both ways.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import Tensor

from stylebridge.pixel_layout import CHANNEL_COUNTS, PixelLayout, packed_layout

_NUMPY_DTYPES: dict[str, np.dtype] = {
    "uint8": np.dtype("u1"),
    "uint16": np.dtype("<u2"),
    "float16": np.dtype("<f2"),
    "float32": np.dtype("<f4"),
}
_INTEGER_MAX: dict[str, float] = {"uint8": 255.0, "uint16": 65535.0}


@dataclass(frozen=True)
class Decoded:
    """A decoded buffer: `rgb` (1, 3, H, W) sRGB in [0, 1]; `alpha` (1, 1, H, W) or None."""

    rgb: Tensor
    alpha: Tensor | None


def srgb_to_linear(x: Tensor) -> Tensor:
    """sRGB-encoded values in [0, 1] -> linear light (IEC 61966-2-1)."""
    return torch.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055).clamp_min(0) ** 2.4)


def linear_to_srgb(x: Tensor) -> Tensor:
    """Linear light in [0, 1] -> sRGB encoding (IEC 61966-2-1)."""
    return torch.where(x <= 0.0031308, x * 12.92, 1.055 * x.clamp_min(0) ** (1 / 2.4) - 0.055)


def _view(buffer: Any, layout: PixelLayout) -> np.ndarray:
    """(H, W, C) numpy view of the buffer's pixels, padding skipped, no copy."""
    raw = np.frombuffer(buffer, dtype=np.uint8)
    if raw.size != layout.buffer_bytes:
        raise ValueError(
            f"buffer is {raw.size} bytes; {layout.height} rows x {layout.stride} bytes "
            f"= {layout.buffer_bytes} expected"
        )
    pixel_bytes = layout.channel_count * layout.itemsize
    return np.ndarray(
        (layout.height, layout.width, layout.channel_count),
        dtype=_NUMPY_DTYPES[layout.dtype],
        buffer=raw,
        strides=(layout.stride, pixel_bytes, layout.itemsize),
    )


def _rgba_order(channels: str) -> list[int]:
    """Indices that reorder the buffer's channels to RGB(A)."""
    return [2, 1, 0, 3][: CHANNEL_COUNTS[channels]] if channels.startswith("BGR") else []


def decode(buffer: Any, layout: PixelLayout) -> Decoded:
    """Raw buffer -> sRGB RGB tensor (1, 3, H, W) in [0, 1] and alpha (1, 1, H, W) or None."""
    pixels = _view(buffer, layout).astype(np.float32)
    if layout.dtype in _INTEGER_MAX:
        pixels /= _INTEGER_MAX[layout.dtype]
    else:
        pixels = np.nan_to_num(pixels, nan=0.0, posinf=1.0, neginf=0.0)
    order = _rgba_order(layout.channels)
    if order:
        pixels = pixels[:, :, order]
    chw = torch.from_numpy(np.ascontiguousarray(pixels.transpose(2, 0, 1))).unsqueeze(0)
    chw = chw.clamp(0.0, 1.0)
    rgb = chw[:, :3]
    if layout.transfer == "linear":
        rgb = linear_to_srgb(rgb)
    alpha = chw[:, 3:4].clone() if layout.has_alpha else None
    return Decoded(rgb.contiguous(), alpha)


# Floats converted at a time by decode_at_most: bounds its working memory (4 bytes each).
_BAND_FLOATS = 4 * 1024 * 1024


def decode_at_most(buffer: Any, layout: PixelLayout, long_side_px: int) -> Decoded:
    """Like `decode`, but box-averaged by the largest integer factor that keeps the long side
    >= long_side_px, one band of rows at a time: a huge buffer never becomes a huge float copy."""
    factor = max(1, max(layout.height, layout.width) // max(1, long_side_px))
    if factor == 1:
        return decode(buffer, layout)
    view, channels = _view(buffer, layout), layout.channel_count
    height, width = layout.height // factor, layout.width // factor
    out = np.empty((height, width, channels), np.float32)
    band = max(1, _BAND_FLOATS // (factor * factor * width * channels))  # output rows per band
    for top in range(0, height, band):
        rows = min(band, height - top)
        block = view[top * factor : (top + rows) * factor, : width * factor].astype(np.float32)
        out[top : top + rows] = block.reshape(rows, factor, width, factor, channels).mean((1, 3))
    if layout.dtype in _INTEGER_MAX:
        out /= _INTEGER_MAX[layout.dtype]
    return decode(out, packed_layout(width, height, layout.channels, "float32", layout.transfer))


def encode(rgb: Tensor, alpha: Tensor | None, layout: PixelLayout) -> bytes:
    """sRGB RGB (1, 3, H, W) and alpha (1, 1, H, W) in [0, 1] -> a buffer in `layout`."""
    expected = (1, 3, layout.height, layout.width)
    if tuple(rgb.shape) != expected:
        raise ValueError(f"rgb must have shape {expected}, got {tuple(rgb.shape)}")
    rgb = rgb.detach().to("cpu", torch.float32).clamp(0.0, 1.0)
    if layout.transfer == "linear":
        rgb = srgb_to_linear(rgb)
    planes = [rgb]
    if layout.has_alpha:
        planes.append(torch.ones_like(rgb[:, :1]) if alpha is None else alpha.to(rgb).clamp(0, 1))
    hwc = torch.cat(planes, dim=1)[0].permute(1, 2, 0).numpy()
    order = _rgba_order(layout.channels)
    if order:
        hwc = hwc[:, :, order]
    if layout.dtype in _INTEGER_MAX:
        hwc = np.rint(hwc * _INTEGER_MAX[layout.dtype])
    out = bytearray(layout.buffer_bytes)
    _view(out, layout)[...] = hwc.astype(_NUMPY_DTYPES[layout.dtype])
    return bytes(out)


def decode_mask(buffer: Any, width: int, height: int) -> Tensor:
    """A selection mask (uint8, one byte per pixel, no padding) -> (1, 1, H, W) in [0, 1]."""
    raw = np.frombuffer(buffer, dtype=np.uint8)
    if raw.size != width * height:
        raise ValueError(
            f"mask is {raw.size} bytes; {width} x {height} = {width * height} expected"
        )
    return torch.from_numpy(raw.reshape(1, 1, height, width).astype(np.float32) / 255.0)


def apply_selection(source: Decoded, result_rgb: Tensor, mask: Tensor | None) -> Decoded:
    """The selection-mask alpha rule: result alpha = source alpha x mask.

    Without an alpha channel the mask cannot travel as alpha, so the result is blended over the
    source instead: rgb = source x (1 - mask) + result x mask.
    """
    if mask is None:
        return Decoded(result_rgb, source.alpha)
    if source.alpha is not None:
        return Decoded(result_rgb, source.alpha * mask)
    return Decoded(source.rgb * (1 - mask) + result_rgb * mask, None)
