"""How many bytes this process may still allocate on a device.

The machine's MemAvailable is not enough on its own: a daemon started under `prlimit --as` or in
a cgroup (systemd, containers) is killed, or fails in the allocator, long before the machine runs
out. So the CPU figure is the smallest of MemAvailable, the address-space limit left over, and
the memory cgroup's limit left over.
"""

from __future__ import annotations

import resource
from pathlib import Path

import torch

from stylebridge.core.resources import available_memory_bytes

_CGROUP_ROOT = Path("/sys/fs/cgroup")


def _vm_size_bytes() -> int | None:
    """This process's virtual size (what RLIMIT_AS counts), from /proc/self/status."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def address_space_left_bytes() -> int | None:
    """RLIMIT_AS minus the current virtual size, or None without a limit."""
    limit, _ = resource.getrlimit(resource.RLIMIT_AS)
    size = _vm_size_bytes()
    if limit == resource.RLIM_INFINITY or size is None:
        return None
    return max(0, limit - size)


def _cgroup_files() -> tuple[Path, Path] | None:
    """(limit file, usage file) of this process's memory cgroup, v2 or v1, or None."""
    try:
        lines = Path("/proc/self/cgroup").read_text(encoding="ascii").splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controllers == "" and (_CGROUP_ROOT / "memory.max").exists():
            folder = _CGROUP_ROOT / path.lstrip("/")
            return folder / "memory.max", folder / "memory.current"
        if "memory" in controllers.split(","):
            folder = _CGROUP_ROOT / "memory" / path.lstrip("/")
            return folder / "memory.limit_in_bytes", folder / "memory.usage_in_bytes"
    return None


def cgroup_left_bytes() -> int | None:
    """The memory cgroup's limit minus its usage, or None when unlimited or unknown."""
    files = _cgroup_files()
    if files is None:
        return None
    try:
        limit = files[0].read_text(encoding="ascii").strip()
        usage = int(files[1].read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None
    if not limit.isdigit() or int(limit) >= 2**60:  # "max" (v2) or the v1 "no limit" figure
        return None
    return max(0, int(limit) - usage)


def free_bytes(device: torch.device) -> int | None:
    """Bytes a new allocation on `device` may take (the smallest known bound), or None."""
    figures = [available_memory_bytes(device)]
    if device.type == "cpu":
        figures += [address_space_left_bytes(), cgroup_left_bytes()]
    known = [f for f in figures if f is not None]
    return min(known) if known else None
