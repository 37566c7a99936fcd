"""One optimization problem at one scale: inputs checked once, the images, VGG, targets and the
objective (content + fused style + TV) that `optimize.py` minimises, and the final touches
(colour recombination, mask composite)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
from torch import Tensor

from stylebridge.core import color
from stylebridge.core.images import resize, resize_to_area
from stylebridge.core.losses.content import content_loss
from stylebridge.core.losses.tv import tv_loss
from stylebridge.core.method_names import parse_method_spec
from stylebridge.core.methods import CONTENT_LAYER, STYLE_LAYERS, LossContext, fused_style_loss
from stylebridge.core.style_targets import (
    StyleTarget,
    as_samples,
    content_target,
    extract,
    prepare_styles,
    uses_bf16,
)
from stylebridge.core.style_weights import checked_style_weights
from stylebridge.core.temporal_loss import TemporalTarget
from stylebridge.core.vgg import VGG19Features
from stylebridge.core.vgg_weights import load_vgg19

if TYPE_CHECKING:
    from stylebridge.core.optimize import OptimizeParams

_LAYERS = (*STYLE_LAYERS, CONTENT_LAYER)


@dataclass(frozen=True)
class Inputs:
    """The caller's images (CPU, full size), checked, with style weights that sum to 1."""

    content: Tensor
    styles: tuple[Tensor, ...]
    weights: tuple[float, ...]
    mask: Tensor | None
    style_masks: tuple[Tensor | None, ...]
    fusion: tuple[tuple[str, float], ...]


def _check_image(image: Any, what: str, channels: int) -> Tensor:
    if not isinstance(image, Tensor) or image.ndim != 4 or image.shape[:2] != (1, channels):
        shape = tuple(image.shape) if isinstance(image, Tensor) else type(image).__name__
        raise ValueError(f"{what} must be a (1, {channels}, H, W) tensor, got {shape}")
    if min(image.shape[-2:]) < 1:
        raise ValueError(f"{what} is empty")
    return image.detach().float().cpu()


def prepare_inputs(
    content: Tensor,
    styles: Sequence[Tensor],
    style_weights: Sequence[float] | None,
    mask: Tensor | None,
    style_masks: Sequence[Tensor] | None,
    method: str,
) -> Inputs:
    """Check shapes, weights and the method spec once, before anything heavy runs."""
    if not styles:
        raise ValueError("at least one style image is needed")
    masks: tuple[Tensor | None, ...] = (None,) * len(styles)
    if style_masks is not None:
        if len(style_masks) != len(styles):
            raise ValueError(f"{len(style_masks)} style masks given for {len(styles)} styles")
        masks = tuple(_check_image(m, "style mask", 1) for m in style_masks)
    return Inputs(
        content=_check_image(content, "content", 3),
        styles=tuple(_check_image(s, "style", 3) for s in styles),
        weights=checked_style_weights(style_weights, len(styles)),
        mask=None if mask is None else _check_image(mask, "mask", 1),
        style_masks=masks,
        fusion=parse_method_spec(method),
    )


@dataclass(frozen=True)
class Problem:
    """Everything one scale's steps need, on the device."""

    params: OptimizeParams
    vgg: VGG19Features
    content: Tensor  # what VGG sees (luminance when preserving colour that way)
    original: Tensor  # the content in colour, for the final touches
    content_features: Tensor
    styles: tuple[StyleTarget, ...]
    fusion: tuple[tuple[str, float], ...]
    context: LossContext
    mask: Tensor | None
    memory_format: torch.memory_format
    reduced_precision: bool  # VGG under bf16 autocast in the objective (the retry turns it off)
    temporal: TemporalTarget | None = None  # a video frame's pull towards the previous result

    def objective(self, image: Tensor) -> Tensor:
        """Scalar loss: α·content + γ·Σ_styles w_s·fused style + TV."""
        p = self.params
        features = extract(self.vgg, image, _LAYERS, self.reduced_precision)
        loss = p.content_weight * content_loss(features[CONTENT_LAYER], self.content_features).sum()
        for style in self.styles:
            guides = style.guides
            samples = {
                layer: as_samples(features[layer], None if guides is None else guides[layer])
                for layer in STYLE_LAYERS
            }
            value = fused_style_loss(self.fusion, samples, style.targets, self.context)
            loss = loss + (p.style_weight * style.weight) * value
        if p.tv_weight > 0.0:
            loss = loss + p.tv_weight * tv_loss(image).sum()
        if self.temporal is not None:
            loss = loss + self.temporal.loss(image)
        return loss

    def finish(self, image: Tensor) -> Tensor:
        """Optimized pixels -> result: colour recombined, composited through the mask, clamped."""
        if self.params.preserve_color == "luminance":
            image = color.combine_luminance(image, self.original)
        image = image.clamp(0.0, 1.0)
        if self.mask is not None:
            image = self.mask * image + (1.0 - self.mask) * self.original
        return image.contiguous()


