"""Every op against a real daemon: answers, and error replies as carefully as successes."""

from __future__ import annotations

import math
from typing import Any

import pytest
from stylebridge.client import DaemonError
from stylebridge.service import protocol as wire

from .conftest import DaemonProcess

pytestmark = pytest.mark.timeout(120)

RGBA8 = {"width": 8, "height": 4, "channels": "RGBA", "dtype": "uint8"}


def raw_request(daemon: DaemonProcess, frames: list[bytes], timeout_s: float = 10.0) -> list[Any]:
    """Send raw frames on a fresh DEALER; return every event until the terminal one."""
    sock = daemon.dealer()
    try:
        sock.send_multipart(frames)
        events = []
        while True:
            assert sock.poll(int(timeout_s * 1000)), "no terminal event"
            reply = sock.recv_multipart()
            events.append([wire.unpack(reply[0]), *reply[1:]])
            if events[-1][0]["event"] in wire.TERMINAL_EVENTS:
                return events
    finally:
        sock.close()


def error_code(daemon: DaemonProcess, header: dict[str, Any], frames: list[bytes]) -> str:
    events = raw_request(daemon, [wire.pack(header), *frames])
    terminal = events[-1][0]
    assert terminal["event"] == wire.EVENT_ERROR, terminal
    assert terminal["error"]["message"]
    return terminal["error"]["code"]


def stylize_header(**overrides: Any) -> dict[str, Any]:
    header = wire.request(wire.OP_STYLIZE, "r1", path="echo", image=dict(RGBA8), params={})
    header.update(overrides)
    return header


def test_hello_negotiates_the_highest_common_version(daemon: DaemonProcess) -> None:
    with daemon.client() as client:
        reply = client.hello()
        assert reply["version"] == wire.PROTOCOL_VERSION
        assert reply["limits"]["max_side_px"] == 16384
        assert set(reply["ops"]) == set(wire.OPS)
        assert reply["paths"] == ["optimize", "network", "arbitrary", "echo"]
        with pytest.raises(DaemonError) as info:
            client.request(wire.OP_HELLO, versions=[99, 100])
        assert info.value.code == "unsupported_version"


def test_list_methods_carries_the_full_parameter_schema(daemon: DaemonProcess) -> None:
    with daemon.client() as client:
        reply = client.list_methods()
    names = {m["name"] for m in reply["methods"]}
    assert {"gram", "bn"} <= names
    specs = {s["name"]: s for s in reply["paths"]["optimize"]["parameters"]}
    assert specs["steps"]["kind"] == "int" and specs["steps"]["minimum"] == 1
    assert specs["optimizer"]["choices"] == ["lbfgs", "adam"]
    assert "device" not in specs  # the daemon chooses the device


def test_list_styles_of_the_library_have_jpeg_thumbnails(daemon: DaemonProcess) -> None:
    with daemon.client() as client:
        styles = client.list_styles(path="optimize")
    assert len(styles) >= 10
    starry = next(s for s in styles if s["name"] == "starry-night")
    assert starry["source"] == "library" and starry["label"] == "Starry Night"
    labels = {s["name"]: s["label"] for s in styles}  # the dialogs' titles, not "Composition vii"
    assert labels["composition-vii"] == "Composition VII", labels
    assert labels["great-wave-off-kanagawa"] == "Great Wave off Kanagawa", labels
    assert isinstance(starry["thumbnail"], bytes) and starry["thumbnail"][:2] == b"\xff\xd8"


def test_echo_returns_the_pixels_and_format(daemon: DaemonProcess) -> None:
    image = bytes(range(128))
    with daemon.client() as client:
        out, fmt = client.stylize(image, RGBA8, {}, path="echo")
    assert out == image and fmt["stride"] == 32 and fmt["channels"] == "RGBA"


