"""Progress of the optimization loop: steps counted across scales, cancellation, and an ETA
weighted by each step's pixel count, so that cheap coarse steps do not promise a quick finish."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from torch import Tensor

from stylebridge.core.errors import Cancelled
from stylebridge.core.progress import Progress, estimate_eta_s


@dataclass
class Reporter:
    """Counts steps and work (pixels evaluated), checks cancellation, sends Progress reports.

    `work_total` is Σ over scales of (steps + 1) · h · w: every scale also evaluates its start.
    """

    total: int
    work_total: int
    progress: Callable[[Progress], None] | None
    should_cancel: Callable[[], bool] | None
    preview_every: int
    started_s: float = field(default_factory=time.perf_counter)
    step: int = 0
    work_done: int = 0

    def check_cancel(self) -> None:
        """Raise Cancelled if the caller asked to stop."""
        if self.should_cancel is not None and self.should_cancel():
            raise Cancelled(f"cancelled after step {self.step} of {self.total}")

    def add_steps(self, steps: int, pixels: int) -> None:
        """A retry adds `steps` (plus its start evaluation) of `pixels` each to the plan."""
        self.total += steps
        self.work_total += (steps + 1) * pixels

    def done_work(self, pixels: int) -> None:
        """One evaluation that is not a step (a scale's start) cost `pixels`."""
        self.work_done += pixels

    def done_step(
        self, loss: float, pixels: int, image: Tensor, finish: Callable[[Tensor], Tensor]
    ) -> None:
        """One step done at `pixels` per evaluation; `image` is previewed through `finish`."""
        self.step += 1
        self.work_done += pixels
        if self.progress is None:
            return
        last = self.step == self.total
        wants_preview = self.preview_every > 0 and (self.step % self.preview_every == 0 or last)
        elapsed = time.perf_counter() - self.started_s
        self.progress(
            Progress(
                step=self.step,
                total=self.total,
                loss=loss,
                elapsed_s=elapsed,
                eta_s=estimate_eta_s(self.work_done, self.work_total, elapsed),
                preview=finish(image.detach()).cpu() if wants_preview else None,
            )
        )
