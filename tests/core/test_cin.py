"""Conditional instance norm (METHODS §5.1, §5.8, §7)."""

from __future__ import annotations

import torch
from stylebridge.core.cin import EPS, ConditionalInstanceNorm, NormStats
from torch import nn


def _cin(channels: int = 4, styles: int = 3, seed: int = 0) -> ConditionalInstanceNorm:
    torch.manual_seed(seed)
    cin = ConditionalInstanceNorm(channels, styles)
    with torch.no_grad():
        cin.gamma.copy_(torch.randn(styles, channels))
        cin.beta.copy_(torch.randn(styles, channels))
    return cin


def test_one_hot_weight_equals_instance_norm_with_that_styles_gamma_beta() -> None:
    cin = _cin()
    x = torch.randn(2, 4, 8, 8) * 3 + 1
    plain = nn.InstanceNorm2d(4, affine=False, eps=EPS)(x)
    for s in range(3):
        w = torch.zeros(2, 3)
        w[:, s] = 1.0
        expected = plain * cin.gamma[s].view(1, 4, 1, 1) + cin.beta[s].view(1, 4, 1, 1)
        torch.testing.assert_close(cin(x, w), expected, rtol=1e-5, atol=1e-5)


def test_blend_is_linear_in_the_style_weights() -> None:
    cin = _cin()
    x = torch.randn(1, 4, 8, 8)
    w = torch.tensor([[0.2, 0.5, 0.3]])
    singles = [cin(x, torch.eye(3)[s : s + 1]) for s in range(3)]
    blended = sum(w[0, s] * singles[s] for s in range(3))
    torch.testing.assert_close(cin(x, w), blended, rtol=1e-5, atol=1e-5)


def test_output_statistics_are_beta_and_gamma() -> None:
    cin = _cin()
    x = torch.randn(1, 4, 16, 16) * 5 + 2
    out = cin(x, torch.tensor([[0.0, 1.0, 0.0]]))
    torch.testing.assert_close(out.mean(dim=(2, 3))[0], cin.beta[1], rtol=1e-4, atol=1e-4)
    std = out.std(dim=(2, 3), correction=0)[0]
    torch.testing.assert_close(std, cin.gamma[1].abs(), rtol=1e-3, atol=1e-3)


def test_batch_items_are_independent() -> None:
    cin = _cin()
    x = torch.randn(2, 4, 8, 8)
    w = torch.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    torch.testing.assert_close(cin(x, w)[1:], cin(x[1:], w[1:]))


def test_replayed_statistics_reproduce_the_recorded_pass() -> None:
    cin = _cin()
    x = torch.randn(1, 4, 8, 8)
    w = torch.tensor([[0.5, 0.5, 0.0]])
    stats = NormStats()
    recorded = cin(x, w, stats)
    # A crop normalised with the whole image's statistics equals the crop of the whole result.
    crop = cin(x[:, :, 2:6, 1:7], w, stats.replay())
    torch.testing.assert_close(crop, recorded[:, :, 2:6, 1:7])


def test_blend_map_constant_equals_vector_weights() -> None:
    cin = _cin()
    x = torch.randn(1, 4, 8, 8)
    w = torch.tensor([[0.1, 0.6, 0.3]])
    as_map = w[:, :, None, None].expand(1, 3, 8, 8)
    torch.testing.assert_close(cin(x, as_map), cin(x, w), rtol=1e-5, atol=1e-6)


def test_add_styles_keeps_old_rows_and_starts_new_ones_at_identity() -> None:
    cin = _cin()
    before = cin.gamma.detach().clone(), cin.beta.detach().clone()
    cin.add_styles(2)
    assert cin.num_styles == 5
    assert torch.equal(cin.gamma[:3], before[0]) and torch.equal(cin.beta[:3], before[1])
    assert torch.equal(cin.gamma[3:], torch.ones(2, 4))
    assert torch.equal(cin.beta[3:], torch.zeros(2, 4))
