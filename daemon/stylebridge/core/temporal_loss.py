"""The temporal loss of Ruder, Dosovitskiy & Brox, "Artistic Style Transfer for Videos" (GCPR
2016): the result is pulled towards the previous result warped onto this frame, except where the
optical flow is unreliable (disocclusions, motion boundaries: weight 0), and starts from it."""

from __future__ import annotations

from dataclasses import dataclass

from torch import Tensor

from stylebridge.core.images import resize

# The paper's γ (200) measured its losses on another scale; the objective here is ~1e9 at the
# start (style weight 1), and 2e5 on differences in 0..255 units (2e5 · 255² ≈ 1.3e10 on the
# [0, 1] pixels) cut the flicker of a 2-px pan at 64 px from 0.096 to 0.024, frames keeping their
# style (weight 0, the warped start alone: 0.049; 1e6: frames all but frozen to the warp).
DEFAULT_TEMPORAL_WEIGHT = 2e5
PIXEL_SCALE = 255.0  # differences are measured in 8-bit pixel units, as in the paper


@dataclass(frozen=True)
class TemporalTarget:
    """`previous` (1, 3, H, W): the last result warped onto this frame; `confidence` (1, 1, H, W)
    in [0, 1]: where the warp can be trusted; `weight`: the loss's factor."""

    previous: Tensor
    confidence: Tensor
    weight: float = DEFAULT_TEMPORAL_WEIGHT

    def at(self, size_hw: tuple[int, int]) -> TemporalTarget:
        """The target resized to one scale of a coarse-to-fine run."""
        return TemporalTarget(
            resize(self.previous, size_hw), resize(self.confidence, size_hw), self.weight
        )

    def loss(self, image: Tensor) -> Tensor:
        """weight · mean over pixels and channels of confidence · (255 (image − previous))²."""
        previous = self.previous.to(image.device, image.dtype)
        confidence = self.confidence.to(image.device, image.dtype)
        return self.weight * (confidence * (PIXEL_SCALE * (image - previous)).pow(2)).mean()
