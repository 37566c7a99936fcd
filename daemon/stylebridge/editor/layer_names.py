"""Names for the result layer: the styles (with their blend weights) and the method.

Stdlib only, Python 3.8+ (runs inside the editors)."""

from __future__ import annotations

from .dialog_model import label_from_name
from .request_params import METHOD_NAME, StylizeRequest

MAX_NAME_CHARS = 80
CUSTOM_LABEL = "Custom style"


def _parts(request: StylizeRequest, labels: dict[str, str]) -> list[tuple[str, float]]:
    named = [(labels.get(n) or label_from_name(n), w) for n, w in request.style_names.items()]
    custom = [(CUSTOM_LABEL, w) for _, w in request.custom_weights]
    return named + custom


def _method_text(request: StylizeRequest) -> str:
    if request.path != "optimize":
        return "fast"
    spec = str(request.params.get(METHOD_NAME) or "optimization")
    return "+".join(part.split("=")[0] for part in spec.split(","))


def layer_name(request: StylizeRequest, labels: dict[str, str] | None = None) -> str:
    """'Starry night 70% + The scream 30% (fast)' or 'Udnie (gram+bn)', at most 80 chars."""
    parts = _parts(request, labels or {})
    if len(parts) == 1:
        styles = parts[0][0]
    else:
        styles = " + ".join(f"{label} {round(w * 100)}%" for label, w in parts) or "Stylized"
    name = f"{styles} ({_method_text(request)})"
    if len(name) > MAX_NAME_CHARS:
        name = name[: MAX_NAME_CHARS - 1] + "…"
    return name
