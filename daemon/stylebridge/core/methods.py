"""Style-loss methods: name -> loss on VGG features, calibrated balance weights, label, class.

A method turns the style image's features at each style layer into a target once, then scores
the generated image's features against it at every step. Features arrive as (1, N, 1, M) "sample"
tensors: the positions a guide selects, flattened, which every unguided style loss allows since
none depends on where a position lies (METHODS §9 item 6).

Calibration of `layer_weights` (the per-method balance factor β′ of Li et al., one per layer):
`benchmarks/calibrate.py` loads the bundled sample photo and three bundled styles at 256 px,
starts from the content image, and measures for each method and style layer the norm of the
gradient of that layer's loss with respect to the image (stochastic methods: mean over 4 seeds;
geometric mean over the styles). Each weight sets that gradient norm, the layer's pull on the
image, to a fixed share of the deep layers' pull: relu4_1 and relu5_1 1, relu2_1 and relu3_1
0.1, relu1_1 (mostly colour) 0.01; the deep pull is twice relu4_1's under Gram's 1e3/N_l².
So at the same `--style-weight` every method starts with the same pull at every layer. The
papers' 1e3/N_l² assumes Gatys' normalised VGG; on the unnormalised Caffe weights it gave
relu4_1 50-5000x every other layer's pull, and the optimizer matched relu5_1, which carries the
painting's largest marks, not at all (benchmarks/RESULTS.md, "Layer balance").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import torch
from torch import Tensor

from stylebridge.core.losses.bn import bn_loss, channel_moments
from stylebridge.core.losses.gram import gram_loss, gram_matrix
from stylebridge.core.losses.mmd import (
    channel_means,
    gauss_bandwidth,
    gauss_mmd_loss,
    linear_mmd_loss,
    poly_mmd_loss,
)
from stylebridge.core.losses.style_columns import style_columns
from stylebridge.core.losses.wasserstein import inter_loss, intra_loss, random_directions
from stylebridge.core.method_names import METHOD_NAMES, check_method_name

CONTENT_LAYER = "relu4_2"
STYLE_LAYERS: tuple[str, ...] = ("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1")

Relation = Literal["inter", "intra"]
Target = tuple[Tensor, ...]


@dataclass(frozen=True)
class LossContext:
    """Per-step extras: the RNG of the stochastic losses and the polynomial kernel's c."""

    generator: torch.Generator
    poly_c: float = 0.0


@dataclass(frozen=True)
class StyleMethod:
    """One style loss: target from style samples, loss of generated samples against it."""

    name: str
    label: str
    relation: Relation
    make_target: Callable[[Tensor], Target]
    loss: Callable[[Tensor, Target, LossContext], Tensor]
    layer_weights: tuple[float, ...]


def _columns(samples: Tensor) -> Tensor:
    """(1, N, 1, M) -> (N, M)."""
    return samples.reshape(samples.shape[1], -1)


def _inter(samples: Tensor, target: Target, ctx: LossContext) -> Tensor:
    n = samples.shape[1]
    directions = random_directions(n, n, ctx.generator, samples.device)
    return inter_loss(_columns(samples), style_columns(target[0], ctx.generator), directions)


def _sorted_channels(samples: Tensor) -> Target:
    return (torch.sort(_columns(samples), dim=1)[0],)


_METHOD_LIST: tuple[StyleMethod, ...] = (
    StyleMethod(
        "gram", "Gram matrices (Gatys)", "inter",
        lambda s: (gram_matrix(s),),
        lambda x, t, ctx: gram_loss(x, t[0]).sum(),
        (28.8, 0.924, 0.287, 0.00763, 7.73),
    ),
    StyleMethod(
        "mmd-linear", "MMD, linear kernel (Li)", "intra",
        lambda s: (channel_means(s),),
        lambda x, t, ctx: linear_mmd_loss(x, t[0]).sum(),
        (6.02e4, 4.31e4, 1.31e4, 4.39e3, 8.15e4),
    ),
    StyleMethod(
        "mmd-poly", "MMD, polynomial kernel (Li)", "inter",
        lambda s: (gram_matrix(s), channel_means(s)),
        lambda x, t, ctx: poly_mmd_loss(x, t[0], t[1], ctx.poly_c).sum(),
        (28.8, 0.924, 0.287, 0.00763, 7.73),
    ),
    StyleMethod(
        "mmd-gauss", "MMD, Gaussian kernel (Li)", "inter",
        lambda s: (_columns(s), gauss_bandwidth(_columns(s))),
        lambda x, t, ctx: gauss_mmd_loss(_columns(x), t[0], t[1], ctx.generator),
        (3.31e8, 5.24e9, 3.63e9, 1.03e10, 4.24e9),
    ),
    StyleMethod(
        "bn", "BN statistics (Li)", "intra",
        lambda s: channel_moments(s),
        lambda x, t, ctx: bn_loss(x, t[0], t[1]).sum(),
        (4.32e4, 2.43e4, 5.5e3, 2.89e3, 4.44e4),
    ),
    StyleMethod(
        "intra", "Per-channel distributions (after Cui)", "intra",
        _sorted_channels,
        lambda x, t, ctx: intra_loss(_columns(x), t[0]),
        (4.17e4, 2.06e4, 5.05e3, 2.61e3, 4.06e4),
    ),
    StyleMethod(
        "inter", "Sliced distributions (after Cui)", "inter",
        lambda s: (_columns(s),),
        _inter,
        (4.21e4, 2.44e4, 7.19e3, 3.26e3, 7.8e4),
    ),
)  # fmt: skip

METHODS: dict[str, StyleMethod] = {m.name: m for m in _METHOD_LIST}
# The stdlib list that the schema, the CLI and the daemon's checks use must name these methods.
if tuple(METHODS) != METHOD_NAMES:
    raise RuntimeError(
        f"methods.py registers {tuple(METHODS)}, method_names.METHOD_NAMES is {METHOD_NAMES}"
    )


def get_method(name: str) -> StyleMethod:
    """The registered method called `name`, or ValueError listing the known ones."""
    check_method_name(name)
    return METHODS[name]


def make_targets(
    fusion: Sequence[tuple[str, float]], style_samples: dict[str, Tensor]
) -> dict[str, dict[str, Target]]:
    """{method: {layer: target}} for the style samples {layer: (1, N, 1, M)}, computed once."""
    return {
        name: {layer: get_method(name).make_target(s) for layer, s in style_samples.items()}
        for name, _ in fusion
    }


def fused_style_loss(
    fusion: Sequence[tuple[str, float]],
    samples: dict[str, Tensor],
    targets: dict[str, dict[str, Target]],
    ctx: LossContext,
) -> Tensor:
    """Σ_methods λ_m Σ_layers w_{m,l} L_m(samples_l, target_l): a scalar."""
    total: Any = 0.0
    for name, weight in fusion:
        if weight == 0.0:
            continue
        method = get_method(name)
        for layer, layer_weight in zip(STYLE_LAYERS, method.layer_weights, strict=True):
            if layer in samples:
                value = method.loss(samples[layer], targets[name][layer], ctx)
                total = total + (weight * layer_weight) * value
    return torch.as_tensor(total) if isinstance(total, float) else total
