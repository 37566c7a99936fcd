"""The GIMP plug-in's stdlib-only logic, outside GIMP: procedure arguments <-> shared dialog values,
and the babl format it reads a layer in."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from stylebridge.editor.dialog_model import DialogModel, build_dialog_model
from stylebridge.editor.layer_formats import GIMP_LAYOUTS
from stylebridge.editor.request_params import stylize_request
from stylebridge.style_blend import WeightedStyle

PLUGIN_DIR = Path(__file__).resolve().parents[2] / "plugins" / "gimp" / "stylebridge"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, PLUGIN_DIR / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


gimp_weights = _load("gimp_weights")  # before gimp_args, which imports it
gimp_args = _load("gimp_args")
gimp_formats = _load("gimp_formats")


@pytest.fixture
def model(list_methods_reply: dict[str, Any]) -> DialogModel:
    """The dialog model of the daemon's own schema, with library and model style names."""
    styles = {
        "network": [{"name": "starry-night"}, {"name": "the-scream"}],
        "optimize": [{"name": "udnie"}],
    }
    return build_dialog_model(list_methods_reply, styles)


def _defaults(**changes: Any) -> dict[str, Any]:
    args = {arg.name: arg.default for arg in gimp_args.ARGUMENTS}
    args.update({k.replace("_", "-"): v for k, v in changes.items()})
    return args


def test_weights_parse_with_bare_names_weighing_one() -> None:
    parsed = gimp_args.parse_weights(" starry-night=0.7, the-scream ,", "styles")
    assert parsed == (("starry-night", 0.7), ("the-scream", 1.0))
    assert gimp_args.parse_weights(gimp_args.format_weights(parsed), "styles") == parsed


@pytest.mark.parametrize("text", ["a=x", "=0.5", "a=-1", "a=inf"])
def test_malformed_weights_are_rejected_naming_the_argument(text: str) -> None:
    with pytest.raises(ValueError, match="styles"):
        gimp_args.parse_weights(text, "styles")


def test_network_arguments_become_a_blended_request(model: DialogModel) -> None:
    args = _defaults(styles="starry-night=3,the-scream=1", strength=0.5, preserve_color=True)
    request = stylize_request(gimp_args.dialog_values(args, model), model)
    assert request.path == "network"
    assert request.styles == (
        WeightedStyle(0.75, name="starry-night"),
        WeightedStyle(0.25, name="the-scream"),
    )
    # The daemon's network path takes a preserve_color choice: the boolean picks "luminance".
    assert request.params == {"strength": 0.5, "preserve_color": "luminance", "stroke": 1.0}


def test_empty_styles_pick_the_first_style_of_the_mode(model: DialogModel) -> None:
    values = gimp_args.dialog_values(_defaults(mode="optimize"), model)
    assert values.blend == (("udnie", 1.0),)


def test_optimize_arguments_carry_fusion_steps_size_and_options(model: DialogModel) -> None:
    args = _defaults(
        mode="optimize",
        method="gram=0.5,bn=0.5",
        steps=20,
        size=64,
        preserve_color=True,
        options=json.dumps({"tv_weight": 0.01, "unknown": 1}),
    )
    request = stylize_request(gimp_args.dialog_values(args, model), model)
    assert request.params == {
        "method": "gram=0.5,bn=0.5",
        "steps": 20,
        "size": 64,
        "tv_weight": 0.01,
        "preserve_color": "luminance",
    }


def test_zero_size_and_steps_keep_the_daemon_defaults(model: DialogModel) -> None:
    request = stylize_request(gimp_args.dialog_values(_defaults(mode="optimize"), model), model)
    assert "steps" not in request.params and "size" not in request.params


def test_explicit_choice_in_options_wins_over_boolean(model: DialogModel) -> None:
    args = _defaults(
        mode="optimize", preserve_color=True, options='{"preserve_color": "histogram"}'
    )
    assert gimp_args.dialog_values(args, model).options["preserve_color"] == "histogram"


@pytest.mark.parametrize("options", ["[1]", "{not json"])
def test_options_must_be_a_json_object(model: DialogModel, options: str) -> None:
    with pytest.raises(ValueError, match="options"):
        gimp_args.dialog_values(_defaults(options=options), model)


def test_dialog_values_round_trip_through_procedure_arguments(model: DialogModel) -> None:
    args = _defaults(
        mode="optimize", method="gram=0.5,bn=0.5", styles="udnie=1", steps=20, size=64,
        options='{"preserve_color": "histogram", "tv_weight": 0.01}',
    )  # fmt: skip
    values = gimp_args.dialog_values(args, model)
    back = gimp_args.arguments_from_values(values, model)
    assert gimp_args.dialog_values({**args, **back}, model) == values
    assert back["preserve-color"] is True and back["steps"] == 20


