"""What an arbitrary-style run allocates, estimated before it starts, so that a request can be
refused with the largest size that fits instead of the process being killed mid-run.

The peak is one VGG-19 pass up to relu4_1 (64 channels at full resolution in relu1_x, two or
three such tensors alive) over the photo or over a style resized to the result's area times
stroke², while the photo's relu4_1 features and the aligned ones are held; the decoder's pass
back to full resolution is smaller. Measured on the 2-core CPU in float32 with the shipped
decoder shape: 512 px 193 MB and 1024 px 940 MB peak RSS above the loaded models (one style at
stroke 1). The coefficients below cover those with a margin of about 1.4.
"""

from __future__ import annotations

from stylebridge.core.network_memory import (
    BASE_BYTES,
    INPUT_BYTES_PER_PX,
    USABLE_FRACTION,
    WORKING_BYTES_PER_PX,
    largest_size_within,
    working_size,
)

PASS_BYTES_PER_PX = 1000  # one VGG-19 pass to relu4_1, per pixel of the image it encodes


def estimate_arbitrary_bytes(height_px: int, width_px: int, size_px: int, stroke: float) -> int:
    """Peak bytes for an arbitrary-style run on an H x W layer (size_px 0: the layer's size)."""
    h, w = working_size(height_px, width_px, size_px)
    largest_pass = h * w * max(1.0, stroke**2)  # the styles are encoded at area x stroke²
    return int(
        BASE_BYTES
        + PASS_BYTES_PER_PX * largest_pass
        + WORKING_BYTES_PER_PX * h * w
        + INPUT_BYTES_PER_PX * height_px * width_px
    )


def check_arbitrary_fits(
    height_px: int, width_px: int, size_px: int, stroke: float, free_bytes: int | None
) -> None:
    """ValueError naming both figures and the largest size_px that fits, when it does not."""
    if free_bytes is None:
        return
    usable = int(free_bytes * USABLE_FRACTION)
    needed = estimate_arbitrary_bytes(height_px, width_px, size_px, stroke)
    if needed <= usable:
        return
    largest = largest_size_within(
        lambda size: estimate_arbitrary_bytes(height_px, width_px, size, stroke), usable
    )
    advice = f"the largest size_px that fits now is {largest}" if largest else "none fits"
    raise ValueError(
        f"size_px {size_px} at stroke {stroke:g} on a {width_px}x{height_px} image needs about "
        f"{needed / 2**30:.2f} GiB; {free_bytes / 2**30:.2f} GiB is free; {advice}"
    )
