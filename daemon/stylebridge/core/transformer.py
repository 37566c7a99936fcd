"""The multi-style pastiche network of Dumoulin et al. 2017 (METHODS §5.2), with a width multiplier.

conv9×9/32 → conv3×3/2 64 → conv3×3/2 128 → 5 residual blocks → (nearest ×2, conv3×3 64) →
(nearest ×2, conv3×3 32) → conv9×9 3 → sigmoid. Every conv is reflection padded, has no bias and is
followed by conditional instance norm; channel counts are scaled by `width`.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from stylebridge.core.cin import ConditionalInstanceNorm, NormStats

NUM_RESIDUAL_BLOCKS = 5
INIT_STD = 0.01


class ConvNorm(nn.Module):
    """Reflection pad ⌊k/2⌋ → conv (no bias) → CIN; the activation is the caller's."""

    def __init__(self, c_in: int, c_out: int, kernel: int, stride: int, num_styles: int) -> None:
        super().__init__()
        self.pad = nn.ReflectionPad2d(kernel // 2)
        self.conv = nn.Conv2d(c_in, c_out, kernel, stride=stride, bias=False)
        nn.init.normal_(self.conv.weight, std=INIT_STD)
        self.norm = ConditionalInstanceNorm(c_out, num_styles)

    def forward(self, x: Tensor, weights: Tensor, stats: NormStats | None = None) -> Tensor:  # type: ignore[override]
        return self.norm(self.conv(self.pad(x)), weights, stats)


class ResidualBlock(nn.Module):
    """x + CIN(conv(ReLU(CIN(conv(x))))) (no activation after the sum)."""

    def __init__(self, channels: int, num_styles: int) -> None:
        super().__init__()
        self.first = ConvNorm(channels, channels, 3, 1, num_styles)
        self.second = ConvNorm(channels, channels, 3, 1, num_styles)

    def forward(self, x: Tensor, weights: Tensor, stats: NormStats | None = None) -> Tensor:  # type: ignore[override]
        return x + self.second(torch.relu(self.first(x, weights, stats)), weights, stats)


def scaled_channels(width: float) -> tuple[int, int, int]:
    """The (32, 64, 128) channel counts times `width`, at least 1 each."""
    if not 0 < width <= 4:
        raise ValueError(f"width multiplier must be in (0, 4], got {width}")
    return tuple(max(1, round(c * width)) for c in (32, 64, 128))  # type: ignore[return-value]


class StyleNetwork(nn.Module):
    """(B, 3, H, W) RGB [0, 1] and style weights (B|1, S) or (S,) -> (B, 3, H, W) in (0, 1).

    H and W must be multiples of 4 (two stride-2 convs, two ×2 upsamplings).
    """

    def __init__(self, num_styles: int, width: float = 1.0) -> None:
        super().__init__()
        c1, c2, c3 = scaled_channels(width)
        self.width = width
        self.down = nn.ModuleList(
            [
                ConvNorm(3, c1, 9, 1, num_styles),
                ConvNorm(c1, c2, 3, 2, num_styles),
                ConvNorm(c2, c3, 3, 2, num_styles),
            ]
        )
        self.residual = nn.ModuleList(
            [ResidualBlock(c3, num_styles) for _ in range(NUM_RESIDUAL_BLOCKS)]
        )
        self.up = nn.ModuleList(
            [ConvNorm(c3, c2, 3, 1, num_styles), ConvNorm(c2, c1, 3, 1, num_styles)]
        )
        self.out = ConvNorm(c1, 3, 9, 1, num_styles)

    @property
    def num_styles(self) -> int:
        return self.out.norm.num_styles

    def norms(self) -> list[ConditionalInstanceNorm]:
        """Every CIN layer, in forward order."""
        return [m for m in self.modules() if isinstance(m, ConditionalInstanceNorm)]

    def add_styles(self, count: int) -> None:
        """Give every CIN layer `count` new style rows (gamma 1, beta 0)."""
        for norm in self.norms():
            norm.add_styles(count)

    def expand_weights(self, weights: Tensor, batch: int) -> Tensor:
        """(S,), (1|B, S) or (1|B, S, h, w) style weights -> batch-sized, checked against S."""
        if weights.dim() == 1:
            weights = weights[None]
        if weights.dim() not in (2, 4) or weights.shape[1] != self.num_styles:
            raise ValueError(
                f"style weights must have {self.num_styles} entries per image, "
                f"got shape {tuple(weights.shape)}"
            )
        if weights.shape[0] == 1 and batch > 1:
            weights = weights.expand(batch, *weights.shape[1:])
        return weights

    def forward(self, image: Tensor, weights: Tensor, stats: NormStats | None = None) -> Tensor:  # type: ignore[override]
        if image.dim() != 4 or image.shape[1] != 3:
            raise ValueError(f"image must be (B, 3, H, W), got {tuple(image.shape)}")
        if image.shape[2] % 4 or image.shape[3] % 4:
            raise ValueError(
                f"image height and width must be multiples of 4, got {tuple(image.shape)}"
            )
        w = self.expand_weights(weights, image.shape[0])
        x = image
        for layer in self.down:
            x = torch.relu(layer(x, w, stats))
        for block in self.residual:
            x = block(x, w, stats)
        for layer in self.up:
            x = nn.functional.interpolate(x, scale_factor=2.0, mode="nearest")
            x = torch.relu(layer(x, w, stats))
        return torch.sigmoid(self.out(x, w, stats))
