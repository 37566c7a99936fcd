"""The multi-level transform's plan (core/decoder_levels.py) and the arbitrary path run over
several levels with small untrained decoders and the real VGG-19."""

from __future__ import annotations

import itertools

import pytest
import torch
from stylebridge.core.arbitrary import ArbitraryParams, stylize_arbitrary
from stylebridge.core.decoder_levels import PASS_ORDER, plan_levels
from stylebridge.core.feature_decoder import DecoderShape, FeatureDecoder
from stylebridge.core.vgg import VGG19Features


def _decoder(level: str, widths: tuple[int, ...], output: str = "rgb") -> FeatureDecoder:
    """Untrained; an image decoder's output moved to mid-grey with contrast, so that clamping
    does not hide what each level changes."""
    torch.manual_seed(len(widths))
    decoder = FeatureDecoder(DecoderShape(level, widths, output)).eval()
    block = decoder.body[-1]
    assert isinstance(block, torch.nn.Sequential)
    last = block[1]
    assert isinstance(last, torch.nn.Conv2d) and last.bias is not None
    if output == "rgb":
        with torch.no_grad():
            last.weight.mul_(20.0)
            last.bias.fill_(0.5)
    return decoder


@pytest.fixture(scope="module")
def decoders() -> dict[str, FeatureDecoder]:
    return {
        "relu5_1": _decoder("relu5_1", (8, 8), "relu4_1"),
        "relu4_1": _decoder("relu4_1", (8, 8, 8, 8)),
        "relu3_1": _decoder("relu3_1", (8, 8, 8)),
        "relu2_1": _decoder("relu2_1", (8, 8)),
    }


def test_levels_run_coarse_first_and_passes_pick_them_in_order(
    decoders: dict[str, FeatureDecoder],
) -> None:
    every = list(decoders.values())
    assert [lv.layer for lv in plan_levels(every, 0)] == [
        "relu5_1",
        "relu4_1",
        "relu3_1",
        "relu2_1",
    ]
    assert [lv.layer for lv in plan_levels(every, 1)] == [PASS_ORDER[0]] == ["relu4_1"]
    assert [lv.layer for lv in plan_levels(every, 3)] == ["relu5_1", "relu4_1", "relu3_1"]
    coarsest = plan_levels(every, 2)[0]
    assert coarsest.chain == (decoders["relu5_1"], decoders["relu4_1"]) and coarsest.scale == 16


def test_missing_or_doubled_decoders_are_named(decoders: dict[str, FeatureDecoder]) -> None:
    with pytest.raises(ValueError, match=r"need the decoder\(s\) for relu1_1"):
        plan_levels(list(decoders.values()), 5)
    with pytest.raises(ValueError, match="no relu4_1 decoder is installed"):
        plan_levels([decoders["relu5_1"]], 0)
    with pytest.raises(ValueError, match="two decoders for relu2_1"):
        plan_levels([decoders["relu2_1"], _decoder("relu2_1", (4, 4))], 0)
    with pytest.raises(ValueError, match=r"passes must be in 0\.\.5"):
        ArbitraryParams(passes=6).check()


def test_each_level_changes_the_picture_and_all_keep_its_size(
    decoders: dict[str, FeatureDecoder], vgg_max: VGG19Features
) -> None:
    photo = torch.rand(1, 3, 37, 53)
    style = torch.rand(1, 3, 80, 64)
    every = list(decoders.values())
    results = [
        stylize_arbitrary(photo, [style], every, vgg_max, ArbitraryParams(passes=n))
        for n in (1, 2, 3, 4)
    ]
    for result in results:
        assert result.shape == photo.shape and bool(torch.isfinite(result).all())
    for fewer, more in itertools.pairwise(results):
        assert float((fewer - more).abs().mean()) > 1e-4
    every_installed = stylize_arbitrary(photo, [style], every, vgg_max, ArbitraryParams())
    assert torch.equal(every_installed, results[-1])
