"""The wire protocol: the one place where op, event and error names live (pixel formats:
pixel_layout.py).

Runs inside the editors' own Pythons (vendored next to client.py): stdlib + msgpack only,
Python 3.8+. docs/protocol.md is the prose version of this module.
"""

from __future__ import annotations

import math
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgpack

from stylebridge.pixel_layout import CHANNEL_COUNTS, DTYPE_BYTES, PixelLayout, layout_from_wire

PROTOCOL_VERSION = 1
SUPPORTED_VERSIONS = (1,)

# Ops a client may send (header key "op").
OP_HELLO = "hello"
OP_PING = "ping"
OP_LIST_STYLES = "list_styles"
OP_LIST_METHODS = "list_methods"
OP_STYLIZE = "stylize"
OP_CANCEL = "cancel"
OP_STATUS = "status"
OP_SHUTDOWN = "shutdown"
OPS = (OP_HELLO, OP_PING, OP_LIST_STYLES, OP_LIST_METHODS, OP_STYLIZE, OP_CANCEL, OP_STATUS)
OPS += (OP_SHUTDOWN,)

# Events the daemon sends (header key "event"). Every request gets exactly one terminal event.
EVENT_REPLY = "reply"  # terminal answer to every op except stylize
EVENT_ACCEPTED = "accepted"  # stylize queued; carries "job"
EVENT_PROGRESS = "progress"  # step/total/eta_s; optional preview frame
EVENT_RESULT = "result"  # terminal: the stylized pixels
EVENT_ERROR = "error"  # terminal: "error": {"code", "message"}
TERMINAL_EVENTS = (EVENT_REPLY, EVENT_RESULT, EVENT_ERROR)

# Job states reported in progress events and status.
STATE_QUEUED = "queued"
STATE_RUNNING = "running"

# Stylize paths.
PATH_OPTIMIZE = "optimize"  # Gatys-style optimisation, any style image
PATH_NETWORK = "network"  # feed-forward multi-style network
PATH_ARBITRARY = "arbitrary"  # any style image in one pass: VGG-19 features aligned, decoded
PATH_ECHO = "echo"  # returns the pixels untouched; only when the daemon runs with --benchmark-ops
PATHS = (PATH_OPTIMIZE, PATH_NETWORK, PATH_ARBITRARY, PATH_ECHO)

# The optimize path's `init` values the daemon accepts: never a path (a client names no file).
SAFE_INITS = ("auto", "content", "noise", "network", "arbitrary")
# A model name on the wire: a file in the daemon's models folder, never a path.
MODEL_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
MAX_MODEL_NAME_CHARS = 64

# Where a listed style comes from.
SOURCE_MODEL = "model"
SOURCE_LIBRARY = "library"

# Error codes (key -> meaning). Clients may show `message`; `code` is for programs.
ERROR_CODES: dict[str, str] = {
    "bad_request": "malformed message: not msgpack, not a map, wrong or missing field",
    "unknown_op": "the op is not one of OPS",
    "unsupported_version": "no protocol version in common",
    "bad_pixels": "a pixel descriptor or frame is invalid (size, stride, frame length)",
    "too_large": "an image or message exceeds the daemon's limits",
    "unknown_style": "a named style is not in the model or library",
    "unknown_method": "the path, or the optimize path's method, is not known",
    "unknown_model": "no such model file",
    "bad_model": "the model file is corrupt, truncated or not a stylebridge model",
    "bad_parameter": "a parameter is out of range or of the wrong type",
    "unknown_job": "no such job (finished, cancelled or never existed)",
    "cancelled": "the job was cancelled",
    "out_of_memory": "the device ran out of memory (the network path after retrying in tiles)",
    "optimization_failed": "the optimization loss became inf/NaN or stopped falling",
    "busy": "the queue is full; retry later",
    "time_limit": "the job ran longer than the daemon's per-job time limit",
    "result_dropped": "the client left earlier results unread; this one was not kept",
    "shutting_down": "the daemon is stopping",
    "internal": "unexpected failure; see the daemon log",
}


@dataclass(frozen=True)
class Limits:
    """What a peer may make the daemon accept; announced in the hello reply."""

    max_side_px: int = 16384
    max_pixels: int = 16384 * 16384
    max_message_bytes: int = 2 * 1024**3  # any one frame; a larger one gets too_large
    max_header_bytes: int = 1024 * 1024
    max_styles: int = 16
    max_queued_jobs: int = 256  # all clients together
    max_client_jobs: int = 64  # queued per client, so one client cannot make others `busy`
    max_queued_bytes: int = 2 * 1024**3  # pixel frames of queued jobs, all clients together
    max_frames: int = 20
    job_time_limit_s: int = 3600  # a longer job ends with `time_limit`; 0: no limit
    max_unread_bytes: int = 256 * 1024**2  # results kept for clients that do not read

    def to_wire(self) -> dict[str, int]:
        """The limits as a plain map, with the receive ceiling (see received_frame_bytes)."""
        return {**self.__dict__, "receive_ceiling_bytes": received_frame_bytes(self)}