@pytest.mark.parametrize(
    ("header", "frames", "code"),
    [
        ({"op": "nope", "id": "x"}, [], "unknown_op"),
        ({"id": "x"}, [], "unknown_op"),
        ({"op": "ping", "id": "x", "v": 7}, [], "unsupported_version"),
        ({"op": "ping", "id": ["list"]}, [], "bad_request"),
        ({"op": "ping", "id": "x", "extra": 1}, [], "bad_request"),
        ({"op": "ping", "id": "x"}, [b"stray frame"], "bad_request"),
        ({"op": "cancel", "id": "x", "job": "nonexistent"}, [], "unknown_job"),
        ({"op": "cancel", "id": "x", "job": 5}, [], "bad_request"),
        ({"op": "list_styles", "id": "x", "path": "elsewhere"}, [], "unknown_method"),
        ({"op": "list_styles", "id": "x", "model": "../../etc/passwd"}, [], "unknown_model"),
        ({"op": "list_styles", "id": "x", "model": "missing"}, [], "unknown_model"),
    ],
)
def test_bad_requests_get_one_error_with_its_code(
    daemon: DaemonProcess, header: dict[str, Any], frames: list[bytes], code: str
) -> None:
    assert error_code(daemon, header, frames) == code


@pytest.mark.parametrize(
    ("overrides", "frames", "code"),
    [
        ({}, [bytes(127)], "bad_pixels"),  # one byte short
        ({}, [bytes(128), bytes(32)], "bad_pixels"),  # a frame too many
        ({}, [], "bad_pixels"),
        ({"image": {**RGBA8, "width": -8}}, [bytes(128)], "bad_pixels"),
        ({"image": {**RGBA8, "width": 0}}, [bytes(0)], "bad_pixels"),
        ({"image": {**RGBA8, "width": 8.0}}, [bytes(128)], "bad_pixels"),
        ({"image": {**RGBA8, "dtype": "int64"}}, [bytes(128)], "bad_pixels"),
        ({"image": {**RGBA8, "stride": 31}}, [bytes(124)], "bad_pixels"),
        ({"image": {**RGBA8, "width": 20000}}, [bytes(128)], "too_large"),
        ({"image": "RGBA8"}, [bytes(128)], "bad_pixels"),
        ({"path": "teleport"}, [bytes(128)], "unknown_method"),
        ({"mask": {"width": 8, "height": 4}}, [bytes(128), bytes(31)], "bad_pixels"),
        ({"mask": {"width": 4, "height": 4}}, [bytes(128), bytes(16)], "bad_pixels"),
        ({"styles": [{"name": "x", "weight": math.nan}]}, [bytes(128)], "bad_request"),
        ({"styles": [{"name": "x", "weight": math.inf}]}, [bytes(128)], "bad_request"),
        ({"styles": [{"name": "x", "weight": -1.0}]}, [bytes(128)], "bad_request"),
        ({"styles": "starry-night"}, [bytes(128)], "bad_request"),
        ({"styles": [{"name": "a", "image": dict(RGBA8)}]}, [bytes(128)], "bad_request"),
        ({"preview": "yes"}, [bytes(128)], "bad_request"),
        ({"params": [1, 2]}, [bytes(128)], "bad_request"),
    ],
)
def test_bad_stylize_requests_are_refused_before_any_work(
    daemon: DaemonProcess, overrides: dict[str, Any], frames: list[bytes], code: str
) -> None:
    assert error_code(daemon, stylize_header(**overrides), frames) == code


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"steps": math.nan}, "bad_parameter"),
        ({"steps": -3}, "bad_parameter"),
        ({"style_weight": math.inf}, "bad_parameter"),
        ({"teleport": 1}, "bad_parameter"),
        ({"device": "cuda"}, "bad_parameter"),
        ({"init": "/etc/passwd"}, "bad_parameter"),
        ({"optimizer": "sgd"}, "bad_parameter"),
    ],
)
def test_bad_optimize_parameters_are_refused(
    daemon: DaemonProcess, params: dict[str, Any], code: str
) -> None:
    header = stylize_header(path="optimize", params=params, styles=[{"name": "starry-night"}])
    assert error_code(daemon, header, [bytes(128)]) == code


def test_unknown_library_style_is_refused_before_accept(daemon: DaemonProcess) -> None:
    header = stylize_header(path="optimize", params={"steps": 1}, styles=[{"name": "nope"}])
    events = raw_request(daemon, [wire.pack(header), bytes(128)])
    assert [e[0]["event"] for e in events] == [wire.EVENT_ERROR]
    assert events[-1][0]["error"]["code"] == "unknown_style"


def test_status_reports_device_queue_and_models(daemon: DaemonProcess) -> None:
    with daemon.client() as client:
        status = client.status()
    assert status["devices"] == ["cpu"] and status["queued"] == 0
    assert isinstance(status["models"], list) and status["endpoint"] == daemon.endpoint
