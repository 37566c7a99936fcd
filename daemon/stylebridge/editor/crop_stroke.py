"""The 100 % crop preview of a path without `picture_px` (the arbitrary path): the style's
brushwork at the scale of the whole result.

The arbitrary path resizes each style to the painted picture's area times stroke² and takes no
`picture_px` (docs/protocol.md, "arbitrary"), so a crop sent alone would get the style resized to
the crop's area: strokes as many times larger as the picture is wider than the crop. The crop's
request carries the stroke times sqrt(region area / crop area) instead, kept within the schema's
range (a crop far smaller than the picture can still show coarser strokes than Apply will).
Stdlib only, Python 3.8+ (runs inside the editors)."""

from __future__ import annotations

import math
from dataclasses import replace

from .crop_preview import PICTURE_NAME
from .dialog_model import DialogModel
from .regions import Rect
from .request_params import StylizeRequest

STROKE_NAME = "stroke"


def whole_picture_stroke(
    request: StylizeRequest, model: DialogModel, crop: Rect, region: Rect
) -> StylizeRequest:
    """`request` (crop_request's, for `crop` inside `region`) with its stroke scaled to the whole
    region's strokes when its path declares a stroke but no picture_px; else unchanged."""
    controls = {c.name: c for c in model.controls_for(request.path)}
    stroke = controls.get(STROKE_NAME)
    if stroke is None or PICTURE_NAME in controls or crop[2] * crop[3] <= 0:
        return request
    factor = math.sqrt(region[2] * region[3] / (crop[2] * crop[3]))
    value = float(request.params.get(STROKE_NAME, stroke.default or 1.0)) * factor
    if stroke.maximum is not None:
        value = min(value, float(stroke.maximum))
    return replace(request, params={**request.params, STROKE_NAME: round(value, 4)})
