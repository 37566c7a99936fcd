"""Stroke size: the network's brushwork as a fixed fraction of the canvas, at any canvas size.

A feed-forward network paints strokes of a fixed size in pixels: the size it learned from style
images at about REFERENCE_PX on the long side. Run on a 4K canvas it paints the same small strokes
(fine hatching); run on a 256 px preview, strokes ten times larger relative to the picture. So the
network runs at one processing size that depends only on `stroke` (REFERENCE_PX / stroke on the
long side: stylebridge/stroke_scale.py, which the editors share) and its result is resized to the
requested size: a preview and the full result go through the same pixels and show the same
strokes. stroke 2 doubles the strokes, 0.5 halves them.

Enlarging a result would blur its edges; the photo's own fine detail (exactly what shrinking it
to the processing size removed) is added back onto the enlarged result, so edges stay as sharp as
the photo's while the strokes keep their size.
"""

from __future__ import annotations

from torch import Tensor
from torch.nn import functional

# Fraction of the photo's lost detail added back when enlarging (1 = all of it).
DETAIL = 1.0


def resize(image: Tensor, size_hw: tuple[int, int]) -> Tensor:
    """Area average when shrinking, bicubic when enlarging; clamped to [0, 1]."""
    if tuple(image.shape[-2:]) == size_hw:
        return image
    shrinking = size_hw[0] * size_hw[1] < image.shape[-2] * image.shape[-1]
    mode = "area" if shrinking else "bicubic"
    return functional.interpolate(image, size=size_hw, mode=mode).clamp(0, 1)


def enlarge(result: Tensor, photo: Tensor) -> Tensor:
    """Small result (1, 3, h, w) -> photo's (1, 3, H, W): bicubic plus the photo's lost detail."""
    size_hw = (photo.shape[-2], photo.shape[-1])
    photo = photo.to(result.device, result.dtype)
    smooth_photo = resize(resize(photo, tuple(result.shape[-2:])), size_hw)  # type: ignore[arg-type]
    return (resize(result, size_hw) + DETAIL * (photo - smooth_photo)).clamp(0, 1)
