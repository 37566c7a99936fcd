"""Closed-form alignments of a photo's deep features with a painting's: one pass instead of an
optimization. Each is the exact minimiser of one of the optimization path's style losses:

- `adain` (Huang & Belongie 2017): per-channel mean and standard deviation, the statistics of
  the `bn` loss (an intra-class method);
- `wct` (Li et al. 2017, "Universal Style Transfer via Feature Transforms"): whitening then
  colouring, so the full channel covariance is the style's (Gram / polynomial MMD, inter-class);
- `transport`: exact 1-D optimal transport of every channel (the sorted values become the
  style's quantiles), the minimiser of the `intra` Wasserstein loss.

Features are (1, C, H, W); the style's may have another H, W. `fuse` mixes them with weights
(the seeds' fusion of methods) and `strength` moves from the photo's features to the aligned ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import Tensor

from stylebridge.core.losses.wasserstein import resample_sorted
from stylebridge.core.transform_names import TRANSFORM_NAMES

EPS = 1e-5


def _flat(features: Tensor) -> Tensor:
    if features.dim() != 4 or features.shape[0] != 1:
        raise ValueError(f"features must be (1, C, H, W), got {tuple(features.shape)}")
    return features[0].flatten(1)


def adain(content: Tensor, style: Tensor) -> Tensor:
    """Content features with each channel's mean and std replaced by the style's."""
    c, s = _flat(content).double(), _flat(style).double()
    c_mean, c_std = c.mean(1, keepdim=True), c.std(1, keepdim=True, correction=0)
    s_mean, s_std = s.mean(1, keepdim=True), s.std(1, keepdim=True, correction=0)
    out = (c - c_mean) / (c_std + EPS) * s_std + s_mean
    return out.to(content.dtype).view_as(content)


def _symmetric_power(covariance: Tensor, power: float) -> Tensor:
    """covariance^power through its eigendecomposition (float64); eigenvalues below 1e-8 of the
    largest are floored, so dead channels (all-zero ReLU maps) do not blow up the whitening."""
    values, vectors = torch.linalg.eigh(covariance)
    values = values.clamp_min(1e-8 * values.max().clamp_min(1e-30))
    return vectors @ torch.diag(values.pow(power)) @ vectors.T


def wct(content: Tensor, style: Tensor) -> Tensor:
    """Content features whitened, then coloured with the style's covariance and mean."""
    c, s = _flat(content).double(), _flat(style).double()
    c_mean, s_mean = c.mean(1, keepdim=True), s.mean(1, keepdim=True)
    c, s = c - c_mean, s - s_mean
    c_cov = c @ c.T / c.shape[1]
    s_cov = s @ s.T / s.shape[1]
    whitened = _symmetric_power(c_cov, -0.5) @ c
    out = _symmetric_power(s_cov, 0.5) @ whitened + s_mean
    return out.to(content.dtype).view_as(content)


def transport(content: Tensor, style: Tensor) -> Tensor:
    """Each channel's values replaced by the style's quantiles at their ranks (1-D exact OT)."""
    c = _flat(content)
    target = resample_sorted(torch.sort(_flat(style).float(), dim=1).values, c.shape[1])
    order = torch.argsort(c, dim=1)
    out = torch.empty_like(c, dtype=target.dtype)
    out.scatter_(1, order, target)
    return out.to(content.dtype).view_as(content)


TRANSFORMS: dict[str, Callable[[Tensor, Tensor], Tensor]] = {
    "adain": adain,
    "wct": wct,
    "transport": transport,
}
# The stdlib list the daemon checks requests against must name these transforms.
if tuple(TRANSFORMS) != TRANSFORM_NAMES:
    raise RuntimeError(
        f"feature_transforms.py has {tuple(TRANSFORMS)}, transform_names has {TRANSFORM_NAMES}"
    )


def fuse(
    content: Tensor,
    style: Tensor,
    weights: Sequence[tuple[str, float]],
    strength: float = 1.0,
) -> Tensor:
    """Σ w_i · transform_i(content, style) (weights normalised), then mixed with the content by
    strength in [0, 1]; ValueError for unknown names or weights that do not sum above 0."""
    if not 0.0 <= strength <= 1.0:
        raise ValueError(f"strength must be in [0, 1], got {strength}")
    total = sum(w for _, w in weights)
    if not weights or total <= 0 or any(w < 0 for _, w in weights):
        raise ValueError(f"transform weights must be >= 0 and not all 0, got {list(weights)}")
    unknown = [name for name, _ in weights if name not in TRANSFORMS]
    if unknown:
        raise ValueError(f"unknown transform(s) {unknown}; known: {', '.join(TRANSFORMS)}")
    aligned = sum(w / total * TRANSFORMS[name](content, style) for name, w in weights if w > 0)
    return strength * aligned + (1.0 - strength) * content  # type: ignore[operator]
