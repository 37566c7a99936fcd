"""Whether a stylize job may be accepted: what it would allocate against what the device has free.

Runs before `accepted`, so that a small request asking for a huge working size gets `too_large`
with the size that fits, instead of the daemon being killed by the kernel halfway through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stylebridge.service import protocol as wire
from stylebridge.service.protocol import ProtocolError
from stylebridge.service.requests import StylizeSpec

FreeBytes = Callable[[str], "int | None"]


def device_free_bytes(device: str) -> int | None:
    """Bytes a job may still allocate on `device` (core.free_memory), or None when unknown."""
    import torch

    from stylebridge.core.free_memory import free_bytes

    return free_bytes(torch.device(device))


def _least_free(devices: tuple[str, ...], free: FreeBytes) -> int | None:
    """The smallest free figure over the devices a job may land on."""
    figures = [f for f in (free(d) for d in devices) if f is not None]
    return min(figures) if figures else None


def _check_network(spec: StylizeSpec, values: dict[str, Any], free_bytes: int | None) -> None:
    from stylebridge.core.network_memory import check_network_fits

    size_px, tile_px = int(values.get("size_px") or 0), int(values.get("tile_px") or 0)
    check_network_fits(spec.image.height, spec.image.width, size_px, tile_px, free_bytes)


def _check_optimize(spec: StylizeSpec, values: dict[str, Any], free_bytes: int | None) -> None:
    from stylebridge.core.images import fit_long_side
    from stylebridge.core.network_memory import INPUT_BYTES_PER_PX
    from stylebridge.core.resources import estimate_memory_bytes

    size = int(values.get("size") or 512)
    h, w = fit_long_side(spec.image.height, spec.image.width, size)
    needed = estimate_memory_bytes(h, w, str(values.get("optimizer", "lbfgs")), len(spec.styles))
    needed += INPUT_BYTES_PER_PX * spec.image.height * spec.image.width  # the layer, decoded
    if free_bytes is not None and needed > 0.8 * free_bytes:
        raise ValueError(
            f"size {size} needs about {needed / 2**30:.2f} GiB; "
            f"{free_bytes / 2**30:.2f} GiB is free; use a smaller size"
        )


def _check_arbitrary(spec: StylizeSpec, values: dict[str, Any], free_bytes: int | None) -> None:
    from stylebridge.core.arbitrary_memory import check_arbitrary_fits

    size_px, stroke = int(values.get("size_px") or 0), float(values.get("stroke") or 1.0)
    check_arbitrary_fits(spec.image.height, spec.image.width, size_px, stroke, free_bytes)


CHECKS: dict[str, Callable[[StylizeSpec, dict[str, Any], int | None], None]] = {
    wire.PATH_NETWORK: _check_network,
    wire.PATH_OPTIMIZE: _check_optimize,
    wire.PATH_ARBITRARY: _check_arbitrary,
}


def check_admission(
    spec: StylizeSpec,
    values: dict[str, Any],
    devices: tuple[str, ...],
    free: FreeBytes = device_free_bytes,
) -> None:
    """ProtocolError(too_large) naming the largest size that fits, when the job would not."""
    check = CHECKS.get(spec.path)
    if check is None:
        return
    try:
        check(spec, values, _least_free(devices, free))
    except ValueError as e:
        raise ProtocolError("too_large", str(e)) from None
