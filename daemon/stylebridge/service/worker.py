"""One worker thread per device: takes jobs from the queue, runs them, pushes their events.

Events go to the server loop over an inproc PUSH socket (ZeroMQ sockets are not thread-safe, so
only the loop touches the ROUTER) as [kind, event name, job id, client, packed header, *frames]:
the header is packed here, once, and the loop forwards it as it is.

Each job runs on its own thread holding the worker's turn (`job_turns.py`): an optimization that
ran longer than the queue's slice while another client's job waits parks at its next step, goes
back into the queue (a `queued` progress event with its position), and resumes there later.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import zmq

from stylebridge.core.errors import Cancelled, OptimizationFailed
from stylebridge.pixel_layout import packed_layout
from stylebridge.service import protocol as wire
from stylebridge.service.job_turns import JobTurns
from stylebridge.service.jobs import Job, JobQueue
from stylebridge.service.model_cache import ModelCache
from stylebridge.service.park_memory import fits_beside_a_parked_job
from stylebridge.service.protocol import ProtocolError
from stylebridge.service.public_text import without_server_paths

if TYPE_CHECKING:  # the core imports torch: the server loads this module without it
    from stylebridge.core.progress import Progress

log = logging.getLogger(__name__)

KIND_PROGRESS = b"p"
KIND_TERMINAL = b"t"
PROGRESS_EVERY_S = 0.2  # at most this often from the core; the server fills gaps >= 0.5 s
PREVIEW_EVERY_S = 1.0
PREVIEW_SIDE_PX = 256


# Only the network path retries with smaller tiles (runner.OOM_TILES_PX); the others do not tile.
OUT_OF_MEMORY_ADVICE = {wire.PATH_NETWORK: "out of memory even when tiled"}


def error_for(error: BaseException, path: str = "") -> tuple[str, str]:
    """(code, message) for a failed job of stylize path `path`."""
    from stylebridge.service.runner import is_out_of_memory

    if isinstance(error, ProtocolError):
        return error.code, error.message
    if isinstance(error, Cancelled):
        return "cancelled", "the job was cancelled"
    if isinstance(error, OptimizationFailed):
        return "optimization_failed", str(error)
    if is_out_of_memory(error):
        untiled = f"out of memory (the {path or 'job'} path does not tile)"
        said = OUT_OF_MEMORY_ADVICE.get(path, untiled)
        return "out_of_memory", f"{said}; lower the size or close other jobs"
    if isinstance(error, FileNotFoundError):
        return "unknown_model", str(error)
    if isinstance(error, ValueError):
        return "bad_parameter", str(error)
    return "internal", "internal error, see the daemon log"


def preview_frame(image: Any) -> tuple[dict[str, Any], bytes]:
    """A small RGB uint8 preview (descriptor, pixels) of a (1, 3, H, W) tensor."""
    from stylebridge.core import pixels
    from stylebridge.core.images import fit_long_side, resize

    height, width = image.shape[-2], image.shape[-1]
    if max(height, width) > PREVIEW_SIDE_PX:
        height, width = fit_long_side(height, width, PREVIEW_SIDE_PX)
    small = resize(image.detach().float().cpu(), (height, width))
    layout = packed_layout(width, height, "RGB", "uint8")
    return layout.to_wire(), pixels.encode(small, None, layout)


class Worker(threading.Thread):
    """Runs jobs for one device until the queue closes."""

    def __init__(
        self,
        device: str,
        queue: JobQueue,
        cache: ModelCache,
        context: zmq.Context,
        events_endpoint: str,
        on_start: Callable[[Job], None],
        time_limit_s: float = 0,
    ) -> None:
        super().__init__(name=f"worker-{device}", daemon=True)
        self.device = device
        self._queue = queue
        self._cache = cache
        self._context = context
        self._events_endpoint = events_endpoint
        self._on_start = on_start
        self._time_limit_s = time_limit_s
        self._stopping = threading.Event()
        self._push: zmq.Socket | None = None

    def stop(self) -> None:
        """Finish the current job's step and exit."""
        self._stopping.set()

    def run(self) -> None:
        push = self._context.socket(zmq.PUSH)
        push.setsockopt(zmq.LINGER, 1000)
        push.connect(self._events_endpoint)
        self._push = push
        try:
            while not self._stopping.is_set():
                job = self._queue.next(timeout_s=0.2, device=self.device)
                if job is not None:
                    self._run(job)
        finally:
            push.close()

    def _send(self, kind: bytes, job: Job, header: dict[str, Any], frames: list[Any]) -> None:
        # Set in run(); used by this thread or by the job thread holding the turn, never both.
        assert self._push is not None
        event = str(header["event"]).encode()
        parts = [kind, event, job.id.encode(), job.client, wire.pack(header), *frames]
        self._push.send_multipart(parts, copy=False)
        job.last_event_s = time.monotonic()

    def _other_client_fits(self, job: Job) -> bool:
        """Another client's job waits for this device and fits beside `job` once it parks."""
        waiting = self._queue.next_of_other_clients(job.client, self.device)
        return waiting is not None and fits_beside_a_parked_job(waiting, self.device)

    def _run(self, job: Job) -> None:
        """Give `job` a turn: start it, or resume it where it parked, until it ends or parks."""
        if job.turns is None:
            job.device = self.device
            job.turns = JobTurns(
                f"job-{job.id[:8]}",
                lambda: self._run_to_end(job),
                self._queue.slice_s,
                lambda: self._other_client_fits(job),
            )
        job.state = wire.STATE_RUNNING
        job.start_clock(self._time_limit_s)
        self._on_start(job)
        while job.turns.run_until_parked():
            job.stop_clock()
            job.state = wire.STATE_QUEUED
            # Cancelled (or the queue closed) just as it parked: let it run to its next step,
            # where it stops and sends its own terminal event.
            position = None if job.cancel.is_set() else self._queue.requeue(job)
            if position is not None:
                header = progress_header(job)
                header["position"] = position
                self._send(KIND_PROGRESS, job, header, [])
                return
            job.state = wire.STATE_RUNNING
            job.start_clock(self._time_limit_s)

    def _run_to_end(self, job: Job) -> None:
        """The job's own thread: run it and send its terminal event (none once abandoned)."""
        from stylebridge.service.runner import run_job

        try:
            if job.should_cancel():
                raise Cancelled()
            data, fmt = run_job(job, self.device, self._cache, self._reporter(job))
        except Exception as error:  # the job's error boundary: the worker never dies
            if job.turns is not None and job.turns.abandoned:
                return  # taken out of the queue while parked: its client was told already
            code, message = error_for(error, job.spec.path)
            if code == "cancelled" and job.timed_out:
                code = "time_limit"
                message = (
                    f"the job ran longer than the daemon's limit of {self._time_limit_s:g} s "
                    "of running time (setting job_time_limit_s; time spent queued does not "
                    "count); use fewer steps or a smaller size"
                )
            if code == "internal":
                log.exception("job %s failed", job.id)
            elif code == "out_of_memory":
                self._cache.clear()
            message = wire.capped_message(without_server_paths(message))
            header = wire.error_event(job.request_id, code, message, job=job.id)
            self._send(KIND_TERMINAL, job, header, [])
            return
        header = wire.event(wire.EVENT_RESULT, job.request_id, job=job.id, image=fmt)
        self._send(KIND_TERMINAL, job, header, [data])

    def _reporter(self, job: Job) -> Callable[[Progress], None]:
        last_preview = [0.0]

        def report(progress: Progress) -> None:
            job.step, job.total = progress.step, progress.total
            job.eta_s, job.loss = progress.eta_s, progress.loss
            now = time.monotonic()
            want_preview = (
                job.spec.preview
                and progress.preview is not None
                and now - last_preview[0] >= PREVIEW_EVERY_S
            )
            final = progress.step >= progress.total
            if not want_preview and not final and now - job.last_event_s < PROGRESS_EVERY_S:
                return
            header = progress_header(job)
            frames: list[Any] = []
            if want_preview:
                header["preview"], preview = preview_frame(progress.preview)
                frames.append(preview)
                last_preview[0] = now
            self._send(KIND_PROGRESS, job, header, frames)

        return report


def progress_header(job: Job) -> dict[str, Any]:
    """A progress event for the job's current state."""
    fields: dict[str, Any] = {"job": job.id, "state": job.state, "step": job.step}
    fields["total"] = job.total
    if job.eta_s is not None:
        fields["eta_s"] = round(float(job.eta_s), 3)
    if job.loss is not None:
        fields["loss"] = float(job.loss)
    return wire.event(wire.EVENT_PROGRESS, job.request_id, **fields)
