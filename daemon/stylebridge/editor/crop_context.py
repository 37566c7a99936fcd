"""The 100 % crop preview sent with context around it (issue 15): the network pads a crop's
border where the whole picture has neighbours, so a crop of a path that declares `picture_px`
(the network path) is sent grown by a margin on every side, clamped to the region Apply would
stylize, and its result is cut back to the crop before it is shown.

The margin is sized in the network's processing pixels: the network runs a picture at
processing_long_side(stroke) on the long side (core/stroke.py), a crop at its share of that
(core/feedforward.py _processing_side), and its padding reaches about CONTEXT_PROCESSING_PX into
the picture (measured, tests/protocol/test_crop_preview.py: 32 px of context bring a crop with
the whole picture's statistics to within 0.0005 of the whole result, 0.03 without).
Stdlib only, Python 3.8+ (runs inside the editors)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..pixel_layout import result_layout
from ..stroke_scale import processing_long_side
from .crop_preview import PICTURE_NAME
from .dialog_model import DialogModel
from .regions import Rect, intersect
from .request_params import SIZE_NAMES, DialogValues, StylizeRequest, stylize_request

CONTEXT_PROCESSING_PX = 32
# The sent rectangle's side is at most this many times the crop's (the margin's cap).
MAX_SENT_SHARE = 2
STROKE_NAME = "stroke"
DEFAULT_STROKE = 1.0  # the schema's default, should a path declare none


@dataclass(frozen=True)
class ContextCrop:
    """`crop` (canvas px, shown) and `sent` (canvas px, read and stylized: the crop and its
    context); both the same rectangle when no context is sent (a fitted preview, other paths)."""

    crop: Rect
    sent: Rect

    @property
    def crop_in_sent(self) -> Rect:
        """Where the crop lies in the sent picture (x, y, w, h px from its top left)."""
        x, y, width, height = self.crop
        return (x - self.sent[0], y - self.sent[1], width, height)

    def cut(self, data: bytes, fmt: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
        """(pixels, format) of the sent picture's pixels `data` (format `fmt`) -> the crop's
        (unchanged when nothing was sent around it)."""
        if self.crop == self.sent:
            return data, fmt
        return cut_frame(data, fmt, self.crop_in_sent)


def request_stroke(request: StylizeRequest, model: DialogModel) -> float:
    """The stroke `request` runs with: its own, else its path's default."""
    controls = {c.name: c for c in model.controls_for(request.path)}
    default = getattr(controls.get(STROKE_NAME), "default", None)
    return float(request.params.get(STROKE_NAME, DEFAULT_STROKE if default is None else default))


def processing_px_per_canvas_px(request: StylizeRequest, model: DialogModel, side_px: int) -> float:
    """How many processing px the network gives one px of a picture whose long side is
    `side_px`, for `request` (the whole picture's): the stroke's processing size, or at
    stroke 0 the working size (no larger than the picture: 1)."""
    stroke = request_stroke(request, model)
    if stroke > 0:
        return processing_long_side(stroke) / side_px
    size = next((request.params[n] for n in SIZE_NAMES if n in request.params), 0)
    if isinstance(size, int) and 0 < size < side_px:
        return size / side_px
    return 1.0


def context_margin_px(request: StylizeRequest, model: DialogModel, crop: Rect, region: Rect) -> int:
    """The margin (canvas px, each side) to send around `crop` of `region` for `request` (the
    whole region's): CONTEXT_PROCESSING_PX at the network's scale, at most what keeps the sent
    side within MAX_SENT_SHARE x the crop's; 0 for a path without `picture_px`."""
    if PICTURE_NAME not in {c.name for c in model.controls_for(request.path)}:
        return 0
    scale = processing_px_per_canvas_px(request, model, max(region[2:]))
    margin = math.ceil(CONTEXT_PROCESSING_PX / scale)
    return min(margin, max(crop[2:]) * (MAX_SENT_SHARE - 1) // 2)


def grown(crop: Rect, margin_px: int, region: Rect) -> Rect:
    """`crop` grown by `margin_px` on every side, clamped to `region` (which holds the crop)."""
    x, y, width, height = crop
    around = (x - margin_px, y - margin_px, width + 2 * margin_px, height + 2 * margin_px)
    return intersect(around, region) or crop


def context_crop(values: DialogValues, model: DialogModel, crop: Rect, region: Rect) -> ContextCrop:
    """`crop` of `region` with the context its preview sends (none for other paths)."""
    whole = stylize_request(values, model, max(region[2:]))
    return ContextCrop(crop, grown(crop, context_margin_px(whole, model, crop, region), region))


def cut_frame(data: bytes, fmt: dict[str, Any], rect: Rect) -> tuple[bytes, dict[str, Any]]:
    """(pixels, packed format) of `rect` (x, y, w, h px, inside the frame) cut out of the frame
    `data` of format `fmt` (any channels, dtype and stride)."""
    layout = result_layout(fmt)
    x, y, width, height = rect
    if x < 0 or y < 0 or width < 1 or height < 1:
        raise ValueError(f"cut {rect} must be a non-empty rectangle at x, y >= 0")
    if x + width > layout.width or y + height > layout.height:
        raise ValueError(f"cut {rect} reaches outside the {layout.width}x{layout.height} frame")
    pixel_bytes = layout.channel_count * layout.itemsize
    start, row_bytes = x * pixel_bytes, width * pixel_bytes
    view = memoryview(data)
    rows = (view[r * layout.stride + start : r * layout.stride + start + row_bytes] for r in
            range(y, y + height))  # fmt: skip
    cut = {**fmt, "width": width, "height": height}
    cut.pop("stride", None)
    return b"".join(rows), cut
