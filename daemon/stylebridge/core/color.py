"""Colour preservation of Gatys et al., "Controlling Perceptual Factors in Neural Style Transfer"
(CVPR 2017), METHODS §2.1: luminance-only transfer (YUV, as the pystiche replication) and colour
histogram matching of the style image to the content's mean and covariance."""

from __future__ import annotations

from typing import Literal

import torch
from torch import Tensor

# Rows give Y, U, V from R, G, B (BT.601, the replication's matrix).
_RGB_TO_YUV = (
    (0.299, 0.587, 0.114),
    (-0.14714119, -0.28886916, 0.43601035),
    (0.61497538, -0.51496512, -0.10001026),
)

MatchMode = Literal["cholesky", "sqrt"]


def _apply_matrix(matrix: Tensor, image: Tensor) -> Tensor:
    """3x3 matrix applied to every pixel of (B, 3, H, W)."""
    return torch.einsum("ij,bjhw->bihw", matrix.to(image), image)


def rgb_to_yuv(image: Tensor) -> Tensor:
    """(B, 3, H, W) RGB -> YUV, Y in [0, 1]."""
    return _apply_matrix(torch.tensor(_RGB_TO_YUV, dtype=torch.float64), image)


def yuv_to_rgb(image: Tensor) -> Tensor:
    """(B, 3, H, W) YUV -> RGB (the exact inverse of rgb_to_yuv)."""
    return _apply_matrix(torch.linalg.inv(torch.tensor(_RGB_TO_YUV, dtype=torch.float64)), image)


def luminance_as_rgb(image: Tensor) -> Tensor:
    """(B, 3, H, W) RGB -> its luminance replicated into three channels (VGG input)."""
    return rgb_to_yuv(image)[:, :1].expand(-1, 3, -1, -1).contiguous()


def match_luminance(style_grey: Tensor, content_grey: Tensor) -> Tensor:
    """Shift and scale the style luminance to the content's mean and std (METHODS §2.1a)."""
    mean_s, std_s = style_grey.mean(), style_grey.std(correction=0).clamp_min(1e-6)
    mean_c, std_c = content_grey.mean(), content_grey.std(correction=0)
    return (style_grey - mean_s) * (std_c / std_s) + mean_c


def combine_luminance(luminance_rgb: Tensor, content: Tensor) -> Tensor:
    """Y of the stylized grey image with U, V of the content image -> RGB (not clamped)."""
    yuv = rgb_to_yuv(content)
    y = rgb_to_yuv(luminance_rgb)[:, :1]
    return yuv_to_rgb(torch.cat([y, yuv[:, 1:]], dim=1))


def _mean_cov(image: Tensor) -> tuple[Tensor, Tensor]:
    pixels = image.reshape(3, -1).double()
    mean = pixels.mean(dim=1, keepdim=True)
    centred = pixels - mean
    return mean, centred @ centred.T / pixels.shape[1]


def _sym_sqrt(matrix: Tensor, power: float) -> Tensor:
    values, vectors = torch.linalg.eigh(matrix)
    return vectors @ torch.diag(values.clamp_min(1e-10) ** power) @ vectors.T


def match_histogram(style: Tensor, content: Tensor, mode: MatchMode = "cholesky") -> Tensor:
    """Recolour (1, 3, H, W) `style` to the content's RGB mean and covariance: x' = A x + b."""
    mean_s, cov_s = _mean_cov(style)
    mean_c, cov_c = _mean_cov(content)
    eye = torch.eye(3, dtype=torch.float64) * 1e-8
    if mode == "cholesky":
        chol_c = torch.linalg.cholesky(cov_c + eye)
        chol_s = torch.linalg.cholesky(cov_s + eye)
        a = chol_c @ torch.linalg.inv(chol_s)
    elif mode == "sqrt":
        a = _sym_sqrt(cov_c, 0.5) @ _sym_sqrt(cov_s, -0.5)
    else:
        raise ValueError(f"histogram matching mode must be 'cholesky' or 'sqrt', got {mode!r}")
    pixels = style.reshape(3, -1).double()
    out = a @ (pixels - mean_s) + mean_c
    return out.reshape(style.shape).to(style.dtype)
