"""One scale of the optimization loop, guarded: L-BFGS with a strong-Wolfe line search (or Adam),
the lowest-loss image kept, and a loss that turns inf/NaN or never falls retried once in float32
from the best image, then raised as OptimizationFailed. An unchanged image is never a result.

Why the line search: torch's L-BFGS without one moves the pixels by g/‖g‖₁ first (≈1e-3 each),
then by a full quasi-Newton step scaled by sᵀy/yᵀy from that tiny first pair. Under bf16
autocast a 1e-3 change is below the resolution of VGG's input (bf16 spacing 0.5 on Caffe's 0..255
scale), so y is almost 0 and sᵀy/yᵀy huge: at 64 px with red-texture the second step moved pixels
by 3.3e7, the loss overflowed to inf and every later step was NaN. In float32 the same step
overshot too (loss ×135) and recovered by luck. The Wolfe conditions accept only steps that lower
the loss and show positive curvature, so every pair L-BFGS keeps is real.

Why L-BFGS sees the loss divided by its first value: the line search's cubic interpolation
squares directional derivatives, and with a saturated style at 48 px the loss was 1.4e11, its
gradient's L1 norm 4.7e11, so the square overflowed float32 and every trial step was NaN, in bf16
and in float32 alike. Divided, the loss starts at 1; the steps L-BFGS takes do not change.

Why draws are frozen within an `optimizer.step`: a line search needs a deterministic function.
With a fresh random draw per evaluation (inter, mmd-gauss) it diverged to NaN; the draw now
changes every `_DRAW_EVERY` evaluations.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import torch
from torch import Tensor

from stylebridge.core.errors import OptimizationFailed
from stylebridge.core.optimize_report import Reporter
from stylebridge.core.stylize_problem import Problem

_DRAW_EVERY = 20
_FIRST_STEP = 0.05  # largest pixel change (of 1) of the first L-BFGS trial step
_HISTORY = 20
_RETRY_ADAM_LR_FACTOR = 0.1


class _Spent(Exception):  # noqa: N818 (control flow, never escapes this module)
    """The scale's evaluation budget is used up; raised inside L-BFGS's closure to stop it."""


class _AttemptFailedError(Exception):
    """One attempt failed (non-finite or not falling); carries what to tell the caller."""


@dataclass
class _Attempt:
    """The evaluations of one attempt at one scale: count, start loss and best image so far."""

    problem: Problem
    reporter: Reporter
    budget: int  # evaluations: the start, then one per step
    pixels: int
    evaluations: int = 0
    first_loss: float = math.inf
    best_loss: float = math.inf
    best_image: Tensor | None = None
    draw: int = 0
    last: tuple[int, Tensor, Tensor, Tensor] | None = None  # (draw, x, scaled loss, gradient)

    def _scale(self) -> float:
        """What the loss is divided by: its first value under L-BFGS (see above); 1 under Adam,
        which is scale-free but for its eps, which a tiny loss would meet."""
        lbfgs = self.problem.params.optimizer == "lbfgs"
        return self.first_loss if lbfgs and self.first_loss > 0.0 else 1.0

    def evaluate(self, x: Tensor) -> Tensor:
        """Loss at `x` with its gradient in x.grad; counted, checked finite, best kept. The same
        point with the same draw again (a new `optimizer.step` starts there) is not recomputed."""
        if self.last is not None and self.last[0] == self.draw and torch.equal(self.last[1], x):
            x.grad = self.last[3].clone()
            return self.last[2]
        if self.evaluations == self.budget:
            raise _Spent()
        self.reporter.check_cancel()
        self.problem.context.generator.manual_seed(self.problem.params.seed * 7919 + self.draw)
        loss = self.problem.objective(x)
        value = float(loss.detach())
        if not math.isfinite(value):
            raise _AttemptFailedError(f"the loss became {value} at step {self.reporter.step + 1}")
        if self.evaluations == 0:
            self.first_loss = value
        scaled = loss / self._scale()
        scaled.backward()
        assert x.grad is not None
        self.last = (self.draw, x.detach().clone(), scaled.detach(), x.grad.detach().clone())
        self.evaluations += 1
        if value < self.best_loss:
            self.best_loss, self.best_image = value, self.last[1]
        if self.evaluations == 1:
            self.reporter.done_work(self.pixels)
        else:
            self.reporter.done_step(value, self.pixels, self.last[1], self.problem.finish)
        return scaled


def _first_lr(x: Tensor) -> float:
    """The lr that makes torch's first L-BFGS trial step, min(1, 1/‖g‖₁)·lr·g, move the pixel
    with the largest gradient by _FIRST_STEP: g/‖g‖₁ alone moves pixels by ~1e-5 at 384 px, and
    the line search grows a step at most ×10 per evaluation."""
    assert x.grad is not None
    grad = x.grad.detach()
    largest, total = float(grad.abs().max()), float(grad.abs().sum())
    if largest == 0.0:
        return 1.0
    return _FIRST_STEP / (min(1.0, 1.0 / total) * largest)


def _lbfgs(attempt: _Attempt, x: Tensor) -> None:
    optimizer = torch.optim.LBFGS(
        [x], lr=1.0, max_iter=1, history_size=_HISTORY,
        tolerance_grad=0.0, tolerance_change=0.0, line_search_fn="strong_wolfe",
    )  # fmt: skip

    def closure() -> Tensor:
        optimizer.zero_grad(set_to_none=True)
        return attempt.evaluate(x)

    try:
        closure()
        group = optimizer.param_groups[0]
        group["lr"] = _first_lr(x)
        while attempt.evaluations < attempt.budget:
            attempt.draw = attempt.evaluations // _DRAW_EVERY
            # +1: the call starts by evaluating where the last one stopped (the memo has it).
            group["max_eval"] = min(_DRAW_EVERY, attempt.budget - attempt.evaluations) + 1
            before = attempt.evaluations
            optimizer.step(closure)  # type: ignore[arg-type]
            if attempt.evaluations == before:  # stopped without evaluating: it would again
                return
            # After the first iteration, the quasi-Newton step (lr 1). A call may stop early (no
            # descent direction in bf16 noise); the next resumes with the history kept.
            group["lr"], group["max_iter"] = 1.0, attempt.budget
    except _Spent:
        pass


def _adam(attempt: _Attempt, x: Tensor, learning_rate: float) -> None:
    optimizer = torch.optim.Adam([x], lr=learning_rate)
    for _ in range(attempt.budget):
        optimizer.zero_grad(set_to_none=True)
        attempt.evaluate(x)
        if attempt.evaluations == attempt.budget:
            return
        optimizer.step()
        with torch.no_grad():
            x.clamp_(0.0, 1.0)


def _attempt(attempt: _Attempt, image: Tensor, adam_lr: float) -> Tensor:
    """Run `attempt` from `image`; the best image, or _AttemptFailedError if the loss never fell."""
    fmt = attempt.problem.memory_format
    x = image.detach().clone().contiguous(memory_format=fmt).requires_grad_(True)
    if attempt.problem.params.optimizer == "lbfgs":
        _lbfgs(attempt, x)
    else:
        _adam(attempt, x, adam_lr)
    assert attempt.best_image is not None
    if attempt.first_loss > 0.0 and not attempt.best_loss < attempt.first_loss:
        raise _AttemptFailedError(f"the loss did not fall in {attempt.budget - 1} steps")
    return attempt.best_image


def run_scale(problem: Problem, image: Tensor, steps: int, reporter: Reporter) -> Tensor:
    """`steps` steps from `image` at one scale -> the lowest-loss image. Raises Cancelled, or
    OptimizationFailed when the loss turns non-finite or does not fall, also on the retry."""
    pixels = image.shape[-2] * image.shape[-1]
    first = _Attempt(problem, reporter, steps + 1, pixels)
    try:
        return _attempt(first, image, problem.params.learning_rate)
    except _AttemptFailedError as failure:
        reason = str(failure)
    # Retry once, in float32 from the best finite image, with a fresh optimizer (Adam: smaller).
    reporter.add_steps(steps, pixels)
    safe = dataclasses.replace(problem, reduced_precision=False)
    retry = _Attempt(safe, reporter, steps + 1, pixels)
    start = image if first.best_image is None else first.best_image
    try:
        return _attempt(retry, start, problem.params.learning_rate * _RETRY_ADAM_LR_FACTOR)
    except _AttemptFailedError as failure:
        raise OptimizationFailed(
            f"optimization failed at {image.shape[-1]}x{image.shape[-2]} px: {reason}, and on "
            f"a retry in float32 {failure}; try a lower style weight or fewer steps per scale"
        ) from None
