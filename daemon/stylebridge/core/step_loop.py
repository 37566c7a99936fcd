"""The Adam loop every trainer here shares (the multi-style network, add-style, the feature
decoder): random draws seeded so that a resumed run continues its sequence instead of repeating
the first steps, a stop check between steps, and a progress report after each one."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol, TypeVar

import torch
from torch import Tensor, nn

from stylebridge.core.progress import Progress, estimate_eta_s


class HasTotal(Protocol):
    @property
    def total(self) -> float: ...


Losses = TypeVar("Losses", bound=HasTotal)


def run_steps(
    module: nn.Module,
    optimizer: torch.optim.Optimizer,
    steps: int,
    start_step: int,
    seed: int,
    losses_for: Callable[[torch.Generator], tuple[Tensor, Losses]],
    on_step: Callable[[int, Losses, Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> int:
    """Steps start_step+1..steps; each draws its batch from the generator through `losses_for`
    (the loss to minimise, and the figures to report). Returns the last step done."""
    generator = torch.Generator().manual_seed(seed * 1_000_003 + start_step)
    module.train()
    started = time.monotonic()
    step = start_step
    while step < steps:
        if should_stop is not None and should_stop():
            break
        optimizer.zero_grad(set_to_none=True)
        total, losses = losses_for(generator)
        total.backward()
        optimizer.step()
        step += 1
        if on_step is not None:
            elapsed = time.monotonic() - started
            eta = estimate_eta_s(step - start_step, steps - start_step, elapsed)
            on_step(step, losses, Progress(step, steps, losses.total, elapsed, eta))
    return step
