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
    # Weights of the transfer and texture errors (transfer_errors); both 0 train on
    # reconstruction alone.
    transfer_weight: float = 0.0
    texture_weight: float = 0.0
    seed: int = 0
    bf16: bool = False

    def recipe(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class DecoderLosses:
    total: float
    pixel: float
    feature: float
    transfer: float = 0.0
    texture: float = 0.0


def feature_layers(level: str) -> list[str]:
    """relu1_1 .. `level`: the layers whose features the reconstruction must keep."""
    return [f"relu{b + 1}_1" for b in range(LEVEL_POOLINGS[level] + 1)]


def decoder_losses(
    decoder: FeatureDecoder, vgg: VGG19Features, photos: Tensor, config: DecoderConfig
) -> tuple[Tensor, Tensor, Tensor, Tensor, Tensor]:
    """(total, pixel, feature, transfer, texture) for a batch of photos (B, 3, H, W) in [0, 1];
    transfer and texture are 0 unless weighted in config and the batch has two photos or more."""
    level = decoder.shape.level
    layers = feature_layers(level)
    zero = torch.zeros((), device=photos.device)
    transfer, texture = zero, zero
    with torch.autocast(photos.device.type, dtype=torch.bfloat16, enabled=config.bf16):
        with torch.no_grad():
            targets = vgg(photos, layers)
        output = decoder(targets[level])
        features = vgg(output, layers)
        if max(config.transfer_weight, config.texture_weight) > 0.0 and photos.shape[0] > 1:
            transfer, texture = transfer_errors(decoder, vgg, targets)
    pixel = torch.nn.functional.mse_loss(output.float(), photos)
    feature = zero
    for name in layers:
        feature = feature + _relative_error(features[name], targets[name])
    feature = feature / len(layers)
    total = (
        pixel
        + config.feature_weight * feature
        + config.transfer_weight * transfer
        + config.texture_weight * texture
    )
    return total, pixel, feature, transfer, texture


def _relative_error(features: Tensor, target: Tensor) -> Tensor:
    """Mean over the batch of ‖features − target‖² / ‖target‖² per image (float32)."""
    target = target.float()
    error = (features.float() - target).pow(2).mean(dim=(1, 2, 3))
    return (error / target.pow(2).mean(dim=(1, 2, 3)).clamp_min(1e-8)).mean()


def _covariances(features: Tensor) -> Tensor:
    """(B, C, H, W) -> (B, C, C) covariance over positions, mean removed (float32)."""
    flat = features.float().flatten(2)
    flat = flat - flat.mean(dim=2, keepdim=True)
    return flat @ flat.transpose(1, 2) / flat.shape[2]


def transfer_errors(
    decoder: FeatureDecoder, vgg: VGG19Features, targets: dict[str, Tensor]
) -> tuple[Tensor, Tensor]:
    """Each photo's features at the decoder's level WCT-coloured with the next photo's of the
    batch (its style), decoded and read back by VGG-19 at relu1_1 .. the level. `targets` are
    the photos' features at those layers. Returns
    - transfer: the relative error from the coloured features at the level. A style's
      transformed features are not a photo's, and a decoder trained on reconstruction alone
      misses them (relu4_1, the benchmark's paintings: relative error 0.44–0.69, against about
      0.2 after 40 L-BFGS steps that invert them, which painted visibly more: RESULTS.md);
    - texture: the style's feature covariances missed, relative to the style's own, averaged
      over the layers (the quality benchmark's texture distance, in colour and at the layers
      the decoder draws).
    Photos as each other's styles keep the training free of paintings, so every style stays
    unseen."""
    level = decoder.shape.level
    layers = feature_layers(level)
    with torch.no_grad():
        level_features = targets[level]
        styles = level_features.roll(1, dims=0).float()
        coloured = torch.cat(
            [wct(f[None], s[None]) for f, s in zip(level_features.float(), styles, strict=True)]
        )
    read = vgg(decoder(coloured.to(level_features.dtype)), layers)
    transfer = _relative_error(read[level], coloured)
    texture = torch.zeros((), device=coloured.device)
    for name in layers:
        style = _covariances(targets[name].roll(1, dims=0))
        missed = (_covariances(read[name]) - style).pow(2).sum(dim=(1, 2))
        texture = texture + (missed / style.pow(2).sum(dim=(1, 2)).clamp_min(1e-8)).mean()
    return transfer, texture / len(layers)


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
        total, *parts = decoder_losses(decoder, vgg, photos, config)
        figures = DecoderLosses(total.item(), *(part.item() for part in parts))
        return total, figures

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
