"""Names for the result layer: the styles (with their blend weights), the method, and what a
painter should know later: a strength below full, a result scaled up from a smaller size.

Stdlib only, Python 3.8+ (runs inside the editors)."""

from __future__ import annotations

from .painter_choices import PAINTER_CHOICES
from .request_params import METHOD_NAME, StylizeRequest, upscaled_from_px
from .style_names import style_title

MAX_NAME_CHARS = 80
STRENGTH_NAME = "strength"
CUSTOM_LABEL = "Custom style"
ARBITRARY_TEXT = "any picture"
TRANSFORM_NAME = "transform"


def _parts(request: StylizeRequest, labels: dict[str, str]) -> list[tuple[str, float]]:
    return [
        (CUSTOM_LABEL if s.name is None else labels.get(s.name) or style_title(s.name), s.weight)
        for s in request.styles
    ]


def _transform_text(transform: str) -> str:
    """The dialog's words for a transform without their note ('Textures and patterns (WCT,
    inter)' -> 'textures and patterns'); a fusion the dialog does not offer stays as sent."""
    _, pairs = PAINTER_CHOICES[("arbitrary", TRANSFORM_NAME)]
    words = dict(pairs).get(transform)
    return words.split(" (")[0].lower() if words else transform


def _method_text(request: StylizeRequest) -> str:
    if request.path == "arbitrary":
        transform = request.params.get(TRANSFORM_NAME)
        if not isinstance(transform, str) or not transform:
            return ARBITRARY_TEXT
        return f"{ARBITRARY_TEXT}, {_transform_text(transform)}"
    if request.path != "optimize":
        return "fast"
    spec = str(request.params.get(METHOD_NAME) or "optimization")
    return "+".join(part.split("=")[0] for part in spec.split(","))


def _details(request: StylizeRequest, source_side_px: int, working_px: int) -> list[str]:
    details = [_method_text(request)]
    strength = request.params.get(STRENGTH_NAME)
    if isinstance(strength, (int, float)) and strength < 1:
        details.append(f"strength {round(strength * 100)}%")
    # The daemon's word (a preset may have picked the size) before what the request asked for.
    upscaled = working_px if 0 < working_px < source_side_px else 0
    upscaled = upscaled or upscaled_from_px(request, source_side_px)
    if upscaled:
        details.append(f"upscaled from {upscaled} px")
    return details


def layer_name(
    request: StylizeRequest,
    labels: dict[str, str] | None = None,
    source_side_px: int = 0,
    working_px: int = 0,
) -> str:
    """'Starry Night 70% + The Scream 30% (fast)', 'Udnie (gram+bn)', 'Udnie (fast, strength
    50%)', 'Custom style (any picture, textures and patterns)' or 'Udnie (gram, upscaled from
    256 px)' (the layer says why it is soft); <= 80 chars.
    `working_px`: the result descriptor's `working_px` (the long side the daemon worked at)."""
    parts = _parts(request, labels or {})
    if len(parts) == 1:
        styles = parts[0][0]
    else:
        styles = " + ".join(f"{label} {round(w * 100)}%" for label, w in parts) or "Stylized"
    name = f"{styles} ({', '.join(_details(request, source_side_px, working_px))})"
    if len(name) > MAX_NAME_CHARS:
        name = name[: MAX_NAME_CHARS - 1] + "…"
    return name
