"""init 'network' on a real daemon: named model styles run; a style the shipped network cannot
paint is refused with bad_parameter before `accepted`."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from stylebridge.service import protocol as wire

from .conftest import DaemonProcess
from .test_ops import RGBA8, raw_request, stylize_header

pytestmark = pytest.mark.timeout(120)

FMT = {"width": 40, "height": 32, "channels": "RGBA", "dtype": "uint8"}
PIXELS = np.random.default_rng(1).integers(0, 256, (32, 40, 4), dtype=np.uint8).tobytes()
PARAMS = {"init": "network", "steps": 2, "size": 32}


def test_network_init_runs_with_a_model_style(daemon: DaemonProcess) -> None:
    with daemon.client(timeout_s=60) as client:
        out, fmt = client.stylize(
            PIXELS, FMT, PARAMS, path="optimize", style_names={"starry-night": 1.0}
        )
    assert fmt["width"] == 40 and len(out) == len(PIXELS)


@pytest.mark.parametrize(
    ("style", "message"),
    [
        ({"name": "vallotton-camille-mauclair"}, "cannot paint 'vallotton-camille-mauclair'"),
        ({"image": dict(RGBA8), "weight": 1.0}, "cannot paint a custom style image"),
    ],
)
def test_network_init_with_a_style_outside_the_model_is_refused_before_accepted(
    daemon: DaemonProcess, style: dict[str, Any], message: str
) -> None:
    header = stylize_header(path="optimize", params=PARAMS, styles=[style])
    frames = [bytes(128)] + ([bytes(128)] if "image" in style else [])
    events = raw_request(daemon, [wire.pack(header), *frames])
    assert [e[0]["event"] for e in events] == [wire.EVENT_ERROR]
    assert events[0][0]["error"]["code"] == "bad_parameter"
    assert message in events[0][0]["error"]["message"]
