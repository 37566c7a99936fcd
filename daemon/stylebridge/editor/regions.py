"""Rectangles an editor works on: the layer, the canvas and the selection, and preview sizes.

Stdlib only, Python 3.8+ (runs inside the editors). A rectangle is (x, y, width, height) in px."""

from __future__ import annotations

from typing import Tuple  # noqa: UP035

# typing.Tuple, not tuple[...]: this alias is evaluated at run time on Python 3.8.
Rect = Tuple[int, int, int, int]  # noqa: UP006


def intersect(a: Rect, b: Rect) -> Rect | None:
    """The overlap of two rectangles, or None when they do not overlap."""
    left, top = max(a[0], b[0]), max(a[1], b[1])
    right, bottom = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    if right <= left or bottom <= top:
        return None
    return (left, top, right - left, bottom - top)


def work_region(layer: Rect, canvas: Rect, selection: Rect | None) -> Rect:
    """The pixels to stylize: layer ∩ canvas (∩ selection); ValueError when that is empty."""
    region = intersect(layer, canvas)
    if region is None:
        raise ValueError("the layer has no pixels on the canvas: paint something first")
    if selection is not None:
        region = intersect(region, selection)
        if region is None:
            raise ValueError("the selection does not overlap the layer's pixels")
    return region


def fit_within(width: int, height: int, max_side_px: int) -> tuple[int, int]:
    """(w, h) scaled down (never up) so the longer side is at most `max_side_px`, each >= 1."""
    if width < 1 or height < 1:
        raise ValueError(f"size must be at least 1x1, got {width}x{height}")
    scale = min(1.0, max_side_px / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))
