"""The quality benchmark's scores on tiny synthetic images (benchmarks/quality.py uses them)."""

from __future__ import annotations

import pytest
import torch
from stylebridge.core.quality_scores import covariance, relative_distance, score
from stylebridge.core.vgg import VGG19Features
from torch.nn import functional


@pytest.fixture(scope="module")
def vgg() -> VGG19Features:
    torch.manual_seed(0)
    net = VGG19Features(pooling="max")
    for conv in net.modules():
        if isinstance(conv, torch.nn.Conv2d):
            torch.nn.init.kaiming_normal_(conv.weight)
    return net.eval()


def _photo() -> torch.Tensor:
    torch.manual_seed(1)
    return functional.interpolate(torch.rand(1, 3, 4, 4), size=(64, 64), mode="bilinear")


def _stripes() -> torch.Tensor:
    x = torch.arange(64).float()
    stripes = (torch.sin(x / 1.5)[None, :] * torch.cos(x / 2.5)[:, None] > 0).float()
    return stripes.expand(1, 3, 64, 64).contiguous()


def test_a_photo_scores_one_against_itself_and_has_no_content_error(vgg: VGG19Features) -> None:
    photo, style = _photo(), _stripes()
    scores = score(vgg, photo, photo, style)
    assert scores.texture == pytest.approx(1.0)
    assert scores.gram == pytest.approx(1.0)
    assert scores.content == pytest.approx(0.0, abs=1e-9)


def test_a_texture_scores_lower_against_its_source_than_a_flat_image(
    vgg: VGG19Features,
) -> None:
    photo, style = _photo(), _stripes()
    flat = torch.full_like(photo, 0.5)
    shifted = torch.roll(style, shifts=(7, 11), dims=(-2, -1))  # same texture, other place
    assert score(vgg, shifted, photo, style).texture < 0.2
    assert score(vgg, flat, photo, style).texture > 0.9
    assert score(vgg, shifted, photo, style).content > 0.1


def test_colour_alone_does_not_move_the_texture_score(vgg: VGG19Features) -> None:
    photo, style = _photo(), _stripes() * torch.tensor([1.0, 0.2, 0.1]).view(1, 3, 1, 1)
    tinted = (photo * torch.tensor([1.0, 0.5, 0.4]).view(1, 3, 1, 1)).clamp(0, 1)
    # Same luminance pattern, other colours: only the colour-blind texture score stays near 1.
    assert abs(score(vgg, tinted, photo, style).texture - 1.0) < 0.35


def test_covariance_removes_the_mean_and_distance_is_relative() -> None:
    features = torch.randn(1, 4, 8, 8) + 10.0
    torch.testing.assert_close(covariance(features), covariance(features - 10.0))
    target = torch.eye(3, dtype=torch.float64)
    assert relative_distance(2 * target, target) == pytest.approx(1.0)
