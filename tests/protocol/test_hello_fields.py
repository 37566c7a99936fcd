"""`hello` checks its fields as docs/protocol.md states them (`client` a string, at most 32
`versions`, each limit named) and announces the fair-sharing slice with the other limits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from stylebridge.service import protocol as wire

from .conftest import DaemonProcess, start_daemon
from .test_ops import raw_request

pytestmark = pytest.mark.timeout(300)
SLICE_S = 7  # not the default (30): the reply must carry the daemon's own setting


@pytest.fixture(scope="module")
def sliced_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonProcess]:
    home = tmp_path_factory.mktemp("hello") / "home"
    home.mkdir()
    running = start_daemon(home, None, env={"STYLEBRIDGE_JOB_SLICE_S": str(SLICE_S)})
    yield running
    running.stop()


def hello(daemon: DaemonProcess, **fields: Any) -> dict[str, Any]:
    events = raw_request(daemon, [wire.pack(wire.request(wire.OP_HELLO, "h", **fields))], 60.0)
    assert len(events) == 1, events
    return events[0][0]


def test_hello_announces_the_job_slice_with_the_limits(sliced_daemon: DaemonProcess) -> None:
    limits = hello(sliced_daemon, versions=[1], client="test")["limits"]
    assert limits["job_slice_s"] == SLICE_S
    assert limits["job_time_limit_s"] == wire.Limits().job_time_limit_s


@pytest.mark.parametrize("client", [7, b"krita", ["krita"], "", "k" * 257])
def test_hello_refuses_a_client_that_is_not_a_short_string(
    sliced_daemon: DaemonProcess, client: Any
) -> None:
    error = hello(sliced_daemon, versions=[1], client=client)["error"]
    assert error["code"] == "bad_request" and "'client'" in error["message"]


def test_more_than_32_versions_are_refused_naming_the_limit(sliced_daemon: DaemonProcess) -> None:
    error = hello(sliced_daemon, versions=[1] * 33)["error"]
    assert error["code"] == "bad_request" and "32" in error["message"], error
    assert hello(sliced_daemon, versions=[1] * 32)["version"] == 1
    error = hello(sliced_daemon, versions="1")["error"]
    assert error["code"] == "bad_request" and "list of integers" in error["message"]
