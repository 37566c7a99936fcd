"""Total-variation regulariser (Johnson et al. 2016, Mahendran & Vedaldi 2015): squared
differences of neighbouring pixels, averaged so the weight does not depend on image size."""

from __future__ import annotations

from torch import Tensor


def tv_loss(image: Tensor) -> Tensor:
    """(B, C, H, W) image -> (B,) mean squared horizontal plus vertical pixel difference."""
    dx = (image[:, :, :, 1:] - image[:, :, :, :-1]).pow(2).mean(dim=(1, 2, 3))
    dy = (image[:, :, 1:, :] - image[:, :, :-1, :]).pow(2).mean(dim=(1, 2, 3))
    return dx + dy
