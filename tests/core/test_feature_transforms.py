"""Closed-form feature alignments, each against its defining property."""

from __future__ import annotations

import pytest
import torch
from stylebridge.core.feature_transforms import adain, fuse, transport, wct


def _features(seed: int, channels: int = 6, size: int = 12, shift: float = 0.0) -> torch.Tensor:
    torch.manual_seed(seed)
    mixing = torch.randn(channels, channels)
    flat = mixing @ torch.randn(channels, size * size) + shift
    return flat.view(1, channels, size, size).double()


def test_adain_gives_the_styles_channel_means_and_stds() -> None:
    content, style = _features(0), _features(1, size=9, shift=3.0)
    out = adain(content, style)[0].flatten(1)
    s = style[0].flatten(1)
    torch.testing.assert_close(out.mean(1), s.mean(1))
    torch.testing.assert_close(out.std(1, correction=0), s.std(1, correction=0), rtol=1e-4, atol=0)


def test_wct_gives_the_styles_covariance_and_mean() -> None:
    content, style = _features(2), _features(3, size=10, shift=-1.0)
    out = wct(content, style)[0].flatten(1)
    s = style[0].flatten(1)

    def cov(x: torch.Tensor) -> torch.Tensor:
        x = x - x.mean(1, keepdim=True)
        return x @ x.T / x.shape[1]

    torch.testing.assert_close(out.mean(1), s.mean(1))
    torch.testing.assert_close(cov(out), cov(s), rtol=1e-4, atol=1e-6)


def test_transport_gives_the_styles_sorted_values_and_keeps_the_photos_order() -> None:
    content, style = _features(4), _features(5, shift=2.0)  # same count: exact quantiles
    out = transport(content, style)[0].flatten(1)
    c, s = content[0].flatten(1), style[0].flatten(1)
    torch.testing.assert_close(out.sort(1).values, s.sort(1).values.to(out.dtype))
    assert torch.equal(out.argsort(1), c.argsort(1))


def test_fusion_is_a_weighted_mix_and_strength_moves_from_the_photo() -> None:
    content, style = _features(6), _features(7)
    mixed = fuse(content, style, [("adain", 1.0), ("wct", 3.0)])
    torch.testing.assert_close(mixed, 0.25 * adain(content, style) + 0.75 * wct(content, style))
    torch.testing.assert_close(fuse(content, style, [("wct", 1.0)], strength=0.0), content)
    for bad in ([("nope", 1.0)], [("adain", 0.0)], []):
        with pytest.raises(ValueError, match="transform"):
            fuse(content, style, bad)
