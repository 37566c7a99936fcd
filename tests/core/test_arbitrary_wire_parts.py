"""What the arbitrary path needs on the wire: parameters from checked values, progress and cancel
per stage, layers of any size, and a memory estimate that names the size that fits."""

from __future__ import annotations

import pytest
import torch
from stylebridge.core.arbitrary import ArbitraryParams, stylize_arbitrary
from stylebridge.core.arbitrary_memory import check_arbitrary_fits, estimate_arbitrary_bytes
from stylebridge.core.arbitrary_params import ARBITRARY_PARAMETERS, style_decode_px
from stylebridge.core.errors import Cancelled
from stylebridge.core.feature_decoder import DecoderShape, FeatureDecoder
from stylebridge.core.progress import Progress
from stylebridge.core.vgg import VGG19Features


@pytest.fixture(scope="module")
def decoder() -> FeatureDecoder:
    torch.manual_seed(0)
    return FeatureDecoder(DecoderShape("relu4_1", (8, 8, 8, 8))).eval()


def test_params_come_from_checked_values_with_every_field_declared() -> None:
    assert {s.name for s in ARBITRARY_PARAMETERS} == set(ArbitraryParams.__dataclass_fields__)
    params = ArbitraryParams.from_values({"transform": "bn=0.5,intra=0.5", "size_px": 0})
    assert params.size_px is None and params.transforms() == [("adain", 0.5), ("transport", 0.5)]
    for values, words in (
        ({"transform": "gram"}, "unknown transform 'gram'"),
        ({"transform": "wct=0,adain=0"}, "needs a weight above 0"),
        ({"stroke": 0.1}, "'stroke' must be >= 0.25"),
        ({"strength": 1.5}, "'strength' must be <= 1.0"),
        ({"tile_px": 512}, "unknown parameter"),
    ):
        with pytest.raises(ValueError, match=words):
            ArbitraryParams.from_values(values)


def test_style_images_are_decoded_no_smaller_than_their_use() -> None:
    assert style_decode_px(300, 1.0) == 1024
    assert style_decode_px(2000, 2.0) == 4000


def test_progress_reports_each_stage_and_cancel_stops_between_them(
    decoder: FeatureDecoder, vgg_max: VGG19Features
) -> None:
    photo, styles = torch.rand(1, 3, 24, 20), [torch.rand(1, 3, 64, 64)] * 2
    reports: list[Progress] = []
    stylize_arbitrary(photo, styles, decoder, vgg_max, ArbitraryParams(), progress=reports.append)
    assert [(r.step, r.total) for r in reports] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    reports.clear()
    with pytest.raises(Cancelled):
        stylize_arbitrary(
            photo, styles, decoder, vgg_max, ArbitraryParams(),
            progress=reports.append, should_cancel=lambda: len(reports) >= 2,
        )  # fmt: skip
    assert [r.step for r in reports] == [1, 2]


@pytest.mark.parametrize("height_width", [(1, 1), (1, 64), (64, 1), (5, 3), (9, 17)])
def test_layers_of_any_size_are_painted_at_their_size(
    decoder: FeatureDecoder, vgg_max: VGG19Features, height_width: tuple[int, int]
) -> None:
    photo = torch.rand(1, 3, *height_width)
    out = stylize_arbitrary(photo, [torch.rand(1, 3, 64, 64)], decoder, vgg_max, ArbitraryParams())
    assert out.shape == photo.shape and bool(torch.isfinite(out).all())


def test_the_memory_check_names_the_largest_size_that_fits() -> None:
    assert estimate_arbitrary_bytes(512, 512, 0, 2.0) > estimate_arbitrary_bytes(512, 512, 0, 1.0)
    free = estimate_arbitrary_bytes(64, 64, 1024, 1.0) * 2
    check_arbitrary_fits(64, 64, 1024, 1.0, free)  # fits in 80 % of twice its estimate
    check_arbitrary_fits(64, 64, 16384, 8.0, None)  # unknown free memory: no refusal
    with pytest.raises(ValueError, match="the largest size_px that fits now is") as info:
        check_arbitrary_fits(64, 64, 4096, 1.0, free)
    largest = int(str(info.value).rsplit(" ", 1)[1])
    assert 1024 <= largest < 4096
    assert estimate_arbitrary_bytes(64, 64, largest, 1.0) <= 0.8 * free
