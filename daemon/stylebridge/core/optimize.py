"""The optimization path: Gatys, Ecker & Bethge, "Image Style Transfer Using CNNs" (CVPR 2016),
with the controls of Gatys et al. 2017 (colour, masks, coarse-to-fine) and every style loss of
`methods.py`, fused with weights. Optimizes the pixels of one image with L-BFGS or Adam.

GPU fast path: VGG under bf16 autocast with channels_last, cudnn.benchmark, style targets once
per scale, random draws on the device. The loss is read on the host at every evaluation (L-BFGS's
line search needs it, and the guard of `optimize_scale.py` checks that it is finite).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import torch
from torch import Tensor

from stylebridge.core.errors import OptimizationFailed
from stylebridge.core.images import fit_long_side, load_image, resize
from stylebridge.core.method_names import parse_method_spec
from stylebridge.core.optimize_params import OPTIMIZE_PARAMETERS
from stylebridge.core.optimize_presets import (
    preset_values,
    steps_at_size,
    steps_for_methods,
)
from stylebridge.core.optimize_report import Reporter
from stylebridge.core.optimize_scale import run_scale
from stylebridge.core.optimize_start import AUTO_INIT, PICTURE_INITS, resolve_init
from stylebridge.core.params import validate
from stylebridge.core.progress import Progress
from stylebridge.core.resources import check_fits, resolve_device
from stylebridge.core.stylize_problem import Problem, build_problem, finish_image, prepare_inputs
from stylebridge.core.temporal_loss import TemporalTarget
from stylebridge.core.vgg import VGG19Features


@dataclass(frozen=True)
class OptimizeParams:
    """Every field mirrors an entry of OPTIMIZE_PARAMETERS (same name and default)."""

    preset: str = "none"
    method: str = "gram"
    content_weight: float = 1.0
    style_weight: float = 1.0
    tv_weight: float = 0.0
    steps: int = 300
    size: int = 512
    scales: int = 1
    optimizer: str = "lbfgs"
    learning_rate: float = 0.02
    init: str = "auto"
    preserve_color: str = "none"
    seed: int = 0
    preview_every: int = 0
    pooling: str = "max"
    vgg: str = "caffe"
    poly_c: float = 0.0
    device: str = "auto"

    @classmethod
    def from_values(
        cls, values: Mapping[str, Any], style_names: Sequence[str | None] | None = None
    ) -> OptimizeParams:
        """Validated against OPTIMIZE_PARAMETERS; init "auto" resolved for `style_names` (the
        library names of the styles, None for a custom image; optimize_start.resolve_init);
        missing names take the preset's values for the device and start (when a preset is named;
        its steps scaled to a smaller given size and to the method's cost per step:
        optimize_presets.steps_at_size, steps_for_methods), then their defaults."""
        values = {**values, "init": resolve_init(str(values.get("init", AUTO_INIT)), style_names)}
        checked = validate(OPTIMIZE_PARAMETERS, values)
        if checked["preset"] != "none":
            device_type = resolve_device(checked["device"]).type
            base = preset_values(checked["preset"], device_type, str(checked["init"]))
            if "steps" not in values:
                steps = int(str(base["steps"]))
                if "size" in values:
                    steps = steps_at_size(steps, int(str(base["size"])), checked["size"])
                methods = [name for name, _ in parse_method_spec(str(checked["method"]))]
                base["steps"] = steps_for_methods(steps, methods, device_type)
            checked = validate(OPTIMIZE_PARAMETERS, {**base, **values})
        return cls(**checked)

    def __post_init__(self) -> None:
        given = {f.name: getattr(self, f.name) for f in fields(self)}
        validate(OPTIMIZE_PARAMETERS, given)


def scale_plan(
    height: int, width: int, size: int, scales: int, steps: int
) -> list[tuple[int, int, int]]:
    """[(h, w, steps)] coarse to fine: each level doubles; later levels get 40 % of the steps
    (Gatys et al. 2017 used 500 then 200 iterations)."""
    plan = []
    for level in range(scales):
        long_side = max(16, round(size / 2 ** (scales - 1 - level)))
        h, w = fit_long_side(height, width, long_side)
        plan.append((h, w, steps if level == 0 else max(1, round(steps * 0.4))))
    return plan


def _initial_image(params: OptimizeParams, content: Tensor, given: Tensor | None) -> Tensor:
    """The start: `given` for a picture start (network, arbitrary), else the photo, noise or an
    image file. An "auto" that reaches here unresolved (params built directly, not through
    from_values) starts from `given` when the caller made one, else from the photo."""
    size_hw = (content.shape[-2], content.shape[-1])
    init = params.init
    if init == AUTO_INIT:
        init = PICTURE_INITS[0] if given is not None else "content"
    if init in PICTURE_INITS:
        if given is None:
            raise ValueError(f"init {init!r} needs that path's result as init_image")
        return resize(given.detach().float().to(content.device), size_hw)
    if init == "content":
        return content.clone()
    if init == "noise":
        generator = torch.Generator().manual_seed(params.seed)
        return torch.rand(content.shape, generator=generator).to(content.device)
    if not Path(init).exists():
        raise ValueError(
            f"init must be auto, content, noise, network, arbitrary or an image file, got {init!r}"
        )
    return resize(load_image(init).to(content.device), size_hw)


def stylize_optimize(
    content: Tensor,
    styles: Sequence[Tensor],
    params: OptimizeParams,
    style_weights: Sequence[float] | None = None,
    mask: Tensor | None = None,
    style_masks: Sequence[Tensor] | None = None,
    progress: Callable[[Progress], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    vgg: VGG19Features | None = None,
    init_image: Tensor | None = None,
    temporal: TemporalTarget | None = None,
) -> Tensor:
    """(1,3,H,W) content + styles in [0,1] -> (1,3,h,w) result on the CPU, long side params.size.

    Masks are (1,1,H,W) in [0,1]: `mask` limits where style applies (the result is composited
    with the content through it); `style_masks[i]` limits style i. Raises Cancelled. `vgg`, if
    given, is used instead of the process-wide cached one (the daemon owns its models' lifetime).
    `init_image` (1,3,H,W) is the start for init "network" or "arbitrary" (optimize_start.py).
    `temporal`, for a frame of a video, is the start instead and adds the temporal loss.
    """
    inputs = prepare_inputs(content, styles, style_weights, mask, style_masks, params.method)
    device = resolve_device(params.device)
    height, width = content.shape[-2], content.shape[-1]
    plan = scale_plan(height, width, params.size, params.scales, params.steps)
    check_fits(plan[-1][0], plan[-1][1], params.optimizer, device)
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
    reporter = Reporter(
        total=sum(n for _, _, n in plan),
        work_total=sum((n + 1) * Reporter.work(h * w) for h, w, n in plan),
        progress=progress,
        should_cancel=should_cancel,
        preview_every=params.preview_every,
    )
    image: Tensor | None = None
    problem: Problem | None = None
    for h, w, steps in plan:
        reporter.check_cancel()
        target = None if temporal is None else temporal.at((h, w))
        problem = build_problem(inputs, params, device, (h, w), vgg, target)
        if image is not None:
            start = resize(image, (h, w))
        elif target is not None:
            start = target.previous.to(problem.content.device)
        else:
            start = _initial_image(params, problem.content, init_image)
        image = run_scale(problem, start.clamp(0, 1), steps, reporter)
    assert image is not None and problem is not None
    result = finish_image(problem, image).cpu()
    if not bool(torch.isfinite(result).all()):  # the last line of the guard: never a NaN image
        raise OptimizationFailed("optimization produced non-finite pixels")
    return result
