"""How much of a style's texture a stylized image carries, measured in VGG-19 feature statistics.

A plain Gram distance at relu1_1 rewards a colour grade (a tinted photo scores well), so the
texture score drops colour: output, style and photo are reduced to luminance first, and it uses
the mean-removed feature covariances at relu2_1..relu5_1. Each distance is relative to the style's
own covariance size, averaged over layers, and divided by the untouched photo's distance: 1.0
means none of the style's texture, 0 the style's texture exactly. The style is resized to the
output's pixel count, so a texture also scores the size of its strokes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import Tensor
from torch.nn import functional

from stylebridge.core.color import luminance_as_rgb
from stylebridge.core.images import resize_to_area
from stylebridge.core.losses.gram import gram_matrix
from stylebridge.core.vgg import VGG19Features

TEXTURE_LAYERS = ("relu2_1", "relu3_1", "relu4_1", "relu5_1")
GRAM_LAYERS = ("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1")
CONTENT_LAYER = "relu4_2"
_MIN_SIDE_PX = 16  # relu5_1 needs a pixel


@dataclass(frozen=True)
class QualityScores:
    """texture and gram: 1.0 = the photo's distance to the style, lower = closer to the style.
    content: relu4_2 mean squared difference to the photo / the photo's mean square feature."""

    texture: float
    gram: float
    content: float


def covariance(features: Tensor) -> Tensor:
    """(1, C, H, W) -> (C, C) covariance over positions (mean removed), float64."""
    flat = features[0].flatten(1).double()
    flat = flat - flat.mean(dim=1, keepdim=True)
    return flat @ flat.T / flat.shape[1]


def relative_distance(matrix: Tensor, target: Tensor) -> float:
    """‖matrix − target‖² / ‖target‖² (Frobenius)."""
    return float((matrix - target).pow(2).sum() / target.pow(2).sum().clamp_min(1e-30))


def resize_to_pixels(image: Tensor, pixels: int) -> Tensor:
    """(1, 3, H, W) scaled (aspect kept) to about `pixels` pixels, no side under 16 px."""
    return resize_to_area(image, pixels, _MIN_SIDE_PX)


def _mean_distance(
    statistic: object, ours: dict[str, Tensor], style: dict[str, Tensor], layers: Sequence[str]
) -> float:
    distances = [
        relative_distance(statistic(ours[n]), statistic(style[n]))  # type: ignore[operator]
        for n in layers
    ]
    return sum(distances) / len(distances)


def _features(vgg: VGG19Features, image: Tensor, layers: Sequence[str]) -> dict[str, Tensor]:
    with torch.no_grad():
        return {k: v.float() for k, v in vgg(image, layers).items()}


def score(vgg: VGG19Features, output: Tensor, photo: Tensor, style: Tensor) -> QualityScores:
    """Scores of output (1, 3, H, W) against the photo (resized to it) and the style image."""
    photo = resize_to_pixels(photo, output.shape[-2] * output.shape[-1])
    if photo.shape[-2:] != output.shape[-2:]:
        photo = functional.interpolate(photo, size=output.shape[-2:], mode="bilinear")
    style = resize_to_pixels(style, output.shape[-2] * output.shape[-1])
    grey = {
        name: _features(vgg, luminance_as_rgb(image), TEXTURE_LAYERS)
        for name, image in (("out", output), ("photo", photo), ("style", style))
    }
    texture = _mean_distance(covariance, grey["out"], grey["style"], TEXTURE_LAYERS)
    baseline = _mean_distance(covariance, grey["photo"], grey["style"], TEXTURE_LAYERS)
    colour = {
        name: _features(vgg, image, (*GRAM_LAYERS, CONTENT_LAYER))
        for name, image in (("out", output), ("photo", photo), ("style", style))
    }
    gram = _mean_distance(_gram, colour["out"], colour["style"], GRAM_LAYERS)
    gram_baseline = _mean_distance(_gram, colour["photo"], colour["style"], GRAM_LAYERS)
    target = colour["photo"][CONTENT_LAYER]
    content = (colour["out"][CONTENT_LAYER] - target).pow(2).mean() / target.pow(2).mean()
    return QualityScores(
        texture=texture / max(baseline, 1e-30),
        gram=gram / max(gram_baseline, 1e-30),
        content=float(content),
    )


def _gram(features: Tensor) -> Tensor:
    return gram_matrix(features.double())[0]
