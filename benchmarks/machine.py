"""One line naming the machine a benchmark ran on: CPU model, the flags that decide its speed
(avx2, avx512f, avx512_bf16, amx), cores, load average, GPU."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import torch

SPEED_FLAGS = ("avx2", "avx512f", "avx512_bf16", "amx_bf16")


def cpu_description() -> str:
    """'AMD EPYC, 2 cores, avx2 avx512f avx512_bf16' from /proc/cpuinfo where there is one."""
    model, flags = platform.processor() or platform.machine(), set()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                model = value.strip()
            elif key.strip() == "flags":
                flags = set(value.split())
    present = " ".join(f for f in SPEED_FLAGS if f in flags) or "no avx2"
    return f"{model}, {os.cpu_count()} cores, {present}"


def machine_line() -> str:
    """CPU, load average and GPU (if any), for a results table's heading."""
    load = "load average {:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())
    gpu = torch.cuda.get_device_name() if torch.cuda.is_available() else "no GPU"
    return f"{cpu_description()}; {gpu}; {load}; torch {torch.__version__}"
