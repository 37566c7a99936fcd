"""Stroke size: one processing size per stroke whatever the output size, sharp enlargements."""

from __future__ import annotations

import pytest
import torch
from stylebridge import stroke_scale
from stylebridge.core import stroke
from stylebridge.core.feedforward import stylize_network
from stylebridge.core.transformer import StyleNetwork
from torch import Tensor
from torch.nn import functional


class SizeRecorder(StyleNetwork):
    """A tiny network that remembers the image sizes it was run at."""

    def __init__(self) -> None:
        super().__init__(2, width=0.125)
        self.sizes: list[tuple[int, int]] = []

    def forward(self, image: Tensor, weights: Tensor, stats: object = None) -> Tensor:  # type: ignore[override]
        self.sizes.append((image.shape[-2], image.shape[-1]))
        return super().forward(image, weights, stats)  # type: ignore[arg-type]


def _photo(height: int, width: int) -> Tensor:
    torch.manual_seed(1)
    coarse = torch.rand(1, 3, 6, 8)
    return functional.interpolate(coarse, size=(height, width), mode="bicubic").clamp(0, 1)


def test_network_runs_at_the_stroke_size_whatever_the_output_size() -> None:
    weights = torch.tensor([1.0, 0.0])
    for size_px in (96, 640):
        net = SizeRecorder().eval()
        out = stylize_network(net, _photo(300, 400), weights, size_px=size_px, stroke=2.0)
        assert max(net.sizes[0]) == stroke_scale.processing_long_side(2.0) == 256
        assert max(out.shape[-2:]) == size_px


def test_preview_matches_the_full_result_at_the_same_stroke() -> None:
    torch.manual_seed(0)
    net, weights = StyleNetwork(2, width=0.25).eval(), torch.tensor([0.3, 0.7])
    with torch.no_grad():
        for norm in net.norms():
            norm.gamma.normal_(1.0, 0.5)
    photo = _photo(480, 640)
    full = stylize_network(net, photo, weights, stroke=2.0)
    preview = stylize_network(net, photo, weights, size_px=160, stroke=2.0)
    shrunk = functional.interpolate(full, size=preview.shape[-2:], mode="area")
    assert float((shrunk - preview).abs().mean()) < 6 / 255
    native = stylize_network(net, photo, weights, size_px=160, stroke=0)  # strokes in pixels
    assert float((shrunk - native).abs().mean()) > 2 * float((shrunk - preview).abs().mean())


def test_enlarging_keeps_the_photos_edges_sharp() -> None:
    photo = torch.zeros(1, 3, 256, 256)
    photo[..., 128:] = 1.0  # a hard vertical edge
    small = functional.interpolate(photo, size=(64, 64), mode="area")
    sharp = stroke.enlarge(small, photo)
    blurred = stroke.resize(small, (256, 256))
    assert float(sharp[..., 126:130].diff(dim=-1).abs().max()) > 0.9
    assert float(blurred[..., 126:130].diff(dim=-1).abs().max()) < 0.5


def test_stroke_out_of_range_is_refused() -> None:
    for bad in (0.01, 100.0):
        with pytest.raises(ValueError, match="stroke"):
            stroke_scale.processing_long_side(bad)
