"""Shot statistics, the flicker metric and optical-flow warping (core of `batch --temporal`)."""

from __future__ import annotations

import pytest
import torch
from stylebridge.core.cin import NormStats, instance_moments
from stylebridge.core.temporal import pool_stats, sample_indices, shot_stats
from stylebridge.core.temporal_flicker import flicker, overlap
from stylebridge.core.temporal_loss import TemporalTarget


def test_samples_spread_over_the_shot_with_both_ends() -> None:
    assert sample_indices(3) == [0, 1, 2]
    assert sample_indices(24, 4) == [0, 8, 15, 23]
    assert sample_indices(10, 1) == [5]
    with pytest.raises(ValueError, match="at least one frame"):
        sample_indices(0)


def test_pooled_statistics_equal_those_of_the_frames_side_by_side() -> None:
    torch.manual_seed(0)
    frames = [torch.randn(1, 4, 8, 8) * (i + 1) + i for i in range(3)]
    recordings = []
    for frame in frames:
        stats = NormStats()
        stats.take(frame)
        recordings.append(stats)
    pooled = pool_stats(recordings)
    mean, var = instance_moments(torch.cat(frames, dim=-1))
    assert pooled.mode == "replay"
    torch.testing.assert_close(pooled.values[0][0], mean)
    torch.testing.assert_close(pooled.values[0][1], var, rtol=1e-4, atol=1e-4)


def test_pooling_refuses_nothing_and_mismatched_layers() -> None:
    with pytest.raises(ValueError, match="at least one frame"):
        pool_stats([])
    one, two = NormStats(), NormStats()
    one.take(torch.ones(1, 2, 4, 4))
    with pytest.raises(ValueError, match="different numbers of layers"):
        pool_stats([one, two])


def test_shot_stats_records_each_sample_once() -> None:
    seen = []

    def record(frame: torch.Tensor, stats: NormStats) -> None:
        seen.append(frame)
        stats.take(frame)

    frames = [torch.full((1, 2, 4, 4), float(i)) for i in range(2)]
    stats = shot_stats(frames, record)
    assert len(seen) == 2
    torch.testing.assert_close(stats.values[0][0], torch.full((1, 2, 1, 1), 0.5))


def test_flicker_is_zero_for_a_shifted_copy_and_counts_changes() -> None:
    torch.manual_seed(1)
    scene = torch.rand(1, 3, 20, 30)
    frames = [scene[..., :, i : i + 20] for i in range(0, 9, 3)]
    assert flicker(frames, [(0, -3), (0, -3)]) == 0.0
    assert flicker(frames, [(0, 0), (0, 0)]) > 0.1
    brighter = [frames[0], (frames[1] + 0.1).clamp(0, 1)]
    assert 0.05 < flicker(brighter, [(0, -3)]) <= 0.1
    before, after = overlap(frames[0], frames[1], (0, -3))
    assert before.shape == after.shape == (1, 3, 20, 17)
    with pytest.raises(ValueError, match="no overlap"):
        flicker(frames[:2], [(0, 20)])


def test_temporal_loss_weighs_only_trusted_pixels() -> None:
    previous = torch.zeros(1, 3, 4, 4)
    confidence = torch.zeros(1, 1, 4, 4)
    confidence[..., :2] = 1.0
    target = TemporalTarget(previous, confidence, weight=2.0)
    image = torch.zeros(1, 3, 4, 4)
    image[..., 2:] = 1.0  # changed only where the flow is not trusted
    assert float(target.loss(image)) == 0.0
    image[..., 0] = 1 / 255
    assert float(target.loss(image)) == pytest.approx(2.0 * 1 / 4)
    assert target.at((8, 8)).previous.shape == (1, 3, 8, 8)
