"""A decoder that turns VGG-19 features at one layer back into an image (Li et al. 2017,
"Universal Style Transfer via Feature Transforms"; Huang & Belongie 2017), or into the features
of a shallower layer (`output`): relu5_1 -> relu4_1 lets the coarsest level of the multi-level
transform reuse the relu4_1 image decoder instead of training a deep one of its own.

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
LEVEL_POOLINGS: dict[str, int] = {
    "relu1_1": 0, "relu2_1": 1, "relu3_1": 2, "relu4_1": 3, "relu5_1": 4,
}  # fmt: skip
IMAGE = "rgb"  # the output of a decoder that paints an image
# Root mean square of each layer's activations on photos (Caffe VGG-19, 0..255 inputs): the
# decoder divides its input by it, so that its first layer starts at the scale it was
# initialised for instead of ~1000. Part of the architecture: saved decoders rely on it.
FEATURE_RMS: dict[str, float] = {
    "relu1_1": 46.0,
    "relu2_1": 236.0,
    "relu3_1": 293.0,
    "relu4_1": 957.0,
    "relu5_1": 116.0,
}


@dataclass(frozen=True)
class DecoderShape:
    """The VGG-19 layer decoded from, what comes out (an image, or a shallower layer's
    features) and the channel count at each resolution (coarse first)."""

    level: str = "relu4_1"
    widths: tuple[int, ...] = (256, 128, 64, 32)
    output: str = IMAGE

    def check(self) -> None:
        if self.level not in LEVEL_POOLINGS:
            raise ValueError(
                f"decoder level must be one of {list(LEVEL_POOLINGS)}, got {self.level!r}"
            )
        if self.output != IMAGE and (
            self.output not in LEVEL_POOLINGS
            or LEVEL_POOLINGS[self.output] >= LEVEL_POOLINGS[self.level]
        ):
            raise ValueError(
                f"decoder output must be {IMAGE!r} or a layer shallower than {self.level}, "
                f"got {self.output!r}"
            )
        if len(self.widths) != self.upsamplings + 1:
            raise ValueError(
                f"a {self.level} -> {self.output} decoder needs {self.upsamplings + 1} widths, "
                f"got {list(self.widths)}"
            )
        if not all(0 < w <= 1024 for w in self.widths):
            raise ValueError(f"decoder widths must be in 1..1024, got {list(self.widths)}")

    @property
    def upsamplings(self) -> int:
        """×2 steps from the level's resolution to the output's."""
        below = 0 if self.output == IMAGE else LEVEL_POOLINGS.get(self.output, 0)
        return LEVEL_POOLINGS[self.level] - below

    @property
    def scale(self) -> int:
        """Image pixels per feature pixel along a side (H and W must be multiples of it)."""
        return 2 ** LEVEL_POOLINGS[self.level]

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "widths": list(self.widths), "output": self.output}

    @staticmethod
    def from_dict(data: dict[str, Any]) -> DecoderShape:
        """The inverse of to_dict (files from before `output` paint images); ValueError for
        anything that is not a valid shape."""
        try:
            widths = tuple(int(w) for w in data["widths"])
            shape = DecoderShape(str(data["level"]), widths, str(data.get("output", IMAGE)))
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError(f"bad decoder shape {data!r}: {e}") from None
        shape.check()
        return shape


def _conv(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(c_in, c_out, 3))


class FeatureDecoder(nn.Module):
    """(B, C_level, h, w) VGG-19 features -> (B, 3, h·2^u, w·2^u) RGB, about [0, 1] (not
    clamped, so training sees the true error; `decode` clamps), or the output layer's features
    at their own scale (non-negative outside training), u = shape.upsamplings."""

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
        if shape.output == IMAGE:
            layers.append(_conv(widths[-1], 3))
        else:
            # No ReLU in training: a dead output unit never recovers (measured: stuck at 0.66
            # relative error); inference clamps to the features' non-negative range instead.
            layers.append(_conv(widths[-1], CHANNELS[shape.output]))
        self.body = nn.Sequential(*layers)
        self._out_scale = 1.0 if shape.output == IMAGE else FEATURE_RMS[shape.output]

    def forward(self, features: Tensor) -> Tensor:  # type: ignore[override]
        if features.dim() != 4 or features.shape[1] != CHANNELS[self.shape.level]:
            raise ValueError(
                f"{self.shape.level} features must be (B, {CHANNELS[self.shape.level]}, h, w), "
                f"got {tuple(features.shape)}"
            )
        out = self.body(features * (1.0 / FEATURE_RMS[self.shape.level]))
        if self.shape.output == IMAGE:
            return out
        out = out * self._out_scale
        return out if self.training else out.clamp_min(0.0)

    @torch.inference_mode()
    def decode(self, features: Tensor) -> Tensor:
        """Inference, in float32: the image clamped to [0, 1], or the output layer's features."""
        out = self(features).float()
        return out.clamp_(0.0, 1.0) if self.shape.output == IMAGE else out
