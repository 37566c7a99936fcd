"""Raw wire buffers <-> tensors (core/pixels.py): formats, strides, transfer, selection rule.
The descriptor checks themselves: tests/protocol/test_pixel_layout.py."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from stylebridge.core import pixels
from stylebridge.pixel_layout import PixelLayout, layout_from_wire

CHANNELS = ("RGB", "RGBA", "BGR", "BGRA")
DTYPES = {"uint8": "u1", "uint16": "<u2", "float16": "<f2", "float32": "<f4"}
MAX = {"uint8": 255, "uint16": 65535}


def make_buffer(rgba: np.ndarray, channels: str, dtype: str, pad: int = 0) -> tuple[bytes, dict]:
    """Pack an (H, W, 4) float image in [0, 1] the way an editor would, with `pad` bytes per row."""
    h, w, _ = rgba.shape
    order = {"RGB": [0, 1, 2], "RGBA": [0, 1, 2, 3], "BGR": [2, 1, 0], "BGRA": [2, 1, 0, 3]}
    samples = rgba[:, :, order[channels]]
    if dtype in MAX:
        samples = np.rint(samples * MAX[dtype])
    packed = np.ascontiguousarray(samples.astype(DTYPES[dtype])).reshape(h, -1).view(np.uint8)
    rows = np.concatenate([packed, np.full((h, pad), 0xAB, np.uint8)], axis=1)
    fmt = {"width": w, "height": h, "channels": channels, "dtype": dtype}
    fmt["stride"] = rows.shape[1]
    return rows.tobytes(), fmt


def random_rgba(h: int = 5, w: int = 7, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((h, w, 4)).astype(np.float32)


@pytest.mark.parametrize("channels", CHANNELS)
@pytest.mark.parametrize("dtype", list(DTYPES))
@pytest.mark.parametrize("pad", [0, 3])
def test_decode_reads_every_format_as_rgb_and_alpha(channels: str, dtype: str, pad: int) -> None:
    image = random_rgba()
    buffer, fmt = make_buffer(image, channels, dtype, pad)
    decoded = pixels.decode(buffer, layout_from_wire(fmt))
    tolerance = {"uint8": 0.5 / 255, "uint16": 0.5 / 65535, "float16": 1e-3, "float32": 1e-7}
    expected = torch.from_numpy(image).permute(2, 0, 1).unsqueeze(0)
    assert decoded.rgb.shape == (1, 3, 5, 7) and decoded.rgb.dtype == torch.float32
    torch.testing.assert_close(decoded.rgb, expected[:, :3], atol=tolerance[dtype], rtol=0)
    if channels.endswith("A"):
        assert decoded.alpha is not None
        torch.testing.assert_close(decoded.alpha, expected[:, 3:], atol=tolerance[dtype], rtol=0)
    else:
        assert decoded.alpha is None


@pytest.mark.parametrize("channels", CHANNELS)
@pytest.mark.parametrize("dtype", list(DTYPES))
@pytest.mark.parametrize("pad", [0, 5])
def test_encode_of_decode_gives_back_the_same_bytes(channels: str, dtype: str, pad: int) -> None:
    buffer, fmt = make_buffer(random_rgba(seed=1), channels, dtype, pad)
    layout = layout_from_wire(fmt)
    decoded = pixels.decode(buffer, layout)
    out = pixels.encode(decoded.rgb, decoded.alpha, layout)
    assert len(out) == len(buffer)
    rows_in = np.frombuffer(buffer, np.uint8).reshape(5, -1)
    rows_out = np.frombuffer(out, np.uint8).reshape(5, -1)
    width_bytes = layout.stride - pad
    np.testing.assert_array_equal(rows_out[:, :width_bytes], rows_in[:, :width_bytes])
    assert not rows_out[:, width_bytes:].any()  # padding is written as zeros


def test_bgra_bytes_land_in_the_right_channels() -> None:
    buffer = bytes([10, 20, 30, 40])  # B, G, R, A
    layout = PixelLayout(1, 1, "BGRA", "uint8", 4)
    decoded = pixels.decode(buffer, layout)
    assert decoded.rgb.flatten().mul(255).round().tolist() == [30, 20, 10]
    assert decoded.alpha is not None and round(decoded.alpha.item() * 255) == 40


def test_uint16_is_little_endian_full_range() -> None:
    buffer = (65535).to_bytes(2, "little") + (0).to_bytes(2, "little") + (257).to_bytes(2, "little")
    decoded = pixels.decode(buffer, PixelLayout(1, 1, "RGB", "uint16", 6))
    torch.testing.assert_close(decoded.rgb.flatten(), torch.tensor([1.0, 0.0, 257 / 65535]))


def test_srgb_curve_matches_the_standard_and_inverts() -> None:
    x = torch.linspace(0, 1, 101)
    linear = pixels.srgb_to_linear(x)
    assert abs(pixels.srgb_to_linear(torch.tensor(0.5)).item() - 0.21404) < 1e-4
    assert abs(pixels.srgb_to_linear(torch.tensor(0.04)).item() - 0.04 / 12.92) < 1e-7
    torch.testing.assert_close(pixels.linear_to_srgb(linear), x, atol=1e-6, rtol=0)


def test_linear_buffers_become_srgb_tensors_and_back() -> None:
    linear_value = 0.21404  # sRGB 0.5
    buffer = np.full((2, 2, 3), linear_value, "<f4").tobytes()
    layout = PixelLayout(2, 2, "RGB", "float32", 24, "linear")
    decoded = pixels.decode(buffer, layout)
    torch.testing.assert_close(decoded.rgb, torch.full((1, 3, 2, 2), 0.5), atol=1e-4, rtol=0)
    out = np.frombuffer(pixels.encode(decoded.rgb, None, layout), "<f4")
    np.testing.assert_allclose(out, linear_value, atol=1e-6)


def test_float_values_outside_the_range_are_clamped_and_nan_is_zero() -> None:
    buffer = np.array([[[2.0, -1.0, np.nan, np.inf]]], "<f4").tobytes()
    decoded = pixels.decode(buffer, PixelLayout(1, 1, "RGBA", "float32", 16))
    assert decoded.rgb.flatten().tolist() == [1.0, 0.0, 0.0]
    assert decoded.alpha is not None and decoded.alpha.item() == 1.0


def test_wrong_buffer_length_is_a_value_error() -> None:
    layout = PixelLayout(4, 4, "RGBA", "uint8", 16)
    with pytest.raises(ValueError, match="64"):
        pixels.decode(bytes(63), layout)


def test_selection_mask_multiplies_the_source_alpha() -> None:
    image = random_rgba(2, 2, seed=3)
    buffer, fmt = make_buffer(image, "RGBA", "float32")
    layout = layout_from_wire(fmt)
    mask_bytes = bytes([0, 255, 128, 64])
    mask = pixels.decode_mask(mask_bytes, 2, 2)
    chosen = pixels.apply_selection(
        pixels.decode(buffer, layout), torch.full((1, 3, 2, 2), 0.25), mask
    )
    out = np.frombuffer(pixels.encode(chosen.rgb, chosen.alpha, layout), "<f4").reshape(2, 2, 4)
    expected_alpha = image[:, :, 3] * np.array([0, 255, 128, 64]).reshape(2, 2) / 255
    np.testing.assert_allclose(out[:, :, 3], expected_alpha, atol=1e-6)
    np.testing.assert_allclose(out[:, :, :3], 0.25, atol=1e-6)


def test_without_a_mask_the_source_alpha_is_kept() -> None:
    image = random_rgba(3, 3, seed=4)
    buffer, fmt = make_buffer(image, "BGRA", "uint8")
    layout = layout_from_wire(fmt)
    chosen = pixels.apply_selection(pixels.decode(buffer, layout), torch.zeros(1, 3, 3, 3), None)
    out = pixels.encode(chosen.rgb, chosen.alpha, layout)
    alpha_in = np.frombuffer(buffer, np.uint8).reshape(3, 3, 4)[:, :, 3]
    np.testing.assert_array_equal(np.frombuffer(out, np.uint8).reshape(3, 3, 4)[:, :, 3], alpha_in)


def test_mask_on_an_image_without_alpha_blends_over_the_source() -> None:
    buffer = bytes([200, 200, 200, 200, 200, 200])
    layout = PixelLayout(2, 1, "RGB", "uint8", 6)
    mask = pixels.decode_mask(bytes([0, 255]), 2, 1)
    chosen = pixels.apply_selection(pixels.decode(buffer, layout), torch.zeros(1, 3, 1, 2), mask)
    out = pixels.encode(chosen.rgb, chosen.alpha, layout)
    assert list(out) == [200, 200, 200, 0, 0, 0]


def test_source_bytes_are_never_modified() -> None:
    source = bytearray(make_buffer(random_rgba(seed=5), "RGBA", "uint8")[0])
    before = bytes(source)
    layout = PixelLayout(7, 5, "RGBA", "uint8", 28)
    mask = pixels.decode_mask(bytes(35), 7, 5)
    chosen = pixels.apply_selection(pixels.decode(source, layout), torch.ones(1, 3, 5, 7), mask)
    pixels.encode(chosen.rgb, chosen.alpha, layout)
    assert bytes(source) == before


def test_mask_of_wrong_length_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="mask"):
        pixels.decode_mask(bytes(5), 2, 3)


def test_encode_rejects_a_result_of_another_size() -> None:
    with pytest.raises(ValueError, match="shape"):
        pixels.encode(torch.zeros(1, 3, 2, 2), None, PixelLayout(3, 2, "RGB", "uint8", 9))


@settings(max_examples=40, deadline=None)
@given(
    width=st.integers(1, 9),
    height=st.integers(1, 9),
    channels=st.sampled_from(CHANNELS),
    dtype=st.sampled_from(["uint8", "uint16"]),
    pad=st.integers(0, 7),
    seed=st.integers(0, 2**16),
)
def test_integer_round_trip_is_exact_for_any_size_and_padding(
    width: int, height: int, channels: str, dtype: str, pad: int, seed: int
) -> None:
    buffer, fmt = make_buffer(random_rgba(height, width, seed), channels, dtype, pad)
    layout = layout_from_wire(fmt)
    decoded = pixels.decode(buffer, layout)
    out = pixels.encode(decoded.rgb, decoded.alpha, layout)
    rows = np.frombuffer(buffer, np.uint8).reshape(height, -1)[:, : layout.stride - pad]
    back = np.frombuffer(out, np.uint8).reshape(height, -1)[:, : layout.stride - pad]
    np.testing.assert_array_equal(back, rows)


@pytest.mark.parametrize("transfer", ["srgb", "linear"])
def test_decode_at_most_box_averages_the_samples_in_the_buffers_own_light(transfer: str) -> None:
    buffer, fmt = make_buffer(random_rgba(4, 6, seed=6), "BGRA", "uint8", pad=2)
    layout = layout_from_wire({**fmt, "transfer": transfer})
    small = pixels.decode_at_most(buffer, layout, long_side_px=3)
    full = pixels.decode(buffer, layout)
    to_buffer_light = pixels.srgb_to_linear if transfer == "linear" else (lambda x: x)
    from_buffer_light = pixels.linear_to_srgb if transfer == "linear" else (lambda x: x)
    expected = from_buffer_light(torch.nn.functional.avg_pool2d(to_buffer_light(full.rgb), 2))
    assert small.rgb.shape == (1, 3, 2, 3) and small.alpha is not None
    torch.testing.assert_close(small.rgb, expected, atol=1e-5, rtol=0)
    assert full.alpha is not None
    torch.testing.assert_close(small.alpha, torch.nn.functional.avg_pool2d(full.alpha, 2))
