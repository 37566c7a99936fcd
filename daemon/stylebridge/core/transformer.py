"""The multi-style pastiche network of Dumoulin et al. 2017 (METHODS §5.2), with its shape as data.

conv k×k c1 → conv3×3/2 c2 → conv3×3/2 c3 → residual blocks → (nearest ×2, conv3×3 d1) →
(nearest ×2, conv3×3 d2) → conv k×k 3 → sigmoid. Every conv has no bias and is followed by
conditional instance norm; the activation is ReLU. `NetworkShape.dumoulin(width)` is the paper's
network with a width multiplier (the format of the first shipped model); `NetworkShape.lite()` is
the faster CPU shape this project trains now (see `models/README.md` for why).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

import torch
from torch import Tensor, nn

from stylebridge.core.cin import ConditionalInstanceNorm, NormStats

INIT_STD = 0.01
Padding = Literal["reflect", "zeros"]


@dataclass(frozen=True)
class NetworkShape:
    """Channel counts, depth, kernels and padding of one StyleNetwork."""

    encoder: tuple[int, int, int] = (32, 64, 128)  # at full, 1/2 and 1/4 resolution
    decoder: tuple[int, int] = (64, 32)  # after the first and the second ×2 upsampling
    residual_blocks: int = 5
    edge_kernel: int = 9  # the first and the last convolution
    # Zero padding costs nothing inside oneDNN's convolution; a reflection pad is a copy of every
    # activation (18% of CPU inference time in the first shipped model). The first layer keeps
    # reflection so the photo's border is not read as a black frame.
    padding: Padding = "reflect"

    @staticmethod
    def dumoulin(width: float = 1.0) -> NetworkShape:
        """The paper's network with every channel count times `width` (at least 1 each)."""
        if not 0 < width <= 4:
            raise ValueError(f"width multiplier must be in (0, 4], got {width}")
        c1, c2, c3 = (max(1, round(c * width)) for c in (32, 64, 128))
        return NetworkShape((c1, c2, c3), (c2, c1))

    @staticmethod
    def lite() -> NetworkShape:
        """33k multiply-adds per pixel (the paper's at width 0.5: 42k), 3 residual blocks."""
        return NetworkShape((16, 32, 64), (32, 16), 3, 9, "zeros")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_dict(data: dict[str, Any]) -> NetworkShape:
        """The inverse of to_dict; ValueError for anything that is not a valid shape."""
        try:
            shape = NetworkShape(
                encoder=tuple(int(c) for c in data["encoder"]),  # type: ignore[arg-type]
                decoder=tuple(int(c) for c in data["decoder"]),  # type: ignore[arg-type]
                residual_blocks=int(data["residual_blocks"]),
                edge_kernel=int(data["edge_kernel"]),
                padding=data["padding"],
            )
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError(f"bad network shape {data!r}: {e}") from None
        shape.check()
        return shape

    def check(self) -> None:
        counts = (*self.encoder, *self.decoder)
        sizes_ok = len(self.encoder) == 3 and len(self.decoder) == 2
        if not sizes_ok or not all(0 < c <= 1024 for c in counts):
            raise ValueError(f"channel counts must be 3 + 2 values in 1..1024, got {counts}")
        if not 0 <= self.residual_blocks <= 32 or self.edge_kernel not in (3, 5, 7, 9):
            raise ValueError("residual_blocks must be 0..32 and edge_kernel 3, 5, 7 or 9")
        if self.padding not in ("reflect", "zeros"):
            raise ValueError(f"padding must be 'reflect' or 'zeros', got {self.padding!r}")


class ConvNorm(nn.Module):
    """Pad ⌊k/2⌋ (reflection or zeros) → conv (no bias) → CIN; the activation is the caller's."""

    def __init__(
        self, c_in: int, c_out: int, kernel: int, stride: int, num_styles: int, padding: Padding
    ) -> None:
        super().__init__()
        self.pad = nn.ReflectionPad2d(kernel // 2) if padding == "reflect" else nn.Identity()
        zeros = kernel // 2 if padding == "zeros" else 0
        self.conv = nn.Conv2d(c_in, c_out, kernel, stride=stride, padding=zeros, bias=False)
        nn.init.normal_(self.conv.weight, std=INIT_STD)
        self.norm = ConditionalInstanceNorm(c_out, num_styles)

    def forward(self, x: Tensor, weights: Tensor, stats: NormStats | None = None) -> Tensor:  # type: ignore[override]
        return self.norm(self.conv(self.pad(x)), weights, stats)


class ResidualBlock(nn.Module):
    """x + CIN(conv(ReLU(CIN(conv(x))))) (no activation after the sum)."""

    def __init__(self, channels: int, num_styles: int, padding: Padding) -> None:
        super().__init__()
        self.first = ConvNorm(channels, channels, 3, 1, num_styles, padding)
        self.second = ConvNorm(channels, channels, 3, 1, num_styles, padding)

    def forward(self, x: Tensor, weights: Tensor, stats: NormStats | None = None) -> Tensor:  # type: ignore[override]
        return x + self.second(torch.relu(self.first(x, weights, stats)), weights, stats)


def scaled_channels(width: float) -> tuple[int, int, int]:
    """The (32, 64, 128) channel counts times `width`, at least 1 each."""
    return NetworkShape.dumoulin(width).encoder


class StyleNetwork(nn.Module):
    """(B, 3, H, W) RGB [0, 1] and style weights (B|1, S) or (S,) -> (B, 3, H, W) in (0, 1).

    H and W must be multiples of 4 (two stride-2 convs, two ×2 upsamplings). `shape` None:
    the paper's network at `width`.
    """

    def __init__(
        self, num_styles: int, width: float = 1.0, shape: NetworkShape | None = None
    ) -> None:
        super().__init__()
        shape = shape or NetworkShape.dumoulin(width)
        shape.check()
        self.shape = shape
        self.width = width
        (c1, c2, c3), (d1, d2), k = shape.encoder, shape.decoder, shape.edge_kernel
        pad = shape.padding
        self.down = nn.ModuleList(
            [
                ConvNorm(3, c1, k, 1, num_styles, "reflect"),
                ConvNorm(c1, c2, 3, 2, num_styles, pad),
                ConvNorm(c2, c3, 3, 2, num_styles, pad),
            ]
        )
        self.residual = nn.ModuleList(
            [ResidualBlock(c3, num_styles, pad) for _ in range(shape.residual_blocks)]
        )
        self.up = nn.ModuleList(
            [ConvNorm(c3, d1, 3, 1, num_styles, pad), ConvNorm(d1, d2, 3, 1, num_styles, pad)]
        )
        self.out = ConvNorm(d2, 3, k, 1, num_styles, pad)

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
