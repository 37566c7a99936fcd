"""The thinnest images the optimization can work on.

VGG-19 halves its input four times before relu5_1, so a side under 16 px at any scale leaves a
layer with no pixels and the convolutions fail deep inside torch. The content is resized to each
scale of `optimize.scale_plan`, and every style to that scale's area (stylize_problem), so a
thin layer (1x64 at size 512 is 8x512) or a thin style can fall under the limit even when the
size is large. Checked before any work, with a message naming the image and what to change.
Styles are checked at the scale's long side: where sizing by area gives a style a shorter side
than that, the side is still longer than the content's, which is checked too.
"""

from __future__ import annotations

from collections.abc import Sequence

from stylebridge.core.images import fit_long_side
from stylebridge.core.optimize import scale_plan

MIN_SIDE_PX = 16


def _check(name: str, height: int, width: int, long_side_px: int) -> None:
    h, w = fit_long_side(height, width, long_side_px)
    if min(h, w) < MIN_SIDE_PX:
        raise ValueError(
            f"{name} is {width}x{height} px; at {long_side_px} px on the long side it would be "
            f"{w}x{h} px, and the optimization needs at least {MIN_SIDE_PX} px on every side "
            "(use a larger size, fewer scales, or a less thin image)"
        )


def check_optimize_sides(
    content_hw: tuple[int, int],
    style_hws: Sequence[tuple[str, tuple[int, int]]],
    size: int,
    scales: int,
) -> None:
    """ValueError when the content (H, W) or a named style's (H, W) would shrink below 16 px on
    a side at some scale of an optimization of long side `size` with `scales` levels."""
    height, width = content_hw
    for h, w, _ in scale_plan(height, width, size, scales, 1):
        long_side = max(h, w)
        _check("the image", height, width, long_side)
        for name, (style_h, style_w) in style_hws:
            _check(f"style {name}", style_h, style_w, long_side)
