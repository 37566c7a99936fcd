"""Errors the daemon can find before queueing come as the only event, never after `accepted`."""

from __future__ import annotations

from typing import Any

import pytest
from stylebridge.service import protocol as wire

from .conftest import DaemonProcess
from .test_ops import RGBA8, raw_request

pytestmark = pytest.mark.timeout(120)

CUSTOM = {"image": dict(RGBA8), "weight": 1.0}


def only_error(daemon: DaemonProcess, header: dict[str, Any], frames: list[bytes]) -> str:
    """The code of the one error event the request gets (no `accepted` before it)."""
    events = raw_request(daemon, [wire.pack(header), *frames], timeout_s=30.0)
    assert [e[0]["event"] for e in events] == [wire.EVENT_ERROR], events
    return events[0][0]["error"]["code"]


def network_style(daemon: DaemonProcess) -> str:
    with daemon.client() as client:
        return client.list_styles(path="network")[0]["name"]


def header(path: str, styles: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    fields.setdefault("params", {})
    fields.setdefault("image", dict(RGBA8))
    return wire.request(wire.OP_STYLIZE, "r1", path=path, styles=styles, **fields)


@pytest.mark.parametrize(
    ("path", "styles", "fields", "code"),
    [
        ("network", [{"name": "STYLE", "weight": 0.0}], {}, "bad_request"),
        ("network", [], {}, "bad_request"),
        ("network", [CUSTOM], {}, "bad_request"),
        ("network", [{"name": "no-such-style"}], {}, "unknown_style"),
        ("network", [{"name": "STYLE"}], {"model": "absent"}, "unknown_model"),
        ("network", [{"name": "STYLE"}], {"params": {"picture_px": 4}}, "bad_parameter"),
        ("optimize", [], {"params": {"steps": 1}}, "bad_request"),
        ("optimize", [{"name": "starry-night", "weight": 0.0}], {}, "bad_request"),
        ("optimize", [{"name": "no-such-style"}], {}, "unknown_style"),
        ("optimize", [{"name": "starry-night"}], {"params": {"method": "nope"}}, "unknown_method"),
        (
            "optimize",
            [{"name": "starry-night"}],
            {"params": {"method": "gram=0"}},
            "unknown_method",
        ),
    ],
)
def test_errors_found_before_queueing_come_without_accepted(
    daemon: DaemonProcess,
    path: str,
    styles: list[dict[str, Any]],
    fields: dict[str, Any],
    code: str,
) -> None:
    named = network_style(daemon)
    styles = [{**s, "name": named} if s.get("name") == "STYLE" else s for s in styles]
    frames = [bytes(128)] + [bytes(128) for s in styles if "image" in s]
    assert only_error(daemon, header(path, styles, **fields), frames) == code


@pytest.mark.parametrize(
    ("width", "height", "params"),
    [
        (64, 1, {"steps": 1}),  # 1x64 at size 512 is 8x512
        (100, 3, {"steps": 1, "size": 64}),  # 64x2
        (64, 32, {"steps": 1, "size": 64, "scales": 3}),  # the first scale is 16x8
    ],
)
def test_thin_images_on_the_optimize_path_are_bad_pixels_before_any_work(
    daemon: DaemonProcess, width: int, height: int, params: dict[str, Any]
) -> None:
    image = {**RGBA8, "width": width, "height": height}
    request = header("optimize", [{"name": "starry-night"}], params=params, image=image)
    events = raw_request(daemon, [wire.pack(request), bytes(width * height * 4)])
    assert [e[0]["event"] for e in events] == [wire.EVENT_ERROR]
    error = events[0][0]["error"]
    assert error["code"] == "bad_pixels" and "at least 16 px" in error["message"]


def test_a_thin_custom_style_is_bad_pixels_too(daemon: DaemonProcess) -> None:
    style = {"image": {**RGBA8, "width": 400, "height": 2}}
    request = header("optimize", [style], params={"steps": 1, "size": 64})
    events = raw_request(daemon, [wire.pack(request), bytes(128), bytes(400 * 2 * 4)])
    assert [e[0]["event"] for e in events] == [wire.EVENT_ERROR]
    assert events[0][0]["error"]["code"] == "bad_pixels"
    assert "style image 1" in events[0][0]["error"]["message"]


def test_the_memory_check_sees_the_size_a_preset_sets() -> None:
    from stylebridge.core.network_memory import INPUT_BYTES_PER_PX
    from stylebridge.core.resources import estimate_memory_bytes
    from stylebridge.service.admission import check_admission
    from stylebridge.service.path_parameters import checked_params
    from stylebridge.service.precheck import effective_values
    from stylebridge.service.protocol import Limits, ProtocolError
    from stylebridge.service.requests import parse_stylize

    layer = {**RGBA8, "width": 1024, "height": 1024}  # larger than the preset's size
    request = header("optimize", [{"name": "starry-night"}], params={"preset": "fine"}, image=layer)
    spec = parse_stylize(request, [1024 * 1024 * 4], Limits())
    values = checked_params(spec.path, spec.params, spec.styles)
    # CPU "fine" runs at 768 px; the filled-in default size is 512 px.
    decoded = INPUT_BYTES_PER_PX * 1024 * 1024
    between = (estimate_memory_bytes(512, 512, "lbfgs", 1) + decoded + 1e6) / 0.8 + 2**20
    assert estimate_memory_bytes(768, 768, "lbfgs", 1) + decoded > 0.8 * between
    check_admission(spec, values, ("cpu",), free=lambda _: int(between))  # the old, wrong figure
    with pytest.raises(ProtocolError) as info:
        effective = effective_values(spec, values, ("cpu",))
        check_admission(spec, effective, ("cpu",), free=lambda _: int(between))
    assert info.value.code == "too_large" and "size 768" in info.value.message
