"""Which VGG-19 levels the arbitrary-style path aligns (Li et al. 2017, "Universal Style Transfer
via Feature Transforms": the multi-level transform, coarse to fine).

One level (relu4_1) carries the style's palette and mid-sized marks, softly; relu3_1 and relu2_1
each add crisper marks and the style's contrast, at the cost of one more encode and decode, and
of more of the photo (benchmarks/RESULTS.md). `passes` picks how many, in PASS_ORDER; they run
coarse first, each on the picture the previous one painted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # torch-free at run time: the parameter schema imports MAX_PASSES
    from stylebridge.core.feature_decoder import FeatureDecoder

PASS_ORDER: tuple[str, ...] = ("relu4_1", "relu3_1", "relu2_1")
MAX_PASSES = len(PASS_ORDER)


def levels_for(passes: int) -> tuple[str, ...]:
    """The levels `passes` aligns, coarse first (the decoders a job needs); ValueError outside
    1..MAX_PASSES."""
    if not 1 <= passes <= MAX_PASSES:
        raise ValueError(f"passes must be in 1..{MAX_PASSES}, got {passes}")
    return PASS_ORDER[:passes]


def plan_levels(decoders: Sequence[FeatureDecoder], passes: int) -> list[FeatureDecoder]:
    """The decoders of `levels_for(passes)`, coarse first; ValueError naming a level that
    `passes` needs and has no decoder, or a level given twice."""
    wanted = levels_for(passes)
    by_level: dict[str, FeatureDecoder] = {}
    for decoder in decoders:
        if decoder.shape.level in by_level:
            raise ValueError(f"two decoders for {decoder.shape.level}: give one per level")
        by_level[decoder.shape.level] = decoder
    missing = [level for level in wanted if level not in by_level]
    if missing:
        installed = ", ".join(sorted(by_level)) or "none"
        raise ValueError(
            f"{passes} passes need the decoder(s) for {', '.join(missing)}, which are not "
            f"installed (installed: {installed})"
        )
    return [by_level[level] for level in wanted]
