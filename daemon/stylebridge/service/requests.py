"""Stylize requests from the wire -> a checked StylizeSpec. Nothing here trusts the peer.

Frame order after the header: the image, then the selection mask when "mask" is present, then
one frame per custom style image, in the order of "styles" entries that carry "image".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stylebridge.pixel_layout import PixelLayout
from stylebridge.service import protocol as wire
from stylebridge.service.protocol import Limits, ProtocolError
from stylebridge.style_blend import MAX_WEIGHT, WEIGHTS_RULE, WeightedStyle, normalised

STYLIZE_KEYS = ("v", "op", "id", "path", "model", "image", "mask", "styles", "params", "preview")
STYLE_KEYS = ("name", "image", "weight")


@dataclass(frozen=True)
class StylizeSpec:
    """A validated stylize request; its styles' weights sum to 1 (normalised here, once).
    `style_pictures`: the pixel format of each custom style image, in sending order."""

    path: str
    model: str
    image: PixelLayout
    has_mask: bool
    styles: tuple[WeightedStyle, ...]
    params: dict[str, Any]
    preview: bool
    style_pictures: tuple[PixelLayout, ...] = ()

    def picture_frame(self, picture: int) -> int:
        """The index, among the frames after the header, of custom style image `picture`."""
        return 1 + self.has_mask + picture


def _parse_style(
    entry: Any, index: int, pictures: list[PixelLayout], limits: Limits
) -> WeightedStyle:
    """One `styles` entry; a custom style's pixel format is appended to `pictures`."""
    name = f"styles[{index}]"
    data = wire.require_map(entry, name, STYLE_KEYS)
    weight = wire.require_number(data.get("weight", 1.0), name + ".weight", 0.0, MAX_WEIGHT)
    if ("name" in data) == ("image" in data):
        raise ProtocolError("bad_request", f"{name} needs exactly one of 'name' or 'image'")
    if "name" in data:
        return WeightedStyle(weight, name=wire.require_str(data["name"], name + ".name"))
    pictures.append(wire.parse_pixel_format(data["image"], limits, name + ".image"))
    return WeightedStyle(weight, picture=len(pictures) - 1)


def _parse_styles(
    value: Any, limits: Limits
) -> tuple[tuple[WeightedStyle, ...], tuple[PixelLayout, ...]]:
    """The styles, their weights normalised (the only place a request's weights are), and the
    custom style images' formats."""
    if not isinstance(value, list):
        raise ProtocolError("bad_request", "'styles' must be a list")
    if len(value) > limits.max_styles:
        raise ProtocolError("too_large", f"at most {limits.max_styles} styles, got {len(value)}")
    pictures: list[PixelLayout] = []
    styles = [_parse_style(entry, index, pictures, limits) for index, entry in enumerate(value)]
    if not styles:
        return (), ()
    try:
        return normalised(styles), tuple(pictures)
    except ValueError:
        raise ProtocolError(
            "bad_request", f"give at least one style with a weight above 0 ({WEIGHTS_RULE})"
        ) from None


def _check_frames(spec: StylizeSpec, frame_lengths: list[int]) -> None:
    expected = 1 + spec.has_mask + len(spec.style_pictures)
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
    for number, picture in enumerate(spec.style_pictures):
        wire.check_frame(frame_lengths[spec.picture_frame(number)], picture, "style image")


def _parse_mask(value: Any, image: PixelLayout) -> bool:
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
    styles, pictures = _parse_styles(header.get("styles", []), limits)
    params = wire.require_map(header.get("params", {}), "params")
    preview = header.get("preview", False)
    if not isinstance(preview, bool):
        raise ProtocolError("bad_request", "'preview' must be true or false")
    model = wire.require_str(header.get("model", "default"), "model")
    spec = StylizeSpec(path, model, image, has_mask, styles, dict(params), preview, pictures)
    _check_frames(spec, frame_lengths)
    return spec
