"""Names for the result layer: the styles (with their blend weights) and the method.

Stdlib only, Python 3.8+ (runs inside the editors)."""

from __future__ import annotations

from .request_params import METHOD_NAME, StylizeRequest, upscaled_from_px
from .style_names import style_title

MAX_NAME_CHARS = 80
CUSTOM_LABEL = "Custom style"


def _parts(request: StylizeRequest, labels: dict[str, str]) -> list[tuple[str, float]]:
    named = [(labels.get(n) or style_title(n), w) for n, w in request.style_names.items()]
    custom = [(CUSTOM_LABEL, w) for _, w in request.custom_weights]
    return named + custom


def _method_text(request: StylizeRequest) -> str:
    if request.path != "optimize":
        return "fast"
    spec = str(request.params.get(METHOD_NAME) or "optimization")
    return "+".join(part.split("=")[0] for part in spec.split(","))


def layer_name(
    request: StylizeRequest, labels: dict[str, str] | None = None, source_side_px: int = 0
) -> str:
    """'Starry Night 70% + The Scream 30% (fast)', 'Udnie (gram+bn)', or with a smaller working
    size 'Udnie (gram, upscaled from 256 px)' (the layer says why it is soft); <= 80 chars."""
    parts = _parts(request, labels or {})
    if len(parts) == 1:
        styles = parts[0][0]
    else:
        styles = " + ".join(f"{label} {round(w * 100)}%" for label, w in parts) or "Stylized"
    method = _method_text(request)
    upscaled = upscaled_from_px(request, source_side_px)
    if upscaled:
        method += f", upscaled from {upscaled} px"
    name = f"{styles} ({method})"
    if len(name) > MAX_NAME_CHARS:
        name = name[: MAX_NAME_CHARS - 1] + "…"
    return name
