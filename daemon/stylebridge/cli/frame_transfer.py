"""Frames as they travel between the driver and the Ray workers of `batch --cluster`: 8-bit
frames as uint8, a quarter of float32 (100 MB for a 4K frame), which is what a 1 GbE link
between GPU boxes runs out of first; 16-bit frames stay float32.

Lossless for what is written: an 8-bit frame was read as k/255 and is written as
round(255 x), so uint8 in between changes no byte of the output."""

from __future__ import annotations

import torch
from torch import Tensor

from stylebridge.core.frame_io import LoadedFrame


def to_wire(rgb: Tensor, bits: int) -> Tensor:
    """(1, 3, H, W) in [0, 1] -> uint8 for 8-bit frames (quantised as images.py saves them),
    the same float32 pixels on the CPU otherwise."""
    rgb = rgb.detach().cpu()
    if bits != 8:
        return rgb.float()
    return rgb.clamp(0, 1).mul(255).round().to(torch.uint8)


def from_wire(pixels: Tensor) -> Tensor:
    """What `to_wire` sent -> (1, 3, H, W) float32 in [0, 1], as read_frame gives it."""
    if pixels.dtype == torch.uint8:
        return pixels.float() / 255.0
    return pixels


def loaded_to_wire(loaded: LoadedFrame) -> LoadedFrame:
    """The frame with its pixels in wire form (bits and lost_bits kept)."""
    return LoadedFrame(to_wire(loaded.rgb, loaded.bits), loaded.bits, loaded.lost_bits)


def loaded_from_wire(loaded: LoadedFrame) -> LoadedFrame:
    """The frame with its pixels back as float32."""
    return LoadedFrame(from_wire(loaded.rgb), loaded.bits, loaded.lost_bits)
