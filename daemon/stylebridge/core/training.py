"""Training the multi-style network (Dumoulin et al. 2017, METHODS §5.3-5.6): VGG-19 content and
Gram style losses, Adam, one random style per example; and add-style, which learns only a new
style's gamma/beta with every convolution frozen (§5.6)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from stylebridge.core.images import save_image
from stylebridge.core.losses.content import content_loss
from stylebridge.core.losses.gram import gram_loss, gram_matrix
from stylebridge.core.progress import Progress
from stylebridge.core.step_loop import run_steps
from stylebridge.core.training_data import random_batch
from stylebridge.core.transformer import StyleNetwork
from stylebridge.core.vgg import VGG19Features


@dataclass(frozen=True)
class TrainConfig:
    """Hyperparameters: Magenta's (§5.3-5.4) adapted to VGG-19 and to what the quality benchmark
    measures (texture at relu2_1..relu5_1, content at relu4_2); the experiments behind each value
    are in benchmarks/RESULTS.md."""

    size_px: int = 256
    batch: int = 4
    steps: int = 20000
    lr: float = 1e-3
    content_weight: float = 1.0
    style_weight: float = 5e3  # per layer on relative losses (Magenta: 1e-4 on raw losses)
    content_layer: str = "relu4_2"
    style_layers: tuple[str, ...] = ("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1")
    style_px: int = 512  # style images take the area of a 4:3 picture this wide: the stroke size
    # Divide each layer's Gram loss by the mean squared target Gram (a relative error). Our
    # deviation from Magenta: raw losses differ by 10-1000× between layers and between styles,
    # so relu4_1 and high-contrast styles starve the rest in a short (CPU) training run.
    relative_style: bool = True
    # "gram" (Gatys, Magenta) or "covariance": the Gram of the mean-removed features plus a
    # separate loss on the means. In a ReLU layer the mean term dominates the Gram, so a Gram
    # loss is mostly spent on the feature means (colour, overall activity); the covariance is the
    # texture the quality benchmark scores (benchmarks/RESULTS.md, recipe experiments).
    style_statistic: str = "gram"
    # One multiplier of the style loss per style (empty: 1 each). One weight cannot suit ten
    # styles: the benchmark's weakest (great wave, udnie) stay far from their texture while the
    # others already cover the photo, so those get more of the network's attention.
    style_scales: tuple[float, ...] = ()
    # Divide the content loss by the mean square of the photo's features, so that it reads as
    # the benchmark's content error and style_weight / content_weight means the same at any layer.
    relative_content: bool = False
    # Adam step size of the style rows (gamma/beta); None: lr. A larger one separates the styles
    # within the few hundred steps a CPU allows (each style gets only 1/S of the examples).
    norm_lr: float | None = None
    seed: int = 0
    bf16: bool = False  # bfloat16 autocast (CPU with avx512_bf16 or a GPU)

    def recipe(self) -> dict[str, object]:
        """JSON-safe description for model metadata."""
        out = asdict(self)
        out["style_layers"] = list(self.style_layers)
        out["style_scales"] = list(self.style_scales)
        return out


@dataclass(frozen=True)
class StepLosses:
    total: float
    content: float
    style: float


STYLE_STATISTICS = ("gram", "covariance")


def centred(features: Tensor) -> Tensor:
    """(B, C, H, W) features minus their mean over positions (their Gram is the covariance)."""
    return features - features.mean(dim=(2, 3), keepdim=True)


def style_grams(
    vgg: VGG19Features, styles: Sequence[Tensor], layers: Sequence[str], statistic: str = "gram"
) -> dict[str, Tensor]:
    """Each style image (1, 3, H, W) -> {layer: (S, C, C) Gram targets}; with "covariance" the
    Grams of the centred features, plus {layer/mean: (S, C)} the feature means."""
    if statistic not in STYLE_STATISTICS:
        raise ValueError(f"style statistic must be one of {STYLE_STATISTICS}, got {statistic!r}")
    grams: dict[str, list[Tensor]] = {}
    with torch.no_grad():
        for image in styles:
            features = vgg(image, layers)
            for name in layers:
                f = features[name].float()
                if statistic == "covariance":
                    grams.setdefault(f"{name}/mean", []).append(f.mean(dim=(2, 3))[0])
                    f = centred(f)
                grams.setdefault(name, []).append(gram_matrix(f)[0])
    return {name: torch.stack(g) for name, g in grams.items()}


def style_layer_loss(
    features: Tensor, ids: Tensor, targets: dict[str, Tensor], name: str, config: TrainConfig
) -> Tensor:
    """(B,) loss of one style layer against each example's style (relative when configured)."""
    target = targets[name][ids]
    if config.style_statistic == "gram":
        return _relative(gram_loss(features, target), target, config)
    mean_target = targets[f"{name}/mean"][ids]
    mean_loss = (features.mean(dim=(2, 3)) - mean_target).pow(2).mean(dim=1)
    covariance_loss = gram_loss(centred(features), target)
    return _relative(covariance_loss, target, config) + _relative(mean_loss, mean_target, config)


