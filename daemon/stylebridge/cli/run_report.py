"""What a stylize run prints on stderr, wherever it runs: the progress bar and the closing line."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

from torch import Tensor

from stylebridge.core.progress import Progress


class ProgressBar:
    """A plain-text bar on stderr; redrawn in place on a terminal, every 10 % otherwise."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream, self.width = stream or sys.stderr, width
        self.is_tty = self.stream.isatty()
        self._last_tenth = -1

    def update(self, p: Progress) -> None:
        tenth = p.step * 10 // max(p.total, 1)
        if not self.is_tty and tenth == self._last_tenth and p.step != p.total:
            return
        self._last_tenth = tenth
        filled = self.width * p.step // max(p.total, 1)
        bar = "#" * filled + "." * (self.width - filled)
        loss = f" loss {p.loss:.3g}" if p.loss is not None else ""
        eta = f" eta {p.eta_s:.0f}s" if p.eta_s is not None else ""
        line = f"[{bar}] {p.step}/{p.total}{loss}{eta}"
        end = "\n" if p.step == p.total or not self.is_tty else ""
        self.stream.write(("\r" + line.ljust(70) if self.is_tty else line) + end)
        self.stream.flush()


def report_saved(
    args: argparse.Namespace, output: Path, result: Tensor, started: float, where: str = ""
) -> None:
    """One closing line on stderr: where the (H, W) result went and how long it took; `where`
    says who made it (', via the daemon')."""
    if not args.quiet:
        took = time.perf_counter() - started
        size = f"{result.shape[-1]}x{result.shape[-2]}"
        print(f"saved {output} ({size}, {took:.1f}s{where})", file=sys.stderr)
