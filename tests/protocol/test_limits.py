"""Resource limits on a real daemon: memory estimates before `accepted`, queue limits per client
and in bytes, the per-job time limit. Memory-hungry daemons run under `prlimit --as`, so a
failing limit fails the test instead of hurting the machine."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from stylebridge.service import protocol as wire

from .conftest import DaemonProcess, start_daemon

pytestmark = pytest.mark.timeout(300)

IDLE_DAEMON_VM_BYTES = 3_400_000_000  # measured: virtual size of an idle daemon (torch loaded)
LONG = {"steps": 10000, "size": 48, "optimizer": "adam"}
TIME_LIMIT_S = 6


def vm_peak_rss_bytes(daemon: DaemonProcess) -> int:
    """The daemon's peak resident size (VmHWM)."""
    return daemon.memory_bytes("VmHWM")


class RawClient:
    """A DEALER that sends stylize requests without waiting, and reads events by request id."""

    def __init__(self, daemon: DaemonProcess) -> None:
        self.socket = daemon.dealer()

    def send(self, fields: dict[str, Any], frames: list[bytes]) -> str:
        request_id = uuid.uuid4().hex
        header = wire.request(wire.OP_STYLIZE, request_id, **fields)
        self.socket.send_multipart([wire.pack(header), *frames])
        return request_id

    def first_events(self, ids: list[str], timeout_s: float = 30.0) -> dict[str, dict[str, Any]]:
        """The first event of every request in `ids`."""
        first: dict[str, dict[str, Any]] = {}
        deadline = time.monotonic() + timeout_s
        while len(first) < len(ids) and self.socket.poll(int((deadline - time.monotonic()) * 1e3)):
            header = wire.unpack(self.socket.recv_multipart()[0])
            first.setdefault(header["id"], header)
        return first

    def terminal(self, request_id: str, timeout_s: float) -> dict[str, Any]:
        """The terminal event of `request_id`."""
        deadline = time.monotonic() + timeout_s
        while self.socket.poll(max(1, int((deadline - time.monotonic()) * 1e3))):
            header = wire.unpack(self.socket.recv_multipart()[0])
            if header["id"] == request_id and header["event"] in wire.TERMINAL_EVENTS:
                return header
            if time.monotonic() > deadline:
                break
        raise AssertionError(f"no terminal event for {request_id} within {timeout_s} s")

    def close(self) -> None:
        self.socket.close(linger=0)


def echo_fields(size_px: int) -> tuple[dict[str, Any], list[bytes]]:
    fmt = {"width": size_px, "height": size_px, "channels": "RGBA", "dtype": "uint8"}
    return {"path": "echo", "image": fmt}, [bytes(size_px * size_px * 4)]


def long_job() -> tuple[dict[str, Any], list[bytes]]:
    fields, frames = echo_fields(32)
    styles = [{"name": "starry-night", "weight": 1.0}]
    return {**fields, "path": "optimize", "styles": styles, "params": LONG}, frames


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonProcess]:
    """A daemon with a 3 MB queued-bytes limit and a short per-job time limit."""
    home = tmp_path_factory.mktemp("limited") / "home"
    home.mkdir()
    env = {"STYLEBRIDGE_MAX_QUEUED_BYTES": "3000000", "STYLEBRIDGE_JOB_TIME_LIMIT_S": "6"}
    running = start_daemon(home, None, "--benchmark-ops", env=env)
    yield running
    running.stop()


def occupy_worker(raw: RawClient) -> str:
    """Start a long job and wait until it runs, so that later jobs stay queued."""
    request_id = raw.send(*long_job())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and raw.socket.poll(60_000):
        header = wire.unpack(raw.socket.recv_multipart()[0])
        if header.get("state") == wire.STATE_RUNNING:
            return request_id
    raise AssertionError("the long job never ran")


def test_a_job_over_the_time_limit_ends_with_time_limit(limited: DaemonProcess) -> None:
    raw = RawClient(limited)
    try:
        started = time.monotonic()
        request_id = occupy_worker(raw)
        end = raw.terminal(request_id, timeout_s=60)
        assert end["error"]["code"] == "time_limit", end
        assert "6 s" in end["error"]["message"]
        assert time.monotonic() - started < 45
    finally:
        raw.close()
    with limited.client() as client:
        assert client.hello()["limits"]["job_time_limit_s"] == TIME_LIMIT_S


def test_one_client_filling_its_share_does_not_make_others_busy(limited: DaemonProcess) -> None:
    owner, greedy, other = (RawClient(limited) for _ in range(3))
    try:
        occupy_worker(owner)
        ids = [greedy.send(*echo_fields(8)) for _ in range(65)]
        events = greedy.first_events(ids)
        kinds = [events[i]["event"] for i in ids]
        assert kinds[:64] == ["accepted"] * 64
        assert events[ids[64]]["error"]["code"] == "busy"
        assert "per client" in events[ids[64]]["error"]["message"]
        other_id = other.send(*echo_fields(8))
        assert other.first_events([other_id])[other_id]["event"] == "accepted"
    finally:
        for raw in (owner, greedy, other):
            raw.close()


def test_queued_pixel_bytes_are_limited(limited: DaemonProcess) -> None:
    owner, sender = RawClient(limited), RawClient(limited)
    try:
        occupy_worker(owner)
        ids = [sender.send(*echo_fields(512)) for _ in range(3)]  # 1 MiB each
        events = sender.first_events(ids)
        assert [events[i]["event"] for i in ids[:2]] == ["accepted", "accepted"]
        refused = events[ids[2]]["error"]
        assert refused["code"] == "busy" and "3000000 bytes" in refused["message"]
    finally:
        owner.close()
        sender.close()
    with limited.client() as client:
        assert client.ping()


