"""Seamless tiling: coverage, feathers, and tiled == untiled on a 512² photo without seams."""

from __future__ import annotations

import itertools

import pytest
import torch
from stylebridge.core.feedforward import stylize_network
from stylebridge.core.images import load_image, resize
from stylebridge.core.style_library import styles_dir
from stylebridge.core.tiling import feather, plan_tiles, run_tiled, tile_starts
from stylebridge.core.transformer import StyleNetwork


@pytest.mark.parametrize("length", [64, 100, 256, 458, 512, 1000])
def test_tiles_cover_image_without_gaps(length: int) -> None:
    length -= length % 4
    starts = tile_starts(length, 96, 24)
    assert starts[0] == 0 and starts[-1] + min(96, length) == length
    assert all(s % 4 == 0 for s in starts)
    assert all(b - a <= 96 - 24 for a, b in itertools.pairwise(starts))


def test_feathers_sum_to_one_everywhere() -> None:
    tiles = plan_tiles(200, 312, 96, 24)
    total = torch.zeros(1, 1, 200, 312)
    for t in tiles:
        total[:, :, t.top : t.top + t.height, t.left : t.left + t.width] += feather(
            t, tiles, torch.device("cpu")
        )
    assert float(total.min()) > 0.0
    torch.testing.assert_close(total, torch.ones_like(total), rtol=0, atol=1e-5)


def test_run_tiled_of_a_pointwise_function_is_exact() -> None:
    image = torch.rand(1, 3, 124, 200)
    out = run_tiled(
        lambda t: image[:, :, t.top : t.top + t.height, t.left : t.left + t.width] * 2,
        124, 200, 64, 16, torch.device("cpu"),
    )  # fmt: skip
    torch.testing.assert_close(out, image * 2)


def _styled_network() -> StyleNetwork:
    """A random network with strong, varied styles (an untrained one is nearly flat)."""
    torch.manual_seed(3)
    net = StyleNetwork(2, width=0.25)
    with torch.no_grad():
        for module in net.modules():
            if isinstance(module, torch.nn.Conv2d):
                module.weight.normal_(0.0, 0.15)
        for norm in net.norms():
            norm.gamma.normal_(1.0, 0.5)
            norm.beta.normal_(0.0, 0.5)
    return net.eval()


def _seam_columns(tile_px: int, overlap_px: int, length: int) -> list[int]:
    starts = tile_starts(length, tile_px, overlap_px)
    edges = {s for s in starts[1:]} | {s + tile_px for s in starts[:-1]}
    return sorted(e for e in edges if 2 <= e <= length - 2)


def test_tiled_equals_untiled_on_512_photo_without_seams() -> None:
    photo = load_image(styles_dir().parent / "samples" / "washington-monument.jpg")
    image = resize(photo, (512, 512))
    net, weights = _styled_network(), torch.tensor([0.6, 0.4])
    whole = stylize_network(net, image, weights, stroke=0)
    tiled = stylize_network(net, image, weights, tile_px=192, stroke=0)
    assert float((tiled - whole).abs().mean()) < 2 / 255
    # No step along the tile borders: the gradient across seams, relative to the gradient
    # everywhere else, is what the untiled result has at the same places.
    seams = [s - 1 for s in _seam_columns(192, 48, 512)]
    for axis in (-1, -2):
        grad_tiled = tiled.diff(dim=axis).abs().transpose(axis, -1)
        grad_whole = whole.diff(dim=axis).abs().transpose(axis, -1)
        ratio_tiled = grad_tiled[..., seams].mean() / grad_tiled.mean()
        ratio_whole = grad_whole[..., seams].mean() / grad_whole.mean()
        assert float(ratio_tiled) < 1.1 * float(ratio_whole)
