"""Answers to the non-job ops (hello, ping, list_*, status, cancel, shutdown): one function each."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from stylebridge import __version__, pixel_layout
from stylebridge.service import catalog
from stylebridge.service import protocol as wire
from stylebridge.service.jobs import Job, JobQueue
from stylebridge.service.model_cache import ModelCache
from stylebridge.service.protocol import Limits, ProtocolError
from stylebridge.service.shots import ShotStore


@dataclass
class DaemonState:
    """What the handlers read and change; owned by the server loop's thread."""

    endpoint: str
    limits: Limits
    devices: tuple[str, ...]
    queue: JobQueue
    cache: ModelCache
    benchmark_ops: bool = False
    jobs: dict[str, Job] = field(default_factory=dict)  # queued and running, by job id
    cancelled: list[Job] = field(default_factory=list)  # taken from the queue, to be told
    shots: ShotStore = field(default_factory=ShotStore)  # per client: statistics of its shots
    stopping: threading.Event = field(default_factory=threading.Event)
    started_s: float = field(default_factory=time.monotonic)


# (state, header, owner) -> reply fields. `owner` is who sent the request: the CURVE public key
# of an authenticated client, "" on a socket only its user can open (see server.request_owner).
Handler = Callable[[DaemonState, dict[str, Any], str], dict[str, Any]]
MAX_VERSIONS = 32  # a hello's `versions` entries (docs/protocol.md, fixed limits)


def _keys(header: dict[str, Any], *allowed: str) -> None:
    wire.require_map(header, "header", ("v", "op", "id", *allowed))


def hello(state: DaemonState, header: dict[str, Any], owner: str) -> dict[str, Any]:
    """Version negotiation; the daemon's limits, ops and pixel formats."""
    _keys(header, "versions", "client")
    if "client" in header:
        wire.require_str(header["client"], "client")
    versions = header.get("versions", [wire.PROTOCOL_VERSION])
    if not isinstance(versions, list):
        raise ProtocolError("bad_request", "'versions' must be a list of integers")
    if len(versions) > MAX_VERSIONS:
        raise ProtocolError(
            "bad_request", f"'versions' holds {len(versions)} entries; at most {MAX_VERSIONS}"
        )
    paths = list(catalog.list_methods()["paths"])  # the installed engines
    paths += [wire.PATH_ECHO] if state.benchmark_ops else []
    return {
        "version": wire.negotiate(versions),
        "daemon_version": __version__,
        "ops": list(wire.OPS),
        "paths": paths,
        "limits": {**state.limits.to_wire(), "job_slice_s": state.queue.slice_s},
        "channels": list(pixel_layout.CHANNEL_COUNTS),
        "dtypes": list(pixel_layout.DTYPE_BYTES),
        "transfers": list(pixel_layout.TRANSFERS),
    }


def ping(state: DaemonState, header: dict[str, Any], owner: str) -> dict[str, Any]:
    """Liveness."""
    _keys(header)
    return {}


def list_methods(state: DaemonState, header: dict[str, Any], owner: str) -> dict[str, Any]:
    """Methods and the parameter schema of each path."""
    _keys(header)
    return catalog.list_methods()


def list_styles(state: DaemonState, header: dict[str, Any], owner: str) -> dict[str, Any]:
    """Styles of a path, with thumbnails."""
    return catalog.list_styles(header)


def status(state: DaemonState, header: dict[str, Any], owner: str) -> dict[str, Any]:
    """Device, loaded models, queue, and the jobs of the asking owner (never anyone else's)."""
    _keys(header)
    jobs = [job.summary() for job in state.jobs.values() if job.owner == owner]
    return {
        "daemon_version": __version__,
        "pid": os.getpid(),
        "endpoint": state.endpoint,
        "uptime_s": round(time.monotonic() - state.started_s, 3),
        "devices": list(state.devices),
        "models": [{"name": m.name, "size_mb": m.size_mb} for m in state.cache.entries()],
        "queued": sum(1 for j in jobs if j["state"] == wire.STATE_QUEUED),
        "running": sum(1 for j in jobs if j["state"] == wire.STATE_RUNNING),
        "jobs": jobs,
    }


def cancel(state: DaemonState, header: dict[str, Any], owner: str) -> dict[str, Any]:
    """Cancel a job by id: dequeued at once, or stopped at its next step."""
    _keys(header, "job")
    job_id = wire.require_str(header.get("job"), "job")
    job = state.jobs.get(job_id)
    if job is None or job.owner != owner:  # another owner's job is as good as unknown
        raise ProtocolError("unknown_job", f"no queued or running job {job_id!r}")
    job.cancel.set()
    if state.queue.remove(job_id) is not None:
        state.cancelled.append(job)
    return {"job": job_id, "cancelled": True}


def shutdown(state: DaemonState, header: dict[str, Any], owner: str) -> dict[str, Any]:
    """Stop after this reply; running jobs are cancelled."""
    _keys(header)
    state.stopping.set()
    return {"stopping": True}


HANDLERS: dict[str, Handler] = {
    wire.OP_HELLO: hello,
    wire.OP_PING: ping,
    wire.OP_LIST_METHODS: list_methods,
    wire.OP_LIST_STYLES: list_styles,
    wire.OP_STATUS: status,
    wire.OP_CANCEL: cancel,
    wire.OP_SHUTDOWN: shutdown,
}
