"""docs/protocol.md and the daemon agree on the edges of request ids and of the result descriptor
(#13, "the document and the daemon disagree"), over the wire."""

from __future__ import annotations

import pytest
from stylebridge.service import protocol as wire

from .conftest import DaemonProcess
from .test_ops import RGBA8, raw_request

pytestmark = pytest.mark.timeout(120)


@pytest.mark.parametrize("request_id", [-(2**63), 2**63 - 1, 0, "", "x" * 128])
def test_ids_in_the_documented_range_are_echoed(
    daemon: DaemonProcess, request_id: int | str
) -> None:
    header = wire.request(wire.OP_PING, "unused")
    header["id"] = request_id
    events = raw_request(daemon, [wire.pack(header)])
    assert [(e[0]["event"], e[0]["id"]) for e in events] == [(wire.EVENT_REPLY, request_id)]


# Below -2**63 msgpack has no integer at all; 2**63 .. 2**64-1 are its uint64s.
@pytest.mark.parametrize("request_id", [2**63, 2**64 - 1, "x" * 129, 1.5, True])
def test_ids_outside_it_are_bad_request_with_a_nil_id(
    daemon: DaemonProcess, request_id: object
) -> None:
    header = wire.request(wire.OP_PING, "unused")
    header["id"] = request_id
    events = raw_request(daemon, [wire.pack(header)])
    assert len(events) == 1 and events[0][0]["event"] == wire.EVENT_ERROR, events
    assert events[0][0]["id"] is None
    assert events[0][0]["error"]["code"] == "bad_request"
    assert "-2**63 .. 2**63-1" in events[0][0]["error"]["message"]


def test_the_echo_result_is_the_input_descriptor_alone(daemon: DaemonProcess) -> None:
    header = wire.request(wire.OP_STYLIZE, "e", path="echo", image=dict(RGBA8), styles=[])
    events = raw_request(daemon, [wire.pack(header), bytes(128)])
    result = events[-1][0]
    assert result["event"] == wire.EVENT_RESULT, result
    assert result["image"] == {**RGBA8, "stride": 32, "transfer": "srgb"}
