"""The 100 % preview: a crop of the layer at its real pixel size, stylized as the full result
would be, so the painter sees real detail before applying (issue 15).

A crop is not a small picture of its own: the network paints strokes relative to the whole
picture (core/stroke.py), so the crop request names the whole picture's long side
(`picture_px`), and a working size below the layer's is scaled by the crop's share of it.

Stdlib only, Python 3.8+ (runs inside the editors)."""

from __future__ import annotations

from dataclasses import replace

from .dialog_model import DialogModel
from .regions import Rect
from .request_params import (
    PREVIEW_MAX_STEPS,
    SIZE_NAMES,
    STEP_NAMES,
    DialogValues,
    StylizeRequest,
    stylize_request,
)

PICTURE_NAME = "picture_px"  # the network path's "long side of the whole picture" parameter


def crop_around(region: Rect, centre: tuple[int, int], width: int, height: int) -> Rect:
    """The `width` x `height` crop of `region` (both at most the region's) centred as near to
    `centre` (x, y, canvas px) as the region allows."""
    x, y, w, h = region
    width, height = max(1, min(width, w)), max(1, min(height, h))
    left = min(max(x, centre[0] - width // 2), x + w - width)
    top = min(max(y, centre[1] - height // 2), y + h - height)
    return (left, top, width, height)


def region_centre(region: Rect) -> tuple[int, int]:
    """The centre of `region` (the selection's, when the region is the selection's bounds)."""
    return (region[0] + region[2] // 2, region[1] + region[3] // 2)


def _scaled(value: int, crop_side_px: int, region_side_px: int) -> int:
    return max(1, round(value * crop_side_px / region_side_px))


def crop_request(
    values: DialogValues, model: DialogModel, crop: Rect, region: Rect
) -> StylizeRequest:
    """The request for `crop` (inside `region`, the pixels Apply would stylize) that gives the
    crop's pixels of the full result: same options, the working size scaled by the crop's
    share of the region, the whole region's stroke scale; few optimization steps (quick)."""
    region_side, crop_side = max(region[2:]), max(crop[2:])
    full = stylize_request(values, model, region_side)
    params = dict(full.params)
    declared = {c.name for c in model.controls_for(values.mode)}
    for name in SIZE_NAMES:
        size = params.get(name)
        if isinstance(size, int) and 0 < size < region_side:  # worked smaller, then enlarged
            params[name] = _scaled(size, crop_side, region_side)
        elif name in params:
            params[name] = crop_side  # the full size: the crop's own
    if PICTURE_NAME in declared:
        params[PICTURE_NAME] = region_side
    step_name = next((n for n in STEP_NAMES if n in declared), None)
    if step_name is not None:
        params[step_name] = min(params.get(step_name) or PREVIEW_MAX_STEPS, PREVIEW_MAX_STEPS)
    return replace(full, params=params)


def followed_crop(shown: Rect, region: Rect, pane_size: tuple[int, int]) -> Rect | None:
    """The crop a pane of `pane_size` (w, h px) shows in place of `shown` (the crop on screen,
    inside `region`), centred where `shown` is; None when the pane's new size changes nothing
    (the same crop: a resize that needs no new preview)."""
    crop = crop_around(region, region_centre(shown), *pane_size)
    return None if crop == tuple(shown) else crop


def follows_pane_by_itself(mode: str) -> bool:
    """Whether a resize of the pane re-runs a crop's preview without being asked: not for a
    slow optimization, whose previews start only when asked for (as Krita's live preview)."""
    return mode != "optimize"
