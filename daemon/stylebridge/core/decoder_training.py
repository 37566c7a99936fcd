"""Training a feature decoder from photos alone: the photo's VGG-19 features at the decoder's
level go in, the photo should come out (pixel error) and read the same to VGG-19 at every
relu*_1 up to that level (feature error, relative to the photo's, as the content error is).
No painting is needed, which is why every style works with the result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import Tensor

from stylebridge.core.feature_decoder import LEVEL_POOLINGS, FeatureDecoder
from stylebridge.core.feature_transforms import wct
from stylebridge.core.progress import Progress
from stylebridge.core.step_loop import run_steps
from stylebridge.core.training_data import random_batch
from stylebridge.core.vgg import VGG19Features


@dataclass(frozen=True)
class DecoderConfig:
    """Hyperparameters of a decoder run (the recipe stored in its file)."""

    size_px: int = 192
    batch: int = 4
    steps: int = 20000
    lr: float = 5e-4
    # The relative feature error is ~10x the pixel MSE of [0, 1] images at the same quality;
    # 0.1 lets both count (sharpness from the features, colours from the pixels).
    feature_weight: float = 0.1
    seed: int = 0
    bf16: bool = False

    def recipe(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class DecoderLosses:
    total: float
    pixel: float
    feature: float


def feature_layers(level: str) -> list[str]:
    """relu1_1 .. `level`: the layers whose features the reconstruction must keep."""
    return [f"relu{b + 1}_1" for b in range(LEVEL_POOLINGS[level] + 1)]


def reconstruction_losses(
    decoder: FeatureDecoder, vgg: VGG19Features, photos: Tensor, config: DecoderConfig
) -> tuple[Tensor, Tensor, Tensor]:
    """(total, pixel, feature) for a batch of photos (B, 3, H, W) in [0, 1]."""
    level = decoder.shape.level
    layers = feature_layers(level)
    with torch.autocast(photos.device.type, dtype=torch.bfloat16, enabled=config.bf16):
        with torch.no_grad():
            targets = vgg(photos, layers)
        output = decoder(targets[level])
        features = vgg(output, layers)
    pixel = torch.nn.functional.mse_loss(output.float(), photos)
    feature = torch.zeros((), device=photos.device)
    for name in layers:
        target = targets[name].float()
        error = (features[name].float() - target).pow(2).mean(dim=(1, 2, 3))
        feature = feature + (error / target.pow(2).mean(dim=(1, 2, 3)).clamp_min(1e-8)).mean()
    feature = feature / len(layers)
    return pixel + config.feature_weight * feature, pixel, feature


def train_decoder_steps(
    decoder: FeatureDecoder,
    vgg: VGG19Features,
    crops: np.ndarray,
    config: DecoderConfig,
    optimizer: torch.optim.Optimizer,
    start_step: int = 0,
    on_step: Callable[[int, DecoderLosses, Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> int:
    """Adam steps start_step+1..config.steps on random crops; returns the last step done."""
    device = next(decoder.parameters()).device

    def losses_for(generator: torch.Generator) -> tuple[Tensor, DecoderLosses]:
        photos = random_batch(crops, config.batch, config.size_px, generator).to(device)
        total, pixel, feature = reconstruction_losses(decoder, vgg, photos, config)
        return total, DecoderLosses(total.item(), pixel.item(), feature.item())

    return run_steps(
        decoder, optimizer, config.steps, start_step, config.seed, losses_for, on_step, should_stop
    )


@torch.no_grad()
def decoder_preview(
    decoder: FeatureDecoder, vgg: VGG19Features, photos: Tensor, style: Tensor
) -> Tensor:
    """Rows of photo | reconstruction | WCT with `style`: what to look at during training."""
    level = decoder.shape.level
    was_training = decoder.training
    decoder.eval()
    style_features = vgg(style, [level])[level]
    rows = []
    for photo in photos.split(1):
        features = vgg(photo, [level])[level]
        rows.append(
            torch.cat(
                [photo, decoder.decode(features), decoder.decode(wct(features, style_features))],
                dim=3,
            )
        )
    decoder.train(was_training)
    return torch.cat(rows, dim=2)
