"""Stylize requests from the wire -> a checked StylizeSpec. Nothing here trusts the peer.

Frame order after the header: the image, then the selection mask when "mask" is present, then
one frame per custom style image, in the order of "styles" entries that carry "image".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stylebridge.service import protocol as wire
from stylebridge.service.protocol import Limits, PixelFormat, ProtocolError

STYLIZE_KEYS = ("v", "op", "id", "path", "model", "image", "mask", "styles", "params", "preview")
STYLE_KEYS = ("name", "image", "weight")
MAX_WEIGHT = 1e6


@dataclass(frozen=True)
class StyleRef:
    """A named style (model or library) or a custom style image at frame index `frame`."""

    weight: float
    name: str | None = None
    frame: int | None = None
    image: PixelFormat | None = None


@dataclass(frozen=True)
class StylizeSpec:
    """A validated stylize request; frame indexes count from the image frame (0)."""

    path: str
    model: str
    image: PixelFormat
    has_mask: bool
    styles: tuple[StyleRef, ...]
    params: dict[str, Any]
    preview: bool


def _parse_style(entry: Any, index: int, frame: int, limits: Limits) -> StyleRef:
    name = f"styles[{index}]"
    data = wire.require_map(entry, name, STYLE_KEYS)
    weight = wire.require_number(data.get("weight", 1.0), name + ".weight", 0.0, MAX_WEIGHT)
    if ("name" in data) == ("image" in data):
        raise ProtocolError("bad_request", f"{name} needs exactly one of 'name' or 'image'")
    if "name" in data:
        return StyleRef(weight, name=wire.require_str(data["name"], name + ".name"))
    fmt = wire.parse_pixel_format(data["image"], limits, name + ".image")
    return StyleRef(weight, frame=frame, image=fmt)


def _parse_styles(value: Any, first_frame: int, limits: Limits) -> tuple[StyleRef, ...]:
    if not isinstance(value, list):
        raise ProtocolError("bad_request", "'styles' must be a list")
    if len(value) > limits.max_styles:
        raise ProtocolError("too_large", f"at most {limits.max_styles} styles, got {len(value)}")
    styles: list[StyleRef] = []
    frame = first_frame
    for index, entry in enumerate(value):
        style = _parse_style(entry, index, frame, limits)
        frame += style.frame is not None
        styles.append(style)
    return tuple(styles)


def _check_frames(spec: StylizeSpec, frame_lengths: list[int]) -> None:
    expected = 1 + spec.has_mask + sum(s.frame is not None for s in spec.styles)
    if len(frame_lengths) != expected:
        raise ProtocolError(
            "bad_pixels",
            f"expected {expected} pixel frames after the header, got {len(frame_lengths)}",
        )
    wire.check_frame(frame_lengths[0], spec.image, "image")
    if spec.has_mask:
        mask_bytes = spec.image.width * spec.image.height
        if frame_lengths[1] != mask_bytes:
            raise ProtocolError(
                "bad_pixels", f"mask frame is {frame_lengths[1]} bytes; {mask_bytes} expected"
            )
    for style in spec.styles:
        if style.frame is not None and style.image is not None:
            wire.check_frame(frame_lengths[style.frame], style.image, "style image")


def _parse_mask(value: Any, image: PixelFormat) -> bool:
    if value is None or value is False:
        return False
    data = wire.require_map(value, "mask", wire.MASK_KEYS)
    if (data.get("width"), data.get("height")) != (image.width, image.height):
        raise ProtocolError("bad_pixels", "mask width and height must equal the image's")
    return True


def parse_stylize(header: dict[str, Any], frame_lengths: list[int], limits: Limits) -> StylizeSpec:
    """A StylizeSpec from a stylize header and the lengths of the frames after it."""
    wire.require_map(header, "header", STYLIZE_KEYS)
    path = header.get("path", wire.PATH_NETWORK)
    if path not in wire.PATHS:
        raise ProtocolError("unknown_method", f"'path' must be one of {list(wire.PATHS)}")
    image = wire.parse_pixel_format(header.get("image"), limits, "image")
    has_mask = _parse_mask(header.get("mask"), image)
    styles = _parse_styles(header.get("styles", []), 1 + has_mask, limits)
    params = wire.require_map(header.get("params", {}), "params")
    preview = header.get("preview", False)
    if not isinstance(preview, bool):
        raise ProtocolError("bad_request", "'preview' must be true or false")
    model = wire.require_str(header.get("model", "default"), "model")
    spec = StylizeSpec(path, model, image, has_mask, styles, dict(params), preview)
    _check_frames(spec, frame_lengths)
    return spec
