"""Flicker: the mean absolute change between consecutive results where the inputs differ only by
a known shift, compared after warping each result onto the next (so motion is not counted)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor


def overlap(previous: Tensor, current: Tensor, shift_px: tuple[int, int]) -> tuple[Tensor, Tensor]:
    """The parts of two (1, C, H, W) frames that show the same scene point, when the content of
    `current` is `previous` moved by shift_px = (down, right) pixels."""
    dy, dx = shift_px
    h, w = previous.shape[-2:]
    if abs(dy) >= h or abs(dx) >= w:
        raise ValueError(f"shift {shift_px} leaves no overlap in a {h}x{w} frame")
    before = previous[..., max(0, -dy) : h - max(0, dy), max(0, -dx) : w - max(0, dx)]
    after = current[..., max(0, dy) : h - max(0, -dy), max(0, dx) : w - max(0, -dx)]
    return before, after


def flicker(results: Sequence[Tensor], shifts_px: Sequence[tuple[int, int]]) -> float:
    """Mean absolute change (0..1 scale) between consecutive results, after undoing the shift
    shifts_px[i] between input i and input i + 1; 0 for a perfectly stable sequence."""
    if len(results) < 2 or len(shifts_px) != len(results) - 1:
        raise ValueError(
            f"need n >= 2 results and n - 1 shifts, got {len(results)}, {len(shifts_px)}"
        )
    changes = []
    for previous, current, shift in zip(results, results[1:], shifts_px, strict=False):
        before, after = overlap(previous.float(), current.float(), shift)
        changes.append((after - before).abs().mean())
    return float(torch.stack(changes).mean())
