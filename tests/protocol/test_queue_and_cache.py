"""The job queue's fairness and cancel, and the model cache's LRU budget (no daemon needed)."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest
import torch
from stylebridge.pixel_layout import PixelLayout
from stylebridge.service.jobs import Job, JobQueue
from stylebridge.service.model_cache import ModelCache
from stylebridge.service.protocol import Limits, ProtocolError
from stylebridge.service.requests import StylizeSpec

SPEC = StylizeSpec("echo", "default", PixelLayout(1, 1, "RGB", "uint8", 3), False, (), {}, False)


def job(client: bytes, name: str) -> Job:
    return Job(name, client, name, SPEC, [])


def test_clients_are_served_in_turn_whatever_they_queued() -> None:
    queue = JobQueue(Limits().max_queued_jobs)
    for name in ("a1", "a2", "a3", "a4"):
        queue.submit(job(b"A", name))
    queue.submit(job(b"B", "b1"))
    queue.submit(job(b"C", "c1"))
    queue.submit(job(b"B", "b2"))
    order = []
    while (next_job := queue.next(timeout_s=0)) is not None:
        order.append(next_job.id)
    assert order == ["a1", "b1", "c1", "a2", "b2", "a3", "a4"]


def test_full_queue_is_busy_and_closed_queue_refuses() -> None:
    queue = JobQueue(2)
    queue.submit(job(b"A", "1"))
    queue.submit(job(b"B", "2"))
    with pytest.raises(ProtocolError) as info:
        queue.submit(job(b"C", "3"))
    assert info.value.code == "busy"
    assert [j.id for j in queue.close()] == ["1", "2"]
    with pytest.raises(ProtocolError) as info:
        queue.submit(job(b"C", "4"))
    assert info.value.code == "shutting_down"


def test_cancel_by_id_and_by_client() -> None:
    queue = JobQueue(10)
    for client, name in ((b"A", "a1"), (b"B", "b1"), (b"A", "a2")):
        queue.submit(job(client, name))
    removed = queue.remove("b1")
    assert removed is not None and removed.id == "b1"
    assert queue.remove("b1") is None
    assert [j.id for j in queue.remove_client(b"A")] == ["a1", "a2"]
    assert len(queue) == 0


def test_a_waiting_worker_wakes_on_submit() -> None:
    queue = JobQueue(10)
    got: list[Job | None] = []
    worker = threading.Thread(target=lambda: got.append(queue.next(timeout_s=10)))
    worker.start()
    queue.submit(job(b"A", "x"))
    worker.join(5)
    assert got and got[0] is not None and got[0].id == "x"


def test_model_cache_loads_once_and_evicts_least_recently_used() -> None:
    cache = ModelCache(budget_mb=1)  # 1 MiB: two 0.4 MiB modules fit, three do not
    loads: list[str] = []

    def loader(name: str) -> torch.nn.Module:
        loads.append(name)
        return torch.nn.Linear(320, 320)  # 102,720 floats = 0.39 MiB

    first = cache.get("a", lambda: loader("a"))
    assert cache.get("a", lambda: loader("a")) is first
    cache.get("b", lambda: loader("b"))
    cache.get("a", lambda: loader("a"))  # a is now the most recently used
    cache.get("c", lambda: loader("c"))
    assert [m.name for m in cache.entries()] == ["a", "c"]
    assert loads == ["a", "b", "c"]
    assert all(0.3 < m.size_mb < 0.5 for m in cache.entries())


def test_an_entry_over_the_budget_still_stays_alone() -> None:
    cache = ModelCache(budget_mb=0)
    cache.get("big", lambda: torch.nn.Linear(10, 10))
    cache.get("bigger", lambda: torch.nn.Linear(20, 20))
    assert [m.name for m in cache.entries()] == ["bigger"]


def test_evicted_vgg_is_freed_because_only_the_daemon_cache_holds_it() -> None:
    from stylebridge.core.optimize import OptimizeParams
    from stylebridge.service.runner import _cached_vgg

    cache = ModelCache(budget_mb=0)  # the newest entry stays alone: a second one evicts the first
    vgg = weakref.ref(_cached_vgg(OptimizeParams.from_values({"device": "cpu"}), cache))
    assert vgg() is not None
    cache.get("other", lambda: torch.nn.Linear(1, 1))
    gc.collect()
    assert vgg() is None
