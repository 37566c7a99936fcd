"""What the daemon does for a client that stops reading: it never blocks on it, drops its progress
events, keeps its `accepted` and terminal events up to a byte budget shared by all clients, says so
in the log at most once per client every LOG_EVERY_S.

ZeroMQ keeps at most SEND_HWM whole messages per client in the ROUTER's pipe; beyond that a send
fails at once (zmq.Again), which is how a slow reader is noticed. `accepted` and terminal events
are held; a result that does not fit the budget becomes a small `result_dropped` error.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from stylebridge.service import protocol as wire

log = logging.getLogger(__name__)

SEND_HWM = 8  # messages per client in the ROUTER's pipe (a reading client never gets near it)
LOG_EVERY_S = 10.0
HEADER_BYTES = 256  # what one held header counts for, so that many small events are bounded too

# (client, packed header, frames) -> True when sent, False when the pipe is still full.
Sender = Callable[[bytes, bytes, list[Any]], bool]


@dataclass
class _Held:
    header: bytes  # packed: held as the worker or the loop packed it
    frames: list[Any]
    nbytes: int


@dataclass
class SlowReaders:
    """Terminal events waiting for clients whose pipe is full, within `max_bytes`."""

    max_bytes: int
    _held: dict[bytes, deque[_Held]] = field(default_factory=dict)
    _bytes: int = 0
    _dropped: dict[bytes, int] = field(default_factory=dict)
    _logged_s: dict[bytes, float] = field(default_factory=dict)

    def is_holding(self, client: bytes) -> bool:
        """Whether events wait for `client` (later terminal events queue behind them)."""
        return client in self._held

    def hold(self, client: bytes, event: str, header: bytes, frames: list[Any]) -> None:
        """Keep an event (its name and packed header) for later; over budget a result becomes a
        small error stand-in, and anything else (or a stand-in that does not fit either) is
        dropped."""
        nbytes = HEADER_BYTES + sum(len(f) for f in frames)
        if self._bytes + nbytes > self.max_bytes:
            if event != wire.EVENT_RESULT or self._bytes + HEADER_BYTES > self.max_bytes:
                self.note_dropped(client, event)
                return
            header, frames, nbytes = _dropped_result(header, self.max_bytes), [], HEADER_BYTES
        self._held.setdefault(client, deque()).append(_Held(header, frames, nbytes))
        self._bytes += nbytes
        self.note_dropped(client, event)

    def note_dropped(self, client: bytes, event: str) -> None:
        """Count a dropped or held event; log it at most once per client every LOG_EVERY_S."""
        self._dropped[client] = self._dropped.get(client, 0) + 1
        now = time.monotonic()
        if now - self._logged_s.get(client, -LOG_EVERY_S) >= LOG_EVERY_S:
            log.warning(
                "client %s is not reading: %d events dropped or held so far (last: %s); "
                "%d bytes of results held for slow clients",
                client.hex(), self._dropped[client], event, self._bytes,
            )  # fmt: skip
            self._logged_s[client] = now

    def flush(self, send: Sender) -> None:
        """Send what the clients' pipes now take, oldest first."""
        for client in list(self._held):
            waiting = self._held[client]
            while waiting and send(client, waiting[0].header, waiting[0].frames):
                self._bytes -= waiting.popleft().nbytes
            if not waiting:
                del self._held[client]

    def forget(self, client: bytes) -> None:
        """The client has gone: drop what was held for it."""
        for held in self._held.pop(client, deque()):
            self._bytes -= held.nbytes
        self._dropped.pop(client, None)
        self._logged_s.pop(client, None)


def _dropped_result(packed: bytes, max_bytes: int) -> bytes:
    """The packed error that stands in for a result header (the one header unpacked here)."""
    header = wire.unpack(packed)
    message = (
        f"the result was dropped: this client left earlier results unread and the daemon keeps "
        f"at most {max_bytes} bytes of them; read events as they come"
    )
    error = wire.error_event(header.get("id"), "result_dropped", message, job=header.get("job"))
    return wire.pack(error)