def test_every_argument_has_a_gimp_name_and_known_kind() -> None:
    for arg in gimp_args.ARGUMENTS:
        assert arg.name == arg.name.lower() and "_" not in arg.name
        assert arg.kind in ("string", "double", "int", "boolean")


@pytest.mark.parametrize(
    ("native", "requested"),
    [
        ("R'G'B'A u8", "R'G'B'A u8"),
        ("R'G'B' u16", "R'G'B'A u16"),
        ("R~G~B~A half", "R'G'B'A half"),
        ("RGB float", "RGBA float"),
        ("RGBA u16", "RGBA u16"),
        ("RGBA u32", "RGBA float"),
        ("R'G'B'A double", "R'G'B'A float"),
    ],
)
def test_layers_are_read_in_their_own_precision_and_encoding(native: str, requested: str) -> None:
    assert gimp_formats.request_format(native) == requested
    assert requested in GIMP_LAYOUTS


@pytest.mark.parametrize("native", ["Y'A u8", "Y u16", "R'G'B'A", "cairo-ARGB32"])
def test_non_rgb_layer_formats_are_refused(native: str) -> None:
    with pytest.raises(ValueError, match="format"):
        gimp_formats.request_format(native)


gimp_settings = _load("gimp_settings")


def test_daemon_command_argument_wins_over_the_installer_settings(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text('{"daemon_command": "py -m stylebridge daemon"}')
    args = {"daemon-command": "my-daemon --flag", "endpoint": "tcp://127.0.0.1:5"}
    assert gimp_settings.daemon_command(args, str(tmp_path)) == "my-daemon --flag"


def test_installer_command_is_made_to_listen_on_the_endpoint_argument(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text('{"daemon_command": "py -m stylebridge daemon"}')
    command = gimp_settings.daemon_command({"endpoint": "ipc:///a b"}, str(tmp_path))
    assert command == "py -m stylebridge daemon --endpoint 'ipc:///a b'"
    assert gimp_settings.daemon_command({}, str(tmp_path)) == "py -m stylebridge daemon"


@pytest.mark.parametrize("content", [None, "not json", "[1]"])
def test_no_or_broken_settings_mean_no_start_command(tmp_path: Path, content: str | None) -> None:
    if content is not None:
        (tmp_path / "settings.json").write_text(content)
    assert gimp_settings.daemon_command({"endpoint": "tcp://x:1"}, str(tmp_path)) == ""


def test_arguments_left_out_keep_the_schema_defaults(model: DialogModel) -> None:
    values = gimp_args.dialog_values({"mode": "network"}, model)
    assert values.options == {} and values.blend == (("starry-night", 1.0),)


def test_custom_styles_from_a_file_and_a_layer_become_weighted_frames(model: DialogModel) -> None:
    args = _defaults(
        mode="optimize", styles="udnie=0.5", custom_styles="file:/x/a=b.jpg=0.25, layer:Back=0.25"
    )
    values = gimp_args.dialog_values(args, model)
    assert values.custom_styles == ("file:/x/a=b.jpg", "layer:Back")
    request = stylize_request(values, model)
    assert request.styles == (
        WeightedStyle(0.5, name="udnie"),
        WeightedStyle(0.25, picture=0),
        WeightedStyle(0.25, picture=1),
    )


def test_custom_styles_alone_do_not_add_the_first_library_style(model: DialogModel) -> None:
    args = _defaults(mode="optimize", custom_styles="layer:Layer 2")
    request = stylize_request(gimp_args.dialog_values(args, model), model)
    assert request.styles == (WeightedStyle(1.0, picture=0),)


def test_a_name_ending_in_an_equals_sign_and_no_number_keeps_it() -> None:
    parsed = gimp_weights.parse_custom_styles("layer:a=b,file:/p/c.png")
    assert parsed == (("layer:a=b", 1.0), ("file:/p/c.png", 1.0))


@pytest.mark.parametrize("text", ["photo.jpg", "url:http://x", "layer:", "file:/a.png=-1"])
def test_malformed_custom_styles_are_rejected(model: DialogModel, text: str) -> None:
    with pytest.raises(ValueError, match="custom-styles"):
        gimp_args.dialog_values(_defaults(mode="optimize", custom_styles=text), model)


def test_custom_styles_need_the_optimize_mode(model: DialogModel) -> None:
    with pytest.raises(ValueError, match="optimize"):
        gimp_args.dialog_values(_defaults(custom_styles="layer:Back"), model)


def test_custom_styles_round_trip_through_procedure_arguments(model: DialogModel) -> None:
    args = _defaults(mode="optimize", styles="udnie=0.5", custom_styles="layer:B=0.5,file:/c.png")
    values = gimp_args.dialog_values(args, model)
    back = gimp_args.arguments_from_values(values, model)
    assert back["styles"] == "udnie=0.5" and back["custom-styles"] == "layer:B=0.5,file:/c.png=1"
    assert gimp_args.dialog_values({**args, **back}, model) == values
