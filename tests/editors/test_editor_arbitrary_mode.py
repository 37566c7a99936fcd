"""The dialogs' third mode, any picture as a style in one pass (path `arbitrary`), from the
daemon's own list_methods reply: its painter-facing transform choice, custom styles, preview and
request, and the mode shown unavailable when the daemon leaves the path out."""

from __future__ import annotations

import copy
import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
from stylebridge.editor.control_layout import is_advanced
from stylebridge.editor.dialog_model import (
    CUSTOM_STYLE_MODES,
    MODE_LABELS,
    MODES,
    DialogModel,
    build_dialog_model,
)
from stylebridge.editor.request_params import (
    DialogValues,
    preview_request,
    stylize_request,
    values_from_json,
    values_to_json,
)
from stylebridge.style_blend import WeightedStyle

GIMP_DIR = Path(__file__).resolve().parents[2] / "plugins" / "gimp" / "stylebridge"
STYLES = {"arbitrary": [{"name": "udnie"}, {"name": "starry-night"}]}


@pytest.fixture
def model(list_methods_reply: dict[str, Any]) -> DialogModel:
    return build_dialog_model(list_methods_reply, STYLES)


def _transform(model: DialogModel) -> Any:
    return next(c for c in model.controls_for("arbitrary") if c.name == "transform")


def test_arbitrary_is_a_third_mode_with_a_painter_label_that_takes_custom_styles() -> None:
    assert MODES[2] == "arbitrary" and MODE_LABELS["arbitrary"] == "Any picture (instant)"
    assert "arbitrary" in CUSTOM_STYLE_MODES and "network" not in CUSTOM_STYLE_MODES


def test_transform_is_a_painter_choice_of_values_the_daemon_accepts(model: DialogModel) -> None:
    from stylebridge.core.arbitrary import ArbitraryParams

    transform = _transform(model)
    assert transform.kind == "choice" and transform.label == "Match"
    assert transform.choices == ("intra", "wct", "wct=0.5,intra=0.5")
    assert transform.choice_label("intra").startswith("Colours and contrast")
    assert transform.choice_label("wct").startswith("Textures and patterns")
    assert transform.choice_label("wct=0.5,intra=0.5") == "Blend of both"
    assert transform.default == transform.schema_default == "wct"  # the daemon's default kept
    assert not is_advanced(transform)  # in front, beside strength and stroke
    for choice in transform.choices:  # the daemon's own validation takes every choice
        ArbitraryParams(transform=choice)


def test_other_modes_keep_their_controls_unchanged(model: DialogModel) -> None:
    for mode in ("network", "optimize"):
        assert all(not c.choice_labels for c in model.controls_for(mode))


def test_front_and_advanced_controls_of_the_arbitrary_mode(model: DialogModel) -> None:
    front = [c.name for c in model.controls_for("arbitrary") if not is_advanced(c)]
    assert front == ["transform", "strength", "stroke", "passes", "preserve_color"]
    advanced = [c.name for c in model.controls_for("arbitrary") if is_advanced(c)]
    assert advanced == ["size_px"]


def test_request_carries_transform_library_and_layer_styles(model: DialogModel) -> None:
    values = DialogValues(
        "arbitrary",
        (("udnie", 1.0), ("custom:0", 3.0)),
        (),
        {"transform": "intra", "strength": 0.8, "stroke": 2.0, "unknown": 1},
        preset="draft",
        custom_styles=("layer:Style",),
    )
    request = stylize_request(values, model, source_side_px=300)
    assert request.path == "arbitrary"
    assert request.params == {"transform": "intra", "strength": 0.8, "stroke": 2.0, "size_px": 300}
    assert request.styles == (WeightedStyle(0.25, name="udnie"), WeightedStyle(0.75, picture=0))
    assert "method" not in request.params  # the optimize path's fusion is not sent here


def test_preview_paints_the_thumbnail_at_its_own_size(model: DialogModel) -> None:
    values = DialogValues(
        "arbitrary", (("custom:0", 1.0),), (), {"transform": "wct"}, "full", ("layer:S",)
    )
    request = preview_request(values, model, 200)
    assert request.params["size_px"] == 200 and request.params["transform"] == "wct"


def test_settings_of_the_arbitrary_mode_round_trip(model: DialogModel) -> None:
    values = DialogValues(
        "arbitrary", (("custom:0", 1.0),), (), {"transform": "intra"}, "draft", ("file:/a.png",)
    )
    assert values_from_json(values_to_json(values)) == values


def test_mode_left_out_of_list_methods_is_unavailable_with_a_reason(
    list_methods_reply: dict[str, Any],
) -> None:
    reply = copy.deepcopy(list_methods_reply)
    del reply["paths"]["arbitrary"]
    model = build_dialog_model(reply, STYLES)
    assert "decoder" in model.reason_unavailable("arbitrary")
    assert model.reason_unavailable("network") == "" and model.controls_for("arbitrary") == ()
    full = build_dialog_model(list_methods_reply, STYLES)
    assert full.unavailable == {}


def _gimp_module(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, GIMP_DIR / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_gimp_procedure_takes_mode_arbitrary_with_layer_styles_and_transform(
    model: DialogModel,
) -> None:
    _gimp_module("gimp_weights")
    gimp_args = _gimp_module("gimp_args")
    args = {
        "mode": "arbitrary",
        "custom-styles": "layer:Style=1",
        "options": '{"transform": "wct=0.5,intra=0.5"}',
        "stroke": 1.5,
    }
    values = gimp_args.dialog_values(args, model)
    request = stylize_request(values, model)
    assert request.path == "arbitrary" and request.styles == (WeightedStyle(1.0, picture=0),)
    assert values.custom_styles == ("layer:Style",)
    assert request.params["transform"] == "wct=0.5,intra=0.5" and request.params["stroke"] == 1.5
    with pytest.raises(ValueError, match="optimize or arbitrary"):
        gimp_args.dialog_values({"mode": "network", "custom-styles": "layer:Style=1"}, model)


def test_crop_preview_keeps_the_whole_pictures_stroke_on_the_arbitrary_path(
    model: DialogModel,
) -> None:
    """The arbitrary path has no picture_px: a crop's stroke grows with the picture/crop area."""
    from stylebridge.editor.crop_preview import crop_request
    from stylebridge.editor.crop_stroke import whole_picture_stroke

    values = DialogValues("arbitrary", (("udnie", 1.0),), (), {"stroke": 1.5}, "full")
    region, crop = (0, 0, 1024, 768), (100, 100, 256, 192)  # a sixteenth of the area
    request = whole_picture_stroke(crop_request(values, model, crop, region), model, crop, region)
    assert request.params["stroke"] == 6.0 and request.params["size_px"] == 256
    huge = (0, 0, 8192, 6144)  # 32 times wider: the schema's maximum stroke, 8
    request = whole_picture_stroke(crop_request(values, model, crop, huge), model, crop, huge)
    assert request.params["stroke"] == 8.0
    network = DialogValues("network", (("udnie", 1.0),), (), {"stroke": 1.5}, "full")
    plain = crop_request(network, model, crop, region)
    assert plain.params["picture_px"] == 1024  # the network path scales strokes itself
    assert whole_picture_stroke(plain, model, crop, region) == plain
