"""Maximum mean discrepancy style losses of Li, Wang, Liu & Hou, "Demystifying Neural Style
Transfer" (IJCAI 2017): linear, polynomial (d = 2) and Gaussian kernels (METHODS §3).

Each feature column (one spatial position, N channels) is a sample. Normalisers Z follow METHODS
§3.5 (N for linear, N² for polynomial, 1 for Gaussian) so that one balance weight per method works
at every image size: every estimator here averages over positions instead of summing.
"""

from __future__ import annotations

import torch
from torch import Tensor

from stylebridge.core.losses.gram import gram_matrix


def channel_means(features: Tensor) -> Tensor:
    """(B, C, H, W) -> (B, C) mean of each feature map over positions."""
    return features.mean(dim=(2, 3))


def linear_mmd_loss(features: Tensor, target_mean: Tensor) -> Tensor:
    """Linear-kernel MMD² / N = squared distance of channel means / N: -> (B,)."""
    c = features.shape[1]
    return (channel_means(features) - target_mean).pow(2).sum(dim=1) / c


def poly_mmd_loss(
    features: Tensor, target_gram: Tensor, target_mean: Tensor, c: float = 0.0
) -> Tensor:
    """MMD² for k(x,y) = (xᵀy + c)², divided by N²: -> (B,).

    The constant terms cancel (METHODS §3.2): MMD²_c = ||G/M − A/M'||² + 2c·||μ_F − μ_S||².
    With c = 0 this equals `gram_loss`.
    """
    n = features.shape[1]
    gram_term = (gram_matrix(features) - target_gram).pow(2).sum(dim=(1, 2))
    if c == 0.0:
        return gram_term / (n * n)
    mean_term = (channel_means(features) - target_mean).pow(2).sum(dim=1)
    return (gram_term + 2.0 * c * mean_term) / (n * n)


def _paired_columns(samples: Tensor, count: int, generator: torch.Generator | None) -> Tensor:
    """(N, M) -> (2, N, count/2): a fresh random pairing of `count` of the M columns."""
    order = torch.randperm(samples.shape[1], generator=generator, device=samples.device)[:count]
    picked = samples[:, order]
    return picked.reshape(samples.shape[0], count // 2, 2).permute(2, 0, 1)


def gauss_mmd_loss(
    samples: Tensor, target_samples: Tensor, generator: torch.Generator | None = None
) -> Tensor:
    """Gretton's linear-time unbiased Gaussian-kernel MMD²: (N, M), (N, M') -> scalar.

    Positions are permuted afresh per call (seeded by `generator`, on the samples' device) and
    paired; the bandwidth is
    2σ² = mean squared distance over the four sampled pair sets, as in the authors' code. The
    bandwidth is held constant in the gradient (the code does the same). Can be slightly < 0.
    """
    count = min(samples.shape[1], target_samples.shape[1]) // 2 * 2
    if count < 2:
        raise ValueError("Gaussian MMD needs at least 2 positions per image")
    x1, x2 = _paired_columns(samples, count, generator)
    y1, y2 = _paired_columns(target_samples, count, generator)
    distances = [(a - b).pow(2).sum(dim=0) for a, b in ((x1, x2), (y1, y2), (x1, y2), (y1, x2))]
    two_sigma2 = torch.cat(distances).mean().detach().clamp_min(1e-12)
    xx, yy, xy, yx = (torch.exp(-d / two_sigma2) for d in distances)
    return (xx + yy - xy - yx).mean()
