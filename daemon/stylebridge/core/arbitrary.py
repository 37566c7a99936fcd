"""Arbitrary style in one pass: any picture is a style (Huang & Belongie 2017; Li et al. 2017).

VGG-19 encodes the photo and each style image; `feature_transforms` aligns the photo's feature
distribution with each style's in closed form (inter-class: the full covariance by WCT;
intra-class: each channel's values by 1-D transport, or only its mean and deviation by AdaIN; or
a weighted fusion); the aligned features of several styles are mixed with their weights, moved
toward the photo's by `strength`, and a decoder turns them into the image. With more than one
level (`passes`, core/decoder_levels.py) that image is encoded again at the next finer level and
aligned there too, coarse to fine, so the style's large shapes and its fine marks both arrive.

Stroke size: each style image is resized to the area of the result times stroke², so that its
brushwork keeps the same size relative to the picture at every output size (the network path's
`stroke` means the same) and 2 paints larger strokes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor
from torch.nn import functional

from stylebridge.core.arbitrary_params import ARBITRARY_PARAMETERS
from stylebridge.core.decoder_levels import MAX_PASSES, plan_levels
from stylebridge.core.errors import Cancelled
from stylebridge.core.feature_decoder import FeatureDecoder
from stylebridge.core.feature_transforms import fuse
from stylebridge.core.feedforward import PRESERVE_COLOR, cpu_has_fast_bf16
from stylebridge.core.images import resize_long_side, resize_to_area
from stylebridge.core.params import validate
from stylebridge.core.progress import Progress
from stylebridge.core.style_weights import checked_style_weights
from stylebridge.core.transform_names import (
    DEFAULT_TRANSFORM,
    check_transform_spec,
    parse_transform_spec,
)
from stylebridge.core.vgg import VGG19Features

MIN_STYLE_SIDE_PX = 64  # the encoder needs a few feature pixels of each style at relu4_1


@dataclass(frozen=True)
class ArbitraryParams:
    """How to paint: transforms with weights, strength toward the photo, stroke, levels, size."""

    transform: str = DEFAULT_TRANSFORM  # "wct", "intra", "wct=0.7,adain=0.3", ...
    strength: float = 1.0
    stroke: float = 1.0
    passes: int = 1  # levels aligned, coarse to fine (decoder_levels.PASS_ORDER)
    size_px: int | None = None  # long side of the result; None: the photo's
    preserve_color: str = "none"

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> ArbitraryParams:
        """Checked against ARBITRARY_PARAMETERS (size_px 0: the photo's own), then `check`ed;
        ValueError naming the bad value."""
        checked = validate(ARBITRARY_PARAMETERS, values)
        params = cls(**{**checked, "size_px": checked["size_px"] or None})
        params.check()
        return params

    def transforms(self) -> list[tuple[str, float]]:
        """[(transform name, weight)], aliases resolved; ValueError naming a bad one."""
        return parse_transform_spec(self.transform)

    def check(self) -> None:
        check_transform_spec(self.transform)
        if not 0.0 <= self.strength <= 1.0:
            raise ValueError(f"strength must be in [0, 1], got {self.strength}")
        if not 0.25 <= self.stroke <= 8:
            raise ValueError(f"stroke must be in [0.25, 8], got {self.stroke}")
        if not 1 <= self.passes <= MAX_PASSES:
            raise ValueError(f"passes must be in 1..{MAX_PASSES}, got {self.passes}")
        if self.preserve_color not in PRESERVE_COLOR:
            raise ValueError(f"preserve_color must be one of {sorted(PRESERVE_COLOR)}")


def _precision(device: torch.device) -> AbstractContextManager[object]:
    """bf16 autocast where the CPU runs it natively (2x on VGG-19), fp16 on CUDA."""
    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.float16)
    if cpu_has_fast_bf16():
        return torch.autocast("cpu", dtype=torch.bfloat16)
    return nullcontext()


def _padded(image: Tensor, multiple: int) -> Tensor:
    """Reflection-padded (replicated when too small) to sides divisible by `multiple`, and at
    least 2 x `multiple`: the decoder's reflection padding needs 2 feature pixels a side."""
    h, w = image.shape[-2:]
    pad_h = max(-h % multiple, 2 * multiple - h)
    pad_w = max(-w % multiple, 2 * multiple - w)
    if not pad_h and not pad_w:
        return image
    mode = "reflect" if min(h, w) > max(pad_h, pad_w) else "replicate"
    return functional.pad(image, (0, pad_w, 0, pad_h), mode=mode)


class _Stages:
    """Progress after each stage (one per style, one per level, the finish) and a cancel check
    before each: a level has no finer steps, and a large one takes seconds on a CPU."""

    def __init__(
        self,
        total: int,
        progress: Callable[[Progress], None] | None,
        should_cancel: Callable[[], bool] | None,
    ) -> None:
        self.total, self.done, self.started = total, 0, time.monotonic()
        self._progress, self._should_cancel = progress, should_cancel

    def check_cancel(self) -> None:
        if self._should_cancel is not None and self._should_cancel():
            raise Cancelled()

    def finished_one(self) -> None:
        self.done += 1
        if self._progress is not None:
            elapsed = time.monotonic() - self.started
            self._progress(Progress(self.done, self.total, None, elapsed, None))


@torch.inference_mode()
def stylize_arbitrary(
    photo: Tensor,
    styles: Sequence[Tensor],
    decoders: FeatureDecoder | Sequence[FeatureDecoder],
    vgg: VGG19Features,
    params: ArbitraryParams,
    style_weights: Sequence[float] | None = None,
    mask: Tensor | None = None,
    progress: Callable[[Progress], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> Tensor:
    """(1, 3, H, W) photo in [0, 1] and style images -> the painted photo (1, 3, H', W').

    decoders: one per level, at least those params.passes needs (decoder_levels);
    style_weights (one per style, summing to 1: the caller normalised them; None: equal) mix
    the aligned features; mask (1, 1, H', W') in [0, 1] keeps the photo where it is 0.
    progress gets step k of len(styles) + levels + 1 after each stage; should_cancel is asked
    before each (core.errors.Cancelled).
    """
    params.check()
    if photo.dim() != 4 or photo.shape[:2] != (1, 3):
        raise ValueError(f"photo must be (1, 3, H, W), got {tuple(photo.shape)}")
    if not styles:
        raise ValueError("give at least one style image")
    weights = checked_style_weights(style_weights, len(styles))
    if isinstance(decoders, FeatureDecoder):
        decoders = [decoders]
    levels = plan_levels(decoders, params.passes)
    layers = [decoder.shape.level for decoder in levels]
    stages = _Stages(len(styles) + len(levels) + 1, progress, should_cancel)
    device = next(levels[0].parameters()).device
    image = resize_long_side(photo, params.size_px) if params.size_px else photo
    image = image.to(device, torch.float32)
    height, width = image.shape[-2:]
    area = height * width * params.stroke**2
    transforms = params.transforms()  # parsed once, not once per style and level
    with _precision(device):
        painted = []  # (weight, {layer: the style's features}) of every style that counts
        for style, weight in zip(styles, weights, strict=True):
            stages.check_cancel()
            if weight > 0:
                sized = resize_to_area(style.to(device, torch.float32), area, MIN_STYLE_SIDE_PX)
                painted.append((weight, {k: v.float() for k, v in vgg(sized, layers).items()}))
            stages.finished_one()
        out = image
        for decoder in levels:
            stages.check_cancel()
            layer = decoder.shape.level
            content = vgg(_padded(out, decoder.shape.scale), [layer])[layer].float()
            aligned = torch.zeros_like(content)
            for weight, features in painted:
                aligned += weight * fuse(content, features[layer], transforms, params.strength)
            out = decoder(aligned).float()[..., :height, :width].clamp(0, 1)
            stages.finished_one()
    out = PRESERVE_COLOR[params.preserve_color](out, image)
    if mask is not None:
        mask = mask.to(device, torch.float32)
        out = mask * out + (1.0 - mask) * image
    stages.finished_one()
    return out.to(photo.device)
