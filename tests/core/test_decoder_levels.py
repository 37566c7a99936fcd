"""The multi-level transform's plan (core/decoder_levels.py) and the arbitrary path run over
several levels with small untrained decoders and the real VGG-19."""

from __future__ import annotations

import itertools

import pytest
import torch
from stylebridge.core.arbitrary import ArbitraryParams, stylize_arbitrary
from stylebridge.core.decoder_levels import plan_levels
from stylebridge.core.feature_decoder import DecoderShape, FeatureDecoder
from stylebridge.core.vgg import VGG19Features
from untrained_decoder import contrasted_decoder


def _decoder(level: str, widths: tuple[int, ...]) -> FeatureDecoder:
    return contrasted_decoder(DecoderShape(level, widths), seed=len(widths))


@pytest.fixture(scope="module")
def decoders() -> list[FeatureDecoder]:
    """Finest first, to show that the order given does not matter."""
    return [
        _decoder("relu2_1", (8, 8)),
        _decoder("relu3_1", (8, 8, 8)),
        _decoder("relu4_1", (8, 8, 8, 8)),
    ]


def test_passes_pick_levels_coarse_first(decoders: list[FeatureDecoder]) -> None:
    def levels(passes: int) -> list[str]:
        return [decoder.shape.level for decoder in plan_levels(decoders, passes)]

    assert levels(1) == ["relu4_1"]
    assert levels(2) == ["relu4_1", "relu3_1"]
    assert levels(3) == ["relu4_1", "relu3_1", "relu2_1"]


def test_missing_or_doubled_decoders_and_bad_passes_are_named(
    decoders: list[FeatureDecoder],
) -> None:
    with pytest.raises(ValueError, match=r"need the decoder\(s\) for relu3_1, relu2_1"):
        plan_levels(decoders[2:], 3)
    with pytest.raises(ValueError, match="two decoders for relu2_1"):
        plan_levels([*decoders, _decoder("relu2_1", (4, 4))], 1)
    with pytest.raises(ValueError, match=r"passes must be in 1\.\.3"):
        plan_levels(decoders, 0)
    with pytest.raises(ValueError, match=r"passes must be in 1\.\.3"):
        ArbitraryParams(passes=4).check()


def test_each_level_changes_the_picture_and_all_keep_its_size(
    decoders: list[FeatureDecoder], vgg_max: VGG19Features
) -> None:
    photo, style = torch.rand(1, 3, 37, 53), torch.rand(1, 3, 80, 64)
    results = [
        stylize_arbitrary(photo, [style], decoders, vgg_max, ArbitraryParams(passes=n))
        for n in (1, 2, 3)
    ]
    for result in results:
        assert result.shape == photo.shape and bool(torch.isfinite(result).all())
    for fewer, more in itertools.pairwise(results):
        assert float((fewer - more).abs().mean()) > 1e-3
    one_level = stylize_arbitrary(photo, [style], decoders[2], vgg_max, ArbitraryParams())
    assert torch.equal(one_level, results[0])
