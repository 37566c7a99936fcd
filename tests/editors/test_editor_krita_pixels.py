"""The descriptors the Krita plugin picks, decoded by the daemon's core/pixels.py: every depth,
BGRA order, stride, linear profiles, and the selection mask as the result's alpha."""

from __future__ import annotations

import struct

import pytest
import torch
from stylebridge.core.pixels import apply_selection, decode, encode
from stylebridge.editor.layer_formats import descriptor, gimp_descriptor, krita_descriptor
from stylebridge.pixel_layout import layout_from_wire

SRGB = "sRGB-elle-V2-srgbtrc.icc"
LINEAR = "sRGB-elle-V2-g10.icc"
# One pixel, red 1.0, green 0.5 (linear light where the profile is linear), blue 0, alpha 1.
KRITA_PIXELS = {
    "U8": (struct.pack("<4B", 0, 128, 255, 255), 128 / 255),
    "U16": (struct.pack("<4H", 0, 32768, 65535, 65535), 32768 / 65535),
    "F16": (struct.pack("<4e", 1.0, 0.5, 0.0, 1.0), 0.5),
    "F32": (struct.pack("<4f", 1.0, 0.5, 0.0, 1.0), 0.5),
}


def _srgb(linear: float) -> float:
    return 12.92 * linear if linear <= 0.0031308 else 1.055 * linear ** (1 / 2.4) - 0.055


@pytest.mark.parametrize("depth", sorted(KRITA_PIXELS))
@pytest.mark.parametrize("profile", [SRGB, LINEAR])
def test_krita_layer_bytes_decode_to_rgb(depth: str, profile: str) -> None:
    pixel, green = KRITA_PIXELS[depth]
    fmt = krita_descriptor(3, 2, "RGBA", depth, profile)
    decoded = decode(pixel * 6, layout_from_wire(fmt))
    expected_green = _srgb(green) if profile == LINEAR else green
    rgb = decoded.rgb[0, :, 1, 2].tolist()
    assert rgb == pytest.approx([1.0, expected_green, 0.0], abs=2e-3)
    assert decoded.alpha is not None and float(decoded.alpha.min()) == 1.0


def test_padded_rows_are_skipped() -> None:
    pixel = struct.pack("<4B", 10, 20, 30, 255)
    row = pixel * 2 + b"\xee" * 8
    fmt = descriptor(2, 2, "BGRA", "uint8", stride=16)
    decoded = decode(row * 2, layout_from_wire(fmt))
    assert decoded.rgb[0, :, 1, 1].tolist() == pytest.approx([30 / 255, 20 / 255, 10 / 255])


@pytest.mark.parametrize("depth", ["U8", "U16", "F32"])
def test_feathered_mask_becomes_result_alpha_and_source_survives(depth: str) -> None:
    pixel, _ = KRITA_PIXELS[depth]
    source = pixel * 4
    fmt = krita_descriptor(4, 1, "RGBA", depth, LINEAR if depth != "U8" else SRGB)
    layout = layout_from_wire(fmt)
    mask = torch.tensor([0.0, 64 / 255, 192 / 255, 1.0]).reshape(1, 1, 1, 4)
    chosen = apply_selection(decode(source, layout), torch.full((1, 3, 1, 4), 0.25), mask)
    result = encode(chosen.rgb, chosen.alpha, layout)
    assert source == pixel * 4
    out = decode(result, layout)
    assert out.alpha is not None
    assert out.alpha[0, 0, 0].tolist() == pytest.approx([0.0, 64 / 255, 192 / 255, 1.0], abs=1e-3)
    assert out.rgb[0, :, 0, 3].tolist() == pytest.approx([0.25] * 3, abs=2e-3)


def test_gimp_linear_float_layers_decode_like_krita_ones() -> None:
    pixel, _ = KRITA_PIXELS["F32"]
    gimp = decode(pixel, layout_from_wire(gimp_descriptor(1, 1, "RGBA float")))
    krita = decode(pixel, layout_from_wire(krita_descriptor(1, 1, "RGBA", "F32", LINEAR)))
    assert torch.equal(gimp.rgb, krita.rgb)
