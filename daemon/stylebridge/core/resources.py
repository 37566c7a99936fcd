"""Where the optimization runs and whether it fits: device choice and a memory estimate that
lets the CLI and the daemon refuse an impossible size before allocating anything."""

from __future__ import annotations

import os
import re

import torch

# Floats kept per output pixel by one VGG-19 forward+backward up to relu5_1: conv and ReLU
# outputs of each block (channels x area fraction), e.g. block 1: 4 tensors x 64 ch x 1.
_ACTIVATION_FLOATS_PER_PX = 4 * 64 + 4 * 128 / 4 + 8 * 256 / 16 + 8 * 512 / 64 + 2 * 512 / 256
# Backward holds gradients of about the same size as the activations it walks through.
_BACKWARD_FACTOR = 2.0
LBFGS_HISTORY = 20
_BASE_BYTES = 200 * 2**20  # VGG-19 weights (80 MB) and working space


def resolve_device(name: str) -> torch.device:
    """'auto' | 'cpu' | 'cuda[:N]' -> a torch.device; ValueError when CUDA is absent."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name != "cpu" and not re.fullmatch(r"cuda(:\d+)?", name):
        raise ValueError(f"device must be auto, cpu, cuda or cuda:N, got {name!r}")
    if name != "cpu" and not torch.cuda.is_available():
        raise ValueError(f"device {name!r} asked for, but no CUDA GPU is available; use cpu")
    return torch.device(name)


def estimate_memory_bytes(height_px: int, width_px: int, optimizer: str, styles: int = 1) -> int:
    """Peak bytes for optimizing an H x W image (styles are resized to the same area)."""
    pixels = height_px * width_px
    activations = _ACTIVATION_FLOATS_PER_PX * pixels * 4 * _BACKWARD_FACTOR
    image_copies = (2 * LBFGS_HISTORY + 4) if optimizer == "lbfgs" else 6
    style_forward = _ACTIVATION_FLOATS_PER_PX * pixels * 4 * min(styles, 1)
    return int(_BASE_BYTES + activations + style_forward + image_copies * 3 * pixels * 4)


def available_memory_bytes(device: torch.device) -> int | None:
    """Free bytes on the device (MemAvailable for the CPU), or None when unknown."""
    if device.type == "cuda":
        free, _ = torch.cuda.mem_get_info(device)
        return int(free)
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    if hasattr(os, "sysconf") and "SC_AVPHYS_PAGES" in os.sysconf_names:
        return int(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    return None


def check_fits(height_px: int, width_px: int, optimizer: str, device: torch.device) -> None:
    """ValueError naming the size and both figures when the run would not fit in memory."""
    needed = estimate_memory_bytes(height_px, width_px, optimizer)
    free = available_memory_bytes(device)
    if free is not None and needed > 0.9 * free:
        raise ValueError(
            f"size {width_px}x{height_px} px needs about {needed / 2**30:.1f} GiB "
            f"on {device.type}, only {free / 2**30:.1f} GiB is free; use a smaller --size"
        )
