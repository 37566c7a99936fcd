"""Shot statistics over the wire (#17): network jobs of one client that name the same `shot` share
one set of instance-norm statistics, so the frames of an animation do not flicker
(core/temporal.py says why). The shot's first job records them from its own frame and keeps
them; every later job of the shot replays them.

First frame, not the batch's pool of frames spread over the shot: the daemon sees the frames one
at a time, in order, and cannot hold back the first result until later frames arrive. Replayed
statistics make the network a fixed map whichever frame they came from, so the flicker they
remove is the same; only the look follows the first frame rather than the whole shot.

A shot belongs to one client connection (the ROUTER identity, never shared: another client's
same id is another shot), is bound to what conditions its statistics (model, style weights, the
parameters the network runs with, not where in the picture a crop lies: another value is
`bad_parameter` before `accepted`), and is bounded: MAX_SHOTS_PER_CLIENT a client and MAX_SHOTS
in all, oldest dropped. A set of statistics is one (mean, variance) per channel of each
normalisation layer: 4.4 KB for the shipped network, so counting shots bounds the memory. A
client the server loop finds gone (an event it cannot deliver) loses its shots at once; one that
left quietly ages out under MAX_SHOTS.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from stylebridge.service.protocol import ProtocolError
from stylebridge.service.requests import StylizeSpec
from stylebridge.shot_params import shot_params

SHOT_PARAMETER = "shot"  # the network path's parameter (core/network_params.py)
SHOT_ID_MAX_CHARS = 64
SHOT_ID_PATTERN = re.compile(rf"[A-Za-z0-9._:-]{{1,{SHOT_ID_MAX_CHARS}}}")
MAX_SHOTS_PER_CLIENT = 4
MAX_SHOTS = 256  # all clients together: also covers clients that left without a word
WAIT_POLL_S = 0.1
T = TypeVar("T")


@dataclass
class Shot:
    """One client's shot: what its statistics are recorded under and, once the first job ran,
    the statistics ((mean, var) per layer, on the recording device)."""

    fingerprint: tuple[Any, ...]
    values: list[Any] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def check_shot_id(value: Any) -> str:
    """The shot id, or ProtocolError(bad_parameter): 1..64 of A-Z a-z 0-9 . _ : -"""
    if not isinstance(value, str) or not SHOT_ID_PATTERN.fullmatch(value):
        shown = repr(value)[:80]
        raise ProtocolError(
            "bad_parameter",
            f"parameter 'shot' must be 1..{SHOT_ID_MAX_CHARS} characters of A-Z a-z 0-9 . _ : - "
            f"('' for none), got {shown}",
        )
    return value


def shot_fingerprint(spec: StylizeSpec, values: dict[str, Any]) -> tuple[Any, ...]:
    """What a shot's statistics depend on: the model, the style blend (normalised by
    parse_stylize before it gets here) and every parameter the network runs with, except those
    that only say where the image lies in the picture or how large the result is."""
    blend = sorted((str(style.name), style.weight) for style in spec.styles)
    return spec.model, tuple(blend), shot_params(values)


class ShotStore:
    """The shots of every client, oldest first; used from the server loop's thread."""

    def __init__(self, per_client: int = MAX_SHOTS_PER_CLIENT, total: int = MAX_SHOTS) -> None:
        self._per_client = per_client
        self._total = total
        self._shots: OrderedDict[tuple[bytes, str], Shot] = OrderedDict()

    def __len__(self) -> int:
        return len(self._shots)

    def claim(self, client: bytes, spec: StylizeSpec, values: dict[str, Any]) -> Shot | None:
        """The shot a job of `client` joins (a new one for a new id), None without a shot id;
        ProtocolError(bad_parameter) for a bad id or one recorded under other settings."""
        shot_id = values.get(SHOT_PARAMETER) or ""
        if not shot_id:
            return None
        key = (client, check_shot_id(shot_id))
        fingerprint = shot_fingerprint(spec, values)
        shot = self._shots.get(key)
        if shot is not None:
            if shot.fingerprint != fingerprint:
                raise ProtocolError(
                    "bad_parameter",
                    f"shot {shot_id!r} was recorded with another model, style blend or network "
                    "parameters; a shot keeps its settings: use a new shot id for new settings",
                )
            self._shots.move_to_end(key)
            return shot
        shot = self._shots[key] = Shot(fingerprint)
        self._drop_oldest(client)
        return shot

    def _drop_oldest(self, client: bytes) -> None:
        own = [key for key in self._shots if key[0] == client]
        for key in own[: max(0, len(own) - self._per_client)]:
            del self._shots[key]
        while len(self._shots) > self._total:
            self._shots.popitem(last=False)

    def forget_client(self, client: bytes) -> None:
        """Drop every shot of a client that went away."""
        for key in [key for key in self._shots if key[0] == client]:
            del self._shots[key]


def run_in_shot(
    shot: Shot | None, run: Callable[..., T], device: str, should_cancel: Callable[[], bool]
) -> T:
    """run(stats=...) once: no shot, None; the shot's first job a recording NormStats, kept when
    the run succeeds; later jobs the kept statistics, replayed. A job that would record while
    another (on another device) records waits for that one, so a shot records once."""
    if shot is None:
        return run(stats=None)
    from stylebridge.core.cin import NormStats
    from stylebridge.core.errors import Cancelled

    while not shot.lock.acquire(timeout=WAIT_POLL_S):
        if should_cancel():
            raise Cancelled()
    try:
        if shot.values is None:
            recording = NormStats(mode="record")  # fresh per try: a failed run kept nothing
            result = run(stats=recording)
            shot.values = recording.values
            return result
    finally:
        shot.lock.release()
    replayed = [(mean.to(device), var.to(device)) for mean, var in shot.values]
    return run(stats=NormStats(mode="replay", values=replayed))
