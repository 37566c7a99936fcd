"""Guides (METHODS §2.2, §9 item 11): hard masks select positions at every layer's resolution."""

from __future__ import annotations

import torch
from stylebridge.core.losses.gram import gram_matrix
from stylebridge.core.style_targets import as_samples, guides_at_layers


def test_guided_grams_of_a_partition_sum_to_the_unguided_gram() -> None:
    g = torch.Generator().manual_seed(0)
    features = {"relu1_1": torch.rand(1, 5, 8, 8, generator=g, dtype=torch.float64)}
    mask = torch.zeros(1, 1, 16, 16, dtype=torch.float64)
    mask[..., :, :6] = 1.0
    inside = guides_at_layers(mask, features)["relu1_1"]
    outside = guides_at_layers(1.0 - mask, features)["relu1_1"]
    assert not bool((inside & outside).any()) and bool((inside | outside).all())
    f = features["relu1_1"]
    # Each guided Gram is averaged over its own positions: weight it back by its count.
    total = torch.zeros(1, 5, 5, dtype=torch.float64)
    for guide in (inside, outside):
        total += gram_matrix(as_samples(f, guide)) * int(guide.sum())
    assert torch.allclose(total / 64, gram_matrix(f), rtol=1e-12)


def test_all_ones_guide_reproduces_the_unguided_samples() -> None:
    f = torch.rand(1, 3, 4, 6)
    guide = guides_at_layers(torch.ones(1, 1, 8, 12), {"x": f})["x"]
    assert torch.equal(as_samples(f, guide), as_samples(f, None))
    assert as_samples(f, None).shape == (1, 3, 1, 24)
