"""1,040 malformed requests: each gets exactly one terminal event; the daemon still serves."""

from __future__ import annotations

import math
from typing import Any

import msgpack
import pytest
import zmq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stylebridge.service import protocol as wire

from .conftest import DaemonProcess

pytestmark = pytest.mark.timeout(170)

FUZZ = settings(
    max_examples=260,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**64 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, math.inf, -math.inf, -1, 0, 2**40]),
    st.text(max_size=20),
    st.binary(max_size=20),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
names = st.sampled_from(["width", "height", "channels", "dtype", "stride", "transfer", "x"])
descriptors = st.dictionaries(names, values, max_size=6) | st.fixed_dictionaries(
    {
        "width": st.integers(-5, 20000) | values,
        "height": st.integers(-5, 40),
        "channels": st.sampled_from(["RGB", "RGBA", "BGR", "BGRA", "XYZ", ""]),
        "dtype": st.sampled_from(["uint8", "uint16", "float16", "float32", "int8"]),
        "stride": st.integers(-1, 200) | values,
    }
)
ops = st.sampled_from([op for op in wire.OPS if op != wire.OP_SHUTDOWN] + ["", "nope"]) | values
stylize_headers = st.fixed_dictionaries(
    {"op": st.just("stylize"), "id": st.text(max_size=8)},
    optional={
        "path": st.sampled_from(["optimize", "network", "echo", "x"]) | values,
        "image": descriptors | values,
        "mask": st.fixed_dictionaries({"width": values, "height": values}) | values,
        "styles": st.lists(
            st.fixed_dictionaries(
                {}, optional={"name": values, "weight": values, "image": descriptors}
            ),
            max_size=3,
        )
        | values,
        "params": st.dictionaries(
            st.sampled_from(["steps", "size", "method", "init", "device", "tile_px", "q"]),
            values,
            max_size=3,
        )
        | values,
        "preview": values,
        "model": values,
        "v": values,
    },
)
other_headers = st.fixed_dictionaries(
    {"op": ops},
    optional={"id": values, "v": values, "job": values, "versions": values, "path": values},
)
frames = st.lists(st.binary(max_size=300), max_size=4)


def exchange(sock: zmq.Socket, parts: list[Any]) -> None:
    """Send one request; expect exactly one terminal event (maybe after accepted/progress)."""
    sock.send_multipart(parts)
    while True:
        assert sock.poll(20_000), f"no terminal event for {parts[0][:80]!r}"
        header = wire.unpack(sock.recv_multipart()[0])
        assert header["v"] == wire.PROTOCOL_VERSION
        if header["event"] in wire.TERMINAL_EVENTS:
            if header["event"] == wire.EVENT_ERROR:
                assert header["error"]["code"] in wire.ERROR_CODES
            return


@pytest.fixture(scope="module")
def dealer(daemon: DaemonProcess) -> Any:
    sock = daemon.dealer()
    yield sock
    sock.close()


@FUZZ
@given(header=st.binary(max_size=200), extra=frames)
def test_garbage_headers(dealer: zmq.Socket, header: bytes, extra: list[bytes]) -> None:
    exchange(dealer, [header, *extra])


@FUZZ
@given(header=values, extra=frames)
def test_any_msgpack_value_as_header(dealer: zmq.Socket, header: Any, extra: list[bytes]) -> None:
    exchange(dealer, [msgpack.packb(header), *extra])


@FUZZ
@given(header=other_headers, extra=frames)
def test_malformed_ops(dealer: zmq.Socket, header: dict, extra: list[bytes]) -> None:
    exchange(dealer, [msgpack.packb(header), *extra])


@FUZZ
@given(header=stylize_headers, extra=frames)
def test_malformed_stylize(dealer: zmq.Socket, header: dict, extra: list[bytes]) -> None:
    exchange(dealer, [msgpack.packb(header), *extra])


def test_a_valid_request_succeeds_after_the_fuzzing(daemon: DaemonProcess) -> None:
    fmt = {"width": 2, "height": 2, "channels": "RGB", "dtype": "uint8"}
    with daemon.client() as client:
        assert client.ping()
        assert client.stylize(bytes(range(12)), fmt, {}, path="echo")[0] == bytes(range(12))
        assert client.status()["queued"] == 0