def _relative(loss: Tensor, target: Tensor, config: TrainConfig) -> Tensor:
    """(B,) loss divided by each example's mean squared target, when relative_style."""
    dims = tuple(range(1, target.dim()))
    return loss / target.pow(2).mean(dim=dims) if config.relative_style else loss


def compute_losses(
    network: StyleNetwork,
    vgg: VGG19Features,
    content: Tensor,
    style_ids: Tensor,
    targets: dict[str, Tensor],
    config: TrainConfig,
) -> tuple[Tensor, Tensor, Tensor]:
    """(total, content, style) scalar losses for a batch (B,3,H,W) with one style id per image."""
    weights = torch.nn.functional.one_hot(style_ids, network.num_styles).float()
    device_type = content.device.type
    with torch.autocast(device_type, dtype=torch.bfloat16, enabled=config.bf16):
        output = network(content, weights)
        with torch.no_grad():
            content_target = vgg(content, [config.content_layer])[config.content_layer]
        features = vgg(output, {config.content_layer, *config.style_layers})
    content_target = content_target.float()
    c_loss = content_loss(features[config.content_layer].float(), content_target)
    if config.relative_content:
        c_loss = c_loss / content_target.pow(2).mean(dim=(1, 2, 3))
    c_loss = c_loss.mean()
    s_loss = torch.zeros((), device=content.device)
    scales = style_scales(config, network.num_styles, content.device)[style_ids]
    for name in config.style_layers:
        layer_loss = style_layer_loss(features[name].float(), style_ids, targets, name, config)
        s_loss = s_loss + (scales * layer_loss).mean()
    total = config.content_weight * c_loss + config.style_weight * s_loss
    return total, c_loss, s_loss


def style_scales(config: TrainConfig, num_styles: int, device: torch.device) -> Tensor:
    """(S,) the per-style multipliers of the style loss (ones when the config gives none)."""
    if not config.style_scales:
        return torch.ones(num_styles, device=device)
    if len(config.style_scales) != num_styles:
        raise ValueError(
            f"style_scales has {len(config.style_scales)} values for {num_styles} styles"
        )
    return torch.tensor(config.style_scales, dtype=torch.float32, device=device)


def make_optimizer(network: StyleNetwork, config: TrainConfig) -> torch.optim.Adam:
    """Adam over the convolutions at lr and the CIN tables at norm_lr (when given)."""
    tables = {id(t) for n in network.norms() for t in (n.gamma, n.beta)}
    convs = [p for p in network.parameters() if id(p) not in tables]
    norms = [p for p in network.parameters() if id(p) in tables]
    return torch.optim.Adam(
        [{"params": convs}, {"params": norms, "lr": config.norm_lr or config.lr}], lr=config.lr
    )


