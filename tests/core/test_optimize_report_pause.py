"""Time a daemon keeps a job parked inside the cancel hook is not running time for its progress."""

from __future__ import annotations

import time

import torch
from stylebridge.core.optimize_report import Reporter
from stylebridge.core.progress import Progress


def test_time_waiting_in_the_cancel_hook_is_not_elapsed_or_eta_time() -> None:
    reports: list[Progress] = []
    pauses = [0.0, 0.0, 0.6]  # the third check parks for 0.6 s (another client's job runs)

    def should_cancel() -> bool:
        time.sleep(pauses.pop(0) if pauses else 0.0)
        return False

    pixels = 32 * 32
    reporter = Reporter(3, 4 * Reporter.work(pixels), reports.append, should_cancel, 0)
    image = torch.zeros(1, 3, 32, 32)
    reporter.check_cancel()
    reporter.done_work(pixels)
    for _ in range(3):
        reporter.check_cancel()
        time.sleep(0.02)
        reporter.done_step(1.0, pixels, image, lambda x: x)
    assert [r.step for r in reports] == [1, 2, 3]
    assert reports[-1].elapsed_s < 0.4  # 3 x 0.02 s of steps, not the 0.6 s pause
    assert reports[1].eta_s is not None and reports[1].eta_s < 0.3
