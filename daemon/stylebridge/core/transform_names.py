"""The arbitrary path's transform names and the check of a transform spec ("wct",
"intra=0.3,bn=0.7").

Stdlib only, so that the daemon can refuse a bad transform before `accepted` without importing
torch, VGG-19 and the decoder; `feature_transforms.py` holds the transforms themselves and refuses
to import if its names differ.
"""

from __future__ import annotations

from stylebridge.core.params import parse_named_weights

TRANSFORM_NAMES: tuple[str, ...] = ("adain", "wct", "transport")
# A painter's words for the transforms (METHODS: the losses each one minimises in closed form).
TRANSFORM_ALIASES: dict[str, str] = {"inter": "wct", "intra": "transport", "bn": "adain"}
DEFAULT_TRANSFORM = "wct"


def parse_transform_spec(spec: str) -> list[tuple[str, float]]:
    """[(transform name, weight)], aliases resolved; ValueError naming a bad one."""
    spec = spec.strip()
    pairs = parse_named_weights(spec, "transform") if "=" in spec else [(spec, 1.0)]
    out = [(TRANSFORM_ALIASES.get(name, name), weight) for name, weight in pairs]
    unknown = [name for name, _ in out if name not in TRANSFORM_NAMES]
    if unknown:
        known = sorted({*TRANSFORM_NAMES, *TRANSFORM_ALIASES})
        raise ValueError(f"unknown transform {unknown[0]!r}; known: {', '.join(known)}")
    return out


def check_transform_spec(spec: str) -> list[tuple[str, float]]:
    """`parse_transform_spec`, and ValueError when no weight is above 0."""
    out = parse_transform_spec(spec)
    if sum(weight for _, weight in out) <= 0:
        raise ValueError(f"transform {spec!r} needs a weight above 0")
    return out
