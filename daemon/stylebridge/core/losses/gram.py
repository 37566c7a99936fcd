"""Gram-matrix style loss (Gatys et al. 2016), normalised so that it equals polynomial-kernel MMD
(Li et al. 2017, METHODS §3.2) and does not change meaning with image size."""

from __future__ import annotations

from torch import Tensor


def gram_matrix(features: Tensor) -> Tensor:
    """(B, C, H, W) features -> (B, C, C) channel correlations, averaged over the H·W positions."""
    b, c, h, w = features.shape
    flat = features.reshape(b, c, h * w)
    return flat @ flat.transpose(1, 2) / (h * w)


def gram_loss(features: Tensor, target_gram: Tensor) -> Tensor:
    """Squared Frobenius distance between Grams / C²: (B,C,H,W), (B|1,C,C) -> (B,).

    With each Gram divided by its own M this is MMD² with k(x,y) = (xᵀy)², divided by N²
    (= 4·E_l of Gatys; METHODS §3.2 and §9 items 1, 2, 7).
    """
    c = features.shape[1]
    diff = gram_matrix(features) - target_gram
    return diff.pow(2).sum(dim=(1, 2)) / (c * c)
