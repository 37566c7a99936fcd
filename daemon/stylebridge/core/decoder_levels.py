"""Which VGG-19 levels the arbitrary-style path aligns, and how each level's aligned features
become an image again (Li et al. 2017, "Universal Style Transfer via Feature Transforms": the
multi-level transform, coarse to fine).

One level (relu4_1) carries the style's palette and mid-sized marks; relu5_1 adds its large
shapes, relu3_1..relu1_1 its fine marks and contrast, each at the cost of one more encode and
decode. `passes` picks how many, in PASS_ORDER (the most texture per second first); they run
coarse first. A level's decoder may stop at a shallower layer's features (relu5_1 -> relu4_1),
in which case that layer's decoder finishes the image.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from stylebridge.core.feature_decoder import IMAGE, LEVEL_POOLINGS, FeatureDecoder

PASS_ORDER: tuple[str, ...] = ("relu4_1", "relu5_1", "relu3_1", "relu2_1", "relu1_1")
MAX_PASSES = len(PASS_ORDER)


@dataclass(frozen=True)
class Level:
    """A layer to align at and the decoders that take its features to the image, in order."""

    layer: str
    chain: tuple[FeatureDecoder, ...]

    @property
    def scale(self) -> int:
        """Image pixels per feature pixel: the image's sides must be multiples of it."""
        return self.chain[0].shape.scale


def _by_level(decoders: Sequence[FeatureDecoder]) -> dict[str, FeatureDecoder]:
    found: dict[str, FeatureDecoder] = {}
    for decoder in decoders:
        if decoder.shape.level in found:
            raise ValueError(f"two decoders for {decoder.shape.level}: give one per level")
        found[decoder.shape.level] = decoder
    return found


def _chain(layer: str, by_level: dict[str, FeatureDecoder]) -> tuple[FeatureDecoder, ...]:
    chain = [by_level[layer]]
    while chain[-1].shape.output != IMAGE:
        wanted = chain[-1].shape.output
        if wanted not in by_level:
            raise ValueError(
                f"the {layer} decoder decodes to {wanted} features, and no {wanted} decoder "
                "is installed to finish the image"
            )
        chain.append(by_level[wanted])
    return tuple(chain)


def plan_levels(decoders: Sequence[FeatureDecoder], passes: int) -> list[Level]:
    """The levels to run, coarse first: the first `passes` of PASS_ORDER (0: every level with a
    decoder); ValueError naming a decoder that `passes` needs and is not there."""
    if not 0 <= passes <= MAX_PASSES:
        raise ValueError(f"passes must be in 0..{MAX_PASSES}, got {passes}")
    by_level = _by_level(decoders)
    if not by_level:
        raise ValueError("the arbitrary-style path needs at least one decoder")
    if passes:
        wanted = PASS_ORDER[:passes]
        missing = [layer for layer in wanted if layer not in by_level]
        if missing:
            raise ValueError(
                f"{passes} passes need the decoder(s) for {', '.join(missing)}, which are not "
                f"installed (installed: {', '.join(sorted(by_level))})"
            )
    else:
        wanted = tuple(layer for layer in PASS_ORDER if layer in by_level)
    ordered = sorted(wanted, key=lambda layer: -LEVEL_POOLINGS[layer])
    return [Level(layer, _chain(layer, by_level)) for layer in ordered]
