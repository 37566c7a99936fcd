"""Conditional instance normalization (Dumoulin, Shlens, Kudlur: "A Learned Representation for
Artistic Style", ICLR 2017; METHODS §5.1, §5.7, §7).

Each layer owns one row of gamma/beta per style; a weight vector over the styles mixes the rows,
so any blend of trained styles is a single pass. Statistics may be supplied from outside (tiling
shares one set of statistics across every tile of an image) or recorded for later reuse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import Tensor, nn

EPS = 1e-5


@dataclass
class NormStats:
    """Per-layer instance statistics in call order: record them once, replay them per tile.

    `mode` "record" appends (mean, var) of every CIN layer; "replay" uses them in the same order.
    """

    mode: str = "record"
    values: list[tuple[Tensor, Tensor]] = field(default_factory=list)
    cursor: int = 0

    def take(self, x: Tensor) -> tuple[Tensor, Tensor]:
        """The (mean, var) (B|1, C, 1, 1) for the next layer: measured on x, or replayed."""
        if self.mode == "replay":
            if self.cursor >= len(self.values):
                raise ValueError("replayed norm statistics have fewer layers than the network")
            mean, var = self.values[self.cursor]
            self.cursor += 1
            return mean, var
        mean, var = instance_moments(x)
        self.values.append((mean.detach(), var.detach()))
        return mean, var

    def replay(self) -> NormStats:
        """A fresh replaying view of the recorded statistics (one per forward pass)."""
        return NormStats(mode="replay", values=self.values)


def instance_moments(x: Tensor) -> tuple[Tensor, Tensor]:
    """(B, C, H, W) -> per-image, per-channel mean and biased variance, float32 (B, C, 1, 1)."""
    # Moments accumulated in float32 even for half inputs (fp16 variances overflow). E[x²] − E[x]²
    # with float32 accumulation needs no float copy of x: 5× faster than var_mean on a
    # channels_last bf16 CPU tensor, and the activations here are O(1), so nothing cancels.
    mean = x.mean(dim=(2, 3), keepdim=True, dtype=torch.float32)
    square = torch.square(x).mean(dim=(2, 3), keepdim=True, dtype=torch.float32)
    return mean, (square - mean * mean).clamp_min_(0.0)


def mix_rows(table: Tensor, weights: Tensor) -> Tensor:
    """Rows (S, C) mixed by weights (B, S) -> (B, C, 1, 1); a map (B, S, H, W) -> (B, C, H, W)."""
    if weights.dim() == 2:
        return (weights.to(table.dtype) @ table)[:, :, None, None]
    if weights.dim() == 4:
        return torch.einsum("bshw,sc->bchw", weights.to(table.dtype), table)
    raise ValueError(f"style weights must be (B, S) or (B, S, H, W), got {tuple(weights.shape)}")


class ConditionalInstanceNorm(nn.Module):
    """x (B, C, H, W), style weights (B, S) or a map (B, S, h, w) -> normalised, styled x."""

    def __init__(self, channels: int, num_styles: int) -> None:
        super().__init__()
        if channels < 1 or num_styles < 1:
            raise ValueError(f"need channels >= 1 and styles >= 1, got {channels}, {num_styles}")
        self.gamma = nn.Parameter(torch.ones(num_styles, channels))
        self.beta = nn.Parameter(torch.zeros(num_styles, channels))

    @property
    def num_styles(self) -> int:
        return self.gamma.shape[0]

    def add_styles(self, count: int) -> None:
        """Append `count` fresh rows (gamma 1, beta 0): the starting point of add-style."""
        c = self.gamma.shape[1]
        like = {"dtype": self.gamma.dtype, "device": self.gamma.device}
        gamma = torch.cat([self.gamma.data, torch.ones(count, c, **like)])
        beta = torch.cat([self.beta.data, torch.zeros(count, c, **like)])
        self.gamma = nn.Parameter(gamma)
        self.beta = nn.Parameter(beta)

    def forward(self, x: Tensor, weights: Tensor, stats: NormStats | None = None) -> Tensor:  # type: ignore[override]
        if weights.dim() == 4 and weights.shape[-2:] != x.shape[-2:]:
            weights = nn.functional.interpolate(weights, size=x.shape[-2:], mode="bilinear")
        gamma = mix_rows(self.gamma.float(), weights)
        beta = mix_rows(self.beta.float(), weights)
        if stats is None:
            return _instance_norm(x, gamma, beta)
        mean, var = stats.take(x)
        # gamma·(x − μ)/σ + beta folded into one scale and shift, computed in float32.
        scale = gamma * torch.rsqrt(var + EPS)
        shift = beta - mean * scale
        return x * scale.to(x.dtype) + shift.to(x.dtype)


def _instance_norm(x: Tensor, gamma: Tensor, beta: Tensor) -> Tensor:
    """Fused instance norm (group norm with a group per channel), then gamma/beta.

    One fused kernel instead of separate moments, scale and shift: 15× faster on a channels_last
    bfloat16 CPU tensor. One image with one blend folds gamma/beta into the kernel's affine.
    """
    channels = x.shape[1]
    if x.shape[0] == 1 and gamma.shape[-2:] == (1, 1):
        return nn.functional.group_norm(
            x, channels, gamma.flatten().to(x.dtype), beta.flatten().to(x.dtype), EPS
        )
    normed = nn.functional.group_norm(x, channels, eps=EPS)
    return normed * gamma.to(x.dtype) + beta.to(x.dtype)
