"""The any-picture (arbitrary) path's result layer says what a painter chose: the path and the
transform in the dialog's own words, not "fast" like the network path."""

from __future__ import annotations

import pytest
from stylebridge.editor.layer_names import layer_name
from stylebridge.editor.request_params import StylizeRequest
from stylebridge.style_blend import WeightedStyle


def arbitrary(params: dict[str, object], name: str | None = None) -> StylizeRequest:
    """An arbitrary-path request with the listed style `name`, or one custom style picture."""
    style = WeightedStyle(1.0, name=name) if name else WeightedStyle(1.0, picture=0)
    return StylizeRequest("arbitrary", params, (style,), "default")


@pytest.mark.parametrize(
    ("transform", "name"),
    [
        ("wct", "Custom style (any picture, textures and patterns)"),
        ("intra", "Custom style (any picture, colours and contrast)"),
        ("wct=0.5,intra=0.5", "Custom style (any picture, blend of both)"),
        ("wct=0.2,intra=0.8", "Custom style (any picture, wct=0.2,intra=0.8)"),
    ],
)
def test_arbitrary_layers_name_the_transform_as_the_dialog_does(transform: str, name: str) -> None:
    assert layer_name(arbitrary({"transform": transform})) == name


def test_arbitrary_layers_keep_strength_and_style_titles() -> None:
    request = arbitrary({"transform": "wct", "strength": 0.5}, "udnie")
    assert layer_name(request) == "Udnie (any picture, textures and patterns, strength 50%)"
    assert layer_name(arbitrary({})) == "Custom style (any picture)"


def test_network_layers_still_say_fast() -> None:
    request = StylizeRequest("network", {}, (WeightedStyle(1.0, name="udnie"),), "default")
    assert layer_name(request) == "Udnie (fast)"
