"""Progress inside one untiled network pass: a report after each block of the network.

A pass over a large image can take many seconds on a CPU; without this, a client saw step 0 of
0 until the end. The blocks (downsampling, residual, upsampling, output) differ in cost, so the
steps are honest counts, not a time scale; the ETA is left out for the same reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from torch import nn

from stylebridge.core.progress import Progress
from stylebridge.core.transformer import StyleNetwork


def network_blocks(network: StyleNetwork) -> list[nn.Module]:
    """The network's blocks in the order a pass runs them."""
    return [*network.down, *network.residual, *network.up, network.out]


@contextmanager
def block_progress(
    network: StyleNetwork, progress: Callable[[Progress], None] | None
) -> Iterator[None]:
    """While open, `progress` gets step k of (blocks + 1) after block k of each pass; the caller
    reports the last step when its result is ready. No-op when `progress` is None."""
    if progress is None:
        yield
        return
    blocks = network_blocks(network)
    total, started = len(blocks) + 1, time.monotonic()

    def hook_for(step: int) -> Callable[..., None]:
        def hook(*_: Any) -> None:
            progress(Progress(step, total, None, time.monotonic() - started, None))

        return hook

    handles = [b.register_forward_hook(hook_for(n + 1)) for n, b in enumerate(blocks)]
    try:
        yield
    finally:
        for handle in handles:
            handle.remove()
