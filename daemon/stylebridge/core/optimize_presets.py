"""Quality presets of the optimization path, per device: coarse to fine, so most steps run at a
quarter or a sixteenth of the pixels, and few at full size (Gatys et al. 2017 also spend most
iterations at low resolution).

CPU figures are sized for a 2-core machine: "normal" finishes a 512 px gram image in about a
minute (benchmarks/RESULTS.md has the measurements). On CUDA every step is ~50× cheaper, so the
presets there spend the steps the papers use.

A run that starts from a finished picture (init "network" or an image) refines it instead: all
steps at full size in one scale, because going coarse to fine would first shrink and blur the very
strokes it starts from (measured: the normal preset from the network scored texture 0.37, 30 steps
at full size 0.21, on the same photo and style and the same CPU time).
"""

from __future__ import annotations

from collections.abc import Sequence

PRESET_NAMES: tuple[str, ...] = ("draft", "normal", "fine")

# name -> OptimizeParams values; "steps" are those of the first (coarsest) scale, later scales
# run 40 % of them (optimize.scale_plan).
_CPU: dict[str, dict[str, object]] = {
    "draft": {"steps": 20, "scales": 2, "size": 384},
    "normal": {"steps": 30, "scales": 3, "size": 512},
    "fine": {"steps": 80, "scales": 3, "size": 768},
}
_CUDA: dict[str, dict[str, object]] = {
    "draft": {"steps": 100, "scales": 2, "size": 512},
    "normal": {"steps": 300, "scales": 3, "size": 1024},
    "fine": {"steps": 500, "scales": 3, "size": 1536},
}
# Refining a finished picture: one scale, the same CPU time as the coarse-to-fine presets.
_CPU_REFINE: dict[str, dict[str, object]] = {
    "draft": {"steps": 16, "scales": 1, "size": 384},
    "normal": {"steps": 30, "scales": 1, "size": 512},
    "fine": {"steps": 60, "scales": 1, "size": 768},
}
_CUDA_REFINE: dict[str, dict[str, object]] = {
    "draft": {"steps": 100, "scales": 1, "size": 512},
    "normal": {"steps": 200, "scales": 1, "size": 1024},
    "fine": {"steps": 300, "scales": 1, "size": 1536},
}
_BY_DEVICE = {"cpu": _CPU, "cuda": _CUDA}
_REFINE_BY_DEVICE = {"cpu": _CPU_REFINE, "cuda": _CUDA_REFINE}
FROM_SCRATCH_INITS = ("content", "noise")


# A preset is a time budget: a run at a smaller size than the preset's gets more steps in about
# the same time (pixels per step fall with the square of the size), at most this many times more.
# Measured at 384 px (CPU normal, refine from the network, ten styles): 30 steps gave texture
# 0.164 in 20 s per image (benchmarks/RESULTS.md).
MAX_STEP_FACTOR = 4.0

# CPU time of one step relative to gram's, for the losses that cost less (benchmarks/optimize.py,
# 2 cores, 384 and 512 px: mmd-linear 0.69 and 0.71, bn 0.84 and 0.96). A preset's budget is its
# steps of gram, so these take the steps that fit in that time. A costlier loss keeps the preset's
# steps and takes longer (the ETA says so): fewer steps would cost it the picture the preset is for.
_CPU_STEP_COST: dict[str, float] = {"mmd-linear": 0.7, "bn": 0.9}


def steps_at_size(steps: int, preset_size: int, size: int) -> int:
    """A preset's `steps` for a run at long side `size` instead of its own `preset_size`:
    ×(preset_size/size)², at most MAX_STEP_FACTOR; a larger size keeps them (it takes longer,
    and the ETA says so)."""
    if size >= preset_size:
        return steps
    return round(steps * min(MAX_STEP_FACTOR, (preset_size / size) ** 2))


def steps_for_methods(steps: int, methods: Sequence[str], device_type: str) -> int:
    """A preset's `steps` for a run of the style losses `methods` (a fusion pays for its costliest
    part) on a device of type `device_type`: more on a CPU when every one costs less per step than
    gram (_CPU_STEP_COST); the step costs of other devices are not measured, so they keep them."""
    if device_type != "cpu":
        return steps
    return round(steps / max(_CPU_STEP_COST.get(name, 1.0) for name in methods))


def preset_values(name: str, device_type: str, init: str = "content") -> dict[str, object]:
    """OptimizeParams values of preset `name` on a device of type 'cpu' or 'cuda'; an `init`
    other than content or noise (a finished picture) gets the one-scale refining values."""
    if name not in PRESET_NAMES:
        raise ValueError(f"preset must be one of {', '.join(PRESET_NAMES)}, got {name!r}")
    tables = _BY_DEVICE if init in FROM_SCRATCH_INITS else _REFINE_BY_DEVICE
    table = tables.get(device_type)
    if table is None:
        raise ValueError(f"device type must be one of {', '.join(_BY_DEVICE)}, got {device_type!r}")
    return dict(table[name])
