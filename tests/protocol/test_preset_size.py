"""A preset's size never scales a smaller layer up: the optimization works at the layer's own
size (its previews show it), while an explicit size is still honoured."""

from __future__ import annotations

import numpy as np
import pytest
from stylebridge.client import JobProgress

from .conftest import DaemonProcess

pytestmark = pytest.mark.timeout(300)

FMT = {"width": 40, "height": 32, "channels": "RGBA", "dtype": "uint8"}
PIXELS = np.random.default_rng(2).integers(0, 256, (32, 40, 4), dtype=np.uint8).tobytes()


def _largest_preview_side(daemon: DaemonProcess, params: dict) -> int:
    sides: list[int] = []

    def seen(event: JobProgress) -> None:
        if event.preview is not None:
            sides.append(max(event.preview[1]["width"], event.preview[1]["height"]))

    with daemon.client(timeout_s=120) as client:
        client.stylize(
            PIXELS,
            FMT,
            {**params, "preview_every": 1},
            path="optimize",
            style_names={"udnie": 1.0},
            on_progress=seen,
            preview=True,
        )
    assert sides, "no preview arrived"
    return max(sides)


def test_preset_works_at_the_layer_size_when_it_is_smaller(daemon: DaemonProcess) -> None:
    # draft on a CPU: 2 scales up to 384 px; the layer's long side is 40 px.
    assert _largest_preview_side(daemon, {"preset": "draft", "steps": 2}) <= 40


def test_an_explicit_size_is_still_honoured(daemon: DaemonProcess) -> None:
    assert _largest_preview_side(daemon, {"steps": 2, "size": 64}) == 64


def test_a_small_layer_with_a_preset_drops_the_scales_its_styles_could_not_keep(
    daemon: DaemonProcess,
) -> None:
    # draft: 2 scales; at 32 px the coarse one is 16 px, where a 4:3 style is 16x12 (too thin
    # for VGG-19: it was `internal`). One scale at the layer's 32 px keeps every side >= 16.
    side = 32
    pixels = np.zeros((side, side, 4), np.uint8).tobytes()
    fmt = {**FMT, "width": side, "height": side}
    with daemon.client(timeout_s=120) as client:
        out, out_fmt = client.stylize(
            pixels, fmt, {"preset": "draft", "steps": 2}, path="optimize",
            style_names={"starry-night": 1.0},
        )  # fmt: skip
    assert (out_fmt["width"], out_fmt["height"]) == (side, side) and len(out) == len(pixels)
