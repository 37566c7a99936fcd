"""The style's features seen through a random subset of its positions, drawn afresh with each
random draw of a stochastic loss (mmd-gauss's frequencies, inter's directions). A distribution
of tens of thousands of positions is described as well by a few thousand (quantiles and mean
embeddings to about 1 %), and the style's side was half of those losses' time at 512 px."""

from __future__ import annotations

import torch
from torch import Tensor

STYLE_COLUMNS = 8192


def style_columns(target_samples: Tensor, generator: torch.Generator | None) -> Tensor:
    """(N, M') -> (N, min(M', STYLE_COLUMNS)): all columns, or a random subset of them."""
    total = target_samples.shape[1]
    if total <= STYLE_COLUMNS:
        return target_samples
    picked = torch.randperm(total, generator=generator, device=target_samples.device)
    return target_samples[:, picked[:STYLE_COLUMNS]]
