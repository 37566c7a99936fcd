"""Feature extraction for the optimization loop: VGG features of an image, spatial guides
(METHODS §2.2, hard guides), and the style targets computed once per style and scale."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import Tensor
from torch.nn import functional

from stylebridge.core.methods import CONTENT_LAYER, STYLE_LAYERS, Target, make_targets
from stylebridge.core.vgg import VGG19Features

Fusion = Sequence[tuple[str, float]]


@dataclass(frozen=True)
class StyleTarget:
    """One style at one scale: its weight, targets {method: {layer: target}} and output guides."""

    weight: float
    targets: dict[str, dict[str, Target]]
    guides: dict[str, Tensor] | None  # {layer: (H*W,) bool positions of the output}


@functools.cache
def uses_bf16(device_type: str) -> bool:
    """Whether VGG runs under bf16 autocast: on CUDA, and on CPUs with native bf16 (oneDNN with
    AVX-512 BF16 / AMX), where a 256 px step took 0.53 instead of 0.84 CPU-s; CPUs that would
    emulate bf16 keep float32."""
    if device_type == "cuda":
        return True
    if device_type != "cpu":
        return False
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def extract(
    vgg: VGG19Features, image: Tensor, layers: Sequence[str], reduced: bool | None = None
) -> dict[str, Tensor]:
    """VGG activations as float32 (the losses run in float32 even when VGG ran in bf16).

    `reduced`: run VGG under bf16 autocast; None means where the device has native bf16.
    """
    device_type = image.device.type
    enabled = uses_bf16(device_type) if reduced is None else reduced
    with torch.autocast(device_type, dtype=torch.bfloat16, enabled=enabled):
        features = vgg(image, layers)
    return {name: f.float() for name, f in features.items()}


def guides_at_layers(mask: Tensor, features: dict[str, Tensor]) -> dict[str, Tensor]:
    """(1, 1, H, W) soft mask -> {layer: (h*w,) bool} positions where the mask is >= 0.5.

    Hard guides keep every loss well defined (it sees a set of positions); soft edges are
    restored by the final composite with the mask.
    """
    out = {}
    for name, f in features.items():
        small = functional.adaptive_avg_pool2d(mask.to(f), (f.shape[-2], f.shape[-1]))
        out[name] = (small >= 0.5).reshape(-1)
    return out


def as_samples(features: Tensor, guide: Tensor | None) -> Tensor:
    """(1, C, H, W) -> (1, C, 1, M): all positions, or those the bool guide selects."""
    flat = features.reshape(1, features.shape[1], 1, -1)
    return flat if guide is None else flat[..., guide]


def style_samples(vgg: VGG19Features, style: Tensor) -> dict[str, Tensor]:
    """{style layer: (1, C, 1, M)} for a whole style image."""
    return {k: as_samples(v, None) for k, v in extract(vgg, style, STYLE_LAYERS).items()}


def prepare_styles(
    vgg: VGG19Features,
    styles: Sequence[Tensor],
    weights: Sequence[float],
    masks: Sequence[Tensor | None],
    fusion: Fusion,
    output_hw: tuple[int, int],
) -> list[StyleTarget]:
    """Targets of every style, computed once (no gradient) for an output of `output_hw`."""
    probe: dict[str, Tensor] | None = None
    out = []
    with torch.no_grad():
        for style, weight, mask in zip(styles, weights, masks, strict=True):
            targets = make_targets(fusion, style_samples(vgg, style))
            guides = None
            if mask is not None:
                if probe is None:
                    blank = torch.zeros(1, 3, *output_hw, device=style.device)
                    probe = extract(vgg, blank, STYLE_LAYERS)
                guides = guides_at_layers(mask, probe)
                if not bool(guides[STYLE_LAYERS[-1]].any()):
                    raise ValueError("a style mask selects no area large enough to stylize")
            out.append(StyleTarget(weight, targets, guides))
    return out


def content_target(vgg: VGG19Features, content: Tensor) -> Tensor:
    """The content image's relu4_2 activation, without gradient."""
    with torch.no_grad():
        return extract(vgg, content, [CONTENT_LAYER])[CONTENT_LAYER]
