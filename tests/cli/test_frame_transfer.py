"""Frames cross to the Ray workers as uint8 when they are 8-bit: a quarter of the bytes, and
what is written is the same to the byte."""

from __future__ import annotations

from pathlib import Path

import torch
from stylebridge.cli.frame_transfer import from_wire, to_wire
from stylebridge.core.frame_io import read_frame, write_frame


def test_an_8bit_frame_travels_as_uint8_and_is_written_the_same(tmp_path: Path) -> None:
    torch.manual_seed(0)
    stylized = torch.rand(1, 3, 32, 48) * 1.2 - 0.1  # a network may overshoot [0, 1]
    wire = to_wire(stylized, 8)
    assert wire.dtype == torch.uint8
    assert wire.numel() * wire.element_size() == stylized.numel()  # a quarter of float32's
    write_frame(stylized, tmp_path / "direct.png", 8)
    write_frame(from_wire(wire), tmp_path / "wire.png", 8)
    assert (tmp_path / "direct.png").read_bytes() == (tmp_path / "wire.png").read_bytes()


def test_an_8bit_frame_read_back_from_the_wire_is_what_read_frame_gave(tmp_path: Path) -> None:
    torch.manual_seed(1)
    write_frame(torch.rand(1, 3, 16, 16), tmp_path / "in.png", 8)
    loaded = read_frame(tmp_path / "in.png").rgb
    assert torch.equal(from_wire(to_wire(loaded, 8)), loaded)


def test_a_16bit_frame_keeps_its_float_pixels() -> None:
    pixels = torch.rand(1, 3, 8, 8)
    assert torch.equal(from_wire(to_wire(pixels, 16)), pixels)
