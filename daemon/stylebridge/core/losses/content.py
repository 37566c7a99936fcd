"""Content (feature reconstruction) loss of Gatys et al. 2016, mean-reduced as in their reference
code so that its weight does not depend on the layer's size."""

from __future__ import annotations

from torch import Tensor


def content_loss(features: Tensor, target: Tensor) -> Tensor:
    """Mean squared feature difference per image: (B, C, H, W), (B|1, C, H, W) -> (B,)."""
    return (features - target).pow(2).mean(dim=(1, 2, 3))
