"""The body of one Ray actor of `batch --cluster`: it builds the same in-process runner as a local
batch once (model or styles loaded and kept warm), then stylizes the frames the driver sends it.

Pixels come in and go out as tensors; the actor never reads or writes frame files, so a worker on
another machine needs no access to the driver's folders (only to the model and style files)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import torch
from torch import Tensor

from stylebridge.cli.batch_runners import NetworkRunner
from stylebridge.cli.frame_transfer import loaded_from_wire, to_wire
from stylebridge.core.cin import NormStats
from stylebridge.core.frame_io import LoadedFrame
from stylebridge.core.frames import Frame


class FrameWorker:
    """Stylizes single frames; what a shot shares arrives with each frame, so a replacement
    worker needs no state from the one it replaces."""

    def __init__(self, args: argparse.Namespace) -> None:
        from stylebridge.cli.batch import local_runner

        self.runner = local_runner(args)

    def ready(self) -> bool:
        """True once the runner is built: the driver waits on it to see start-up errors."""
        return True

    def shot_stats(self, samples: Sequence[Tensor]) -> NormStats:
        """The normalisation statistics a shot shares, pooled over sample frames (1, 3, H, W)."""
        from stylebridge.core.temporal import shot_stats

        if not isinstance(self.runner, NetworkRunner):
            raise ValueError("shared statistics belong to the network path (--model)")
        # The same recording pass as NetworkRunner.begin_shot, on pixels the driver read; sent
        # back on the CPU, since the driver (or the next worker) may have no GPU.
        return _stats_on(shot_stats(samples, self.runner._run), torch.device("cpu"))

    def stylize(self, frame: Frame, sent: LoadedFrame, stats: NormStats | None) -> Tensor:
        """One frame in wire form (frame_transfer.py) -> its stylized pixels in wire form."""
        if isinstance(self.runner, NetworkRunner):
            device = next(self.runner.network.parameters()).device
            self.runner.stats = None if stats is None else _stats_on(stats, device)
        return to_wire(self.runner.stylize(frame, loaded_from_wire(sent)), sent.bits)


def _stats_on(stats: NormStats, device: torch.device) -> NormStats:
    """The same replaying statistics with every (mean, var) on `device`."""
    values = [(mean.to(device), var.to(device)) for mean, var in stats.values]
    return NormStats(mode="replay", values=values)
