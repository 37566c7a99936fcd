"""Dialog values -> the `params` of a stylize request, and the last-used settings as JSON.

Stdlib only, Python 3.8+ (runs inside the editors). Both plugins use this one mapping."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from ..style_blend import WeightedStyle, normalised_weights
from .dialog_model import MAX_BLEND_STYLES, MODES, Control, DialogModel

# Quality preset -> longest side in pixels the daemon works at (0: the layer's own size).
PRESETS: dict[str, int] = {"draft": 512, "standard": 1024, "full": 0}
PRESET_LABELS: dict[str, str] = {
    "draft": "Draft (512 px)",
    "standard": "Standard (1024 px)",
    "full": "Full size (slow on CPU)",
}
PREVIEW_SIZE_PX = 256
PREVIEW_MAX_STEPS = 30
# Schema names that mean "work at this longest side" / "optimizer iterations", in order of
# preference; presets only touch parameters the daemon actually declares.
SIZE_NAMES = ("size_px", "max_side_px", "size")
STEP_NAMES = ("steps", "iterations", "num_steps")
# A custom style (image file or another layer) travels as a pixel frame, named by position.
CUSTOM_PREFIX = "custom:"
# The optimize path's parameter holding a method or a fusion ("gram=0.5,bn=0.5").
METHOD_NAME = "method"
# The daemon's quality preset: unless it is "none", it decides steps, scales and size, so the
# dialogs send those only when the painter changed them from the schema's default (issue 11).
PRESET_NAME = "preset"
NO_PRESET = "none"
PRESET_DECIDES = (*STEP_NAMES, "scales", *SIZE_NAMES)


@dataclass(frozen=True)
class DialogValues:
    """What the user chose. `blend`: (style, weight 0..1) pairs, custom styles named "custom:N";
    `methods`: (method, weight); `custom_styles`: where custom style N comes from, in a form the
    editor understands (e.g. "file:/path/to.png", "layer:Layer 2")."""

    mode: str = "network"
    blend: tuple[tuple[str, float], ...] = ()
    methods: tuple[tuple[str, float], ...] = ()
    options: dict[str, Any] = field(default_factory=dict)
    preset: str = "standard"
    custom_styles: tuple[str, ...] = ()


def normalized_blend(blend: tuple[tuple[str, float], ...]) -> dict[str, float]:
    """Weights > 0 scaled to sum 1 by the daemon's own rule (style_blend: what the request's
    layer name shows is what the daemon paints), at most MAX_BLEND_STYLES; ValueError if none
    is > 0."""
    chosen = [(name, float(w)) for name, w in blend if float(w) > 0.0]
    if not chosen:
        raise ValueError("choose at least one style with a weight above 0")
    if len(chosen) > MAX_BLEND_STYLES:
        raise ValueError(f"at most {MAX_BLEND_STYLES} styles can be blended, got {len(chosen)}")
    weights = normalised_weights([w for _, w in chosen])
    return {name: weights[index] for index, (name, _) in enumerate(chosen)}


def applied_percents(blend: tuple[tuple[str, float], ...]) -> tuple[int, ...]:
    """The percent each (style, weight) entry gets when applied, in order (0 for a weight of 0):
    what the blend sliders show beside themselves and what the layer name says."""
    weights = [max(0.0, float(w)) for _, w in blend]
    total = sum(weights)
    return tuple(round(100 * w / total) if total > 0 else 0 for w in weights)


def _first_declared(controls: tuple[Control, ...], names: tuple[str, ...]) -> str | None:
    declared = {c.name for c in controls}
    return next((n for n in names if n in declared), None)


def _clamp(value: int, control: Control) -> int:
    low = int(control.minimum) if control.minimum is not None else value
    high = int(control.maximum) if control.maximum is not None else value
    return max(low, min(high, value))


def _options(
    values: DialogValues, controls: tuple[Control, ...], source_side_px: int
) -> dict[str, Any]:
    """Only options the schema declares for this mode (stale saved settings are dropped); the
    preset sets the size parameter: its side, never above the source's, within the schema range."""
    declared = {c.name: c for c in controls}
    out = {k: v for k, v in values.options.items() if k in declared}
    if _preset_decides(out, declared):
        return out
    size_name = _first_declared(controls, SIZE_NAMES)
    side = PRESETS.get(values.preset, 0)
    if source_side_px > 0:
        side = min(side, source_side_px) if side else source_side_px
    if size_name is not None and side > 0:
        out[size_name] = _clamp(side, declared[size_name])
    return out


def dialog_size_applies(values: DialogValues, model: DialogModel) -> bool:
    """Whether the dialog's own size preset (Krita's Quality) sets the working size: not while
    a daemon preset decides it."""
    declared = {c.name: c for c in model.controls_for(values.mode)}
    return not _preset_decides(dict(values.options), declared)


