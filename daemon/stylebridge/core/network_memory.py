"""What a network-path run allocates, estimated before it starts, so that a request can be
refused with the largest size that fits instead of the process being killed mid-run.

Figures measured with the shipped model (width 0.5) on CPU, peak RSS above an idle process:
1024 px untiled 135 MB, 2048 px in 1024 px tiles 303 MB, 8192 px in 1024 px tiles about 3.4 GB.
The coefficients below cover those with a margin of about 1.5.
"""

from __future__ import annotations

from collections.abc import Callable

from stylebridge.core.images import fit_long_side

# Whole-image float tensors at the working size: input, padded, channels-last, tiled output
# and its weights, colour and strength mixing.
WORKING_BYTES_PER_PX = 64
# Activations of one network pass (the whole image untiled, else one tile).
PASS_BYTES_PER_PX = 200
# The layer decoded to float, and again with the result resized back to it and encoded.
INPUT_BYTES_PER_PX = 96
BASE_BYTES = 150 * 2**20
MIN_SIZE_PX = 16
# Leave room for the allocator, the model cache and whatever else the process holds.
USABLE_FRACTION = 0.8


def working_size(height_px: int, width_px: int, size_px: int) -> tuple[int, int]:
    """(H, W) the network runs at: the layer's, or its long side scaled to size_px (0: full)."""
    return fit_long_side(height_px, width_px, size_px) if size_px else (height_px, width_px)


def estimate_network_bytes(height_px: int, width_px: int, size_px: int, tile_px: int) -> int:
    """Peak bytes for a network-path run on an H x W layer (size_px, tile_px: 0 = off)."""
    h, w = working_size(height_px, width_px, size_px)
    working = h * w
    one_pass = working if not tile_px or max(h, w) <= tile_px else tile_px * tile_px
    return (
        BASE_BYTES
        + WORKING_BYTES_PER_PX * working
        + PASS_BYTES_PER_PX * one_pass
        + INPUT_BYTES_PER_PX * height_px * width_px
    )


def largest_fitting_size(height_px: int, width_px: int, tile_px: int, free_bytes: int) -> int:
    """The largest size_px (long side) whose estimate fits in `free_bytes`; 0 when none does."""
    return largest_size_within(
        lambda size: estimate_network_bytes(height_px, width_px, size, tile_px), free_bytes
    )


def largest_size_within(estimate: Callable[[int], int], free_bytes: int) -> int:
    """The largest long side whose `estimate(size)` (growing with size) fits in `free_bytes`;
    0 when none of at least MIN_SIZE_PX does."""
    low, high = 0, MIN_SIZE_PX
    while estimate(high) <= free_bytes:
        low, high = high, high * 2
        if high > 1 << 20:
            return low
    while high - low > 1:
        middle = (low + high) // 2
        if estimate(middle) <= free_bytes:
            low = middle
        else:
            high = middle
    return low if low >= MIN_SIZE_PX else 0


def check_network_fits(
    height_px: int, width_px: int, size_px: int, tile_px: int, free_bytes: int | None
) -> None:
    """ValueError naming both figures and the largest size_px that fits, when it does not."""
    if free_bytes is None:
        return
    usable = int(free_bytes * USABLE_FRACTION)
    needed = estimate_network_bytes(height_px, width_px, size_px, tile_px)
    if needed <= usable:
        return
    largest = largest_fitting_size(height_px, width_px, tile_px, usable)
    advice = f"the largest size_px that fits now is {largest}" if largest else "none fits"
    raise ValueError(
        f"size_px {size_px} on a {width_px}x{height_px} image needs about "
        f"{needed / 2**30:.2f} GiB; {free_bytes / 2**30:.2f} GiB is free; {advice}"
    )
