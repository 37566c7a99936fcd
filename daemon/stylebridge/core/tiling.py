"""Seamless tiles for images of any size: overlapping tiles on a 4-px grid, blended with linear
feathers whose weights sum to one across every overlap, so memory is bounded by the tile size.

Instance-norm statistics are the caller's business (feedforward.py records them once on the
whole image and replays them in every tile); without that, tiles would disagree in colour.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import Tensor

from stylebridge.core.errors import Cancelled
from stylebridge.core.progress import Progress, estimate_eta_s

GRID_PX = 4  # the network downsamples twice by 2: tiles start on this grid to stay aligned


@dataclass(frozen=True)
class Tile:
    """One tile: top/left corner and size in pixels of the (padded) image."""

    top: int
    left: int
    height: int
    width: int


def tile_starts(length_px: int, tile_px: int, overlap_px: int) -> list[int]:
    """Start offsets along one axis: tiles of tile_px overlapping by >= overlap_px, on the grid."""
    if tile_px >= length_px:
        return [0]
    stride = tile_px - overlap_px
    if stride < 2 * GRID_PX or overlap_px < 0:
        raise ValueError(f"overlap must be in [0, tile - 8] px, got {overlap_px} for {tile_px} px")
    # Evenly spaced, so only neighbouring tiles overlap and every overlap is >= overlap_px.
    count = -(-(length_px - overlap_px) // stride)
    last = length_px - tile_px
    starts = {round(i * last / (count - 1) / GRID_PX) * GRID_PX for i in range(count)}
    return sorted(min(s, last) for s in starts)


def plan_tiles(height_px: int, width_px: int, tile_px: int, overlap_px: int) -> list[Tile]:
    """Tiles covering a (height, width) image (both multiples of 4), row by row."""
    if tile_px % GRID_PX or tile_px < 4 * GRID_PX:
        raise ValueError(f"tile size must be a multiple of {GRID_PX} and >= 16 px, got {tile_px}")
    if height_px % GRID_PX or width_px % GRID_PX:
        raise ValueError(f"image sides must be multiples of {GRID_PX}, got {height_px}×{width_px}")
    return [
        Tile(top, left, min(tile_px, height_px), min(tile_px, width_px))
        for top in tile_starts(height_px, tile_px, overlap_px)
        for left in tile_starts(width_px, tile_px, overlap_px)
    ]


def _ramp(length: int, fade_start: int, fade_end: int, device: torch.device) -> Tensor:
    """1-D weights: rising over `fade_start` px from the start, falling over `fade_end` px."""
    ramp = torch.ones(length, device=device)
    position = torch.arange(length, device=device, dtype=torch.float32)
    if fade_start > 0:
        ramp = torch.minimum(ramp, (position + 0.5) / fade_start)
    if fade_end > 0:
        ramp = torch.minimum(ramp, (length - position - 0.5) / fade_end)
    return ramp


def feather(tile: Tile, tiles: list[Tile], device: torch.device) -> Tensor:
    """(1, 1, h, w) weights: linear fades across the overlaps with neighbouring tiles only."""

    def overlap(a0: int, a1: int, b0: int, b1: int) -> int:
        return max(0, min(a1, b1) - max(a0, b0))

    top = left = bottom = right = 0
    for other in tiles:
        same_row = other.top == tile.top
        same_col = other.left == tile.left
        if same_row and other.left < tile.left:
            left = max(
                left,
                overlap(tile.left, tile.left + tile.width, other.left, other.left + other.width),
            )
        if same_row and other.left > tile.left:
            right = max(
                right,
                overlap(tile.left, tile.left + tile.width, other.left, other.left + other.width),
            )
        if same_col and other.top < tile.top:
            top = max(
                top, overlap(tile.top, tile.top + tile.height, other.top, other.top + other.height)
            )
        if same_col and other.top > tile.top:
            bottom = max(
                bottom,
                overlap(tile.top, tile.top + tile.height, other.top, other.top + other.height),
            )
    rows = _ramp(tile.height, top, bottom, device)
    cols = _ramp(tile.width, left, right, device)
    return (rows[:, None] * cols[None, :])[None, None]


def run_tiled(
    run: Callable[[Tile], Tensor],
    height_px: int,
    width_px: int,
    tile_px: int,
    overlap_px: int,
    device: torch.device,
    progress: Callable[[Progress], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> Tensor:
    """Blend run(tile) -> (1, 3, h, w) over every tile into (1, 3, H, W) (float32)."""
    tiles = plan_tiles(height_px, width_px, tile_px, overlap_px)
    total = torch.zeros(1, 3, height_px, width_px, device=device)
    weight = torch.zeros(1, 1, height_px, width_px, device=device)
    started = time.monotonic()
    for index, tile in enumerate(tiles):
        if should_cancel is not None and should_cancel():
            raise Cancelled()
        out = run(tile).float()
        mask = feather(tile, tiles, device)
        rows = slice(tile.top, tile.top + tile.height)
        cols = slice(tile.left, tile.left + tile.width)
        total[:, :, rows, cols] += out * mask
        weight[:, :, rows, cols] += mask
        if progress is not None:
            elapsed = time.monotonic() - started
            eta = estimate_eta_s(index + 1, len(tiles), elapsed)
            progress(Progress(index + 1, len(tiles), None, elapsed, eta))
    return total / weight.clamp_min(1e-8)
