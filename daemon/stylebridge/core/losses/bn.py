"""Batch-normalisation-statistics style loss of Li et al. 2017 (METHODS §3.4): match each
feature map's mean and standard deviation. No cross-channel terms (intra-class, METHODS §4.3)."""

from __future__ import annotations

import torch
from torch import Tensor

# Inside the square root, so the gradient stays finite for constant (e.g. dead ReLU) channels.
EPSILON = 1e-5


def channel_moments(features: Tensor) -> tuple[Tensor, Tensor]:
    """(B, C, H, W) -> per-channel mean and biased std, each (B, C)."""
    mean = features.mean(dim=(2, 3))
    var = (features - mean[:, :, None, None]).pow(2).mean(dim=(2, 3))
    return mean, torch.sqrt(var + EPSILON)


def bn_loss(features: Tensor, target_mean: Tensor, target_std: Tensor) -> Tensor:
    """(1/N) Σ_i (μ_i − μ_S,i)² + (σ_i − σ_S,i)²: (B, C, H, W), (B|1, C), (B|1, C) -> (B,)."""
    mean, std = channel_moments(features)
    return ((mean - target_mean).pow(2) + (std - target_std).pow(2)).mean(dim=1)
