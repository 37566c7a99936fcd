"""The daemon's shot store (service/shots.py) on its own: what the server loop asks of it when a
job names a shot and when a client goes away, bounds included, and how a worker records or
replays a shot's statistics (no daemon)."""

from __future__ import annotations

from typing import Any

import pytest
import torch
from stylebridge.core.cin import NormStats
from stylebridge.core.errors import Cancelled
from stylebridge.service import protocol as wire
from stylebridge.service.protocol import ProtocolError
from stylebridge.service.requests import StylizeSpec, parse_stylize
from stylebridge.service.shots import Shot, ShotStore, run_in_shot

IMAGE = {"width": 4, "height": 4, "channels": "RGB", "dtype": "uint8"}


def spec(styles: list[dict[str, Any]] | None = None) -> StylizeSpec:
    header = wire.request(wire.OP_STYLIZE, "s", path="network", image=IMAGE, params={})
    header["styles"] = styles or [{"name": "udnie", "weight": 1.0}]
    return parse_stylize(header, [4 * 4 * 3], wire.Limits())


def values(shot: str, **params: Any) -> dict[str, Any]:
    return {"strength": 1.0, "stroke": 1.0, "tile_px": 2048, "shot": shot, **params}


def test_a_job_without_a_shot_joins_none() -> None:
    store = ShotStore()
    assert store.claim(b"a", spec(), values("")) is None and len(store) == 0


def test_the_same_client_and_id_share_one_shot_and_other_clients_get_their_own() -> None:
    store = ShotStore()
    first = store.claim(b"a", spec(), values("s"))
    assert store.claim(b"a", spec(), values("s", strength=0.3)) is first  # after the network
    assert store.claim(b"b", spec(), values("s")) is not first
    double = spec([{"name": "udnie", "weight": 2.0}])  # the same blend, normalised
    assert store.claim(b"a", double, values("s")) is first


@pytest.mark.parametrize(
    ("styles", "params"),
    [
        ([{"name": "the-scream"}], {}),
        ([{"name": "udnie"}, {"name": "the-scream", "weight": 0.5}], {}),
        (None, {"stroke": 2.0}),
        (None, {"tile_px": 512}),
    ],
)
def test_another_setting_under_a_shot_id_is_refused(
    styles: list[dict[str, Any]] | None, params: dict[str, Any]
) -> None:
    store = ShotStore()
    store.claim(b"a", spec(), values("s"))
    with pytest.raises(ProtocolError) as info:
        store.claim(b"a", spec(styles), values("s", **params))
    assert info.value.code == "bad_parameter" and "new shot id" in info.value.message


def test_shots_are_bounded_per_client_and_in_all_oldest_first() -> None:
    store = ShotStore(per_client=2, total=3)
    first = store.claim(b"a", spec(), values("1"))
    store.claim(b"a", spec(), values("2"))
    store.claim(b"a", spec(), values("1"))  # used again: now the newest of a's
    store.claim(b"a", spec(), values("3"))  # drops a's "2", keeps "1"
    assert store.claim(b"a", spec(), values("1")) is first and len(store) == 2
    store.claim(b"b", spec(), values("1"))
    store.claim(b"c", spec(), values("1"))  # 4 in all: the oldest (a's "3") goes
    assert len(store) == 3
    assert store.claim(b"a", spec(), values("1")) is first


def test_a_client_that_went_away_leaves_no_shot() -> None:
    store = ShotStore()
    kept = store.claim(b"b", spec(), values("s"))
    store.claim(b"a", spec(), values("s"))
    store.forget_client(b"a")
    assert len(store) == 1 and store.claim(b"b", spec(), values("s")) is kept


def never() -> bool:
    return False


def one_layer(stats: NormStats) -> str:
    """A one-layer 'network': takes its statistics once; says how it got them."""
    stats.take(torch.arange(18.0).reshape(1, 2, 3, 3))
    return stats.mode


def test_a_failed_recording_keeps_nothing_and_the_next_run_records() -> None:
    def out_of_memory(stats: NormStats) -> str:
        one_layer(stats)
        raise RuntimeError("CUDA out of memory")

    shot = Shot(())
    with pytest.raises(RuntimeError):
        run_in_shot(shot, out_of_memory, "cpu", never)
    assert shot.values is None
    assert run_in_shot(shot, one_layer, "cpu", never) == "record"
    assert run_in_shot(shot, one_layer, "cpu", never) == "replay"
    assert shot.values is not None and len(shot.values) == 1  # recorded once, not appended to
    assert run_in_shot(None, lambda stats: stats, "cpu", never) is None


def test_a_job_waiting_for_another_devices_recording_stops_on_cancel() -> None:
    shot = Shot(())
    with shot.lock, pytest.raises(Cancelled):  # another device's job is recording
        run_in_shot(shot, one_layer, "cpu", lambda: True)
