"""The one client of the daemon, for the CLI and (copied) Krita and GIMP: stdlib, pyzmq, msgpack,
Python 3.8+. A DEALER talks to the daemon's ROUTER (docs/protocol.md). Every receive has a timeout;
idempotent requests are retried on a fresh socket (Lazy Pirate), then DaemonUnavailable is raised.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import zmq

from stylebridge.service import loopback_keys
from stylebridge.service import protocol as wire

SMALL_FRAME_BYTES = 1024**2  # frames up to this size are sent without asking the daemon's limit


class DaemonError(Exception):
    """The daemon answered with an error event: `code` (see protocol.ERROR_CODES) and `message`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{message} ({code})")
        self.code = code
        self.message = message


class DaemonUnavailable(Exception):  # noqa: N818 (the name is the contract)
    """No daemon answered within the timeout (not running, crashed, or wrong endpoint)."""


@dataclass(frozen=True)
class JobProgress:
    """One progress event of a stylize job; `preview` is (pixels, format) or None."""

    job: str
    state: str  # protocol.STATE_QUEUED or STATE_RUNNING
    step: int
    total: int
    eta_s: float | None
    loss: float | None
    preview: tuple[bytes, dict[str, Any]] | None


def default_endpoint() -> str:
    """STYLEBRIDGE_ENDPOINT, else the daemon's per-user default endpoint."""
    configured = os.environ.get("STYLEBRIDGE_ENDPOINT")
    if configured:
        return configured
    try:  # inside the daemon's own environment: the exact rule
        from stylebridge.service.endpoints import default_endpoint as exact
    except ImportError:  # inside an editor: the vendored copy has no platformdirs
        if sys.platform == "win32":
            return f"tcp://127.0.0.1:{wire.DEFAULT_TCP_PORT}"
        return "ipc://" + str(wire.guess_runtime_dir() / wire.SOCKET_NAME)
    return exact()


def runtime_dir() -> Path:
    """The daemon's per-user runtime folder (socket, lock, loopback keys)."""
    try:  # inside the daemon's own environment: the exact rule
        from stylebridge.service.endpoints import runtime_dir as exact
    except ImportError:  # inside an editor: the vendored copy has no platformdirs
        return wire.guess_runtime_dir()
    return exact()


def _terminal_error(header: dict[str, Any]) -> DaemonError:
    error: dict[str, Any] = header["error"] if isinstance(header.get("error"), dict) else {}
    return DaemonError(str(error.get("code", "internal")), str(error.get("message", "malformed")))


