"""A decoder that turns VGG-19 features at one layer back into an image (Li et al. 2017,
"Universal Style Transfer via Feature Transforms"; Huang & Belongie 2017).

The arbitrary-style path aligns a photo's features with a painting's in closed form
(`feature_transforms`) and needs only this to see the result. It mirrors VGG-19 up to `level`:
per resolution, nearest ×2 then two 3×3 convs, narrower than VGG's (`widths`) because on a CPU
the encoder already costs most of the time; reflection padding, so the border is not a frame.
It learns from photos alone (reconstruction), so it works for paintings nobody trained on.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor, nn

from stylebridge.core.vgg import CHANNELS

# VGG-19 layers a decoder may start from, and how many ×2 poolings lie before each.
LEVEL_POOLINGS: dict[str, int] = {"relu1_1": 0, "relu2_1": 1, "relu3_1": 2, "relu4_1": 3}
# Root mean square of each layer's activations on photos (Caffe VGG-19, 0..255 inputs): the
# decoder divides its input by it, so that its first layer starts at the scale it was
# initialised for instead of ~1000. Part of the architecture: saved decoders rely on it.
FEATURE_RMS: dict[str, float] = {
    "relu1_1": 46.0,
    "relu2_1": 236.0,
    "relu3_1": 293.0,
    "relu4_1": 957.0,
}


@dataclass(frozen=True)
class DecoderShape:
    """The VGG-19 layer decoded from and the channel count at each resolution (coarse first)."""

    level: str = "relu4_1"
    widths: tuple[int, ...] = (256, 128, 64, 32)

    def check(self) -> None:
        if self.level not in LEVEL_POOLINGS:
            raise ValueError(
                f"decoder level must be one of {list(LEVEL_POOLINGS)}, got {self.level!r}"
            )
        if len(self.widths) != LEVEL_POOLINGS[self.level] + 1:
            raise ValueError(
                f"a {self.level} decoder needs {LEVEL_POOLINGS[self.level] + 1} widths, "
                f"got {list(self.widths)}"
            )
        if not all(0 < w <= 1024 for w in self.widths):
            raise ValueError(f"decoder widths must be in 1..1024, got {list(self.widths)}")

    @property
    def scale(self) -> int:
        """Input pixels per feature pixel along a side (H and W must be multiples of it)."""
        return 2 ** LEVEL_POOLINGS[self.level]

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "widths": list(self.widths)}

    @staticmethod
    def from_dict(data: dict[str, Any]) -> DecoderShape:
        """The inverse of to_dict; ValueError for anything that is not a valid shape."""
        try:
            shape = DecoderShape(str(data["level"]), tuple(int(w) for w in data["widths"]))
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError(f"bad decoder shape {data!r}: {e}") from None
        shape.check()
        return shape


def _conv(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(c_in, c_out, 3))


class FeatureDecoder(nn.Module):
    """(B, C_level, h, w) VGG-19 features -> (B, 3, h·scale, w·scale) RGB, about [0, 1]
    (not clamped, so training sees the true error; `decode` clamps)."""

    def __init__(self, shape: DecoderShape | None = None) -> None:
        super().__init__()
        shape = shape or DecoderShape()
        shape.check()
        self.shape = shape
        widths = shape.widths
        layers: list[nn.Module] = [_conv(CHANNELS[shape.level], widths[0]), nn.ReLU()]
        for c_in, c_out in itertools.pairwise(widths):
            layers += [
                nn.Upsample(scale_factor=2.0, mode="nearest"),
                _conv(c_in, c_out),
                nn.ReLU(),
                _conv(c_out, c_out),
                nn.ReLU(),
            ]
        layers.append(_conv(widths[-1], 3))
        self.body = nn.Sequential(*layers)

    def forward(self, features: Tensor) -> Tensor:  # type: ignore[override]
        if features.dim() != 4 or features.shape[1] != CHANNELS[self.shape.level]:
            raise ValueError(
                f"{self.shape.level} features must be (B, {CHANNELS[self.shape.level]}, h, w), "
                f"got {tuple(features.shape)}"
            )
        return self.body(features * (1.0 / FEATURE_RMS[self.shape.level]))

    @torch.inference_mode()
    def decode(self, features: Tensor) -> Tensor:
        """Inference: the image clamped to [0, 1], in float32."""
        return self(features).float().clamp_(0.0, 1.0)
