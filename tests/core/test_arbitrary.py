"""The arbitrary-style path (core/arbitrary.py) with small untrained decoders and the real VGG-19:
sizes, masks, strength, style weights and parameter checks. The shipped decoder's picture is
checked in test_shipped_decoder.py."""

from __future__ import annotations

import pytest
import torch
from stylebridge.core.arbitrary import MIN_STYLE_SIDE_PX, ArbitraryParams, stylize_arbitrary
from stylebridge.core.feature_decoder import DecoderShape, FeatureDecoder
from stylebridge.core.images import resize_to_area
from stylebridge.core.vgg import VGG19Features
from untrained_decoder import contrasted_decoder


@pytest.fixture(scope="module")
def decoder() -> FeatureDecoder:
    return contrasted_decoder(DecoderShape("relu4_1", (16, 8, 8, 8)))


def _picture(seed: int, height: int, width: int) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    coarse = torch.rand(1, 3, height // 4 + 1, width // 4 + 1, generator=generator)
    return torch.nn.functional.interpolate(coarse, size=(height, width), mode="bilinear")


def test_result_has_the_photos_size_at_any_side(
    decoder: FeatureDecoder, vgg_max: VGG19Features
) -> None:
    photo, style = _picture(0, 37, 53), _picture(1, 80, 64)
    out = stylize_arbitrary(photo, [style], decoder, vgg_max, ArbitraryParams())
    assert out.shape == (1, 3, 37, 53) and 0 <= float(out.min()) <= float(out.max()) <= 1
    resized = stylize_arbitrary(photo, [style], decoder, vgg_max, ArbitraryParams(size_px=64))
    assert resized.shape == (1, 3, 45, 64)


def test_mask_keeps_the_photo_where_it_is_zero(
    decoder: FeatureDecoder, vgg_max: VGG19Features
) -> None:
    photo, style = _picture(2, 48, 48), _picture(3, 64, 64)
    mask = torch.zeros(1, 1, 48, 48)
    mask[..., :, 24:] = 1.0
    full = stylize_arbitrary(photo, [style], decoder, vgg_max, ArbitraryParams())
    masked = stylize_arbitrary(photo, [style], decoder, vgg_max, ArbitraryParams(), mask=mask)
    assert torch.equal(masked[..., :24], photo[..., :24])
    assert torch.allclose(masked[..., 24:], full[..., 24:])


def test_strength_zero_decodes_the_photos_own_features(
    decoder: FeatureDecoder, vgg_max: VGG19Features
) -> None:
    photo, style = _picture(4, 48, 64), _picture(5, 64, 64)
    out = stylize_arbitrary(photo, [style], decoder, vgg_max, ArbitraryParams(strength=0.0))
    with torch.inference_mode():
        own = decoder.decode(vgg_max(photo, ["relu4_1"])["relu4_1"])
    assert torch.allclose(out, own, atol=0.02)  # bf16 encoder where the CPU has it
    styled = stylize_arbitrary(photo, [style], decoder, vgg_max, ArbitraryParams())
    assert float((styled - own).abs().mean()) > 0.001


def test_style_weights_mix_and_a_zero_weight_drops_a_style(
    decoder: FeatureDecoder, vgg_max: VGG19Features
) -> None:
    photo, a, b = _picture(6, 40, 40), _picture(7, 64, 64), _picture(8, 64, 48)
    params = ArbitraryParams(transform="bn")
    only_a = stylize_arbitrary(photo, [a], decoder, vgg_max, params)
    a_and_nothing = stylize_arbitrary(photo, [a, b], decoder, vgg_max, params, [1.0, 0.0])
    assert torch.allclose(only_a, a_and_nothing)
    mixed = stylize_arbitrary(photo, [a, b], decoder, vgg_max, params, [0.5, 0.5])
    assert float((mixed - only_a).abs().mean()) > 0.0005
    for unnormalised in ([0.0, 0.0], [2.0, 0.0]):  # the caller normalises; the core checks
        with pytest.raises(ValueError, match="sum to 1"):
            stylize_arbitrary(photo, [a, b], decoder, vgg_max, params, unnormalised)


def test_parameters_are_checked_with_a_clear_message() -> None:
    assert ArbitraryParams(transform="inter").transforms() == [("wct", 1.0)]
    assert ArbitraryParams(transform="intra=0.3, bn=0.7").transforms() == [
        ("transport", 0.3),
        ("adain", 0.7),
    ]
    for params, message in (
        (ArbitraryParams(transform="gram"), "unknown transform 'gram'"),
        (ArbitraryParams(strength=1.5), "strength must be in"),
        (ArbitraryParams(stroke=0.0), "stroke must be in"),
        (ArbitraryParams(preserve_color="sepia"), "preserve_color must be one of"),
    ):
        with pytest.raises(ValueError, match=message):
            params.check()


def test_style_takes_the_area_of_the_result_times_stroke_squared() -> None:
    style = torch.rand(1, 3, 300, 400)
    assert resize_to_area(style, 600 * 800, MIN_STYLE_SIDE_PX).shape[-2:] == (600, 800)
    # never below the encoder's need
    assert resize_to_area(style, 30 * 40, MIN_STYLE_SIDE_PX).shape[-2:] == (64, 64)
