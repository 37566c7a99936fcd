"""init "arbitrary": the optimization starts from the arbitrary-style path's one-pass result for
any style picture, so that the optimization's steps refine painted strokes instead of first
having to paint them over the photo. Measured (bundled photo, 512 px, CPU `normal` preset, 30
L-BFGS steps, gram): Great Wave texture 0.238 from it against 0.346 from the photo, Starry
Night 0.105 against 0.193, in the same time (benchmarks/RESULTS.md). One pass (relu4_1 only):
two or three passes refined to the same score (0.244, 0.235) from a start with more content
error."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import torch
from torch import Tensor

from stylebridge.core.decoder_file import default_decoder_path, load_decoder
from stylebridge.core.feature_decoder import FeatureDecoder
from stylebridge.core.vgg import VGG19Features

ARBITRARY_INIT = "arbitrary"
START_PASSES = 1


def arbitrary_start(
    content: Tensor,
    styles: Sequence[Tensor],
    style_weights: Sequence[float] | None,
    size_px: int,
    device: torch.device,
    decoder: FeatureDecoder | None = None,
    vgg: VGG19Features | None = None,
) -> Tensor:
    """(1, 3, H, W) content -> the arbitrary path's (1, 3, h, w) result at long side `size_px`
    for the styles blended by their weights (normalised by the caller), on the CPU. `decoder`
    (relu4_1) and `vgg` (Caffe, max pooling): already on `device` (the daemon caches them);
    else the shipped decoder and the shared VGG, each loaded once per process."""
    from stylebridge.core.arbitrary import ArbitraryParams, stylize_arbitrary
    from stylebridge.core.vgg_weights import load_vgg19

    if decoder is None:
        decoder = _shipped_decoder(str(device))
    if vgg is None:
        vgg = load_vgg19("caffe", "max", str(device))
    params = ArbitraryParams(size_px=size_px, passes=START_PASSES)
    with torch.no_grad():
        painted = stylize_arbitrary(
            content.to(device), [s.to(device) for s in styles], [decoder], vgg, params,
            style_weights,
        )  # fmt: skip
    return painted.float().cpu()


@functools.cache
def _shipped_decoder(device: str) -> FeatureDecoder:
    """The shipped relu4_1 decoder on `device`, read once: `batch` starts every frame from it."""
    return load_start_decoder(default_decoder_path()).to(device)


def load_start_decoder(path: Path) -> FeatureDecoder:
    """The decoder at `path`; ValueError saying that init 'arbitrary' needs it when absent."""
    if not path.is_file():
        raise ValueError(
            f"init 'arbitrary' starts from the arbitrary-style path, whose decoder {path} is not "
            "installed (use init 'content')"
        )
    return load_decoder(path).decoder
