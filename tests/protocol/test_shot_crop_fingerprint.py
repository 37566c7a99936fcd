"""What may differ within a shot (service/shots.py, #15): where a crop lies in the picture and,
with a stroke, the result's size; every other network parameter still keeps its shot."""

from __future__ import annotations

from typing import Any

import pytest
from stylebridge.service import protocol as wire
from stylebridge.service.protocol import ProtocolError
from stylebridge.service.requests import StylizeSpec, parse_stylize
from stylebridge.service.shots import ShotStore

IMAGE = {"width": 4, "height": 4, "channels": "RGB", "dtype": "uint8"}


def spec() -> StylizeSpec:
    header = wire.request(wire.OP_STYLIZE, "s", path="network", image=IMAGE, params={})
    header["styles"] = [{"name": "udnie", "weight": 1.0}]
    return parse_stylize(header, [4 * 4 * 3], wire.Limits())


def values(**params: Any) -> dict[str, Any]:
    base = {"strength": 1.0, "stroke": 1.0, "tile_px": 2048, "size_px": 0, "picture_px": 0}
    return {**base, "shot": "s", **params}


def test_a_crop_joins_its_fitted_previews_shot() -> None:
    store = ShotStore()
    fitted = store.claim(b"a", spec(), values(size_px=256))
    assert store.claim(b"a", spec(), values(size_px=128, picture_px=4000)) is fitted


@pytest.mark.parametrize(
    ("first", "later"),
    [
        ({"stroke": 0.0, "size_px": 256}, {"stroke": 0.0, "size_px": 128}),  # the network's size
        ({"size_px": 256}, {"size_px": 128, "tile_px": 512}),
        ({"size_px": 256}, {"size_px": 128, "stroke": 2.0}),
    ],
)
def test_at_stroke_0_the_size_and_always_the_rest_keep_the_shot(
    first: dict[str, Any], later: dict[str, Any]
) -> None:
    store = ShotStore()
    store.claim(b"a", spec(), values(**first))
    with pytest.raises(ProtocolError) as info:
        store.claim(b"a", spec(), values(**later))
    assert info.value.code == "bad_parameter" and "new shot id" in info.value.message