class Client:
    """A connection to the daemon. Not thread-safe: use one per thread."""

    def __init__(
        self,
        endpoint: str | None = None,
        timeout_s: float = 5.0,
        tries: int = 3,
        auto_start: bool = False,
        daemon_command: Sequence[str] | None = None,
        server_key: bytes | None = None,
        client_keys: tuple[bytes, bytes] | None = None,
        keys_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        """CURVE: `server_key`/`client_keys` (public, secret; Z85), or `keys_dir`, a folder in the
        layout of `stylebridge keys`. Without either, a loopback tcp:// endpoint uses the user's
        loopback keys (service/loopback_keys.py), read again on every connect."""
        self.endpoint = endpoint or default_endpoint()
        self.timeout_s = timeout_s
        self.tries = max(1, tries)
        self.auto_start = auto_start
        self.daemon_command = daemon_command
        self._curve = (server_key, client_keys) if server_key else None
        self._keys_dir = Path(keys_dir) if keys_dir else None
        if self._keys_dir is None and loopback_keys.is_loopback_tcp(self.endpoint):
            self._keys_dir = loopback_keys.keys_folder(runtime_dir())
        self._context = zmq.Context.instance()
        self._socket = self._connect()
        self.daemon_process: subprocess.Popen | None = None  # set when this client started one
        self._limits: dict[str, Any] | None = None  # the daemon's, from hello, asked once

    def _connect(self) -> zmq.Socket:
        curve = self._curve  # read first: unusable key files raise before a socket exists
        if curve is None and self._keys_dir is not None:
            curve = loopback_keys.client_curve(self._keys_dir)
        sock = self._context.socket(zmq.DEALER)
        sock.setsockopt(zmq.LINGER, 0)
        sock.setsockopt(zmq.SNDBUF, wire.SOCKET_BUFFER_BYTES)
        sock.setsockopt(zmq.RCVBUF, wire.SOCKET_BUFFER_BYTES)
        if curve is not None:  # CURVE: the server's public key and this client's pair
            sock.curve_serverkey = curve[0]
            sock.curve_publickey, sock.curve_secretkey = curve[1] or zmq.curve_keypair()
        sock.connect(self.endpoint)
        return sock

    def _reconnect(self) -> None:
        # A socket that missed its reply may deliver it late: a fresh one starts clean.
        self._socket.close(linger=0)
        self._socket = self._connect()

    def close(self) -> None:
        """Close the socket (pending messages are dropped)."""
        self._socket.close(linger=0)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, header: dict[str, Any], frames: Sequence[Any] = ()) -> None:
        parts = [wire.pack(header), *frames]
        self._socket.send_multipart(parts, copy=len(frames) == 0)

    def _receive(self, request_id: str, timeout_s: float) -> list[Any] | None:
        """The next frames answering `request_id`, or None after `timeout_s` of silence."""
        deadline = time.monotonic() + timeout_s
        while True:
            left_ms = int((deadline - time.monotonic()) * 1000)
            if left_ms <= 0 or not self._socket.poll(left_ms):
                return None
            frames = self._socket.recv_multipart(copy=False)
            try:
                header = wire.unpack(frames[0].bytes)
            except wire.ProtocolError:
                continue
            if header.get("id") == request_id:
                return [header, *frames[1:]]

    def request(self, op: str, **fields: Any) -> dict[str, Any]:
        """One idempotent request: DaemonError on an error event, DaemonUnavailable on silence."""
        for attempt in range(self.tries):
            request_id = uuid.uuid4().hex
            self._send(wire.request(op, request_id, **fields))
            answer = self._receive(request_id, self.timeout_s)
            if answer is not None:
                header = answer[0]
                if header.get("event") == wire.EVENT_ERROR:
                    raise _terminal_error(header)
                return header
            self._reconnect()
            if attempt == 0 and self.auto_start and self.daemon_process is None:
                self.start_daemon()
        raise DaemonUnavailable(
            f"no reply from the stylebridge daemon at {self.endpoint} after {self.tries} tries "
            f"of {self.timeout_s:.1f} s; is it running? (stylebridge daemon){self._keys_hint()}"
        )

    def _keys_hint(self) -> str:
        """Why a CURVE daemon may not answer: this client has no keys for it."""
        folder = self._keys_dir if self._curve is None else None
        if folder is not None and loopback_keys.client_curve(folder) is None:
            return f"; no CURVE keys in {folder}, which a TCP daemon requires"
        return ""

    def start_daemon(self, wait_s: float = 60.0) -> None:
        """Start a detached daemon on this endpoint and wait until it answers a ping."""
        configured = shlex.split(os.environ.get("STYLEBRIDGE_DAEMON_COMMAND", ""))
        command = list(self.daemon_command or configured or [sys.executable, "-m", "stylebridge"])
        argv, quiet = [*command, "daemon", "--endpoint", self.endpoint], subprocess.DEVNULL
        process = subprocess.Popen(
            argv, stdin=quiet, stdout=quiet, stderr=quiet, start_new_session=True
        )
        self.daemon_process = process
        deadline = time.monotonic() + wait_s
        # EXIT_ALREADY_RUNNING: another daemon holds the endpoint (a concurrent start): wait for it.
        while time.monotonic() < deadline and process.poll() in (None, wire.EXIT_ALREADY_RUNNING):
            request_id = uuid.uuid4().hex
            self._send(wire.request(wire.OP_PING, request_id))
            if self._receive(request_id, 1.0) is not None:
                return
            self._reconnect()
        if process.poll() not in (None, wire.EXIT_ALREADY_RUNNING):  # e.g. a bad command
            raise DaemonUnavailable(f"the daemon started with {argv} exited ({process.returncode})")
        raise DaemonUnavailable(f"started a daemon but it did not answer within {wait_s} s")

    def hello(self, client_name: str = "stylebridge-client") -> dict[str, Any]:
        """Negotiate the protocol version; the reply carries limits, ops and the daemon version."""
        versions = list(wire.SUPPORTED_VERSIONS)
        return self.request(wire.OP_HELLO, versions=versions, client=client_name)

    def ping(self) -> bool:
        """True when the daemon answers."""
        return self.request(wire.OP_PING).get("event") == wire.EVENT_REPLY

    def list_styles(self, path: str = wire.PATH_NETWORK, model: str = "default") -> list[Any]:
        """Styles of `path`: maps with name, label, source and thumbnail (PNG bytes)."""
        fields = {"model": model} if path == wire.PATH_NETWORK else {}
        return self.request(wire.OP_LIST_STYLES, path=path, **fields)["styles"]

    def list_methods(self) -> dict[str, Any]:
        """Methods and the parameter schema of every path (see docs/protocol.md)."""
        return self.request(wire.OP_LIST_METHODS)

    def status(self) -> dict[str, Any]:
        """Device, loaded models, queue and jobs."""
        return self.request(wire.OP_STATUS)

    def cancel(self, job: str) -> bool:
        """Ask the daemon to cancel job `job`; True when it was still queued or running."""
        return bool(self.request(wire.OP_CANCEL, job=job).get("cancelled"))

    def shutdown(self) -> None:
        """Ask the daemon to stop (running jobs are cancelled)."""
        self.request(wire.OP_SHUTDOWN)

    def stylize(
        self,
        image: bytes,
        image_format: Mapping[str, Any],
        params: Mapping[str, Any],
        mask: bytes | None = None,
        styles: Sequence[Sequence[Any]] = (),
        on_progress: Callable[[JobProgress], None] | None = None,
        should_cancel: Callable[[], bool] | None = None,
        path: str = wire.PATH_NETWORK,
        style_names: Mapping[str, float] | None = None,
        model: str = "default",
        preview: bool = False,
    ) -> tuple[bytes, dict[str, Any]]:
        """Stylize `image`; returns (pixels, format) in the input's format.

        `params` follow list_methods' schema for `path`; `style_names` maps listed style names to
        weights; `styles` adds custom style images as (pixels, format[, weight]); `mask` is one
        byte per pixel (the selection). Raises DaemonError (code "cancelled" after a cancel).
        """
        model_field = {"model": model} if path == wire.PATH_NETWORK else {}
        header, frames = _stylize_message(
            image_format, mask, styles, style_names,
            path=path, params=dict(params), preview=bool(preview), **model_field,
        )  # fmt: skip
        self._check_sizes([image, *frames], bool(mask))
        request_id = uuid.uuid4().hex
        header = wire.request(wire.OP_STYLIZE, request_id, **header)
        self._send(header, [image, *frames])
        largest = max(_frame_bytes(frame) for frame in [image, *frames])
        return self._follow_job(request_id, on_progress, should_cancel, largest)

    def limits(self) -> dict[str, Any]:
        """The daemon's limits from hello (asked once; {} when it does not say)."""
        if self._limits is None:
            try:
                limits = self.hello().get("limits")
            except DaemonError:
                limits = None
            self._limits = dict(limits) if isinstance(limits, dict) else {}
        return self._limits

    def max_message_bytes(self) -> int:
        """The daemon's per-frame limit (hello's limits; the default when it does not say)."""
        value = self.limits().get("max_message_bytes")
        return value if isinstance(value, int) else wire.Limits().max_message_bytes

    def receive_ceiling_bytes(self) -> int | None:
        """The largest frame the daemon receives at all (ZeroMQ drops larger ones unanswered);
        None when it does not say."""
        value = self.limits().get("receive_ceiling_bytes")
        return value if isinstance(value, int) else None

    def _check_sizes(self, frames: Sequence[Any], has_mask: bool) -> None:
        """DaemonError(too_large) before sending a frame over the daemon's limit: the daemon would
        refuse it only after receiving all of it, or drop it unanswered over its receive ceiling."""
        names = wire.frame_names(len(frames), has_mask)
        sizes = [(names[n], _frame_bytes(frame)) for n, frame in enumerate(frames)]
        if max(size for _, size in sizes) <= SMALL_FRAME_BYTES:
            return  # no hello needed: no daemon limit is that small (docs/protocol.md, Limits)
        try:
            wire.check_frame_sizes(sizes, self.max_message_bytes(), self.receive_ceiling_bytes())
        except wire.ProtocolError as e:
            raise DaemonError(e.code, e.message) from None

    def _unanswered(self, largest_frame_bytes: int) -> str:
        ceiling = (self._limits or {}).get("receive_ceiling_bytes")
        ceiling = ceiling if isinstance(ceiling, int) else None
        return _unanswered_text(self.endpoint, self.timeout_s, largest_frame_bytes, ceiling)

    def _follow_job(
        self,
        request_id: str,
        on_progress: Callable[[JobProgress], None] | None,
        should_cancel: Callable[[], bool] | None,
        largest_frame_bytes: int = 0,
    ) -> tuple[bytes, dict[str, Any]]:
        job = ""
        cancel_sent = False
        last_event = time.monotonic()
        while True:
            answer = self._receive(request_id, 0.1)
            now = time.monotonic()
            if answer is None:
                if now - last_event > self.timeout_s:
                    self._reconnect()
                    if not job:
                        raise DaemonUnavailable(self._unanswered(largest_frame_bytes))
                    raise DaemonUnavailable(
                        f"the daemon at {self.endpoint} went silent for {self.timeout_s:.1f} s "
                        "during a job"
                    )
            else:
                last_event = now
                header = answer[0]
                kind = header.get("event")
                if kind == wire.EVENT_RESULT:
                    return answer[1].bytes, dict(header.get("image", {}))
                if kind == wire.EVENT_ERROR:
                    raise _terminal_error(header)
                job = str(header.get("job", job))
                if kind == wire.EVENT_PROGRESS and on_progress is not None:
                    on_progress(_progress(header, answer[1:]))
            if job and not cancel_sent and should_cancel is not None and should_cancel():
                self._send(wire.request(wire.OP_CANCEL, uuid.uuid4().hex, job=job))
                cancel_sent = True


