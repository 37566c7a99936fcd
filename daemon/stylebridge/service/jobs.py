"""The job queue: fair round-robin between clients, cancel by job id or by vanished client, and
the place a long job goes back to when it yields its turn (time slicing, `job_turns.py`)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

from stylebridge.service import protocol as wire
from stylebridge.service.job_turns import JobTurns
from stylebridge.service.protocol import Limits, ProtocolError
from stylebridge.service.requests import StylizeSpec
from stylebridge.service.shots import Shot

DEFAULT_SLICE_S = 30.0  # settings.job_slice_s's default


@dataclass
class Job:
    """One stylize job. Progress fields are written by its worker and read by the server loop."""

    id: str
    client: bytes  # the ROUTER identity the events go to
    request_id: Any
    spec: StylizeSpec
    frames: list[Any]  # pixel frames after the header (image, mask, custom styles)
    # The path's parameters as the server checked them before `accepted` (defaults filled in):
    # the runner uses these and never validates the request again.
    values: dict[str, Any] = field(default_factory=dict)
    cancel: threading.Event = field(default_factory=threading.Event)
    owner: str = ""  # CURVE public key of its sender, "" on a private socket
    state: str = wire.STATE_QUEUED
    step: int = 0
    total: int = 0
    eta_s: float | None = None
    loss: float | None = None
    submitted_s: float = field(default_factory=time.monotonic)
    last_event_s: float = field(default_factory=time.monotonic)
    timed_out: bool = False
    ran_s: float = 0.0  # running time of its earlier turns (parked time does not count)
    running_since_s: float | None = None  # monotonic start of its current turn, None when not
    time_limit_s: float = 0.0  # of running time; 0: none
    turns: JobTurns | None = None  # its thread and turn, once a worker started it
    device: str | None = None  # once started: only this device's worker may resume it
    shot: Shot | None = None  # the shot whose statistics it shares (network path), if any

    @property
    def nbytes(self) -> int:
        """Bytes of its pixel frames (what it keeps alive while queued)."""
        return sum(len(frame) for frame in self.frames)

    def start_clock(self, time_limit_s: float) -> None:
        """A turn starts: running time counts again toward `time_limit_s` (0: none)."""
        self.time_limit_s = time_limit_s
        self.running_since_s = time.monotonic()

    def stop_clock(self) -> None:
        """A turn ends (the job parks): waiting in the queue is not running time."""
        if self.running_since_s is not None:
            self.ran_s += time.monotonic() - self.running_since_s
            self.running_since_s = None

    def running_s(self) -> float:
        """Seconds it has run, over all its turns."""
        now = time.monotonic()
        return self.ran_s + (0.0 if self.running_since_s is None else now - self.running_since_s)

    def should_cancel(self) -> bool:
        """The core's cancel hook: a cancel request, or the time limit passed."""
        if self.time_limit_s > 0 and self.running_s() > self.time_limit_s:
            self.timed_out = True
            self.cancel.set()
        return self.cancel.is_set()

    def at_step_boundary(self) -> bool:
        """The cancel hook of a path that can yield: park first when its turn is due (another
        client waits), then answer as `should_cancel`."""
        if self.turns is not None and not self.cancel.is_set():
            self.turns.park_if_due()
        return self.should_cancel()

    def summary(self) -> dict[str, Any]:
        """The job as shown by `status`."""
        return {
            "job": self.id,
            "state": self.state,
            "path": self.spec.path,
            "width": self.spec.image.width,
            "height": self.spec.image.height,
            "step": self.step,
            "total": self.total,
            "age_s": round(time.monotonic() - self.submitted_s, 3),
        }


