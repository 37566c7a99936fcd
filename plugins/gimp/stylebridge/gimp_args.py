"""The procedure's arguments (one table for registering and reading them) and their mapping to the
shared dialog values. Stdlib only: no GIMP import, so it is tested outside GIMP."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from gimp_weights import (
    CUSTOM_HELP,
    format_custom_styles,
    format_weights,
    library_blend,
    parse_weights,
    with_custom_styles,
)
from stylebridge.editor.dialog_model import DialogModel
from stylebridge.editor.request_params import SIZE_NAMES, STEP_NAMES, DialogValues

PROCEDURE = "plug-in-stylebridge"


@dataclass(frozen=True)
class Argument:
    """One procedure argument: GIMP name (dashes), kind, default, label, help, range."""

    name: str
    kind: str  # "string" | "double" | "int" | "boolean"
    default: Any
    label: str
    help: str
    minimum: float = 0.0
    maximum: float = 0.0


STROKE_HELP = "network, arbitrary: brushwork relative to the picture (2 larger, 0.5 finer)"
MODE_HELP = (
    "network (fast), optimize (slow, any style) or arbitrary (any style picture, instant; "
    'options {"transform": "intra"|"wct"|"wct=0.5,intra=0.5"})'
)

ARGUMENTS: tuple[Argument, ...] = (
    Argument("mode", "string", "network", "Mode", MODE_HELP),
    Argument(
        "method", "string", "gram", "Method", "optimize only: fusion spec, e.g. gram=0.5,bn=0.5"
    ),
    Argument(
        "styles", "string", "", "Styles", "e.g. starry-night=0.7,the-scream=0.3 (empty: first)"
    ),
    Argument("custom-styles", "string", "", "Custom styles", CUSTOM_HELP),
    Argument("strength", "double", 1.0, "Strength", "0 keeps the layer, 1 full style", 0.0, 1.0),
    Argument("stroke", "double", 1.0, "Stroke size", STROKE_HELP, 0.0, 8.0),
    Argument("preserve-color", "boolean", False, "Preserve colours", "keep the layer's colours"),
    Argument("size", "int", 0, "Size (px)", "longest side worked at; 0: daemon default", 0, 16384),
    Argument("steps", "int", 0, "Steps", "optimize only: iterations; 0: daemon default", 0, 100000),
    Argument("model", "string", "default", "Model", "network only: model name or file"),
    Argument("options", "string", "{}", "Options (JSON)", "other schema parameters as JSON"),
    Argument("endpoint", "string", "", "Daemon endpoint", "empty: the per-user default"),
    Argument("daemon-command", "string", "", "Daemon command", "starts a missing daemon"),
)

# Procedure argument -> schema names it may stand for, in order of preference.
OPTION_NAMES: dict[str, tuple[str, ...]] = {
    "strength": ("strength",),
    "stroke": ("stroke",),
    "preserve-color": ("preserve_color", "preserve_colors", "color", "colour"),
    "size": SIZE_NAMES,
    "steps": STEP_NAMES,
}
OFF_CHOICES = ("none", "off", "no")


def _declared(model: DialogModel, mode: str) -> dict[str, Any]:
    return {control.name: control for control in model.controls_for(mode)}


def _option_value(control: Any, value: Any) -> Any:
    """A boolean 'preserve colour' for a choice control picks its first non-off choice."""
    if control.kind != "choice" or not isinstance(value, bool):
        return value
    on = [c for c in control.choices if c not in OFF_CHOICES]
    off = [c for c in control.choices if c in OFF_CHOICES]
    if value:
        return on[0] if on else control.default
    return off[0] if off else control.default


def _options(args: dict[str, Any], model: DialogModel, mode: str) -> dict[str, Any]:
    try:
        options = json.loads(args.get("options") or "{}")
    except ValueError:
        raise ValueError(f"options must be a JSON object, got {args.get('options')!r}") from None
    if not isinstance(options, dict):
        raise ValueError(f"options must be a JSON object, got {args.get('options')!r}")
    declared = _declared(model, mode)
    for arg, names in OPTION_NAMES.items():
        name = next((n for n in names if n in declared), None)
        value = args.get(arg)
        if name is None or value is None or (arg in ("size", "steps") and not value):
            continue  # size or steps 0: keep the daemon's default
        if name in options and declared[name].kind == "choice":
            continue  # an explicit choice (e.g. "histogram") wins over the boolean argument
        options[name] = _option_value(declared[name], value)
    return options


def dialog_values(args: dict[str, Any], model: DialogModel) -> DialogValues:
    """The shared DialogValues for procedure arguments {gimp name: value}; ValueError if bad."""
    mode = str(args.get("mode") or "network")
    blend = parse_weights(str(args.get("styles") or ""), "styles")
    custom = str(args.get("custom-styles") or "")
    styles = model.styles_for(mode)
    if not blend and styles and not custom.strip():
        blend = ((styles[0].name, 1.0),)
    methods = parse_weights(str(args.get("method") or ""), "method")
    if not methods and model.methods:
        methods = ((model.methods[0].name, 1.0),)
    # preset "" is no preset: the size argument is passed as an option instead.
    values = DialogValues(mode, blend, methods, _options(args, model, mode), preset="")
    return with_custom_styles(values, custom)


def arguments_from_values(values: DialogValues, model: DialogModel) -> dict[str, Any]:
    """Dialog values -> procedure arguments (to store as GIMP's last-used values)."""
    declared = _declared(model, values.mode)
    options = dict(values.options)
    args: dict[str, Any] = {
        "mode": values.mode,
        "styles": format_weights(library_blend(values)),
        "custom-styles": format_custom_styles(values),
        "method": format_weights(values.methods),
    }
    for arg, names in OPTION_NAMES.items():
        name = next((n for n in names if n in options), None)
        if name is None:
            continue
        value = options.pop(name)
        control = declared.get(name)
        if arg == "preserve-color" and control is not None and control.kind == "choice":
            options[name] = value  # a choice does not fit the boolean argument: keep it as is
            value = value not in OFF_CHOICES
        args[arg] = value
    args["options"] = json.dumps(options, sort_keys=True)
    return args
