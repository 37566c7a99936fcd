"""Time slicing without a daemon: where a job that yielded its turn goes back in the queue, how
its thread parks and resumes with its state, and that parked time is not running time."""

from __future__ import annotations

import threading
import time

import pytest
from stylebridge.core.errors import Cancelled
from stylebridge.pixel_layout import PixelLayout
from stylebridge.service.job_turns import JobTurns
from stylebridge.service.jobs import Job, JobQueue
from stylebridge.service.protocol import Limits
from stylebridge.service.requests import StylizeSpec

pytestmark = pytest.mark.timeout(60)

SPEC = StylizeSpec("echo", "default", PixelLayout(1, 1, "RGB", "uint8", 3), False, (), {}, False)


def job(client: bytes, name: str) -> Job:
    return Job(name, client, name, SPEC, [b"xyz"])


def drain(queue: JobQueue, device: str | None = None) -> list[str]:
    order = []
    while (next_job := queue.next(timeout_s=0, device=device)) is not None:
        order.append(next_job.id)
    return order


def test_a_yielding_job_goes_after_one_job_of_every_other_client_and_before_its_own() -> None:
    queue = JobQueue(Limits().max_queued_jobs)
    for client, name in ((b"A", "a1"), (b"A", "a2"), (b"B", "b1"), (b"B", "b2"), (b"C", "c1")):
        queue.submit(job(client, name))
    running = queue.next(timeout_s=0)
    assert running is not None and running.id == "a1"
    waiting = queue.next_of_other_clients(b"A", None)
    assert waiting is not None and waiting.id == "b1"
    assert queue.requeue(running) == 2  # b1 and c1 go first
    assert len(queue) == 5
    assert drain(queue) == ["b1", "c1", "a1", "b2", "a2"]  # then turns as usual


def test_a_lone_client_has_nobody_to_yield_to_and_requeue_after_close_is_refused() -> None:
    queue = JobQueue(10)
    queue.submit(job(b"A", "a1"))
    queue.submit(job(b"A", "a2"))
    running = queue.next(timeout_s=0)
    assert running is not None
    assert queue.next_of_other_clients(b"A", None) is None
    assert queue.requeue(running) == 0
    assert drain(queue) == ["a1", "a2"]
    queue.close()
    assert queue.requeue(running) is None


def test_a_parked_job_waits_for_the_device_it_started_on() -> None:
    queue = JobQueue(10)
    parked = job(b"A", "a1")
    parked.device = "cuda:0"
    queue.submit(job(b"B", "b1"))
    queue.requeue(parked)
    assert queue.next_of_other_clients(b"B", "cuda:1") is None
    assert drain(queue, "cuda:1") == ["b1"]
    assert drain(queue, "cuda:1") == []
    assert drain(queue, "cuda:0") == ["a1"]


def counting_body(turns_box: list[JobTurns], steps: int, done: list[int]) -> None:
    """A job of `steps` steps that may park between any two (the daemon's step boundary)."""
    step = 0
    try:
        while step < steps:
            turns_box[0].park_if_due()
            step += 1
            time.sleep(0.002)
    except Cancelled:
        done.append(-step)
        return
    done.append(step)


def test_a_parked_job_resumes_where_it_stopped_and_ends_once() -> None:
    done: list[int] = []
    box: list[JobTurns] = []
    others = threading.Event()
    others.set()
    turns = JobTurns("t", lambda: counting_body(box, 200, done), 0.01, others.is_set)
    box.append(turns)
    assert turns.run_until_parked()  # parked after about 0.01 s
    assert turns.parks == 1 and done == []
    others.clear()  # nobody waits any more: it runs to the end without parking again
    assert not turns.run_until_parked()
    assert done == [200] and turns.parks == 1


def test_an_abandoned_parked_job_unwinds_with_cancelled() -> None:
    done: list[int] = []
    box: list[JobTurns] = []
    turns = JobTurns("t", lambda: counting_body(box, 10_000, done), 0.01, lambda: True)
    box.append(turns)
    assert turns.run_until_parked()
    turns.abandon()
    deadline = time.monotonic() + 10
    while not done and time.monotonic() < deadline:
        time.sleep(0.01)
    assert done and done[0] < 0  # ended by Cancelled, never resumed


def test_slice_zero_never_parks() -> None:
    done: list[int] = []
    box: list[JobTurns] = []
    turns = JobTurns("t", lambda: counting_body(box, 50, done), 0, lambda: True)
    box.append(turns)
    assert not turns.run_until_parked()
    assert done == [50] and turns.parks == 0


def test_time_in_the_queue_does_not_count_toward_the_time_limit() -> None:
    parked = job(b"A", "a1")
    parked.start_clock(0.2)
    time.sleep(0.1)
    parked.stop_clock()
    time.sleep(0.3)  # queued: over the limit in wall time, not in running time
    assert not parked.should_cancel()
    parked.start_clock(0.2)
    time.sleep(0.15)
    assert parked.should_cancel() and parked.timed_out
    assert 0.25 <= parked.running_s() < 0.4
