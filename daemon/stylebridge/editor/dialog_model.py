"""The style dialog's contents, built from the daemon's `list_methods` and `list_styles` replies.

The parameter list is never copied here: every control comes from the schema the daemon sends
(core/params.py ParameterSpec.to_wire()). Stdlib only, Python 3.8+ (runs inside the editors)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from .painter_choices import painter_choice
from .style_names import style_title

MODES = ("network", "optimize", "arbitrary")
MODE_LABELS = {
    "network": "Fast network",
    "optimize": "Optimization (slow, any style)",
    "arbitrary": "Any picture (instant)",
}
# Modes that take custom styles (an image file or another layer) besides the library's.
CUSTOM_STYLE_MODES = ("optimize", "arbitrary")
# Why a mode the daemon's list_methods leaves out cannot be used (docs/protocol.md: "a path whose
# engine is not installed is absent").
UNAVAILABLE_REASONS = {
    "network": "the engine has no trained network model installed",
    "optimize": "the engine does not offer the optimization path",
    "arbitrary": "the engine has no feature decoder installed (stylebridge train-decoder)",
}
MAX_BLEND_STYLES = 4
CONTROL_KINDS = ("int", "float", "bool", "choice", "string")
# (mode, parameter) -> the dialog's starting value where the schema's default does not suit a
# painter: optimization starts from the device's "normal" preset (about a minute at 512 px on a
# CPU), not from the CLI's 300 plain steps (issue 11).
DIALOG_DEFAULTS: dict[tuple[str, str], Any] = {("optimize", "preset"): "normal"}
# String parameters whose usual values the dialogs offer in a list (any text may still be typed).
SUGGESTIONS: dict[str, tuple[str, ...]] = {
    "init": ("auto", "content", "network", "arbitrary", "noise")
}


@dataclass(frozen=True)
class Control:
    """One form control generated from a ParameterSpec on the wire."""

    name: str
    kind: str
    default: Any
    label: str
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    schema_default: Any = None  # the daemon's default, when the dialog starts elsewhere
    choice_labels: tuple[str, ...] = ()  # what a painter reads for each choice, in order

    def choice_label(self, choice: str) -> str:
        """The text shown for `choice`: its painter label, else the choice itself."""
        index = self.choices.index(choice) if choice in self.choices else len(self.choice_labels)
        return self.choice_labels[index] if index < len(self.choice_labels) else choice


@dataclass(frozen=True)
class Method:
    """A loss family for the optimization path (gram, mmd, ...), as list_methods names it."""

    name: str
    label: str
    default_weight: float = 1.0


@dataclass(frozen=True)
class Style:
    """A style of the daemon's model: `thumbnail` is encoded image bytes (PNG/JPEG) or None."""

    name: str
    label: str
    thumbnail: bytes | None = None


@dataclass(frozen=True)
class DialogModel:
    """Everything the dialog shows: per mode its styles and generated controls; the methods."""

    styles: dict[str, tuple[Style, ...]]
    methods: tuple[Method, ...]
    controls: dict[str, tuple[Control, ...]]
    model: str = "default"
    unavailable: dict[str, str] = field(default_factory=dict)  # mode -> why it cannot be used

    def reason_unavailable(self, mode: str) -> str:
        """Why `mode` cannot be used ("" when it can)."""
        return self.unavailable.get(mode, "")

    def controls_for(self, mode: str) -> tuple[Control, ...]:
        """The generated controls of `mode` ("network" or "optimize"); empty if none."""
        return self.controls.get(mode, ())

    def styles_for(self, mode: str) -> tuple[Style, ...]:
        """The styles `mode` offers (the model's for "network", the library for "optimize")."""
        return self.styles.get(mode, ())

    def labels(self) -> dict[str, str]:
        """{style or method name: label} over every mode."""
        out = {m.name: m.label for m in self.methods}
        for styles in self.styles.values():
            out.update({s.name: s.label for s in styles})
        return out


