"""Styles with weights: one shape (style_blend.WeightedStyle) from the wire to the runner, their
weights normalised once, when the daemon parses the request (before `accepted`)."""

from __future__ import annotations

import math

import pytest
from stylebridge.service.protocol import Limits, ProtocolError
from stylebridge.service.requests import parse_stylize
from stylebridge.style_blend import WeightedStyle, normalised, normalised_weights

IMAGE = {"width": 2, "height": 2, "channels": "RGB", "dtype": "uint8"}
PICTURE = {"width": 1, "height": 1, "channels": "RGB", "dtype": "uint8"}


def test_normalised_weights_sum_to_one_and_keep_their_ratios() -> None:
    assert normalised_weights([3, 1]) == (0.75, 0.25)
    assert normalised_weights([0.1] * 10) == pytest.approx((0.1,) * 10)
    assert math.fsum(normalised_weights([1e-9, 2e-9, 3e6])) == pytest.approx(1.0)


@pytest.mark.parametrize("bad", [[], [0.0, 0.0], [-1.0, 2.0], [math.nan, 1.0], [math.inf, 1.0]])
def test_weights_that_form_no_blend_are_refused(bad: list[float]) -> None:
    with pytest.raises(ValueError, match="finite, >= 0 and not all 0"):
        normalised_weights(bad)


def test_normalised_styles_keep_their_name_or_picture() -> None:
    styles = (WeightedStyle(2.0, name="udnie"), WeightedStyle(6.0, picture=0))
    assert normalised(styles) == (
        WeightedStyle(0.25, name="udnie"),
        WeightedStyle(0.75, picture=0),
    )
    assert styles[1].is_custom and not styles[0].is_custom


def test_a_parsed_request_carries_normalised_styles_and_its_pictures_frames() -> None:
    header = {
        "op": "stylize",
        "path": "optimize",
        "image": IMAGE,
        "mask": {"width": 2, "height": 2},
        "styles": [{"name": "udnie", "weight": 1}, {"image": PICTURE, "weight": 3}],
    }
    spec = parse_stylize(header, [12, 4, 3], Limits())
    assert spec.styles == (WeightedStyle(0.25, name="udnie"), WeightedStyle(0.75, picture=0))
    assert spec.style_pictures[0].width == 1 and spec.picture_frame(0) == 2


def test_a_request_whose_weights_are_all_zero_is_refused_when_parsed() -> None:
    header = {"op": "stylize", "image": IMAGE, "styles": [{"name": "udnie", "weight": 0}]}
    with pytest.raises(ProtocolError) as info:
        parse_stylize(header, [12], Limits())
    assert info.value.code == "bad_request" and "weight above 0" in info.value.message
