"""The request loop: a ROUTER socket, the error boundary, job events and heartbeats.

Every request gets exactly one terminal event (reply, result or error); a failure is logged with
its traceback and the loop keeps serving. Only this thread touches the ROUTER.
"""

from __future__ import annotations

import errno
import logging
import time
import uuid
from typing import Any

import zmq

from stylebridge.service import protocol as wire
from stylebridge.service.admission import check_admission
from stylebridge.service.handlers import HANDLERS, DaemonState
from stylebridge.service.jobs import Job
from stylebridge.service.path_parameters import checked_params
from stylebridge.service.precheck import check_before_queue, effective_values
from stylebridge.service.protocol import ProtocolError
from stylebridge.service.public_text import without_server_paths
from stylebridge.service.requests import parse_stylize
from stylebridge.service.slow_readers import SlowReaders
from stylebridge.service.worker import KIND_TERMINAL, Worker, progress_header

log = logging.getLogger(__name__)

HEARTBEAT_S = 0.5  # a job is never silent for longer: clients time out on silence
POLL_MS = 100
MAX_ID_CHARS = 128


def request_owner(frame: Any) -> str:
    """Who sent the request: the Z85 public key CURVE authenticated (ZeroMQ's User-Id), else ""
    (a socket without CURVE admits only its user, so every peer is the owner)."""
    try:
        return str(frame.get("User-Id") or "")
    except (zmq.ZMQError, AttributeError, TypeError):
        return ""


def _request_id(header: Any) -> Any:
    """The request id to echo: a short string or an integer, else None."""
    value = header.get("id") if isinstance(header, dict) else None
    if isinstance(value, str) and len(value) <= MAX_ID_CHARS:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63:
        return value
    return None


