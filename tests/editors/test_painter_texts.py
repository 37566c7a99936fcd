"""What both dialogs show and send (issue 15 and 11), against the daemon's real schema: style
titles, applied blend shares, the quality preset deciding unless changed, quick previews, the
upscale note, no ETA from one step, Cancel recognised."""

from __future__ import annotations

from typing import Any

import pytest
from stylebridge.client import DaemonError
from stylebridge.editor.dialog_model import DialogModel, build_dialog_model
from stylebridge.editor.layer_names import layer_name
from stylebridge.editor.progress_text import failure_text, progress_text, was_cancelled
from stylebridge.editor.request_params import (
    DialogValues,
    applied_percents,
    dialog_size_applies,
    preview_request,
    stylize_request,
)
from stylebridge.editor.style_names import style_title


@pytest.fixture
def model(list_methods_reply: dict[str, Any]) -> DialogModel:
    # Labels as the daemon makes them up from the name.
    styles = [{"name": "composition-vii", "label": "Composition vii"}]
    return build_dialog_model(list_methods_reply, {"network": styles, "optimize": styles})


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("composition-vii", "Composition VII"),
        ("great-wave-off-kanagawa", "Great Wave off Kanagawa"),
        ("woman-with-a-hat", "Woman with a Hat"),
        ("the-scream", "The Scream"),
        ("van-doesburg-composition-xiii", "Composition XIII (van Doesburg)"),
        ("black-white-zigzag", "Black and White Zigzag"),
        ("my_own-mix", "My Own Mix"),
    ],
)
def test_style_titles_have_proper_capitals(name: str, title: str) -> None:
    assert style_title(name) == title


def test_dialog_model_titles_styles_whose_wire_label_is_only_the_name(model: DialogModel) -> None:
    assert model.styles_for("network")[0].label == "Composition VII"
    kept = build_dialog_model({}, {"network": [{"name": "x-y", "label": "Ma Vague"}]})
    assert kept.styles_for("network")[0].label == "Ma Vague"  # a real label is kept


def test_applied_percents_are_the_shares_the_sliders_stand_for() -> None:
    assert applied_percents((("a", 0.9), ("b", 0.5))) == (64, 36)
    assert applied_percents((("a", 0.3), ("b", 0.0))) == (100, 0)
    assert applied_percents((("a", 0.0),)) == (0,)


def test_preset_decides_steps_scales_and_size_unless_changed(model: DialogModel) -> None:
    controls = {c.name: c for c in model.controls_for("optimize")}
    assert controls["preset"].default == "normal"  # the dialogs start on the CPU-sized preset
    untouched = {name: c.default for name, c in controls.items() if name != "method"}
    values = DialogValues("optimize", (("composition-vii", 1.0),), (("gram", 1.0),), untouched)
    params = stylize_request(values, model, 2000).params
    assert params["preset"] == "normal"
    assert not {"steps", "scales", "size"} & set(params)
    changed = DialogValues(values.mode, values.blend, values.methods, {**untouched, "steps": 12})
    assert stylize_request(changed, model, 2000).params["steps"] == 12
    plain = DialogValues(values.mode, values.blend, values.methods, {"preset": "none"})
    assert stylize_request(plain, model, 2000).params["size"] == 1024  # the dialog's own preset


def test_script_calls_without_a_preset_keep_the_daemon_defaults(model: DialogModel) -> None:
    options = {"steps": 10, "size": 48}
    values = DialogValues("optimize", (("composition-vii", 1.0),), (("gram", 1.0),), options, "")
    assert stylize_request(values, model).params == {**options, "method": "gram"}


def test_optimize_preview_works_at_the_thumbnail_size_with_few_steps(model: DialogModel) -> None:
    values = DialogValues("optimize", (("composition-vii", 1.0),), (("gram", 1.0),))
    params = preview_request(values, model, 200).params
    assert (params["size"], params["steps"]) == (200, 30)


def test_layer_name_says_when_the_result_was_upscaled(model: DialogModel) -> None:
    options = {"preset": "none", "size": 256}
    values = DialogValues("optimize", (("composition-vii", 1.0),), (("gram", 1.0),), options, "")
    request = stylize_request(values, model)
    assert layer_name(request, {}, 1024) == "Composition VII (gram, upscaled from 256 px)"
    assert layer_name(request, {}, 256) == "Composition VII (gram)"


def test_layer_name_says_upscaled_when_the_daemon_preset_picked_the_size(
    model: DialogModel,
) -> None:
    options = {"preset": "draft"}  # the daemon's preset picks the size: the request names none
    values = DialogValues("optimize", (("composition-vii", 1.0),), (("gram", 1.0),), options, "")
    request = stylize_request(values, model, 1024)
    assert layer_name(request, {}, 1024) == "Composition VII (gram)"  # the editor cannot tell
    named = layer_name(request, {}, 1024, working_px=384)  # the result descriptor's working_px
    assert named == "Composition VII (gram, upscaled from 384 px)"
    assert layer_name(request, {}, 384, working_px=384) == "Composition VII (gram)"


def test_no_eta_is_shown_from_a_single_step() -> None:
    assert progress_text({"step": 1, "total": 90, "eta_s": 3480}) == "Step 1/90"
    assert progress_text({"step": 2, "total": 90, "eta_s": 88}) == "Step 2/90, 1:28 left"


def test_cancel_is_recognised_by_its_code() -> None:
    assert was_cancelled(DaemonError("cancelled", "the job was cancelled"))
    assert not was_cancelled(DaemonError("internal", "boom"))
    assert not was_cancelled(ValueError("cancelled"))


def test_failure_text_drops_the_error_code() -> None:
    error = DaemonError("cancelled", "the job was cancelled")
    assert failure_text(error) == "the job was cancelled"
    assert failure_text(ValueError("bad size")) == "bad size"


def test_layer_name_says_a_strength_below_full(model: DialogModel) -> None:
    values = DialogValues("network", (("composition-vii", 1.0),), (), {"strength": 0.5}, "full")
    assert layer_name(stylize_request(values, model)) == "Composition VII (fast, strength 50%)"
    full = DialogValues("network", (("composition-vii", 1.0),), (), {"strength": 1.0}, "full")
    assert layer_name(stylize_request(full, model)) == "Composition VII (fast)"


def test_the_dialog_size_applies_only_without_a_daemon_preset(model: DialogModel) -> None:
    blend, methods = (("composition-vii", 1.0),), (("gram", 1.0),)
    preset = DialogValues("optimize", blend, methods, {"preset": "normal"})
    assert not dialog_size_applies(preset, model)
    assert dialog_size_applies(DialogValues("optimize", blend, methods, {"preset": "none"}), model)
    assert dialog_size_applies(DialogValues("network", blend, (), {}), model)
