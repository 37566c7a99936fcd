"""Editor layer layouts -> wire pixel descriptors (docs/architecture.md, "Pixels on the wire")."""

from __future__ import annotations

import pytest
from stylebridge.editor.layer_formats import (
    check_frame,
    descriptor,
    frame_size,
    gimp_descriptor,
    is_linear_profile,
    krita_descriptor,
)
from stylebridge.editor.regions import fit_within, intersect, work_region

SRGB = "sRGB-elle-V2-srgbtrc.icc"
LINEAR = "sRGB-elle-V2-g10.icc"


@pytest.mark.parametrize(
    ("depth", "channels", "dtype", "bytes_per_pixel"),
    [
        ("U8", "BGRA", "uint8", 4),
        ("U16", "BGRA", "uint16", 8),
        ("F16", "RGBA", "float16", 8),
        ("F32", "RGBA", "float32", 16),
    ],
)
def test_krita_depths_map_to_their_memory_layout(
    depth: str, channels: str, dtype: str, bytes_per_pixel: int
) -> None:
    fmt = krita_descriptor(7, 3, "RGBA", depth, SRGB)
    assert (fmt["channels"], fmt["dtype"]) == (channels, dtype)
    assert fmt["stride"] == 7 * bytes_per_pixel
    assert frame_size(fmt) == 7 * 3 * bytes_per_pixel


def test_krita_default_profiles_give_the_right_transfer() -> None:
    assert krita_descriptor(2, 2, "RGBA", "U8", SRGB)["transfer"] == "srgb"
    assert krita_descriptor(2, 2, "RGBA", "U16", LINEAR)["transfer"] == "linear"
    assert krita_descriptor(2, 2, "RGBA", "F32", "scRGB (linear)")["transfer"] == "linear"


@pytest.mark.parametrize(
    ("name", "linear"),
    [(LINEAR, True), (SRGB, False), ("Rec2020-elle-V4-g10.icc", True), ("Adobe RGB", False)],
)
def test_linear_profiles_are_recognised_by_name(name: str, linear: bool) -> None:
    assert is_linear_profile(name) is linear


def test_non_rgb_krita_layers_are_refused_with_advice() -> None:
    with pytest.raises(ValueError, match="Convert Image Color Space"):
        krita_descriptor(2, 2, "GRAYA", "U8", SRGB)
    with pytest.raises(ValueError, match="colour depth"):
        krita_descriptor(2, 2, "RGBA", "U32", SRGB)


@pytest.mark.parametrize(
    ("babl", "channels", "dtype", "transfer"),
    [
        ("R'G'B'A u8", "RGBA", "uint8", "srgb"),
        ("R'G'B'A u16", "RGBA", "uint16", "srgb"),
        ("RGBA half", "RGBA", "float16", "linear"),
        ("RGBA float", "RGBA", "float32", "linear"),
        ("R'G'B' u8", "RGB", "uint8", "srgb"),
    ],
)
def test_gimp_babl_formats_map_to_rgba_orders(
    babl: str, channels: str, dtype: str, transfer: str
) -> None:
    fmt = gimp_descriptor(4, 4, babl)
    assert (fmt["channels"], fmt["dtype"], fmt["transfer"]) == (channels, dtype, transfer)


def test_padded_stride_is_kept_and_checked() -> None:
    fmt = descriptor(3, 2, "RGBA", "uint8", stride=16)
    assert frame_size(fmt) == 32
    check_frame(bytes(32), fmt)
    with pytest.raises(ValueError, match="32"):
        check_frame(bytes(24), fmt)
    with pytest.raises(ValueError, match="stride"):
        descriptor(3, 2, "RGBA", "uint8", stride=11)


def test_bad_sizes_and_names_are_refused() -> None:
    with pytest.raises(ValueError, match="1x1"):
        descriptor(0, 2, "RGBA", "uint8")
    with pytest.raises(ValueError, match="dtype"):
        descriptor(2, 2, "RGBA", "int8")
    with pytest.raises(ValueError, match="babl"):
        gimp_descriptor(2, 2, "Y u8")


def test_work_region_is_layer_within_canvas_and_selection() -> None:
    assert work_region((-5, -5, 50, 50), (0, 0, 40, 30), None) == (0, 0, 40, 30)
    assert work_region((0, 0, 40, 30), (0, 0, 40, 30), (30, 20, 20, 20)) == (30, 20, 10, 10)
    assert intersect((0, 0, 4, 4), (4, 0, 4, 4)) is None
    with pytest.raises(ValueError, match="selection"):
        work_region((0, 0, 10, 10), (0, 0, 40, 30), (20, 20, 5, 5))
    with pytest.raises(ValueError, match="no pixels"):
        work_region((50, 50, 10, 10), (0, 0, 40, 30), None)


def test_preview_sizes_keep_aspect_and_never_upscale() -> None:
    assert fit_within(1000, 500, 256) == (256, 128)
    assert fit_within(100, 50, 256) == (100, 50)
    assert fit_within(5000, 1, 256) == (256, 1)
