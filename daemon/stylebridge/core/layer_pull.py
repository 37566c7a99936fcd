"""The pull of each style layer on the image: the norm of d(layer loss)/d(image) at a starting
image. `benchmarks/calibrate.py` sets the methods' `layer_weights` from it (methods.py,
"Calibration") and the tests check the shares it gives."""

from __future__ import annotations

import torch
from torch import Tensor

from stylebridge.core.methods import STYLE_LAYERS, LossContext, StyleMethod
from stylebridge.core.style_targets import as_samples


def layer_pulls(
    image: Tensor,
    features: dict[str, Tensor],
    style_samples: dict[str, Tensor],
    method: StyleMethod,
    seeds: int = 1,
) -> dict[str, float]:
    """{style layer: ‖d(unweighted loss)/d(image)‖, mean over `seeds` draws} for `features`
    extracted from `image` (which requires grad) against the style's samples."""
    pulls = {}
    for layer in STYLE_LAYERS:
        target = method.make_target(style_samples[layer])
        norms = []
        for seed in range(seeds):
            ctx = LossContext(torch.Generator().manual_seed(seed))
            loss = method.loss(as_samples(features[layer], None), target, ctx)
            (grad,) = torch.autograd.grad(loss, image, retain_graph=True)
            norms.append(grad.norm().item())
        pulls[layer] = sum(norms) / len(norms)
    return pulls
