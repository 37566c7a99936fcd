"""Optical flow between frames for temporal "flow" (Ruder, Dosovitskiy & Brox 2016): each frame
of a shot starts from the previous result warped onto it and is pulled towards it where the flow
is consistent forwards and backwards. The flow is OpenCV's DIS (the optional `frames` extra)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import Tensor
from torch.nn import functional

from stylebridge.core.images import resize
from stylebridge.core.temporal_loss import DEFAULT_TEMPORAL_WEIGHT, TemporalTarget

FLOW_EXTRA = "pip install 'stylebridge[frames]'"


def _cv2() -> Any:
    try:
        import cv2
    except ImportError:
        raise ValueError(f"--temporal flow needs OpenCV's optical flow: {FLOW_EXTRA}") from None
    return cv2


def _grey8(image: Tensor) -> np.ndarray:
    weights = torch.tensor([0.299, 0.587, 0.114])[:, None, None]
    grey = (image[0].float().cpu() * weights).sum(dim=0)
    return grey.clamp(0, 1).mul(255).round().to(torch.uint8).numpy()


def estimate_flow(source: Tensor, target: Tensor) -> Tensor:
    """(1, 3, H, W) frames -> (H, W, 2) flow in px (x, y): source(p) ≈ target(p + flow(p))."""
    cv2 = _cv2()
    dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)
    flow = dis.calc(_grey8(source), _grey8(target), None)
    return torch.from_numpy(np.ascontiguousarray(flow))


def warp(image: Tensor, flow: Tensor) -> Tensor:
    """(1, C, H, W) image sampled at p + flow(p) (bilinear, edges repeated) -> (1, C, H, W)."""
    h, w = image.shape[-2:]
    ys, xs = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
    x = (xs + flow[..., 0]) * 2 / max(w - 1, 1) - 1
    y = (ys + flow[..., 1]) * 2 / max(h - 1, 1) - 1
    grid = torch.stack([x, y], dim=-1)[None].to(image.device, image.dtype)
    return functional.grid_sample(
        image, grid, mode="bilinear", padding_mode="border", align_corners=True
    )


def consistency(backward: Tensor, forward: Tensor) -> Tensor:
    """(1, 1, H, W) 1 where following `backward` then `forward` comes back (the paper's test,
    |w + ŵ|² <= 0.01 (|w|² + |ŵ|²) + 0.5), 0 at disocclusions; both (H, W, 2)."""
    returned = warp(forward.permute(2, 0, 1)[None], backward)[0].permute(1, 2, 0)
    gap = (backward + returned).pow(2).sum(-1)
    bound = 0.01 * (backward.pow(2).sum(-1) + returned.pow(2).sum(-1)) + 0.5
    return (gap <= bound).float()[None, None]


def temporal_target(
    previous_frame: Tensor, previous_result: Tensor, frame: Tensor, weight: float
) -> TemporalTarget:
    """The previous result warped onto `frame`, with the flow's confidence (at the result size)."""
    size_hw = (previous_result.shape[-2], previous_result.shape[-1])
    before, now = resize(previous_frame, size_hw), resize(frame, size_hw)
    backward, forward = estimate_flow(now, before), estimate_flow(before, now)
    return TemporalTarget(
        warp(previous_result.float(), backward), consistency(backward, forward), weight
    )


class FlowState:
    """What temporal "flow" keeps between the frames of one shot: the last frame and result."""

    def __init__(self, weight: float = DEFAULT_TEMPORAL_WEIGHT) -> None:
        _cv2()  # a missing extra is said before the first frame, not after it
        self.weight = weight
        self.reset()

    def reset(self) -> None:
        """A new shot: the next frame starts afresh."""
        self.frame: Tensor | None = None
        self.result: Tensor | None = None

    def stylize(self, frame: Tensor, run: Callable[[TemporalTarget | None], Tensor]) -> Tensor:
        """run(target) stylizes `frame` (target None on a shot's first frame); both are kept."""
        target = None
        if self.frame is not None and self.result is not None:
            target = temporal_target(self.frame, self.result, frame, self.weight)
        result = run(target)
        self.frame, self.result = frame, result
        return result
