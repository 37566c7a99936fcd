"""Temporal stability for the network path: one set of instance-norm statistics per shot.

A feed-forward network with instance normalisation renormalises every frame by that frame's own
feature statistics, so content entering or leaving the picture shifts the colours and contrast
of the whole frame: flicker. Measured once over a shot (pooled over a few frames spread across
it) and replayed for every frame, as the tiling replays one image's statistics in every tile,
the network becomes a fixed convolutional map: a shifted frame gives a shifted result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import torch
from torch import Tensor

from stylebridge.core.cin import NormStats

Temporal = Literal["off", "stats", "flow"]
TEMPORAL_MODES: tuple[Temporal, ...] = ("off", "stats", "flow")
SAMPLE_FRAMES = 4  # frames a shot's statistics are pooled over (each costs one network pass)


def sample_indices(count: int, samples: int = SAMPLE_FRAMES) -> list[int]:
    """Up to `samples` indices spread evenly over `count` frames, first and last included."""
    if count < 1 or samples < 1:
        raise ValueError(f"need at least one frame and one sample, got {count}, {samples}")
    if count <= samples:
        return list(range(count))
    if samples == 1:
        return [count // 2]
    return sorted({round(i * (count - 1) / (samples - 1)) for i in range(samples)})


def pool_stats(recorded: Sequence[NormStats]) -> NormStats:
    """Per-layer statistics of several frames -> one replaying set, as if measured on all of them
    together: the mean of the means, and the mean of E[x²] minus the squared pooled mean."""
    if not recorded:
        raise ValueError("pooling needs the statistics of at least one frame")
    counts = {len(r.values) for r in recorded}
    if len(counts) != 1:
        raise ValueError(f"frames recorded different numbers of layers: {sorted(counts)}")
    pooled: list[tuple[Tensor, Tensor]] = []
    for layer in zip(*(r.values for r in recorded), strict=True):
        means = torch.stack([mean for mean, _ in layer])
        squares = torch.stack([var + mean * mean for mean, var in layer])
        mean = means.mean(dim=0)
        pooled.append((mean, (squares.mean(dim=0) - mean * mean).clamp_min(0.0)))
    return NormStats(mode="replay", values=pooled)


def shot_stats(
    frames: Sequence[Tensor], record: Callable[[Tensor, NormStats], object]
) -> NormStats:
    """Statistics shared by a shot: record(frame, stats) runs the network on each frame given
    (a sample of the shot) with a recording NormStats; the recordings are pooled."""
    recordings = []
    for frame in frames:
        stats = NormStats(mode="record")
        record(frame, stats)
        recordings.append(stats)
    return pool_stats(recordings)