@pytest.fixture(scope="module")
def memory_limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonProcess]:
    """A daemon inside a 5 GB address-space limit (about 1.6 GB above an idle one)."""
    home = tmp_path_factory.mktemp("memory") / "home"
    home.mkdir()
    limit = ("prlimit", f"--as={IDLE_DAEMON_VM_BYTES + 1_600_000_000}")
    running = start_daemon(home, None, "--benchmark-ops", wrapper=limit)
    yield running
    running.stop()


def custom_style_job(side_px: int) -> tuple[dict[str, Any], list[bytes]]:
    fields, frames = echo_fields(32)
    style = {"width": side_px, "height": side_px, "channels": "RGBA", "dtype": "uint8"}
    # init "content": from the arbitrary path's start (what "auto" takes for a custom style) one
    # Adam step of lr 0.02 on every pixel may not lower the loss, and the guard says so.
    params = {"steps": 1, "size": 32, "optimizer": "adam", "init": "content"}
    fields = {**fields, "path": "optimize", "params": params}
    fields["styles"] = [{"image": style, "weight": 1.0}]
    pattern = bytes(range(256)) * (side_px * side_px * 4 // 256)
    return fields, [*frames, pattern]


def test_a_huge_custom_style_frame_is_decoded_at_the_size_used(
    memory_limited: DaemonProcess,
) -> None:
    raw = RawClient(memory_limited)
    try:
        control = raw.terminal(raw.send(*custom_style_job(64)), timeout_s=120)
        assert control["event"] == "result", control
        before = vm_peak_rss_bytes(memory_limited)
        end = raw.terminal(raw.send(*custom_style_job(4096)), timeout_s=120)  # a 64 MiB frame
        assert end["event"] == "result", end
        growth = vm_peak_rss_bytes(memory_limited) - before
    finally:
        raw.close()
    print(f"peak RSS grew {growth / 2**20:.0f} MiB for a 64 MiB style frame")
    assert growth < 250 * 2**20  # decoding it at full size as floats takes over 700 MiB


def test_a_tiny_image_asking_for_a_huge_network_size_is_refused_before_accepted(
    memory_limited: DaemonProcess,
) -> None:
    with memory_limited.client() as client:
        style = client.list_styles()[0]["name"]
    fields, frames = echo_fields(8)
    fields = {**fields, "path": "network", "styles": [{"name": style}]}
    raw = RawClient(memory_limited)
    try:
        request_id = raw.send({**fields, "params": {"size_px": 16384}}, frames)
        first = raw.first_events([request_id])[request_id]
        assert first["event"] == "error", first
        assert first["error"]["code"] == "too_large"
        message = first["error"]["message"]
        largest = int(message.rsplit("the largest size_px that fits now is ", 1)[1])
        assert 256 <= largest < 16384
        # The size it names does fit: the job runs and the daemon stays inside its limit.
        request_id = raw.send({**fields, "params": {"size_px": largest}}, frames)
        end = raw.terminal(request_id, timeout_s=240)
        assert end["event"] == "result", end
    finally:
        raw.close()
    assert memory_limited.process.poll() is None
    print(f"daemon peak RSS {vm_peak_rss_bytes(memory_limited) / 2**20:.0f} MiB at {largest} px")
    with memory_limited.client() as client:
        assert client.ping()


@pytest.fixture(scope="module")
def unread_limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonProcess]:
    """A daemon that keeps at most 20 MB of results for clients that do not read."""
    home = tmp_path_factory.mktemp("unread") / "home"
    home.mkdir()
    limit = ("prlimit", f"--as={IDLE_DAEMON_VM_BYTES + 1_600_000_000}")
    env = {"STYLEBRIDGE_MAX_UNREAD_BYTES": "20000000"}
    running = start_daemon(home, None, "--benchmark-ops", env=env, wrapper=limit)
    yield running
    running.stop()


def test_results_kept_for_a_client_that_does_not_read_are_bounded(
    unread_limited: DaemonProcess,
) -> None:
    fields, frames = echo_fields(1448)
    with unread_limited.client() as client:  # warm up, then measure from here
        client.stylize(frames[0], fields["image"], {}, path="echo")
    before = vm_peak_rss_bytes(unread_limited)
    # Its own side takes almost nothing off the wire.
    sleeper = unread_limited.dealer(RCVHWM=1, RCVBUF=65536)
    raw = RawClient.__new__(RawClient)
    raw.socket = sleeper
    try:
        ids = [raw.send(*echo_fields(1448)) for _ in range(40)]  # 8 MiB each
        time.sleep(8)  # every job ends while the client reads nothing
        growth = vm_peak_rss_bytes(unread_limited) - before
        ends = {i: raw.terminal(i, timeout_s=30) for i in ids}
    finally:
        raw.close()
    codes = [e["event"] if e["event"] == "result" else e["error"]["code"] for e in ends.values()]
    print(f"peak RSS grew {growth / 2**20:.0f} MiB; terminal events {sorted(set(codes))}")
    assert set(codes) <= {"result", "result_dropped"} and "result_dropped" in codes
    assert growth < 150 * 2**20  # holding all 40 results took over 330 MiB
    log = (unread_limited.home / "log" / "daemon.log").read_text()
    assert 1 <= log.count("is not reading") <= 3
