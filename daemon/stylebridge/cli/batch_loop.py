"""The frame loop of `stylebridge batch`: skip what is written, stylize the rest shot by shot,
one progress bar over the whole batch, and a frame that fails is reported and left behind."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from stylebridge.cli.batch_runners import FrameRunner
from stylebridge.cli.main import CliError
from stylebridge.core.errors import OptimizationFailed
from stylebridge.core.frame_io import FRAMES_EXTRA, read_frame, write_frame
from stylebridge.core.frames import Frame, Shot
from stylebridge.core.progress import Progress, estimate_eta_s

# What one frame may fail with while the batch goes on (anything else stops the batch).
FRAME_ERRORS = (ValueError, OSError, OptimizationFailed, CliError)


@dataclass(frozen=True)
class BatchReport:
    """How the frames of a batch ended."""

    written: int
    skipped: int
    failed: int


def frames_to_do(shots: Sequence[Shot], overwrite: bool) -> list[Shot]:
    """The shots with only the frames still to write (written ones stay unless `overwrite`).

    Frames are written atomically, so a file under a frame's output name is a finished frame.
    """
    return [
        Shot(shot.name, tuple(f for f in shot.frames if overwrite or not f.output.exists()))
        for shot in shots
    ]


def run_frames(
    shots: Sequence[Shot],
    runner: FrameRunner,
    overwrite: bool,
    on_progress: Callable[[Progress], None] | None = None,
    errors: TextIO | None = None,
) -> BatchReport:
    """Stylize every frame to do, shot by shot; one line on `errors` per failed frame."""
    errors = errors or sys.stderr
    todo = frames_to_do(shots, overwrite)
    total = sum(len(s.frames) for s in todo)
    skipped = sum(len(s.frames) for s in shots) - total
    done = failed = 0
    started = time.monotonic()
    warned_bits = False
    for shot in (s for s in todo if s.frames):
        runner.begin_shot(shot)
        for frame in shot.frames:
            try:
                lost_bits = _one_frame(runner, frame)
            except FRAME_ERRORS as e:
                failed += 1
                print(f"stylebridge: frame {frame.source} failed: {e}", file=errors)
                lost_bits = False
            if lost_bits and not warned_bits:
                warned_bits = True
                print(
                    f"stylebridge: warning: {frame.source} has 16 bits per channel; frames are "
                    f"written with 8 bits ({FRAMES_EXTRA} keeps 16)", file=errors,
                )  # fmt: skip
            done += 1
            if on_progress is not None:
                elapsed = time.monotonic() - started
                eta = estimate_eta_s(done, total, elapsed)
                on_progress(Progress(done, total, None, elapsed, eta))
    return BatchReport(done - failed, skipped, failed)


def _one_frame(runner: FrameRunner, frame: Frame) -> bool:
    """Read, stylize and write one frame; whether it lost bits on the way."""
    loaded = read_frame(frame.source)
    result = runner.stylize(frame, loaded)
    write_frame(result, frame.output, loaded.bits)
    return loaded.lost_bits
