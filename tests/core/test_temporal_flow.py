"""Optical flow (OpenCV DIS), warping and the forward-backward consistency of Ruder et al."""

from __future__ import annotations

import pytest
import torch

pytest.importorskip("cv2")

from stylebridge.core.temporal_flow import (
    FlowState,
    consistency,
    estimate_flow,
    temporal_target,
    warp,
)


def scene() -> torch.Tensor:
    """Smooth blobs: texture DIS can follow."""
    ys, xs = torch.meshgrid(torch.arange(64.0), torch.arange(96.0), indexing="ij")
    channels = [torch.sin(xs / 5) * torch.cos(ys / 7), torch.sin((xs + ys) / 9), torch.cos(xs / 4)]
    return (torch.stack(channels)[None] + 1) / 2


def test_flow_finds_a_pan_and_warping_undoes_it() -> None:
    full = scene()
    before, after = full[..., :, :80], full[..., :, 3:83]  # the camera moves 3 px right
    backward = estimate_flow(after, before)
    inner = backward[8:-8, 8:-8]
    assert inner[..., 0].mean().item() == pytest.approx(3.0, abs=0.2)
    assert inner[..., 1].abs().mean().item() < 0.2
    warped = warp(before, backward)
    assert (warped - after)[..., 8:-8, 8:-8].abs().mean() < 0.01
    assert (before - after).abs().mean() > 0.05


def test_consistency_is_zero_where_the_flows_disagree() -> None:
    right = torch.zeros(16, 16, 2)
    right[..., 0] = 2.0
    assert consistency(right, -right).min() == 1.0
    assert consistency(right, right).max() == 0.0


def test_the_next_frame_starts_from_the_previous_result_warped() -> None:
    full = scene()
    before, after = full[..., :, :80], full[..., :, 3:83]
    result = 1 - before  # any picture that moves with the scene
    target = temporal_target(before, result, after, weight=1.0)
    assert (target.previous - (1 - after))[..., 8:-8, 8:-8].abs().mean() < 0.01
    assert target.confidence[..., 8:-8, 8:-8].mean() > 0.9
    state = FlowState(weight=5.0)
    targets = []

    def run(target: object) -> torch.Tensor:
        targets.append(target)
        return result

    state.stylize(before, run)
    state.stylize(after, run)
    state.reset()
    state.stylize(after, run)
    assert targets[0] is None and targets[2] is None
    assert getattr(targets[1], "weight", None) == 5.0
