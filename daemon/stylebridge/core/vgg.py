"""VGG-19 as a feature extractor with the original (Caffe) preprocessing and named activations.

Simonyan & Zisserman 2014. Layer names follow the papers (`relu4_2`); the forward pass stops at
the deepest layer asked for, so a style loss up to relu5_1 never runs relu5_2..relu5_4.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

import torch
from torch import Tensor, nn

Pooling = Literal["max", "avg"]

# (block, convs per block, channels) of VGG-19's 16 conv layers.
_BLOCKS: tuple[tuple[int, int, int], ...] = (
    (1, 2, 64),
    (2, 2, 128),
    (3, 4, 256),
    (4, 4, 512),
    (5, 4, 512),
)

CONV_NAMES: tuple[str, ...] = tuple(f"conv{b}_{i}" for b, n, _ in _BLOCKS for i in range(1, n + 1))
CHANNELS: dict[str, int] = {
    f"{kind}{b}_{i}": c for b, n, c in _BLOCKS for i in range(1, n + 1) for kind in ("conv", "relu")
}
# Every activation a caller may ask for, in forward order.
LAYER_NAMES: tuple[str, ...] = tuple(
    name
    for b, n, _ in _BLOCKS
    for name in (
        *(x for i in range(1, n + 1) for x in (f"conv{b}_{i}", f"relu{b}_{i}")),
        f"pool{b}",
    )
)

# Caffe VGG expects BGR in 0..255 minus this per-channel mean (B, G, R).
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)
# torchvision's VGG expects RGB in 0..1 normalised by ImageNet mean/std.
IMAGENET_MEAN_RGB = (0.485, 0.456, 0.406)
IMAGENET_STD_RGB = (0.229, 0.224, 0.225)

Preprocessing = Literal["caffe", "torchvision"]


class VGG19Features(nn.Module):
    """(B, 3, H, W) RGB in [0, 1] -> {layer name: activation}; weights frozen."""

    _scale: Tensor
    _shift: Tensor

    def __init__(self, pooling: Pooling = "max", preprocessing: Preprocessing = "caffe") -> None:
        super().__init__()
        if pooling not in ("max", "avg"):
            raise ValueError(f"pooling must be 'max' or 'avg', got {pooling!r}")
        if preprocessing not in ("caffe", "torchvision"):
            raise ValueError(
                f"preprocessing must be 'caffe' or 'torchvision', got {preprocessing!r}"
            )
        self.pooling = pooling
        self.preprocessing = preprocessing
        layers: dict[str, nn.Module] = {}
        in_channels = 3
        for b, n, c in _BLOCKS:
            for i in range(1, n + 1):
                layers[f"conv{b}_{i}"] = nn.Conv2d(in_channels, c, kernel_size=3, padding=1)
                layers[f"relu{b}_{i}"] = nn.ReLU(inplace=False)
                in_channels = c
            layers[f"pool{b}"] = nn.MaxPool2d(2, 2) if pooling == "max" else nn.AvgPool2d(2, 2)
        self.layers = nn.ModuleDict(layers)
        if preprocessing == "caffe":
            # RGB [0,1] -> BGR 0..255 minus mean, folded into a scale and shift.
            self.register_buffer("_scale", torch.full((1, 3, 1, 1), 255.0), persistent=False)
            mean_rgb = torch.tensor(CAFFE_MEAN_BGR[::-1]).view(1, 3, 1, 1)
            self.register_buffer("_shift", mean_rgb, persistent=False)
        else:
            self.register_buffer(
                "_scale", 1.0 / torch.tensor(IMAGENET_STD_RGB).view(1, 3, 1, 1), persistent=False
            )
            self.register_buffer(
                "_shift", torch.tensor(IMAGENET_MEAN_RGB).view(1, 3, 1, 1), persistent=False
            )
        self.requires_grad_(False)
        self.eval()

    def load_conv_weights(self, weights: Mapping[str, tuple[Tensor, Tensor]]) -> None:
        """Set the 16 convs from {'conv1_1': (weight (out,in,3,3), bias (out,)), ...}."""
        missing = [name for name in CONV_NAMES if name not in weights]
        if missing:
            raise ValueError(f"VGG-19 weights lack layers {missing}")
        with torch.no_grad():
            for name in CONV_NAMES:
                conv = self.layers[name]
                assert isinstance(conv, nn.Conv2d)
                weight, bias = weights[name]
                if tuple(weight.shape) != tuple(conv.weight.shape) or tuple(bias.shape) != tuple(
                    conv.bias.shape  # type: ignore[union-attr]
                ):
                    raise ValueError(
                        f"VGG-19 layer {name}: expected weight {tuple(conv.weight.shape)}, "
                        f"got {tuple(weight.shape)} / bias {tuple(bias.shape)}"
                    )
                conv.weight.copy_(weight)
                conv.bias.copy_(bias)  # type: ignore[union-attr]

    def preprocess(self, image: Tensor) -> Tensor:
        """RGB [0, 1] -> the input space the weights were trained in."""
        if self.preprocessing == "caffe":
            return (image * self._scale - self._shift).flip(1)  # RGB -> BGR
        return (image - self._shift) * self._scale

    def forward(self, image: Tensor, layers: Iterable[str]) -> dict[str, Tensor]:  # type: ignore[override]
        """Activations for `layers` (names from LAYER_NAMES), running only as deep as needed."""
        wanted = set(layers)
        unknown = wanted - set(LAYER_NAMES)
        if unknown:
            raise ValueError(f"unknown VGG-19 layer(s) {sorted(unknown)}; known: {LAYER_NAMES}")
        if not wanted:
            return {}
        deepest = max(LAYER_NAMES.index(name) for name in wanted)
        out: dict[str, Tensor] = {}
        x = self.preprocess(image)
        for name in LAYER_NAMES[: deepest + 1]:
            x = self.layers[name](x)
            if name in wanted:
                out[name] = x
        return out
