"""`out_of_memory` and `internal` over the wire, from real limits the kernel enforces on a running
daemon (prlimit(2) on its pid): no code inside the daemon is replaced. Each limit is lifted again
and the daemon must go on serving."""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import zmq
from stylebridge.service import protocol as wire

from .conftest import DaemonProcess, start_daemon

pytestmark = pytest.mark.timeout(400)

HEADROOM_BYTES = 16 * 2**20  # address space left to a daemon after its limit is lowered


@pytest.fixture
def fresh_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonProcess]:
    """A daemon of its own: nothing imported or cached by earlier requests."""
    home = tmp_path_factory.mktemp("resources") / "home"
    home.mkdir()
    running = start_daemon(home)
    yield running
    running.stop()


@contextmanager
def limited(daemon: DaemonProcess, kind: int, soft: int) -> Iterator[None]:
    """The running daemon's soft limit `kind` (resource.RLIMIT_*) lowered to `soft`, then back."""
    before = resource.prlimit(daemon.process.pid, kind)
    resource.prlimit(daemon.process.pid, kind, (soft, before[1]))
    try:
        yield
    finally:
        resource.prlimit(daemon.process.pid, kind, before)


def wait_for(sock: zmq.Socket, wanted: Callable[[dict[str, Any]], bool], timeout_s: float) -> dict:
    """The first event on `sock` that `wanted` accepts."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if sock.poll(1000):
            header = wire.unpack(sock.recv_multipart()[0])
            if wanted(header):
                return header
    raise AssertionError(f"no such event within {timeout_s} s")


def is_terminal(header: dict[str, Any]) -> bool:
    return header["event"] in wire.TERMINAL_EVENTS


def rgb(side_px: int) -> tuple[dict[str, Any], bytes]:
    fmt = {"width": side_px, "height": side_px, "channels": "RGB", "dtype": "uint8"}
    return fmt, bytes(side_px * side_px * 3)


def test_a_job_that_meets_the_memory_limit_ends_with_out_of_memory(
    fresh_daemon: DaemonProcess,
) -> None:
    sock = fresh_daemon.dealer()
    try:
        # A long optimization holds the worker while the next job is accepted with memory to
        # spare; then the address space is cut to what the daemon already has, plus 16 MiB.
        fmt, data = rgb(48)
        long = wire.request(
            wire.OP_STYLIZE, "long", path="optimize", image=fmt,
            styles=[{"name": "starry-night"}],
            params={"steps": 10000, "size": 48, "optimizer": "adam"},
        )  # fmt: skip
        sock.send_multipart([wire.pack(long), data])
        running = wait_for(sock, lambda h: h.get("step", 0) >= 1, timeout_s=180)
        with fresh_daemon.client() as client:
            style = client.list_styles()[0]["name"]
        fmt, data = rgb(64)
        big = wire.request(
            wire.OP_STYLIZE, "big", path="network", image=fmt, styles=[{"name": style}],
            params={"size_px": 2048},  # a 48 MiB working image, and more for the network
        )  # fmt: skip
        sock.send_multipart([wire.pack(big), data])
        first = wait_for(sock, lambda h: h.get("id") == "big", timeout_s=60)
        assert first["event"] == wire.EVENT_ACCEPTED, first  # it fitted when it was accepted
        cut = fresh_daemon.memory_bytes("VmSize") + HEADROOM_BYTES
        with limited(fresh_daemon, resource.RLIMIT_AS, cut):
            sock.send_multipart([wire.pack(wire.request(wire.OP_CANCEL, "c", job=running["job"]))])
            end = wait_for(sock, lambda h: h.get("id") == "big" and is_terminal(h), timeout_s=240)
    finally:
        sock.close()
    assert end["event"] == wire.EVENT_ERROR, end
    assert end["error"]["code"] == "out_of_memory", end
    assert "lower the size" in end["error"]["message"]
    with fresh_daemon.client() as client:
        assert client.ping()


def test_an_unexpected_failure_is_internal_with_the_traceback_in_the_log(
    fresh_daemon: DaemonProcess,
) -> None:
    sock = fresh_daemon.dealer()
    fmt, data = rgb(32)
    job = wire.request(
        wire.OP_STYLIZE, "job", path="optimize", image=fmt, styles=[{"name": "starry-night"}],
        params={"steps": 2, "size": 32},
    )  # fmt: skip
    try:
        sock.send_multipart([wire.pack(wire.request(wire.OP_PING, "ping"))])
        wait_for(sock, lambda h: h.get("id") == "ping", timeout_s=30)  # connected
        # No file descriptor left: the first optimization's lazy imports and weights cannot open.
        open_now = len(os.listdir(f"/proc/{fresh_daemon.process.pid}/fd"))
        with limited(fresh_daemon, resource.RLIMIT_NOFILE, open_now):
            sock.send_multipart([wire.pack(job), data])
            end = wait_for(sock, is_terminal, timeout_s=120)
        assert end["event"] == wire.EVENT_ERROR, end
        assert end["error"] == {"code": "internal", "message": "internal error, see the daemon log"}
        log = (fresh_daemon.home / "log" / "daemon.log").read_text()
        assert "Too many open files" in log and "Traceback" in log
        sock.send_multipart([wire.pack(job), data])  # the same job, with files to open
        again = wait_for(sock, is_terminal, timeout_s=180)
        assert again["event"] == wire.EVENT_RESULT, again
    finally:
        sock.close()