def _preset_decides(out: dict[str, Any], declared: dict[str, Control]) -> bool:
    """True when the values name a daemon preset (the dialogs' forms always do; a script's call
    may not, and then keeps the daemon's defaults); the values it decides are then dropped
    wherever they still hold the schema's default."""
    preset = out.get(PRESET_NAME) if PRESET_NAME in declared else None
    if preset in (None, "", NO_PRESET):
        return False
    for name in PRESET_DECIDES:
        if name in out and out[name] == declared[name].schema_default:
            del out[name]
    return True


@dataclass(frozen=True)
class StylizeRequest:
    """The arguments of Client.stylize other than the pixels. `styles`: the listed styles, then
    the custom ones (`picture`: the index into DialogValues.custom_styles), with their weights."""

    path: str
    params: dict[str, Any]
    styles: tuple[WeightedStyle, ...]
    model: str


def fusion_spec(methods: tuple[tuple[str, float], ...]) -> str:
    """(("gram", 0.5), ("bn", 0.5)) -> 'gram=0.5,bn=0.5' (zero weights dropped)."""
    chosen = [(name, float(w)) for name, w in methods if float(w) > 0.0]
    if not chosen:
        raise ValueError("choose at least one method with a weight above 0")
    if len(chosen) == 1:
        return chosen[0][0]
    return ",".join(f"{name}={w:g}" for name, w in chosen)


def _weighted_styles(weights: dict[str, float], count: int) -> tuple[WeightedStyle, ...]:
    """The blend's listed styles, then its custom ones ("custom:N" of `count`), in blend order."""
    named = [
        WeightedStyle(w, name=n) for n, w in weights.items() if not n.startswith(CUSTOM_PREFIX)
    ]
    custom = []
    for name, weight in weights.items():
        if name.startswith(CUSTOM_PREFIX):
            index = name[len(CUSTOM_PREFIX) :]
            if not index.isdigit() or int(index) >= count:
                raise ValueError(f"{name!r} names no custom style (there are {count})")
            custom.append(WeightedStyle(weight, picture=int(index)))
    return (*named, *custom)


def stylize_request(
    values: DialogValues, model: DialogModel, source_side_px: int = 0
) -> StylizeRequest:
    """The stylize request for these dialog values and a source whose longer side is
    `source_side_px` (0: unknown); ValueError on an invalid choice."""
    if values.mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {values.mode!r}")
    controls = model.controls_for(values.mode)
    weights = normalized_blend(values.blend)
    params = _options(values, controls, source_side_px)
    if values.mode == "optimize" and _first_declared(controls, (METHOD_NAME,)):
        params[METHOD_NAME] = fusion_spec(values.methods)
    return StylizeRequest(
        path=values.mode,
        params=params,
        styles=_weighted_styles(weights, len(values.custom_styles)),
        model=model.model,
    )


def preview_request(
    values: DialogValues, model: DialogModel, preview_side_px: int = PREVIEW_SIZE_PX
) -> StylizeRequest:
    """Like stylize_request, but quick: for the live preview of a small thumbnail."""
    # The editor sends an already small thumbnail, so the daemon works at its full size (a
    # daemon preset would otherwise scale it up to the preset's size).
    request = stylize_request(replace(values, preset="full"), model, preview_side_px)
    controls = model.controls_for(values.mode)
    size_name = _first_declared(controls, SIZE_NAMES)
    if size_name is not None:
        size = next(c for c in controls if c.name == size_name)
        request.params[size_name] = _clamp(preview_side_px, size)
    step_name = _first_declared(controls, STEP_NAMES)
    if step_name is not None:
        steps = request.params.get(step_name)
        request.params[step_name] = min(steps or PREVIEW_MAX_STEPS, PREVIEW_MAX_STEPS)
    return request


def upscaled_from_px(request: StylizeRequest, source_side_px: int) -> int:
    """The long side the daemon works at when it is below the source's (the result then comes
    back scaled up, softer than the layer); 0 when it works at the source's size."""
    sizes = [v for k, v in request.params.items() if k in SIZE_NAMES and isinstance(v, int)]
    side = min(sizes) if sizes else 0
    return side if 0 < side < source_side_px else 0


def values_to_json(values: DialogValues) -> str:
    """The settings as a JSON string (for 'Apply Neural Style Again')."""
    return json.dumps(asdict(values), sort_keys=True)


def values_from_json(text: str) -> DialogValues | None:
    """Settings saved by values_to_json, or None when `text` is empty or unreadable."""
    try:
        data = json.loads(text)
        return DialogValues(
            mode=str(data["mode"]),
            blend=tuple((str(n), float(w)) for n, w in data["blend"]),
            methods=tuple((str(n), float(w)) for n, w in data["methods"]),
            options=dict(data["options"]),
            preset=str(data["preset"]),
            custom_styles=tuple(str(c) for c in data.get("custom_styles", ())),
        )
    except (ValueError, KeyError, TypeError):
        return None
