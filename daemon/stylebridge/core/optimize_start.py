"""Where an optimization starts. init "auto" (the default) picks the best start that exists for
the chosen styles: the shipped network's result when it paints every one of them (network_init),
else the arbitrary-style path's result for any picture (arbitrary_init), else the photo. A preset
then refines that picture at full size instead of painting coarse to fine from the photo.

Measured (512 px, CPU `normal` preset, gram, texture score of benchmarks/quality.py, lower is
more of the style): from the network median 0.095 over the ten styles; from the arbitrary result
Great Wave 0.238 and Starry Night 0.105; from the photo 0.346 and 0.193 (benchmarks/RESULTS.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

from stylebridge.core.arbitrary_init import ARBITRARY_INIT, arbitrary_start
from stylebridge.core.decoder_file import default_decoder_path
from stylebridge.core.feature_decoder import FeatureDecoder
from stylebridge.core.images import resize_long_side
from stylebridge.core.model_file import LoadedModel
from stylebridge.core.network_init import NETWORK_INIT, network_start, network_style_names
from stylebridge.core.vgg import VGG19Features

AUTO_INIT = "auto"
# Starts that are a finished picture, which a preset refines at full size (optimize_presets).
PICTURE_INITS = (NETWORK_INIT, ARBITRARY_INIT)


def resolve_init(init: str, style_names: Sequence[str | None] | None) -> str:
    """`init` with "auto" replaced: "network" when the shipped model paints every one of
    `style_names` (None: a custom picture), else "arbitrary" when the shipped relu4_1 decoder
    exists, else "content". No names known (params built without their styles): "content"."""
    if init != AUTO_INIT:
        return init
    if not style_names:
        return "content"
    if all(name in _network_styles() for name in style_names):
        return NETWORK_INIT
    return ARBITRARY_INIT if default_decoder_path().is_file() else "content"


def _network_styles() -> tuple[str, ...]:
    try:
        return network_style_names()
    except (OSError, ValueError):  # no shipped model (a bare checkout), or an unreadable one
        return ()


@dataclass(frozen=True)
class StartModels:
    """Warm models for start_picture: the shipped network (model_file.LoadedModel), the relu4_1
    decoder and VGG-19 (Caffe, max pooling), each on the run's device; None: load it."""

    network: LoadedModel | None = None
    decoder: FeatureDecoder | None = None
    vgg: VGG19Features | None = None


def start_picture(
    init: str,
    content: Tensor,
    styles: Sequence[Tensor],
    style_names: Sequence[str | None],
    style_weights: Sequence[float] | None,
    size_px: int,
    device: torch.device,
    models: StartModels | None = None,
) -> Tensor | None:
    """The finished picture a resolved `init` starts from ("network", "arbitrary"), painted at
    the optimization's long side `size_px` (so that a daemon, sent the layer already at that
    size, and the CLI start alike), else None (the optimization makes its own start). `models`:
    those the daemon keeps warm on `device`; missing ones are loaded here."""
    if init not in PICTURE_INITS:
        return None
    given = models or StartModels()
    content = resize_long_side(content, size_px)
    if init == NETWORK_INIT:
        return network_start(content, style_names, style_weights, device, given.network)
    return arbitrary_start(
        content, styles, style_weights, size_px, device, given.decoder, given.vgg
    )
