"""The 100 % preview's crop and request (stylebridge.editor.crop_preview), without an editor."""

from __future__ import annotations

from typing import Any

import pytest
from stylebridge.editor.control_layout import is_shown
from stylebridge.editor.crop_preview import crop_around, crop_request, region_centre
from stylebridge.editor.dialog_model import DialogModel, build_dialog_model
from stylebridge.editor.request_params import DialogValues


@pytest.fixture(scope="module")
def model(list_methods_reply: dict[str, Any]) -> DialogModel:
    styles = [{"name": "udnie", "label": "Udnie"}]
    return build_dialog_model(list_methods_reply, {"network": styles, "optimize": styles})


def test_the_crop_is_centred_and_stays_inside_the_region() -> None:
    region = (100, 50, 1000, 800)
    assert crop_around(region, region_centre(region), 256, 256) == (472, 322, 256, 256)
    assert crop_around(region, (0, 0), 256, 256) == (100, 50, 256, 256)  # clamped to a corner
    assert crop_around(region, (5000, 5000), 256, 256) == (844, 594, 256, 256)
    assert crop_around((0, 0, 100, 40), (50, 20), 256, 256) == (0, 0, 100, 40)  # smaller


def test_a_network_crop_names_the_whole_picture_and_a_scaled_size(model: DialogModel) -> None:
    values = DialogValues("network", (("udnie", 1.0),), (), {"stroke": 2.0}, "standard")
    crop = crop_around((0, 0, 2048, 1536), (1024, 768), 256, 256)
    params = crop_request(values, model, crop, (0, 0, 2048, 1536)).params
    # Standard works at 1024 px of 2048: the 256 px crop at 128, strokes of the whole picture.
    assert params == {"stroke": 2.0, "size_px": 128, "picture_px": 2048}
    full = DialogValues("network", (("udnie", 1.0),), (), {}, "full")
    params = crop_request(full, model, crop, (0, 0, 2048, 1536)).params
    assert params == {"size_px": 256, "picture_px": 2048}  # the crop at its real pixel size


def test_an_optimization_crop_works_at_its_share_with_few_steps(model: DialogModel) -> None:
    options = {"preset": "none", "steps": 300}  # the dialog's Draft: 512 px of the 1000
    values = DialogValues("optimize", (("udnie", 1.0),), (("gram", 1.0),), options, "draft")
    params = crop_request(values, model, (0, 0, 200, 100), (0, 0, 1000, 600)).params
    assert (params["size"], params["steps"]) == (102, 30) and "picture_px" not in params


def test_the_picture_size_is_never_a_control_the_painter_sees() -> None:
    assert not is_shown("picture_px", {"picture_px": 0})