def train_steps(
    network: StyleNetwork,
    vgg: VGG19Features,
    crops: np.ndarray,
    targets: dict[str, Tensor],
    config: TrainConfig,
    optimizer: torch.optim.Optimizer,
    start_step: int = 0,
    style_pool: Sequence[int] | None = None,
    on_step: Callable[[int, StepLosses, Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> int:
    """Run Adam steps start_step+1..config.steps; returns the last step done.

    `style_pool` limits the style ids drawn (add-style trains only the new one). `on_step` gets
    every step (checkpoints, previews, progress bars live there, outside the core).
    """
    pool = torch.tensor(list(style_pool) if style_pool is not None else range(network.num_styles))
    device = next(network.parameters()).device

    def losses_for(generator: torch.Generator) -> tuple[Tensor, StepLosses]:
        content = random_batch(crops, config.batch, config.size_px, generator).to(device)
        ids = pool[torch.randint(0, len(pool), (config.batch,), generator=generator)].to(device)
        total, c_loss, s_loss = compute_losses(network, vgg, content, ids, targets, config)
        return total, StepLosses(total.item(), c_loss.item(), s_loss.item())

    return run_steps(
        network, optimizer, config.steps, start_step, config.seed, losses_for, on_step, should_stop
    )


def freeze_all_but_style(network: StyleNetwork, style_index: int) -> list[Tensor]:
    """Freeze every conv; let gradients reach only row `style_index` of each gamma/beta.

    Returns the CIN tables that stay trainable (for the optimizer).
    """
    network.requires_grad_(False)
    trainable: list[Tensor] = []
    mask = torch.zeros(network.num_styles, 1)
    mask[style_index] = 1.0
    for norm in network.norms():
        for table in (norm.gamma, norm.beta):
            table.requires_grad_(True)
            table.register_hook(lambda grad, m=mask: grad * m.to(grad.device, grad.dtype))
            trainable.append(table)
    return trainable


def preview_grid(network: StyleNetwork, contents: Tensor) -> Tensor:
    """Contents (K, 3, H, W) -> (1, 3, K·H, (S+1)·W): each row the photo, then every style."""
    network.eval()
    k, s = contents.shape[0], network.num_styles
    with torch.no_grad():
        columns = [contents]
        for style in range(s):
            weights = torch.zeros(1, s, device=contents.device)
            weights[0, style] = 1.0
            columns.append(network(contents, weights).float())
    network.train()
    rows = [torch.cat([col[i] for col in columns], dim=2) for i in range(k)]
    return torch.cat(rows, dim=1)[None].clamp(0, 1)


def save_preview(
    network: StyleNetwork, crops: np.ndarray, path: Path, device: torch.device
) -> None:
    """A grid of 3 stored photos × every style, as PNG."""
    side = crops.shape[1] // 4 * 4
    picks = torch.from_numpy(
        np.ascontiguousarray(crops[[0, len(crops) // 2, len(crops) - 1], :side, :side])
    )
    contents = picks.permute(0, 3, 1, 2).float().div(255.0).to(device)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_image(preview_grid(network, contents).cpu(), path)


def learn_new_style(
    network: StyleNetwork,
    vgg: VGG19Features,
    crops: np.ndarray,
    style: Tensor,
    config: TrainConfig,
    on_step: Callable[[int, StepLosses, Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> int:
    """Append one style and learn only its gamma/beta rows (METHODS §5.6); returns steps done.

    Every convolution and every existing style row stay bit-identical.
    """
    network.add_styles(1)
    index = network.num_styles - 1
    old_rows = [
        (n.gamma.detach()[:index].clone(), n.beta.detach()[:index].clone()) for n in network.norms()
    ]
    trainable = freeze_all_but_style(network, index)
    own = style_grams(
        vgg, [style.to(crops_device(network))], config.style_layers, config.style_statistic
    )
    targets = {
        name: torch.cat([gram.new_zeros(index, *gram.shape[1:]), gram])
        for name, gram in own.items()
    }
    optimizer = torch.optim.Adam(trainable, lr=config.lr)
    steps = train_steps(
        network, vgg, crops, targets, config, optimizer, 0, [index], on_step, should_stop
    )
    with torch.no_grad():  # exact, whatever Adam's arithmetic did to zero-gradient rows
        for norm, (gamma, beta) in zip(network.norms(), old_rows, strict=True):
            norm.gamma[:index] = gamma
            norm.beta[:index] = beta
    network.requires_grad_(True)
    return steps


def crops_device(network: StyleNetwork) -> torch.device:
    """The device the network's parameters live on."""
    return next(network.parameters()).device