class ProtocolError(Exception):
    """A request that cannot be served; becomes an `error` event with this code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


MASK_KEYS = ("width", "height")


SHOWN_CHARS = 64  # echoed request text is cut here: a reply never repeats a huge value back


def shown(value: Any, limit: int = SHOWN_CHARS) -> str:
    """repr(value) for an error message, cut to about `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


MAX_MESSAGE_CHARS = 1024  # an error message is cut here whatever it quotes


def capped_message(message: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """An error message cut to `limit` characters: a reply never carries a huge request back."""
    return message if len(message) <= limit else message[:limit] + " [cut]"


def is_supported_version(value: Any) -> bool:
    """An integer (not a bool or a float such as 1.0) this daemon speaks."""
    return isinstance(value, int) and not isinstance(value, bool) and value in SUPPORTED_VERSIONS


def is_model_name(text: str) -> bool:
    """1..64 ASCII letters, digits, - and _ (no dot or slash: a name can never become a path)."""
    return 0 < len(text) <= MAX_MODEL_NAME_CHARS and set(text) <= MODEL_NAME_CHARS


def require_number(value: Any, name: str, minimum: float, maximum: float) -> float:
    """`value` as a finite float in [minimum, maximum], else ProtocolError(bad_request)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ProtocolError("bad_request", f"{name!r} must be a number, got {value!r}")
    if not math.isfinite(value) or not minimum <= value <= maximum:
        raise ProtocolError("bad_request", f"{name!r} must be in {minimum}..{maximum}: {value}")
    return float(value)


def require_str(value: Any, name: str, choices: tuple[str, ...] | None = None) -> str:
    """`value` as a short string (one of `choices` when given), else ProtocolError."""
    if not isinstance(value, str) or not 0 < len(value) <= 256:
        raise ProtocolError("bad_request", f"{name!r} must be a string of 1..256 characters")
    if choices is not None and value not in choices:
        raise ProtocolError("bad_request", f"{name!r} must be one of {list(choices)}: {value!r}")
    return value


def require_map(value: Any, name: str, keys: tuple[str, ...] = ()) -> dict[str, Any]:
    """`value` as a map with string keys, only from `keys` when given."""
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ProtocolError("bad_request", f"{name!r} must be a map with string keys")
    unknown = sorted(set(value) - set(keys)) if keys else []
    if unknown:
        raise ProtocolError("bad_request", f"{name!r} has unknown keys {unknown}")
    return value


def parse_pixel_format(value: Any, limits: Limits, name: str = "image") -> PixelLayout:
    """A validated PixelLayout from a descriptor map; ProtocolError(bad_pixels/too_large)."""
    try:
        layout = layout_from_wire(value, name)
    except ValueError as e:
        raise ProtocolError("bad_pixels", str(e)) from None
    check_size(layout.width, layout.height, limits, name)
    return layout


def check_size(width: int, height: int, limits: Limits, name: str) -> None:
    """ProtocolError(too_large) when the image exceeds the side or pixel limits."""
    if max(width, height) > limits.max_side_px or width * height > limits.max_pixels:
        raise ProtocolError(
            "too_large",
            f"{name} is {width}x{height}; the limit is {limits.max_side_px} px per side "
            f"and {limits.max_pixels} pixels",
        )


def check_frame(frame_len: int, layout: PixelLayout, name: str = "image") -> None:
    """ProtocolError(bad_pixels) unless the frame is exactly height x stride bytes."""
    if frame_len != layout.buffer_bytes:
        raise ProtocolError(
            "bad_pixels",
            f"{name} frame is {frame_len} bytes; {layout.height} rows x {layout.stride} bytes "
            f"= {layout.buffer_bytes} expected",
        )


def megabytes(size_bytes: int) -> str:
    """2202009600 -> '2100'; small sizes keep two decimals ('0.02')."""
    mb = size_bytes / 1024**2
    return f"{mb:.0f}" if mb >= 10 else f"{mb:.2f}"


def frame_names(count: int, has_mask: bool) -> list[str]:
    """What the `count` frames after a stylize header hold, as messages name them."""
    names = ["layer", *(["selection"] if has_mask else [])]
    return (names + [f"style image {n + 1}" for n in range(count - len(names))])[:count]


def received_frame_bytes(limits: Limits) -> int:
    """The daemon's ZMQ_MAXMSGSIZE: frames up to this size arrive whole, so a frame over
    max_message_bytes is measured and answered (too_large). Only a frame larger than any packed
    layer at the descriptor limits is dropped by ZeroMQ with the connection, unanswered."""
    pixels = min(limits.max_pixels, limits.max_side_px**2)
    largest_layer = pixels * max(CHANNEL_COUNTS.values()) * max(DTYPE_BYTES.values())
    return max(limits.max_message_bytes, limits.max_header_bytes, largest_layer)


def check_frame_sizes(
    frames: list[tuple[str, int]], max_message_bytes: int, ceiling_bytes: int | None = None
) -> None:
    """ProtocolError(too_large) for the first (what, length) frame over the daemon's limit:
    max_message_bytes, or the receive ceiling when a daemon announces a lower one (a frame over
    the ceiling would be dropped unanswered)."""
    limit, name = max_message_bytes, "max_message_bytes"
    if ceiling_bytes is not None and ceiling_bytes < max_message_bytes:
        limit, name = ceiling_bytes, "receive ceiling: larger frames are dropped unanswered"
    for what, size in frames:
        if size > limit:
            raise ProtocolError(
                "too_large",
                f"{what} too large: {megabytes(size)} MB, limit {megabytes(limit)} MB (the "
                f"daemon's {name}); use a smaller layer or selection",
            )


def pack(header: dict[str, Any]) -> bytes:
    """Encode a header frame."""
    return bytes(msgpack.packb(header, use_bin_type=True))  # type: ignore[arg-type]


def unpack(frame: bytes, max_bytes: int = 1024 * 1024) -> dict[str, Any]:
    """Decode a header frame into a map with string keys, else ProtocolError(bad_request)."""
    if len(frame) > max_bytes:
        raise ProtocolError("too_large", f"header frame over {max_bytes} bytes")
    try:
        value = msgpack.unpackb(frame, raw=False, strict_map_key=True, use_list=True)
    except Exception as e:  # msgpack raises many types on garbage; all mean the same here
        raise ProtocolError(
            "bad_request", f"header is not valid msgpack: {type(e).__name__}"
        ) from None
    return require_map(value, "header")


def request(op: str, request_id: str, **fields: Any) -> dict[str, Any]:
    """A request header."""
    return {"v": PROTOCOL_VERSION, "op": op, "id": request_id, **fields}


def event(name: str, request_id: Any, **fields: Any) -> dict[str, Any]:
    """An event header echoing the request id."""
    return {"v": PROTOCOL_VERSION, "event": name, "id": request_id, **fields}


def error_event(request_id: Any, code: str, message: str, **fields: Any) -> dict[str, Any]:
    """A terminal error event."""
    return event(EVENT_ERROR, request_id, error={"code": code, "message": message}, **fields)


def negotiate(client_versions: list[Any]) -> int:
    """The highest version both sides speak, else ProtocolError(unsupported_version)."""
    common = [v for v in client_versions if is_supported_version(v)]
    if not common:
        raise ProtocolError(
            "unsupported_version",
            f"client speaks {shown(client_versions)} (integers); "
            f"daemon speaks {list(SUPPORTED_VERSIONS)}",
        )
    return max(common)


# Where the per-user daemon listens by default (see service/endpoints.py and client.py).
SOCKET_NAME = "daemon.sock"
DEFAULT_TCP_PORT = 47653  # loopback only, where ipc:// is unavailable (Windows)
# Exit status of `stylebridge daemon` (and --detach) when another daemon holds its endpoint: a
# launcher that gets it waits for that daemon instead of reporting a failure.
EXIT_ALREADY_RUNNING = 75  # EX_TEMPFAIL (sysexits.h): retry later
# Kernel socket buffers on both ends: a 4K layer crosses in a few large writes, not hundreds.
SOCKET_BUFFER_BYTES = 4 * 1024 * 1024


def is_private_dir(path: Path) -> bool:
    """A real folder (not a link) owned by this user that no one else may enter or write."""
    try:
        info = path.lstat()
    except OSError:
        return False
    owner_only = info.st_mode & 0o077 == 0
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and owner_only


def guess_runtime_dir() -> Path:
    """Mirror of config.paths().runtime_dir for editors, whose Pythons lack platformdirs.

    A runtime folder is used only when it is this user's own 0700 folder: another local user can
    pre-create /tmp/runtime-UID and serve a fake daemon from it (both sides then fall back to the
    user's cache folder).
    """
    home = os.environ.get("STYLEBRIDGE_HOME")
    if home:
        return Path(home) / "run"
    if sys.platform == "win32":  # platformdirs' user_cache_dir, as config.paths() uses it
        local = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(local) / "stylebridge" / "Cache" / "run"
    if sys.platform == "darwin":
        runtime = Path.home() / "Library" / "Caches" / "TemporaryItems" / "stylebridge"
        cache = Path.home() / "Library" / "Caches" / "stylebridge"
        return runtime if runtime.parent.exists() else cache / "run"
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "stylebridge"
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    bases = [Path(xdg)] if xdg else []
    bases += [Path(f"/run/user/{os.geteuid()}")]
    bases += [Path(tempfile.gettempdir()) / f"runtime-{os.geteuid()}"]
    for base in bases:
        if is_private_dir(base):
            return base / "stylebridge"
    return cache / "run"
