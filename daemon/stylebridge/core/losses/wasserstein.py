"""Intra- and inter-class distribution losses, after Cui, Qi, Niu & Li, "The Intra-Class and
Inter-Class Relationships in Style Transfer" (Applied Sciences 2018).

Attribution note: the idea (one loss that ignores relationships between feature maps, one that
uses them) is Cui et al.'s; the formulas are this project's (METHODS §4.2), the paper's own were
not available. `intra` is the per-channel squared 1-D Wasserstein-2 distance between sorted
feature values; `inter` is the sliced Wasserstein-2 distance over random directions that mix
channels (Heitz et al., CVPR 2021).
"""

from __future__ import annotations

import torch
from torch import Tensor
from torch.nn import functional


def resample_sorted(sorted_values: Tensor, count: int) -> Tensor:
    """(R, M') ascending rows -> (R, count): their quantiles by linear interpolation."""
    m = sorted_values.shape[1]
    if m == count:
        return sorted_values
    if m == 1:
        return sorted_values.expand(-1, count)
    # align_corners=True maps the first/last quantile onto the first/last value exactly.
    rows = sorted_values[:, None, :]
    return functional.interpolate(rows, size=count, mode="linear", align_corners=True)[:, 0, :]


def sorted_distance(values: Tensor, target_sorted: Tensor) -> Tensor:
    """Mean squared difference of sorted rows: (R, M), (R, M') ascending -> scalar (W2² per row,
    averaged over rows)."""
    ordered, _ = torch.sort(values, dim=1)
    target = resample_sorted(target_sorted, values.shape[1])
    return (ordered - target).pow(2).mean()


def intra_loss(samples: Tensor, target_sorted: Tensor) -> Tensor:
    """Per-channel W2²: (N, M) features, (N, M') the style's per-channel sorted values -> scalar."""
    return sorted_distance(samples, target_sorted)


def random_directions(
    count: int, channels: int, generator: torch.Generator | None, device: torch.device
) -> Tensor:
    """(count, channels) random unit vectors on `device` (the generator's device: drawing there
    avoids a host-device copy per step)."""
    directions = torch.randn(count, channels, generator=generator, device=device)
    return functional.normalize(directions, dim=1)


def inter_loss(samples: Tensor, target_samples: Tensor, directions: Tensor) -> Tensor:
    """Sliced W2²: (N, M), (N, M') features and (K, N) unit directions -> scalar."""
    directions = directions.to(samples.dtype)
    projected = directions @ samples
    target, _ = torch.sort(directions @ target_samples.to(samples.dtype), dim=1)
    return sorted_distance(projected, target)