class JobQueue:
    """Queued jobs per client; `next` serves clients in turn so one client cannot starve others.

    Bounded three ways: jobs of all clients, jobs of one client (so one client's batch cannot
    make every other client `busy`), and pixel bytes of all queued jobs (what they keep alive).
    `slice_s` is how long a job may run while another client's job waits before it yields its
    turn (0: never); a job that yielded comes back through `requeue`.
    """

    def __init__(
        self,
        max_queued: int,
        max_client_jobs: int | None = None,
        max_bytes: int | None = None,
        slice_s: float = DEFAULT_SLICE_S,
    ) -> None:
        self.slice_s = slice_s
        self._max_queued = max_queued
        self._max_client_jobs = max_client_jobs or max_queued
        self._max_bytes = max_bytes
        self._bytes = 0
        self._by_client: OrderedDict[bytes, deque[Job]] = OrderedDict()
        self._condition = threading.Condition()
        self._closed = False

    @classmethod
    def from_limits(cls, limits: Limits, slice_s: float = DEFAULT_SLICE_S) -> JobQueue:
        """A queue bounded by the daemon's announced limits, slicing turns at `slice_s`."""
        return cls(limits.max_queued_jobs, limits.max_client_jobs, limits.max_queued_bytes, slice_s)

    def __len__(self) -> int:
        with self._condition:
            return sum(len(q) for q in self._by_client.values())

    def submit(self, job: Job) -> int:
        """Queue `job`; returns its position (0: next). ProtocolError(busy) when full."""
        with self._condition:
            if self._closed:
                raise ProtocolError("shutting_down", "the daemon is stopping")
            queued = sum(len(q) for q in self._by_client.values())
            self._check_room(job, queued)
            position = self._round_robin_position(job.client)
            self._by_client.setdefault(job.client, deque()).append(job)
            self._bytes += job.nbytes
            self._condition.notify()
            return position

    def _round_robin_position(self, client: bytes) -> int:
        """Jobs `next` will hand out before a new job of `client`, as the queue stands now: its
        own queued jobs, and from every other client one per round, plus one more from those
        ahead of it in the round."""
        own = len(self._by_client.get(client, ()))
        order = list(self._by_client)
        mine = order.index(client) if client in order else len(order)
        ahead = own
        for index, other in enumerate(order):
            if other != client:
                ahead += min(len(self._by_client[other]), own + (index < mine))
        return ahead

    def _check_room(self, job: Job, queued: int) -> None:
        if queued >= self._max_queued:
            raise ProtocolError("busy", f"{queued} jobs are queued; retry later")
        own = len(self._by_client.get(job.client, ()))
        if own >= self._max_client_jobs:
            raise ProtocolError(
                "busy", f"this client has {own} jobs queued (the limit per client); retry later"
            )
        if self._max_bytes is not None and self._bytes + job.nbytes > self._max_bytes:
            raise ProtocolError(
                "busy",
                f"queued jobs hold {self._bytes} bytes of pixels and this one {job.nbytes}; "
                f"the limit is {self._max_bytes} bytes; retry later",
            )

    def next(self, timeout_s: float, device: str | None = None) -> Job | None:
        """The next job for `device` in round-robin order between clients, or None after
        `timeout_s`. A job that yielded its turn waits for the device it started on."""
        with self._condition:
            self._condition.wait_for(
                lambda: self._closed or self._first_for(device) is not None, timeout_s
            )
            found = self._first_for(device)
            if found is None:
                return None
            client, job = found
            jobs = self._by_client[client]
            jobs.remove(job)
            if jobs:  # the client goes to the back of the line
                self._by_client.move_to_end(client)
            else:
                del self._by_client[client]
            self._bytes -= job.nbytes
            return job

    def _first_for(
        self, device: str | None, skip_client: bytes | None = None
    ) -> tuple[bytes, Job] | None:
        for client, jobs in self._by_client.items():
            if client == skip_client:
                continue
            for job in jobs:
                if job.device is None or job.device == device:
                    return client, job
        return None

    def next_of_other_clients(self, client: bytes, device: str | None) -> Job | None:
        """The job of another client than `client` that would run next on `device`, if any."""
        with self._condition:
            found = self._first_for(device, skip_client=client)
            return None if found is None else found[1]

    def requeue(self, job: Job) -> int | None:
        """Put back a job that yielded its turn: first among its client's jobs (it started
        before them), its client last in the round. Returns how many jobs go before it (one of
        every other client waiting), or None when the queue is closed. No limit applies: the
        job was admitted already and its frames never left memory."""
        with self._condition:
            if self._closed:
                return None
            self._by_client.setdefault(job.client, deque()).appendleft(job)
            self._by_client.move_to_end(job.client)
            self._bytes += job.nbytes
            self._condition.notify_all()
            return sum(
                any(other.device is None or other.device == job.device for other in jobs)
                for client, jobs in self._by_client.items()
                if client != job.client
            )

    def remove(self, job_id: str) -> Job | None:
        """Take a queued job out of the queue (for cancel); None when it is not queued."""
        with self._condition:
            for client, jobs in self._by_client.items():
                for job in jobs:
                    if job.id == job_id:
                        jobs.remove(job)
                        if not jobs:
                            del self._by_client[client]
                        self._bytes -= job.nbytes
                        _abandon_if_parked(job)
                        return job
            return None

    def remove_client(self, client: bytes) -> list[Job]:
        """Take every queued job of `client` out of the queue."""
        with self._condition:
            removed = list(self._by_client.pop(client, deque()))
            self._bytes -= sum(job.nbytes for job in removed)
            for job in removed:
                _abandon_if_parked(job)
            return removed

    def close(self) -> list[Job]:
        """Refuse new jobs, wake the workers, and return the jobs still queued."""
        with self._condition:
            self._closed = True
            left = [job for jobs in self._by_client.values() for job in jobs]
            for job in left:
                _abandon_if_parked(job)
            self._by_client.clear()
            self._bytes = 0
            self._condition.notify_all()
            return left


def _abandon_if_parked(job: Job) -> None:
    """A job taken out of the queue for good: a parked one's thread must end without a word."""
    if job.turns is not None:
        job.turns.abandon()
