"""Progress reports sent from long core loops (optimization, network inference) to a callback."""

from __future__ import annotations

from dataclasses import dataclass

from torch import Tensor


@dataclass(frozen=True)
class Progress:
    """One report: `step` of `total` done, the current loss, timing, and an optional preview.

    `preview` is a (1, 3, H, W) RGB image in [0, 1] on the CPU, or None between previews.
    """

    step: int
    total: int
    loss: float | None
    elapsed_s: float
    eta_s: float | None
    preview: Tensor | None = None


def estimate_eta_s(step: int, total: int, elapsed_s: float) -> float | None:
    """Seconds left, extrapolated linearly from the steps done so far; None before the first."""
    if step <= 0:
        return None
    return max(0.0, elapsed_s / step * (total - step))