def finish_image(problem: Problem, image: Tensor) -> Tensor:
    """The final result of `problem` for optimized pixels `image`."""
    return problem.finish(image)


def _colour_inputs(content: Tensor, styles: list[Tensor], mode: str) -> tuple[Tensor, list[Tensor]]:
    """What VGG sees for each preserve_color mode (METHODS §2.1)."""
    if mode == "histogram":
        return content, [color.match_histogram(s, content).clamp(0, 1) for s in styles]
    if mode == "luminance":
        grey = color.luminance_as_rgb(content)
        return grey, [
            color.match_luminance(color.luminance_as_rgb(s), grey).clamp(0, 1) for s in styles
        ]
    return content, styles


def vgg_cache_dir(params: OptimizeParams) -> Path | None:
    """Where torchvision's weights are cached (None for the shipped Caffe weights)."""
    if params.vgg != "torchvision":
        return None
    from stylebridge.config import paths  # a path, not a setting: where downloads are cached

    return paths().weights_cache_dir


def _load_vgg(
    params: OptimizeParams, device: torch.device, given: VGG19Features | None
) -> VGG19Features:
    vgg = given
    if vgg is None:
        source, cache_dir = params.vgg, vgg_cache_dir(params)
        vgg = load_vgg19(source, params.pooling, str(device), cache_dir)  # type: ignore[arg-type]
    if device.type == "cuda":
        vgg = vgg.to(memory_format=torch.channels_last)  # type: ignore[call-overload]
    return vgg


def build_problem(
    inputs: Inputs,
    params: OptimizeParams,
    device: torch.device,
    size_hw: tuple[int, int],
    vgg: VGG19Features | None = None,
    temporal: TemporalTarget | None = None,
) -> Problem:
    """The problem at one scale: images resized to `size_hw`, targets computed once."""
    fmt = torch.channels_last if device.type == "cuda" else torch.contiguous_format
    vgg = _load_vgg(params, device, vgg)
    original = resize(inputs.content, size_hw).to(device)
    styles = [resize_to_area(s, size_hw[0] * size_hw[1]).to(device) for s in inputs.styles]
    content, styles = _colour_inputs(original, styles, params.preserve_color)
    content = content.contiguous(memory_format=fmt)
    styles = [s.contiguous(memory_format=fmt) for s in styles]
    mask = None if inputs.mask is None else resize(inputs.mask, size_hw).to(device)
    guides = []
    for style_mask in inputs.style_masks:
        guide = None if style_mask is None else resize(style_mask, size_hw).to(device)
        guides.append(guide * mask if guide is not None and mask is not None else guide)
    generator = torch.Generator(device=device).manual_seed(params.seed)
    return Problem(
        params=params,
        vgg=vgg,
        content=content,
        original=original,
        content_features=content_target(vgg, content),
        styles=tuple(prepare_styles(vgg, styles, inputs.weights, guides, inputs.fusion, size_hw)),
        fusion=inputs.fusion,
        context=LossContext(generator, params.poly_c),
        mask=mask,
        memory_format=fmt,
        reduced_precision=uses_bf16(device.type),
        temporal=temporal,
    )
