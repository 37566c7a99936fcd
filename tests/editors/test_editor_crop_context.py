"""The context a 100 % crop is sent with (stylebridge.editor.crop_context, #15): the network
path's crop grows by a margin sized in processing px, clamped to the region and capped, the
request describes the grown rectangle, and the result is cut back to the crop. Without an
editor."""

from __future__ import annotations

from typing import Any

import pytest
from stylebridge.editor.crop_context import ContextCrop, context_crop, cut_frame
from stylebridge.editor.crop_preview import crop_around, crop_request
from stylebridge.editor.dialog_model import DialogModel, build_dialog_model
from stylebridge.editor.frame_loop import SHOT_NAME
from stylebridge.editor.preview_shot import PreviewShot
from stylebridge.editor.request_params import DialogValues, preview_request

REGION = (0, 0, 2048, 1536)
CROP = crop_around(REGION, (1024, 768), 300, 200)


@pytest.fixture(scope="module")
def model(list_methods_reply: dict[str, Any]) -> DialogModel:
    styles = [{"name": "udnie", "label": "Udnie"}]
    names = {"network": styles, "optimize": styles, "arbitrary": styles}
    return build_dialog_model(list_methods_reply, names)


def values(mode: str = "network", preset: str = "standard", **options: Any) -> DialogValues:
    methods = (("gram", 1.0),) if mode == "optimize" else ()
    return DialogValues(mode, (("udnie", 1.0),), methods, options, preset)


@pytest.mark.parametrize(
    ("stroke", "margin_px"),
    [(1.0, 128), (0.5, 64), (2.0, 150)],  # 32 processing px; 2048 px at 512, 1024, (256: capped)
)
def test_the_margin_is_32_processing_px_capped_at_half_the_crops_side(
    model: DialogModel, stroke: float, margin_px: int
) -> None:
    context = context_crop(values(stroke=stroke), model, CROP, REGION)
    x, y, w, h = CROP
    assert context.crop == CROP
    assert context.sent == (x - margin_px, y - margin_px, w + 2 * margin_px, h + 2 * margin_px)
    assert context.crop_in_sent == (margin_px, margin_px, w, h)


@pytest.mark.parametrize(("preset", "margin_px"), [("full", 32), ("standard", 64)])
def test_at_stroke_0_the_margin_is_32_px_of_the_working_size(
    model: DialogModel, preset: str, margin_px: int
) -> None:
    # The network runs at the working size: the picture's own, or 1024 of its 2048 px.
    context = context_crop(values(preset=preset, stroke=0.0), model, CROP, REGION)
    assert context.crop_in_sent[:2] == (margin_px, margin_px)


def test_the_grown_crop_is_clamped_to_the_region_at_its_corners(model: DialogModel) -> None:
    region = (100, 50, 1024, 768)  # stroke 1: 512 / 1024 processing px per px, a 64 px margin
    corner = crop_around(region, (0, 0), 300, 200)
    context = context_crop(values(), model, corner, region)
    assert context.sent == (100, 50, 364, 264) and context.crop_in_sent == (0, 0, 300, 200)
    far = crop_around(region, (5000, 5000), 300, 200)
    context = context_crop(values(), model, far, region)
    assert context.sent == (760, 554, 364, 264) and context.crop_in_sent == (64, 64, 300, 200)
    whole = context_crop(values(), model, region, region)
    assert whole.sent == whole.crop == region  # nothing around a crop of the whole region


@pytest.mark.parametrize("mode", ["arbitrary", "optimize"])
def test_other_paths_send_the_crop_alone(model: DialogModel, mode: str) -> None:
    assert context_crop(values(mode), model, CROP, REGION).sent == CROP


@pytest.mark.parametrize(("preset", "share"), [("full", 1.0), ("standard", 0.5)])
def test_the_request_describes_the_grown_crop_in_the_fitted_previews_shot(
    model: DialogModel, preset: str, share: float
) -> None:
    shot = PreviewShot()
    shot.done(shot.fitted(preview_request(values(preset=preset), model), model))
    context = context_crop(values(preset=preset), model, CROP, REGION)
    request = crop_request(values(preset=preset), model, context.sent, REGION)
    request = shot.crop(request, model)
    assert request.params["picture_px"] == 2048 and SHOT_NAME in request.params
    # Full size: the grown crop's own; the standard preset works at 1024 of the 2048 px.
    assert request.params["size_px"] == round(max(context.sent[2:]) * share)


def _frame(width: int, height: int, stride: int = 0) -> tuple[bytes, dict[str, Any]]:
    """A BGRA frame whose pixel (x, y) holds bytes (x, y, 7, 255); rows padded to `stride`."""
    rows = []
    for y in range(height):
        row = b"".join(bytes((x, y, 7, 255)) for x in range(width))
        rows.append(row + bytes(max(0, stride - len(row))))
    fmt = {"width": width, "height": height, "channels": "BGRA", "dtype": "uint8"}
    return b"".join(rows), {**fmt, "stride": stride} if stride else fmt


@pytest.mark.parametrize("stride", [0, 48])
def test_a_cut_holds_the_rectangles_pixels_packed(stride: int) -> None:
    data, fmt = _frame(10, 6, stride)
    cut, cut_fmt = cut_frame(data, fmt, (3, 2, 4, 3))
    assert (cut_fmt["width"], cut_fmt["height"], cut_fmt.get("stride", 0)) == (4, 3, 0)
    assert cut == b"".join(bytes((x, y, 7, 255)) for y in range(2, 5) for x in range(3, 7))


def test_a_cut_outside_the_frame_is_refused() -> None:
    data, fmt = _frame(10, 6)
    with pytest.raises(ValueError, match="outside"):
        cut_frame(data, fmt, (8, 0, 4, 3))


def test_the_result_is_cut_back_to_the_crop_and_a_fitted_picture_is_kept() -> None:
    data, fmt = _frame(10, 6)
    context = ContextCrop(crop=(103, 52, 4, 3), sent=(100, 50, 10, 6))
    assert context.cut(data, fmt) == cut_frame(data, fmt, (3, 2, 4, 3))
    fitted = ContextCrop(crop=(0, 0, 2048, 1536), sent=(0, 0, 2048, 1536))
    assert fitted.cut(data, fmt) == (data, fmt)  # a fitted thumbnail: its own size, unchanged
