"""The one pixel-layout type (pixel_layout.py): descriptor maps in, the same maps out, every bad
field named; the daemon's request parsing gives its errors their codes."""

from __future__ import annotations

import msgpack
import pytest
from stylebridge.pixel_layout import (
    PIXEL_KEYS,
    PixelLayout,
    layout_from_wire,
    packed_layout,
    result_layout,
)
from stylebridge.service import protocol as wire

RGB8 = {"width": 2, "height": 2, "channels": "RGB", "dtype": "uint8"}


@pytest.mark.parametrize(
    ("descriptor", "message"),
    [
        ({**RGB8, "channels": "XYZ"}, "channels"),
        ({**RGB8, "dtype": "int8"}, "dtype"),
        ({**RGB8, "width": 0}, "width"),
        ({**RGB8, "height": True}, "height"),
        ({**RGB8, "width": 2.0}, "width"),
        ({**RGB8, "stride": 5}, "stride"),
        ({**RGB8, "stride": -1}, "stride"),
        ({**RGB8, "transfer": "x"}, "transfer"),
        ({**RGB8, "x": 1}, "unknown keys"),
        ([2, 2], "map"),
    ],
)
def test_bad_descriptors_name_the_bad_field(descriptor: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        layout_from_wire(descriptor)


def test_missing_stride_means_packed_rows() -> None:
    layout = layout_from_wire({"width": 3, "height": 2, "channels": "RGBA", "dtype": "float16"})
    assert layout == packed_layout(3, 2, "RGBA", "float16")
    assert layout.stride == 3 * 4 * 2 and layout.buffer_bytes == 48 and layout.transfer == "srgb"


def test_a_layout_goes_to_the_wire_and_back_unchanged_with_the_keys_in_wire_order() -> None:
    layout = PixelLayout(5, 3, "BGRA", "uint16", 48, "linear")
    descriptor = layout.to_wire()
    assert tuple(descriptor) == PIXEL_KEYS
    assert layout_from_wire(descriptor) == layout
    # The header bytes a result carries, as the daemon packed them before there was one type.
    assert wire.pack(descriptor) == msgpack.packb(
        {"width": 5, "height": 3, "channels": "BGRA", "dtype": "uint16", "stride": 48,
         "transfer": "linear"}, use_bin_type=True,
    )  # fmt: skip


def test_a_result_descriptor_may_say_its_working_size_a_request_may_not() -> None:
    descriptor = {**packed_layout(4, 4, "RGB", "uint8").to_wire(), "working_px": 512}
    assert result_layout(descriptor) == packed_layout(4, 4, "RGB", "uint8")
    with pytest.raises(ValueError, match="working_px"):
        layout_from_wire(descriptor)
    with pytest.raises(ValueError, match="'result image' must be a map"):
        result_layout(None)


def test_the_daemon_parses_a_descriptor_into_the_layout_with_its_error_codes() -> None:
    limits = wire.Limits(max_side_px=64, max_pixels=64 * 64)
    assert wire.parse_pixel_format(RGB8, limits) == packed_layout(2, 2, "RGB", "uint8")
    with pytest.raises(wire.ProtocolError) as bad:
        wire.parse_pixel_format({**RGB8, "stride": 5}, limits, "styles[0].image")
    assert bad.value.code == "bad_pixels"
    assert bad.value.message == "styles[0].image.stride 5 < width x channels x bytes 6"
    with pytest.raises(wire.ProtocolError) as large:
        wire.parse_pixel_format({**RGB8, "width": 65}, limits)
    assert large.value.code == "too_large"
