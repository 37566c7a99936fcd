"""Weighted lists of procedure arguments: styles and methods ("a=0.7,b=0.3") and custom styles
("file:/path/a.jpg=0.5,layer:Background=0.5"). Stdlib only: tested outside GIMP."""

from __future__ import annotations

from dataclasses import replace

from stylebridge.editor.dialog_model import CUSTOM_STYLE_MODES
from stylebridge.editor.request_params import CUSTOM_PREFIX, DialogValues

CUSTOM_KINDS = ("file", "layer")
CUSTOM_HELP = "optimize or arbitrary: style images, e.g. file:/a.jpg=0.5,layer:Background=0.5"


def parse_weights(text: str, what: str) -> tuple[tuple[str, float], ...]:
    """'a=0.7,b=0.3' -> (('a', 0.7), ('b', 0.3)); a bare name weighs 1; ValueError if malformed."""
    out = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, sep, weight_text = part.partition("=")
        try:
            weight = float(weight_text) if sep else 1.0
        except ValueError:
            raise ValueError(f"{what}: weight in {part!r} is not a number") from None
        if not name.strip() or not 0.0 <= weight < float("inf"):
            raise ValueError(f"{what}: {part!r} must be NAME or NAME=WEIGHT with WEIGHT >= 0")
        out.append((name.strip(), weight))
    return tuple(out)


def format_weights(pairs: tuple[tuple[str, float], ...]) -> str:
    """The inverse of parse_weights: (('a', 0.7), ('b', 1.0)) -> 'a=0.7,b'."""
    return ",".join(name if weight == 1.0 else f"{name}={weight:g}" for name, weight in pairs)


def _custom_entry(part: str) -> tuple[str, float]:
    """'file:/a=b.jpg=0.5' -> ('file:/a=b.jpg', 0.5): the weight follows the LAST '=', and only
    when it is a number (a file name may hold '=')."""
    source, sep, weight_text = part.rpartition("=")
    try:
        weight = float(weight_text) if sep else 1.0
    except ValueError:
        source, weight = part, 1.0
    if not sep:
        source = part
    kind, colon, value = source.partition(":")
    if kind not in CUSTOM_KINDS or not colon or not value:
        raise ValueError(f"custom-styles: {part!r} must be file:PATH[=W] or layer:NAME[=W]")
    if not 0.0 <= weight < float("inf"):
        raise ValueError(f"custom-styles: the weight in {part!r} must be >= 0")
    return source, weight


def parse_custom_styles(text: str) -> tuple[tuple[str, float], ...]:
    """The custom-styles argument -> ((source, weight), ...), source "file:PATH"/"layer:NAME"."""
    return tuple(_custom_entry(p.strip()) for p in text.split(",") if p.strip())


def with_custom_styles(values: DialogValues, text: str) -> DialogValues:
    """`values` plus the custom styles of the argument, blended as "custom:N" entries."""
    entries = parse_custom_styles(text)
    if not entries:
        return values
    if values.mode not in CUSTOM_STYLE_MODES:
        raise ValueError("custom styles (file: or layer:) need mode optimize or arbitrary")
    blend = tuple((f"{CUSTOM_PREFIX}{i}", weight) for i, (_, weight) in enumerate(entries))
    sources = tuple(source for source, _ in entries)
    return replace(values, blend=values.blend + blend, custom_styles=sources)


def library_blend(values: DialogValues) -> tuple[tuple[str, float], ...]:
    """The blend without its custom styles (those go to the custom-styles argument)."""
    return tuple(pair for pair in values.blend if not pair[0].startswith(CUSTOM_PREFIX))


def format_custom_styles(values: DialogValues) -> str:
    """The custom-styles argument for `values` (the inverse of with_custom_styles)."""
    weights = dict(values.blend)
    pairs = [
        (source, weights.get(f"{CUSTOM_PREFIX}{i}", 0.0))
        for i, source in enumerate(values.custom_styles)
    ]
    return ",".join(f"{source}={weight:g}" for source, weight in pairs if weight > 0)
