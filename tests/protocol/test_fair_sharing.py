"""Time slicing on a real daemon (#12): a long optimization yields its turn to another client's
short job at a step boundary, then resumes and finishes every step it was asked for; a parked job
shows in `status` as queued with its progress, and can be cancelled there."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
import torch
import zmq
from stylebridge.core.model_file import ModelMetadata, save_model, thumbnail_base64
from stylebridge.core.transformer import StyleNetwork
from stylebridge.service import protocol as wire

from .conftest import DaemonProcess, start_daemon

pytestmark = pytest.mark.timeout(600)

SIDE_PX = 32
SLICE_S = 1
LONG_STEPS = 300  # 32 px L-BFGS on the CPU: seconds on an idle machine, about 25 s on a loaded one
JOB_TIMEOUT_S = 400.0  # generous: the machine may be loaded


@pytest.fixture(scope="module")
def sliced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonProcess]:
    """A daemon slicing turns at 1 s, with a tiny random network model `tiny`."""
    home = tmp_path_factory.mktemp("sliced") / "home"
    torch.manual_seed(0)
    network = StyleNetwork(1, width=0.125).eval()
    thumbs = {"ink": thumbnail_base64(torch.rand(1, 3, 16, 16))}
    save_model(
        home / "data" / "models" / "tiny.safetensors",
        network,
        ModelMetadata(("ink",), 0.125, thumbs),
    )
    env = {"STYLEBRIDGE_JOB_SLICE_S": str(SLICE_S), "STYLEBRIDGE_DEVICE": "cpu"}  # CPU timing
    running = start_daemon(home, None, env=env)
    yield running
    running.stop()


def photo(seed: int) -> bytes:
    return np.random.default_rng(seed).integers(0, 256, (SIDE_PX, SIDE_PX, 4), np.uint8).tobytes()


IMAGE = {"width": SIDE_PX, "height": SIDE_PX, "channels": "RGBA", "dtype": "uint8"}


def optimization(steps: int) -> dict[str, Any]:
    params = {"steps": steps, "size": SIDE_PX, "optimizer": "lbfgs"}
    styles = [{"name": "starry-night", "weight": 1.0}]
    return {"path": "optimize", "image": IMAGE, "styles": styles, "params": params}


NETWORK_JOB = {"path": "network", "model": "tiny", "image": IMAGE, "styles": [{"name": "ink"}]}


@dataclass
class Peer:
    """One client (its own DEALER, so its own ROUTER identity) and the events it received."""

    socket: zmq.Socket
    events: list[tuple[float, dict[str, Any], list[bytes]]] = field(default_factory=list)

    def send(self, fields: dict[str, Any], image: bytes) -> None:
        header = wire.request(wire.OP_STYLIZE, uuid.uuid4().hex, **fields)
        self.socket.send_multipart([wire.pack(header), image])

    def receive(self, timeout_s: float) -> None:
        """Read whatever arrives within `timeout_s`."""
        if self.socket.poll(int(timeout_s * 1000)):
            while self.socket.poll(0):
                header, *frames = self.socket.recv_multipart()
                self.events.append((time.monotonic(), wire.unpack(header), frames))

    def terminal(self) -> tuple[float, dict[str, Any], list[bytes]] | None:
        ends = [e for e in self.events if e[1]["event"] in wire.TERMINAL_EVENTS]
        assert len(ends) <= 1, ends  # exactly one terminal event per request
        return ends[0] if ends else None

    def progress(self) -> list[dict[str, Any]]:
        return [header for _, header, _ in self.events if header["event"] == "progress"]

    def wait_until(self, done: Any, timeout_s: float = JOB_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while not done() and time.monotonic() < deadline:
            self.receive(0.05)
        assert done(), self.events[-3:]


def wait_all(peers: list[Peer], timeout_s: float = JOB_TIMEOUT_S) -> None:
    """Read all peers until each has its terminal event."""
    deadline = time.monotonic() + timeout_s
    while any(p.terminal() is None for p in peers) and time.monotonic() < deadline:
        for peer in peers:
            peer.receive(0.02)
    assert all(p.terminal() is not None for p in peers), [p.events[-2:] for p in peers]


@pytest.fixture
def peers(sliced: DaemonProcess) -> Iterator[list[Peer]]:
    made = [Peer(sliced.dealer()) for _ in range(2)]
    yield made
    for peer in made:
        peer.socket.close(linger=0)


def assert_changed_result(end: tuple[float, dict[str, Any], list[bytes]], source: bytes) -> None:
    _, header, frames = end
    assert header["event"] == "result", header
    assert header["image"]["width"] == SIDE_PX and header["image"]["height"] == SIDE_PX
    assert len(frames[0]) == len(source)
    assert frames[0] != source  # not the untouched photo


def running_steps(peer: Peer) -> list[int]:
    return [h["step"] for h in peer.progress() if h.get("state") == wire.STATE_RUNNING]


def test_a_short_job_overtakes_a_long_optimization_that_then_finishes_every_step(
    peers: list[Peer],
) -> None:
    long, short = peers
    long.send(optimization(LONG_STEPS), photo(1))
    long.wait_until(lambda: any(step > 0 for step in running_steps(long)))
    submitted_s = time.monotonic()
    short.send(NETWORK_JOB, photo(2))
    wait_all(peers)
    long_end, short_end = long.terminal(), short.terminal()
    assert long_end is not None and short_end is not None
    assert short_end[0] < long_end[0], "the short job waited for the long one to finish"
    print(f"short job: result {short_end[0] - submitted_s:.1f} s after it was sent")
    assert_changed_result(short_end, photo(2))
    assert_changed_result(long_end, photo(1))
    parked = [h for h in long.progress() if h.get("state") == wire.STATE_QUEUED]
    assert parked, "the long job never yielded"
    assert parked[0]["position"] == 1 and 0 < parked[0]["step"] < LONG_STEPS
    steps = [h["step"] for h in long.progress()]
    assert steps == sorted(steps), "step numbers went back after the pause"
    assert steps[-1] == LONG_STEPS and long.progress()[-1]["total"] == LONG_STEPS
    after = [s for s in running_steps(long) if s > parked[0]["step"]]
    assert after, "no progress after the pause"
    # Its whole state was kept: the same request run alone gives the same pixels.
    alone = Peer(long.socket)
    alone.send(optimization(LONG_STEPS), photo(1))
    wait_all([alone])
    alone_end = alone.terminal()
    assert alone_end is not None and not [h for h in alone.progress() if h["state"] == "queued"]
    assert alone_end[2][0] == long_end[2][0], "the paused run differs from an unpaused one"


def test_a_parked_job_is_queued_in_status_with_its_progress_and_can_be_cancelled(
    sliced: DaemonProcess, peers: list[Peer]
) -> None:
    first, second = peers
    first.send(optimization(LONG_STEPS), photo(3))
    first.wait_until(lambda: any(step > 0 for step in running_steps(first)))
    second.send(optimization(LONG_STEPS), photo(4))
    parked: dict[str, Any] | None = None
    with sliced.client(timeout_s=30) as client:
        deadline = time.monotonic() + JOB_TIMEOUT_S
        while parked is None and time.monotonic() < deadline:
            for peer in peers:
                peer.receive(0.01)
            jobs = client.status()["jobs"]
            parked = next((j for j in jobs if j["state"] == "queued" and j["step"] > 0), None)
        assert parked is not None, "no job was ever parked"
        assert 0 < parked["step"] < parked["total"] == LONG_STEPS
        assert client.cancel(parked["job"])
    wait_all(peers)
    ends = {p.terminal()[1]["job"]: p for p in peers if p.terminal() is not None}  # type: ignore[index]
    cancelled = ends.pop(parked["job"])
    error = cancelled.terminal()[1]  # type: ignore[index]
    assert error["event"] == "error" and error["error"]["code"] == "cancelled", error
    (other,) = ends.values()
    end = other.terminal()
    assert end is not None and end[1]["event"] == "result", end
    assert other.progress()[-1]["step"] == LONG_STEPS
    time.sleep(1.0)  # nothing more for the cancelled job: its parked thread ended silently
    cancelled.receive(0.5)
    assert cancelled.terminal() is not None and cancelled.events[-1][1]["event"] == "error"


TIME_LIMIT_S = 15  # the first steps (and VGG's first use) fit in it on a loaded machine


@pytest.fixture(scope="module")
def sliced_and_limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonProcess]:
    """A daemon slicing turns at 1 s with a TIME_LIMIT_S limit of running time per job."""
    home = tmp_path_factory.mktemp("limited") / "home"
    home.mkdir()
    env = {"STYLEBRIDGE_JOB_SLICE_S": str(SLICE_S), "STYLEBRIDGE_DEVICE": "cpu"}
    env["STYLEBRIDGE_JOB_TIME_LIMIT_S"] = str(TIME_LIMIT_S)
    running = start_daemon(home, None, env=env)
    yield running
    running.stop()


def test_time_spent_parked_does_not_count_toward_the_time_limit(
    sliced_and_limited: DaemonProcess,
) -> None:
    first, second = (Peer(sliced_and_limited.dealer()) for _ in range(2))
    try:
        first.send(optimization(10_000), photo(5))
        first.wait_until(lambda: any(s > 0 for s in running_steps(first)) or first.terminal())
        assert first.terminal() is None, first.events[-1]  # still running when the second comes
        second.send(optimization(10_000), photo(6))
        wait_all([first, second])
    finally:
        first.socket.close(linger=0)
        second.socket.close(linger=0)
    started_s = next(t for t, h, _ in first.events if h.get("state") == wire.STATE_RUNNING)
    end = first.terminal()
    assert end is not None and end[1]["error"]["code"] == "time_limit", end
    assert "running time" in end[1]["error"]["message"]
    wall_s, parked = end[0] - started_s, parked_s(first)
    print(f"time_limit after {wall_s:.1f} s of wall time, {parked:.1f} s of it parked")
    assert parked > 0.8 * SLICE_S  # the other job had at least one turn meanwhile
    # Running time (as the events show it, within a step and an event's delay) is the limit.
    assert TIME_LIMIT_S - 2.0 < wall_s - parked < TIME_LIMIT_S + 3.0  # wall time is twice that


def parked_s(peer: Peer) -> float:
    """Seconds between each `queued` progress event after it ran and the next `running` one."""
    total, since = 0.0, None
    for t, header, _ in peer.events:
        state = header.get("state")
        if since is None and state == wire.STATE_QUEUED:
            since = t
        elif since is not None and state == wire.STATE_RUNNING:
            total, since = total + t - since, None
    return total