def label_from_name(name: str) -> str:
    """'starry-night' -> 'Starry night' (fallback when the wire gives no label)."""
    text = name.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def control_from_spec(spec: dict[str, Any]) -> Control:
    """A Control from one wire ParameterSpec dict; ValueError on a malformed entry."""
    name = spec.get("name")
    kind = spec.get("kind")
    if not isinstance(name, str) or not name:
        raise ValueError(f"parameter spec without a name: {spec!r}")
    if kind not in CONTROL_KINDS:
        raise ValueError(f"parameter {name!r} has kind {kind!r}, expected one of {CONTROL_KINDS}")
    choices = tuple(str(c) for c in spec.get("choices") or ())
    if kind == "choice" and not choices:
        raise ValueError(f"choice parameter {name!r} lists no choices")
    return Control(
        name=name,
        kind=kind,
        default=spec.get("default"),
        label=str(spec.get("label") or label_from_name(name)),
        help=str(spec.get("help") or ""),
        minimum=spec.get("minimum"),
        maximum=spec.get("maximum"),
        choices=choices,
        suggestions=SUGGESTIONS.get(name, ()) if kind == "string" else (),
        schema_default=spec.get("default"),
    )


def _dialog_default(mode: str, control: Control) -> Control:
    wanted = DIALOG_DEFAULTS.get((mode, control.name))
    if wanted is None or (control.kind == "choice" and wanted not in control.choices):
        return control
    return replace(control, default=wanted)


def _method(entry: Any) -> Method:
    if isinstance(entry, str):
        return Method(entry, label_from_name(entry))
    name = str(entry["name"])
    weight = entry.get("default_weight", entry.get("weight", 1.0))
    return Method(name, str(entry.get("label") or label_from_name(name)), float(weight))


def _style_label(name: str, wire_label: Any) -> str:
    """A label the daemon made up from the name ('Composition vii') gives way to the title."""
    if isinstance(wire_label, str) and wire_label and wire_label != label_from_name(name):
        return wire_label
    return style_title(name)


def _style(entry: Any) -> Style:
    if isinstance(entry, str):
        return Style(entry, style_title(entry))
    name = str(entry["name"])
    thumbnail = entry.get("thumbnail")
    return Style(
        name,
        _style_label(name, entry.get("label")),
        bytes(thumbnail) if isinstance(thumbnail, (bytes, bytearray)) else None,
    )


def _specs_by_mode(methods_reply: dict[str, Any]) -> dict[str, list[Any]]:
    """The parameter schema per mode: reply["paths"][mode]["parameters"] (docs/protocol.md)."""
    paths = methods_reply.get("paths") or {}
    if not isinstance(paths, dict):
        raise ValueError("list_methods 'paths' must map a path name to its schema")
    out: dict[str, list[Any]] = {}
    for mode in MODES:
        entry = paths.get(mode) or {}
        specs = entry.get("parameters") if isinstance(entry, dict) else entry
        out[mode] = list(specs or ())
    return out


def _unavailable(methods_reply: dict[str, Any]) -> dict[str, str]:
    """Modes whose path list_methods leaves out (its engine is not installed), with why."""
    paths = methods_reply.get("paths") or {}
    return {mode: UNAVAILABLE_REASONS[mode] for mode in MODES if mode not in paths}


def build_dialog_model(
    methods_reply: dict[str, Any], styles_by_mode: dict[str, list[Any]], model: str = "default"
) -> DialogModel:
    """DialogModel from list_methods' reply and list_styles' answer per mode; ValueError when
    something is malformed."""
    controls = {
        mode: tuple(
            _dialog_default(mode, painter_choice(mode, control_from_spec(spec))) for spec in specs
        )
        for mode, specs in _specs_by_mode(methods_reply).items()
    }
    return DialogModel(
        styles={mode: tuple(_style(s) for s in styles_by_mode.get(mode) or ()) for mode in MODES},
        methods=tuple(_method(m) for m in methods_reply.get("methods") or ()),
        controls=controls,
        model=model,
        unavailable=_unavailable(methods_reply),
    )
