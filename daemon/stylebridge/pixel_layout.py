"""How a raw pixel buffer is laid out: the one type a job's pixel format has, from the request's
descriptor map (`layout_from_wire`) to the result's (`PixelLayout.to_wire`).

A buffer holds `height` rows of `stride` bytes; each row starts with `width` pixels of `channels`
samples of `dtype` (little-endian); padding after them is ignored on input and zero on output
("Pixels on the wire" in docs/architecture.md).

Stdlib only, Python 3.8+: the installer vendors it beside client.py into Krita and GIMP.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal, cast

Channels = Literal["RGB", "RGBA", "BGR", "BGRA"]
Dtype = Literal["uint8", "uint16", "float16", "float32"]
Transfer = Literal["srgb", "linear"]

CHANNEL_COUNTS: dict[str, int] = {"RGB": 3, "RGBA": 4, "BGR": 3, "BGRA": 4}
DTYPE_BYTES: dict[str, int] = {"uint8": 1, "uint16": 2, "float16": 2, "float32": 4}
TRANSFERS = ("srgb", "linear")
PIXEL_KEYS = ("width", "height", "channels", "dtype", "stride", "transfer")
# A result's descriptor is the image's with these added (`working_px`: the long side the daemon
# made it at before scaling it to the layer's size).
RESULT_EXTRA_KEYS = ("working_px",)
MAX_SIDE_PX = 2**31  # a descriptor's own bound; the daemon's Limits are far lower
MAX_STRIDE_BYTES = 2**40


@dataclass(frozen=True)
class PixelLayout:
    """A buffer's layout; `stride` is bytes per row (>= width x channels x itemsize)."""

    width: int
    height: int
    channels: Channels
    dtype: Dtype
    stride: int
    transfer: Transfer = "srgb"

    @property
    def channel_count(self) -> int:
        return CHANNEL_COUNTS[self.channels]

    @property
    def has_alpha(self) -> bool:
        return self.channels.endswith("A")

    @property
    def itemsize(self) -> int:
        """Bytes per sample."""
        return DTYPE_BYTES[self.dtype]

    @property
    def buffer_bytes(self) -> int:
        """The exact length the buffer (a wire frame) must have: height x stride."""
        return self.height * self.stride

    def to_wire(self) -> dict[str, Any]:
        """The descriptor map the wire carries."""
        return {
            "width": self.width,
            "height": self.height,
            "channels": self.channels,
            "dtype": self.dtype,
            "stride": self.stride,
            "transfer": self.transfer,
        }


def packed_layout(
    width: int, height: int, channels: Channels, dtype: Dtype, transfer: Transfer = "srgb"
) -> PixelLayout:
    """The layout of rows without padding."""
    stride = width * CHANNEL_COUNTS[channels] * DTYPE_BYTES[dtype]
    return PixelLayout(width, height, channels, dtype, stride, transfer)


def layout_from_wire(value: Any, name: str = "image") -> PixelLayout:
    """A checked PixelLayout from a descriptor map (stride 0 or absent: packed rows); ValueError
    naming the bad field, e.g. "'image.width' must be in 1..2147483648: 0"."""
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise ValueError(f"{name!r} must be a map with string keys")
    unknown = sorted(set(value) - set(PIXEL_KEYS))
    if unknown:
        raise ValueError(f"{name!r} has unknown keys {unknown}")
    width = _int_in(value.get("width"), name + ".width", 1, MAX_SIDE_PX)
    height = _int_in(value.get("height"), name + ".height", 1, MAX_SIDE_PX)
    channels = _one_of(value.get("channels"), name + ".channels", tuple(CHANNEL_COUNTS))
    dtype = _one_of(value.get("dtype"), name + ".dtype", tuple(DTYPE_BYTES))
    transfer = _one_of(value.get("transfer", "srgb"), name + ".transfer", TRANSFERS)
    stride = _int_in(value.get("stride", 0), name + ".stride", 0, MAX_STRIDE_BYTES)
    packed = packed_layout(
        width, height, cast(Channels, channels), cast(Dtype, dtype), cast(Transfer, transfer)
    )
    if stride and stride < packed.stride:
        raise ValueError(f"{name}.stride {stride} < width x channels x bytes {packed.stride}")
    return replace(packed, stride=stride or packed.stride)


def result_layout(descriptor: Any) -> PixelLayout:
    """The layout of a result event's `image` descriptor (RESULT_EXTRA_KEYS left aside)."""
    if isinstance(descriptor, dict):
        descriptor = {k: v for k, v in descriptor.items() if k not in RESULT_EXTRA_KEYS}
    return layout_from_wire(descriptor, "result image")


def _int_in(value: Any, name: str, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name!r} must be an integer, got {value!r}")
    if not minimum <= value <= maximum:
        raise ValueError(f"{name!r} must be in {minimum}..{maximum}: {value}")
    return value


def _one_of(value: Any, name: str, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name!r} must be one of {list(choices)}, got {value!r}")
    return value
