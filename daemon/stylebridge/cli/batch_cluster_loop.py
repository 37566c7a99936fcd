"""The frame loop of `batch --cluster`: frames fanned out to the Ray workers and gathered in
order, written here on the driver exactly as a local batch writes them (atomic, resumable).

A worker that dies is replaced and every frame it held is sent again; a frame is written only
when its result is in hand, once, so nothing is written twice or lost."""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from stylebridge.cli.batch_loop import FRAME_ERRORS, BatchReport, frames_to_do
from stylebridge.cli.cluster_pool import WorkerPool
from stylebridge.cli.frame_transfer import from_wire, loaded_to_wire
from stylebridge.core.frame_io import FRAMES_EXTRA, LoadedFrame, read_frame, write_frame
from stylebridge.core.frames import Frame, Shot
from stylebridge.core.progress import Progress, estimate_eta_s

# Frames queued per worker: one running, one waiting, so a worker never idles on the driver.
FRAMES_PER_WORKER = 2


@dataclass
class _Job:
    """A frame sent to a worker (pixels in wire form, frame_transfer.py); `result` is the Ray
    reference to its stylized pixels."""

    frame: Frame
    loaded: LoadedFrame
    worker: int
    result: Any


class _Tally:
    """Counts, progress and the one-line messages of a batch, as the local loop gives them."""

    def __init__(self, total: int, on_progress: Callable[[Progress], None] | None, errors: TextIO):
        self.total, self.on_progress, self.errors = total, on_progress, errors
        self.done = self.failed = 0
        self.started = time.monotonic()
        self.warned_bits = False

    def failure(self, frame: Frame, error: BaseException) -> None:
        self.failed += 1
        print(f"stylebridge: frame {frame.source} failed: {error}", file=self.errors)
        self.step()

    def written(self, loaded: LoadedFrame, frame: Frame) -> None:
        if loaded.lost_bits and not self.warned_bits:
            self.warned_bits = True
            print(
                f"stylebridge: warning: {frame.source} has 16 bits per channel; frames are "
                f"written with 8 bits ({FRAMES_EXTRA} keeps 16)", file=self.errors,
            )  # fmt: skip
        self.step()

    def step(self) -> None:
        self.done += 1
        if self.on_progress is not None:
            elapsed = time.monotonic() - self.started
            eta = estimate_eta_s(self.done, self.total, elapsed)
            self.on_progress(Progress(self.done, self.total, None, elapsed, eta))


def run_frames_on_cluster(
    shots: Sequence[Shot],
    pool: WorkerPool,
    overwrite: bool,
    shares_stats: bool,
    on_progress: Callable[[Progress], None] | None = None,
    errors: TextIO | None = None,
) -> BatchReport:
    """Stylize every frame to do on the pool's workers, shot by shot, written in frame order."""
    todo = frames_to_do(shots, overwrite)
    total = sum(len(s.frames) for s in todo)
    skipped = sum(len(s.frames) for s in shots) - total
    tally = _Tally(total, on_progress, errors or sys.stderr)
    for shot in (s for s in todo if s.frames):
        stats = _shot_stats(shot, pool) if shares_stats else None
        _run_shot(shot, pool, stats, tally)
    return BatchReport(tally.done - tally.failed, skipped, tally.failed)


def _run_shot(shot: Shot, pool: WorkerPool, stats: Any, tally: _Tally) -> None:
    """Keep every worker fed; take results in frame order; redo what a dead worker held."""
    import ray
    from ray.exceptions import RayActorError, RayTaskError

    frames = iter(shot.frames)
    in_flight: deque[_Job] = deque()
    while _feed(in_flight, frames, pool, stats, tally) or in_flight:
        job = in_flight[0]
        try:
            result = ray.get(job.result)
        except RayActorError:
            _redo(in_flight, job.worker, pool, stats)
            continue
        except RayTaskError as e:
            if not isinstance(e.cause, FRAME_ERRORS):
                raise
            tally.failure(job.frame, e.cause)
        else:
            _write(job, result, tally)
        in_flight.popleft()


def _feed(
    in_flight: deque[_Job], frames: Iterator[Frame], pool: WorkerPool, stats: Any, tally: _Tally
) -> bool:
    """Send frames to the least busy workers until each holds FRAMES_PER_WORKER; False when
    no frame is left to send."""
    while len(in_flight) < pool.size * FRAMES_PER_WORKER:
        frame = next(frames, None)
        if frame is None:
            return False
        try:
            loaded = loaded_to_wire(read_frame(frame.source))
        except FRAME_ERRORS as e:
            tally.failure(frame, e)
            continue
        busy = [sum(job.worker == i for job in in_flight) for i in range(pool.size)]
        worker = busy.index(min(busy))
        result = pool.workers[worker].stylize.remote(frame, loaded, stats)
        in_flight.append(_Job(frame, loaded, worker, result))
    return True


def _redo(in_flight: deque[_Job], dead: int, pool: WorkerPool, stats: Any) -> None:
    """Replace worker `dead` and send it again every frame it held, keeping their order."""
    pool.replace(dead)
    for job in in_flight:
        if job.worker == dead:
            job.result = pool.workers[dead].stylize.remote(job.frame, job.loaded, stats)


def _write(job: _Job, result: Any, tally: _Tally) -> None:
    """Write one result as the local batch does; a frame that cannot be written fails alone."""
    try:
        write_frame(from_wire(result), job.frame.output, job.loaded.bits)
    except FRAME_ERRORS as e:
        tally.failure(job.frame, e)
        return
    tally.written(job.loaded, job.frame)


def _shot_stats(shot: Shot, pool: WorkerPool) -> Any:
    """A Ray reference to the shot's shared statistics, recorded by one worker on sample frames
    the driver read, then handed to every frame of the shot."""
    import ray
    from ray.exceptions import RayActorError

    from stylebridge.cli.batch_runners import _try_read
    from stylebridge.core.temporal import sample_indices

    picked = [shot.frames[i].source for i in sample_indices(len(shot.frames))]
    samples = [rgb for rgb in map(_try_read, picked) if rgb is not None]
    if not samples:
        return None
    while True:
        try:
            return ray.put(ray.get(pool.workers[0].shot_stats.remote(samples)))
        except RayActorError:
            pool.replace(0)