def _unanswered_text(endpoint: str, timeout_s: float, largest: int, ceiling: int | None) -> str:
    """Why a stylize request got no event at all: no daemon, or a frame it dropped unread."""
    text = f"no answer to the stylize request from the daemon at {endpoint} in {timeout_s:.1f} s"
    if largest <= SMALL_FRAME_BYTES:
        return text + "; is it running? (stylebridge daemon)"
    said = f"{wire.megabytes(ceiling)} MB" if ceiling else "limits.receive_ceiling_bytes in hello"
    return (
        f"{text}: it is not running, or it dropped the request unanswered because a frame of "
        f"{wire.megabytes(largest)} MB is over its receive ceiling ({said}); send a smaller layer"
    )


def _frame_bytes(frame: Any) -> int:
    """Bytes in a frame: bytes, bytearray, memoryview, numpy array or QByteArray."""
    try:
        return memoryview(frame).nbytes
    except TypeError:
        return len(frame)


def _progress(header: dict[str, Any], frames: Sequence[Any]) -> JobProgress:
    shape = header.get("preview")
    preview = (frames[0].bytes, dict(shape)) if frames and isinstance(shape, dict) else None
    return JobProgress(
        str(header.get("job", "")), str(header.get("state", wire.STATE_RUNNING)),
        int(header.get("step", 0)), int(header.get("total", 0)),
        header.get("eta_s"), header.get("loss"), preview,
    )  # fmt: skip


def _stylize_message(
    image_format: Mapping[str, Any], mask: bytes | None, styles: Sequence[Sequence[Any]],
    style_names: Mapping[str, float] | None, **fields: Any,
) -> tuple[dict[str, Any], list[Any]]:  # fmt: skip
    """The stylize header fields (without op/id) and the frames after the image."""
    style_list = [{"name": name, "weight": float(w)} for name, w in (style_names or {}).items()]
    frames: list[Any] = []
    header = {"image": dict(image_format), **fields}
    if mask is not None:
        header["mask"] = {"width": image_format.get("width"), "height": image_format.get("height")}
        frames.append(mask)
    for entry in styles:
        weight = float(entry[2]) if len(entry) > 2 else 1.0
        style_list.append({"image": dict(entry[1]), "weight": weight})
        frames.append(entry[0])
    header["styles"] = style_list
    return header, frames