class Server:
    """Owns the ROUTER and the inproc event socket; run `serve()` on one thread."""

    def __init__(self, state: DaemonState, router: zmq.Socket, context: zmq.Context) -> None:
        self.state = state
        self._router = router
        self._router.setsockopt(zmq.ROUTER_MANDATORY, 1)
        self._slow = SlowReaders(state.limits.max_unread_bytes)
        self._context = context
        self._events_endpoint = f"inproc://stylebridge-events-{uuid.uuid4().hex}"
        self._events = context.socket(zmq.PULL)
        self._events.bind(self._events_endpoint)
        limit_s = state.limits.job_time_limit_s
        events, start = self._events_endpoint, self._on_start
        self.workers = [
            Worker(d, state.queue, state.cache, context, events, start, limit_s)
            for d in state.devices
        ]

    def _on_start(self, job: Job) -> None:
        job.last_event_s = 0.0  # the next heartbeat announces "running" at once

    def _send(self, client: bytes, header: dict[str, Any], frames: list[Any]) -> bool:
        """Send an event of the loop's own to one client (see `_deliver`)."""
        return self._deliver(client, header["event"], wire.pack(header), frames)

    def _deliver(self, client: bytes, event: str, header: bytes, frames: list[Any]) -> bool:
        """Send the packed `header` of an `event` and its frames to one client; False when it
        has gone (its jobs are then cancelled).

        Never blocks: when a client stopped reading (its pipe is at the high-water mark), its
        progress events are dropped, its `accepted` and terminal events held (slow_readers.py).
        """
        # `accepted` must arrive too: it is the only event that names the job before it runs.
        kept = event in (*wire.TERMINAL_EVENTS, wire.EVENT_ACCEPTED)
        if self._slow.is_holding(client):  # keep the order: nothing overtakes what waits
            if kept:
                self._slow.hold(client, event, header, frames)
            else:
                self._slow.note_dropped(client, event)
            return True
        try:
            sent = self._try_send(client, header, frames)
        except zmq.ZMQError as e:
            if e.errno != errno.EHOSTUNREACH:
                raise
            self._forget_client(client)
            return False
        if not sent and kept:
            self._slow.hold(client, event, header, frames)
        elif not sent:
            self._slow.note_dropped(client, event)
        return True

    def _try_send(self, client: bytes, header: bytes, frames: list[Any]) -> bool:
        """One non-blocking send of a packed header and its frames; False when the client's
        pipe is full."""
        try:
            parts = [client, header, *frames]
            self._router.send_multipart(parts, flags=zmq.NOBLOCK, copy=False)
        except zmq.Again:
            return False
        return True

    def _flush_held(self) -> None:
        gone: list[bytes] = []

        def send(client: bytes, header: bytes, frames: list[Any]) -> bool:
            try:
                return self._try_send(client, header, frames)
            except zmq.ZMQError as e:
                if e.errno != errno.EHOSTUNREACH:
                    raise
                gone.append(client)
                return True  # nobody to keep it for

        self._slow.flush(send)
        for client in set(gone):
            self._forget_client(client)

    def _forget_client(self, client: bytes) -> None:
        for job in self.state.queue.remove_client(client):
            self.state.jobs.pop(job.id, None)
        for job in list(self.state.jobs.values()):
            if job.client == client:
                job.cancel.set()
        self._slow.forget(client)
        self.state.shots.forget_client(client)
        log.info("client %s went away; its jobs are cancelled", client.hex())

    def handle(self, client: bytes, frames: list[Any]) -> None:
        """Answer one request. Never raises: every failure becomes an error event."""
        request_id = None
        try:
            header = wire.unpack(
                frames[0].buffer if frames else b"", self.state.limits.max_header_bytes
            )
            request_id = _request_id(header)
            owner = request_owner(frames[0])
            self._dispatch(client, request_id, header, frames[1:], owner)
        except ProtocolError as e:
            message = wire.capped_message(without_server_paths(e.message))
            self._send(client, wire.error_event(request_id, e.code, message), [])
        except Exception:
            log.exception("request from %s failed", client.hex())
            message = "internal error, see the daemon log"
            self._send(client, wire.error_event(request_id, "internal", message), [])

    def _dispatch(
        self, client: bytes, request_id: Any, header: dict[str, Any], frames: list[Any], owner: str
    ) -> None:
        if "id" in header and request_id is None:
            raise ProtocolError(
                "bad_request",
                f"'id' must be a string of <= {MAX_ID_CHARS} characters or an integer in "
                "-2**63 .. 2**63-1",
            )
        version = header.get("v", wire.PROTOCOL_VERSION)
        if header.get("op") != wire.OP_HELLO and not wire.is_supported_version(version):
            raise ProtocolError(
                "unsupported_version", f"protocol version {wire.shown(version)} unknown"
            )
        op = header.get("op")
        if op == wire.OP_STYLIZE:
            self._submit(client, request_id, header, frames, owner)
            return
        handler = HANDLERS.get(op) if isinstance(op, str) else None
        if handler is None:
            raise ProtocolError(
                "unknown_op", f"unknown op {wire.shown(op)}; known: {list(wire.OPS)}"
            )
        if frames:
            raise ProtocolError("bad_request", f"{op} takes no frames after the header")
        reply = handler(self.state, header, owner)
        self._send(client, wire.event(wire.EVENT_REPLY, request_id, **reply), [])

    def _submit(
        self, client: bytes, request_id: Any, header: dict[str, Any], frames: list[Any], owner: str
    ) -> None:
        if self.state.stopping.is_set():
            raise ProtocolError("shutting_down", "the daemon is stopping")
        if len(frames) > self.state.limits.max_frames:
            raise ProtocolError("too_large", f"at most {self.state.limits.max_frames} frames")
        names = wire.frame_names(len(frames), header.get("mask") is not None)
        sizes = [(name, len(frame)) for name, frame in zip(names, frames, strict=True)]
        wire.check_frame_sizes(sizes, self.state.limits.max_message_bytes)
        spec = parse_stylize(header, [len(f) for f in frames], self.state.limits)
        if spec.path == wire.PATH_ECHO and not self.state.benchmark_ops:
            raise ProtocolError("unknown_method", "the echo path needs --benchmark-ops")
        values = checked_params(spec.path, spec.params, spec.styles)
        check_before_queue(spec, values, self.state.devices)
        check_admission(
            spec, effective_values(spec, values, self.state.devices), self.state.devices
        )
        shot = self.state.shots.claim(client, spec, values)  # bad_parameter before accepted
        job_id = uuid.uuid4().hex
        job = Job(job_id, client, request_id, spec, frames, values, owner=owner, shot=shot)
        position = self.state.queue.submit(job)
        self.state.jobs[job.id] = job
        self._send(
            client, wire.event(wire.EVENT_ACCEPTED, request_id, job=job.id, position=position), []
        )

    def _forward_events(self) -> None:
        """Pass the workers' events on as they packed them (never unpacked here)."""
        while self._events.poll(0):
            kind, event, job_id, client, header, *frames = self._events.recv_multipart(copy=False)
            job = self.state.jobs.get(job_id.bytes.decode())
            if kind.bytes == KIND_TERMINAL:
                self.state.jobs.pop(job_id.bytes.decode(), None)
            elif job is None:
                continue  # progress of a job whose client is gone
            self._deliver(client.bytes, event.bytes.decode(), header.bytes, frames)

    def _heartbeat(self) -> None:
        for job in self.state.cancelled:
            self.state.jobs.pop(job.id, None)
            message = "the job was cancelled"
            self._send(
                job.client, wire.error_event(job.request_id, "cancelled", message, job=job.id), []
            )
        self.state.cancelled.clear()
        now = time.monotonic()
        for job in list(self.state.jobs.values()):
            if now - job.last_event_s >= HEARTBEAT_S:
                job.last_event_s = now
                self._send(job.client, progress_header(job), [])

    def _drain_requests(self) -> None:
        for _ in range(64):  # bounded, so events and heartbeats keep flowing under load
            if self.state.stopping.is_set() or not self._router.poll(0):
                return  # after a shutdown nothing more is served
            client, *frames = self._router.recv_multipart(copy=False)
            self.handle(client.bytes, frames)

    def _turn(self, poller: zmq.Poller) -> None:
        """One turn of the loop; a failure here is logged and the loop goes on."""
        try:
            ready = dict(poller.poll(POLL_MS))
            if self._router in ready:
                self._drain_requests()
            if self._events in ready:
                self._forward_events()
            self._flush_held()
            self._heartbeat()
        except Exception:
            log.exception("request loop turn failed; serving on")

    def serve(self) -> None:
        """Serve until a shutdown request or `state.stopping` is set."""
        for worker in self.workers:
            worker.start()
        poller = zmq.Poller()
        poller.register(self._router, zmq.POLLIN)
        poller.register(self._events, zmq.POLLIN)
        try:
            while not self.state.stopping.is_set():
                self._turn(poller)
        finally:
            self._stop_jobs()

    def _stop_jobs(self) -> None:
        for job in self.state.queue.close():
            self.state.cancelled.append(job)
        for job in self.state.jobs.values():
            job.cancel.set()
        for worker in self.workers:
            worker.stop()
        deadline = time.monotonic() + 5.0
        for worker in self.workers:
            worker.join(max(0.0, deadline - time.monotonic()))
        self._forward_events()
        for job in self.state.cancelled:
            header = wire.error_event(job.request_id, "shutting_down", "the daemon is stopping")
            self._send(job.client, header, [])
        self.state.cancelled.clear()
        self._events.close(linger=0)
