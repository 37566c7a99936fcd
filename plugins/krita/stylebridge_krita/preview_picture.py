"""What a preview sends: the layer's fitted thumbnail, or a crop of it at real pixel size (the
100 % preview, stylebridge.editor.crop_preview), with the request for it."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

from stylebridge.editor.crop_context import ContextCrop, context_crop
from stylebridge.editor.crop_preview import crop_around, crop_request, region_centre
from stylebridge.editor.crop_stroke import whole_picture_stroke
from stylebridge.editor.preview_shot import PreviewShot, fitted_preview_px
from stylebridge.editor.request_params import preview_request

from .layer_io import source_region, thumbnail_frame


def preview_picture(doc, node, values, model, shot: PreviewShot, crop_size=None, centre=None):
    """(pixels, format, request, ContextCrop, region): fitted without `crop_size` (w, h); else
    the crop of that size around `centre` (canvas px; None: the region's centre) of the region
    Apply would stylize, 8-bit sRGB, read with the context sent around it (ContextCrop.sent;
    cut the pixels back to ContextCrop.crop to show them); the crop in the fitted preview's
    `shot` (its statistics)."""
    region = source_region(doc, node)
    if crop_size is None:
        pixels, fmt = thumbnail_frame(node, fitted_preview_px(values, model), region)
        request = preview_request(values, model, max(fmt["width"], fmt["height"]))
        return pixels, fmt, shot.fitted(request, model), ContextCrop(region, region), region
    crop = crop_around(region, centre or region_centre(region), *crop_size)
    context = context_crop(values, model, crop, region)
    pixels, fmt = thumbnail_frame(node, max(context.sent[2:]), context.sent)  # scale 1
    request = crop_request(values, model, context.sent, region)
    request = shot.crop(whole_picture_stroke(request, model, context.sent, region), model)
    return pixels, fmt, request, context, region
