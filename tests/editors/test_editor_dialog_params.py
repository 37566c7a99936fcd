"""Dialog model from the daemon's own schema (its list_methods reply), and dialog values ->
stylize request parameters."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from stylebridge.editor.dialog_model import Control, DialogModel, build_dialog_model
from stylebridge.editor.layer_names import layer_name
from stylebridge.editor.request_params import (
    DialogValues,
    fusion_spec,
    normalized_blend,
    preview_request,
    stylize_request,
    values_from_json,
    values_to_json,
)
from stylebridge.style_blend import WeightedStyle

STYLES = {
    "network": [
        {"name": "starry-night", "label": "Starry Night", "thumbnail": b"\x89PNG"},
        {"name": "the-scream", "label": "The Scream"},
    ],
    "optimize": [{"name": "udnie", "label": "Udnie"}],
}


@pytest.fixture
def model(list_methods_reply: dict[str, Any]) -> DialogModel:
    """The dialog model of the daemon's own list_methods reply and a few listed styles."""
    return build_dialog_model(list_methods_reply, STYLES)


def test_controls_come_from_the_schema_in_order(
    model: DialogModel, list_methods_reply: dict[str, Any]
) -> None:
    controls = model.controls_for("network")
    declared = list_methods_reply["paths"]["network"]["parameters"]
    assert [c.name for c in controls] == [p["name"] for p in declared]
    assert [c.default for c in controls] == [p["default"] for p in declared]
    text = declared[0]["help"]
    assert text  # the daemon explains each parameter; the dialogs show it as a tooltip
    strength = Control("strength", "float", 1.0, "Strength", text, 0.0, 1.0, schema_default=1.0)
    assert controls[0] == strength
    optimize = {c.name: c for c in model.controls_for("optimize")}
    assert optimize["optimizer"].choices == ("lbfgs", "adam")
    assert optimize["preset"].default == "normal" and optimize["preset"].schema_default == "none"


def test_styles_keep_labels_and_thumbnails_per_mode(model: DialogModel) -> None:
    network = model.styles_for("network")
    assert [s.label for s in network] == ["Starry Night", "The Scream"]
    assert network[0].thumbnail == b"\x89PNG" and network[1].thumbnail is None
    assert [s.name for s in model.styles_for("optimize")] == ["udnie"]
    assert model.labels()["gram"] == "Gram matrices (Gatys)"


def test_malformed_schema_is_reported(list_methods_reply: dict[str, Any]) -> None:
    methods = copy.deepcopy(list_methods_reply)
    methods["paths"]["network"]["parameters"].append({"name": "x", "kind": "colour"})
    with pytest.raises(ValueError, match="'x'"):
        build_dialog_model(methods, STYLES)


def test_network_request_normalises_blend_and_applies_preset(model: DialogModel) -> None:
    values = DialogValues(
        mode="network",
        blend=(("starry-night", 0.6), ("the-scream", 0.2), ("udnie", 0.0)),
        options={"strength": 0.8, "preserve_color": "luminance", "stale": 1},
        preset="draft",
    )
    request = stylize_request(values, model)
    assert request.path == "network" and request.model == "default"
    assert [s.name for s in request.styles] == ["starry-night", "the-scream"]
    assert [s.weight for s in request.styles] == pytest.approx([0.75, 0.25])
    # Options the schema does not declare ("stale", from older settings) are not sent.
    assert request.params == {"strength": 0.8, "preserve_color": "luminance", "size_px": 512}
    name = "Starry Night 75% + The Scream 25% (fast, strength 80%)"
    assert layer_name(request, model.labels()) == name


def test_optimize_request_carries_fusion_and_custom_style_weights(model: DialogModel) -> None:
    values = DialogValues(
        mode="optimize",
        blend=(("udnie", 1.0), ("custom:1", 1.0)),
        methods=(("gram", 0.5), ("bn", 0.5)),
        options={"steps": 200},
        custom_styles=("file:/unused.png", "layer:Sketch"),
    )
    request = stylize_request(values, model, source_side_px=300)
    assert request.params == {"steps": 200, "size": 300, "method": "gram=0.5,bn=0.5"}
    assert request.styles == (WeightedStyle(0.5, name="udnie"), WeightedStyle(0.5, picture=1))
    assert layer_name(request, model.labels()) == "Udnie 50% + Custom style 50% (gram+bn)"
    preview = preview_request(values, model, preview_side_px=200)
    assert (preview.params["steps"], preview.params["size"]) == (30, 200)


@pytest.mark.parametrize(
    ("preset", "source_side_px", "size"),
    [("full", 3000, 3000), ("standard", 300, 300), ("draft", 0, 512), ("full", 10000, 8192)],
)
def test_presets_set_the_size_within_source_and_schema_limits(
    model: DialogModel, preset: str, source_side_px: int, size: int
) -> None:
    values = DialogValues("optimize", (("udnie", 1.0),), (("gram", 1.0),), preset=preset)
    assert stylize_request(values, model, source_side_px).params["size"] == size


def test_invalid_choices_raise_value_errors(model: DialogModel) -> None:
    with pytest.raises(ValueError, match="at least one style"):
        stylize_request(DialogValues(blend=(("udnie", 0.0),)), model)
    with pytest.raises(ValueError, match="at most 4"):
        normalized_blend(tuple((f"s{i}", 1.0) for i in range(5)))
    with pytest.raises(ValueError, match="method"):
        fusion_spec((("gram", 0.0),))
    with pytest.raises(ValueError, match="names no custom style"):
        stylize_request(DialogValues(blend=(("custom:0", 1.0),)), model)
    with pytest.raises(ValueError, match="mode"):
        stylize_request(DialogValues(mode="magic", blend=(("udnie", 1.0),)), model)


def test_settings_round_trip_through_json_and_garbage_gives_none() -> None:
    values = DialogValues(
        "optimize", (("custom:0", 1.0),), (("gram", 1.0),), {"steps": 9}, "full", ("file:/a.png",)
    )
    assert values_from_json(values_to_json(values)) == values
    assert values_from_json("") is None
    assert values_from_json('{"mode": 1}') is None


def test_long_layer_names_are_shortened(model: DialogModel) -> None:
    blend = tuple((f"a-very-long-style-name-{i}", 1.0) for i in range(4))
    name = layer_name(stylize_request(DialogValues(blend=blend), model))
    assert len(name) == 80 and name.endswith("…")
