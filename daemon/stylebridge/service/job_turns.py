"""Time slicing of one worker: each job runs on its own thread, and the worker and that thread
pass one turn between them, so a long job can park at a step boundary while another client's job
runs, then resume where it stopped.

Why a thread per job rather than a saved state: a parked job's stack just waits, so everything it
holds is kept as it was: the current image, the step count and scale, the optimizer's history
(L-BFGS pairs, Adam moments) and its best image. A resumed job therefore ends exactly as it would
have without the pause. The price is memory: a parked job keeps its tensors alive while the other
job runs. Only one of the threads runs at any time (the turn), so the worker's event socket is
only ever used by the thread holding the turn; the condition's lock is the memory barrier ZeroMQ
asks for when a socket changes threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from stylebridge.core.errors import Cancelled


class JobTurns:
    """The turn between a worker and one job's thread (see the module docstring)."""

    def __init__(
        self,
        name: str,
        body: Callable[[], object],
        slice_s: float,
        others_waiting: Callable[[], bool],
    ) -> None:
        self._name = name
        self._body = body
        self._slice_s = slice_s  # 0: never park
        self._others_waiting = others_waiting
        self._condition = threading.Condition()
        self._job_has_turn = False
        self._done = False
        self._turn_started_s = 0.0
        self._thread: threading.Thread | None = None
        self.abandoned = False
        self.parks = 0

    def run_until_parked(self) -> bool:
        """On the worker's thread: start or resume the job and wait until it parks (True) or
        ends (False)."""
        with self._condition:
            self._job_has_turn = True
            self._turn_started_s = time.monotonic()
            if self._thread is None:
                self._thread = threading.Thread(target=self._main, name=self._name, daemon=True)
                self._thread.start()
            self._condition.notify_all()
            self._condition.wait_for(lambda: not self._job_has_turn)
            return not self._done

    def is_due(self) -> bool:
        """Its slice is used up and another client's job waits for this worker."""
        if self._slice_s <= 0 or time.monotonic() - self._turn_started_s < self._slice_s:
            return False
        return self._others_waiting()

    def park_if_due(self) -> None:
        """On the job's thread, at a step boundary: when due, hand the turn to the worker and
        wait for it back. Raises Cancelled when the parked job was abandoned instead."""
        if not self.is_due():
            return
        with self._condition:
            self.parks += 1
            self._job_has_turn = False
            self._condition.notify_all()
            self._condition.wait_for(lambda: self._job_has_turn or self.abandoned)
        if self.abandoned:
            raise Cancelled("cancelled while waiting for its turn")

    def abandon(self) -> None:
        """The parked job left the queue (cancel, its client gone, shutdown): its thread unwinds
        and sends nothing, because whoever took it out tells its client."""
        with self._condition:
            self.abandoned = True
            self._condition.notify_all()

    def _main(self) -> None:
        try:
            self._body()
        finally:
            # The callables hold the job, which holds this: without them no cycle keeps the
            # job's pixel frames alive until the garbage collector runs.
            self._body = self._others_waiting = _nobody
            with self._condition:
                self._done = True
                self._job_has_turn = False
                self._condition.notify_all()


def _nobody() -> bool:
    return False
