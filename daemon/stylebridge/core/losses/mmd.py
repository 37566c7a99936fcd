"""Maximum mean discrepancy style losses of Li, Wang, Liu & Hou, "Demystifying Neural Style
Transfer" (IJCAI 2017): linear, polynomial (d = 2) and Gaussian kernels (METHODS §3). The
Gaussian one is estimated with random Fourier features instead of the paper's linear-time
estimator, and its bandwidth comes from the style alone (see below for why, with measurements).

Each feature column (one spatial position, N channels) is a sample. Normalisers Z follow METHODS
§3.5 (N for linear, N² for polynomial, 1 for Gaussian) so that one balance weight per method works
at every image size: every estimator here averages over positions instead of summing.
"""

from __future__ import annotations

import torch
from torch import Tensor

from stylebridge.core.losses.gram import gram_matrix
from stylebridge.core.losses.style_columns import style_columns


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


# Wider than the style's own spread: a wide Gaussian kernel weighs the low moments (means and
# covariances, which carry a painting's texture) above single-feature matches. Measured (refine
# from the network, 512 px, Great Wave / udnie texture): factor 0.25 0.316 / 0.259, 1 0.255 /
# 0.196, 4 0.217 / 0.190, 16 0.228 / 0.198 (benchmarks/RESULTS.md).
BANDWIDTH_FACTOR = 4.0


def gauss_bandwidth(target_samples: Tensor) -> Tensor:
    """2σ² = BANDWIDTH_FACTOR × the mean squared distance between two of the style's columns,
    computed exactly (2·(mean ‖y‖² − ‖ȳ‖²)·M/(M−1)), so that it is a constant of the target and
    the loss a fixed function for L-BFGS's line search (the authors' code re-estimates it from
    the sampled pairs of both images at every call and holds it constant in the gradient)."""
    m = target_samples.shape[1]
    if m < 2:
        raise ValueError("Gaussian MMD needs at least 2 positions per image")
    y = target_samples.double()
    spread = y.pow(2).sum(dim=0).mean() - y.mean(dim=1).pow(2).sum()
    return (BANDWIDTH_FACTOR * 2.0 * spread * m / (m - 1)).float().clamp_min(1e-12)


_FOURIER_BUDGET = 1 << 23  # positions × frequencies: 32 MiB per cos/sin map in float32


def fourier_count(positions: int) -> int:
    """Random frequencies for a layer with `positions` columns: as many as fit a budget of
    positions × frequencies (memory of the cos/sin maps kept for the gradient), 64..1024."""
    return max(64, min(1024, _FOURIER_BUDGET // max(positions, 1)))


def gauss_mmd_loss(
    samples: Tensor,
    target_samples: Tensor,
    two_sigma2: Tensor,
    generator: torch.Generator | None = None,
) -> Tensor:
    """Gaussian-kernel MMD² over every position by random Fourier features (Rahimi & Recht
    2007): k(x, y) = E_w cos(wᵀ(x − y)), w ~ N(0, I/σ²), so with D frequencies
    MMD² ≈ ‖mean φ(X) − mean φ(Y)‖², φ(x) = [cos Wx, sin Wx]/√D. (N, M), (N, M') -> scalar ≥ 0.

    Why not the authors' linear-time estimator (Gretton's, METHODS §3.3: positions paired at
    random, one kernel value per pair): it gives each position the pull of one random partner, so
    its gradient is mostly noise, and L-BFGS, which needs one function for a whole line search,
    fitted one draw's noise (texture 0.37 where every other method reached 0.17-0.20; this one
    0.20, benchmarks/RESULTS.md). Here every position meets every frequency and one draw of W is
    a fixed, smooth kernel; averaged over draws it is the full (biased) MMD² (exactly, up to the
    style's subsample, `style_columns`). Computed in float32: phases in bf16 are off by up to a
    few hundredths of a turn."""
    n = samples.shape[0]
    count = fourier_count(samples.shape[1])
    frequencies = torch.randn(count, n, generator=generator, device=samples.device)
    frequencies = frequencies / (two_sigma2.to(samples.device) / 2.0).sqrt()
    with torch.autocast(samples.device.type, enabled=False):
        phases_x = frequencies @ samples.float()
        with torch.no_grad():
            phases_y = frequencies @ style_columns(target_samples, generator).float()
            mean_y = torch.cat([phases_y.cos().mean(dim=1), phases_y.sin().mean(dim=1)])
        mean_x = torch.cat([phases_x.cos().mean(dim=1), phases_x.sin().mean(dim=1)])
        return (mean_x - mean_y).pow(2).sum() / count
