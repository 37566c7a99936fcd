"""Milliseconds per optimization step for every method, next to pastiche on the same images.

    .venv/bin/python benchmarks/optimize.py [--sizes 512 1024] [--steps 20] [--warmup 3]

Both run L-BFGS with max pooling on the same content and style files at the same long side, one
function evaluation per step (ours inside a strong-Wolfe line search); pastiche runs the Gram loss
only. Prints a Markdown table with the device name; the ratio is pastiche's ms/step over ours
(on a CPU: process CPU time, which a machine shared with other work does not inflate).
"""

from __future__ import annotations

import argparse
import platform
import time

import torch
from stylebridge.core.images import load_image
from stylebridge.core.method_names import METHOD_NAMES
from stylebridge.core.optimize import OptimizeParams, stylize_optimize
from stylebridge.core.progress import Progress
from stylebridge.core.resources import resolve_device
from stylebridge.core.style_library import resolve_style

CONTENT = "daemon/stylebridge/data/samples/washington-monument.jpg"
STYLE = "starry-night"


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def ours_ms_per_step(
    method: str, size: int, warmup: int, steps: int, device: torch.device
) -> tuple[float, float]:
    """(wall, process CPU) ms per step after `warmup`, synchronised at both ends."""
    content, style = load_image(CONTENT), load_image(resolve_style(STYLE))
    params = OptimizeParams(method=method, size=size, steps=warmup + steps, device=device.type)
    marks: list[tuple[float, float]] = []

    def on_progress(p: Progress) -> None:
        if p.step == warmup:
            _sync(device)
            marks.append((time.perf_counter(), time.process_time()))

    stylize_optimize(content, [style], params, progress=on_progress)
    _sync(device)
    wall_s, cpu_s = time.perf_counter() - marks[0][0], time.process_time() - marks[0][1]
    return wall_s * 1000 / steps, cpu_s * 1000 / steps


def pastiche_ms_per_step(
    size: int, warmup: int, steps: int, device: torch.device
) -> tuple[float, float]:
    """pastiche 1.6.0 driven through its PasticheArtist class, as its CLI does."""
    from pastiche.pastiche import PasticheArtist

    # pastiche annotates `styles` as str but iterates over it: it takes a list of paths.
    styles = [str(resolve_style(STYLE))]
    artist = PasticheArtist(CONTENT, styles, device=str(device), size=size)  # type: ignore[arg-type]
    for _ in range(warmup):
        artist.draw()
    _sync(device)
    started, started_cpu = time.perf_counter(), time.process_time()
    for _ in range(steps):
        artist.draw()
    _sync(device)
    wall_s, cpu_s = time.perf_counter() - started, time.process_time() - started_cpu
    return wall_s * 1000 / steps, cpu_s * 1000 / steps


def device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    return f"{platform.machine()} CPU, {torch.get_num_threads()} threads"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[512, 1024])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--methods", nargs="+", default=list(METHOD_NAMES))
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    args = parser.parse_args()
    device = resolve_device(args.device)
    print(f"device: {device_name(device)}; torch {torch.__version__}")
    print(f"{args.warmup} warm-up steps, then {args.steps} timed steps, L-BFGS\n")
    print("| size | method | ms/step | CPU ms/step | pastiche gram ms/step | CPU ms/step | ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for size in args.sizes:
        ref, ref_cpu = pastiche_ms_per_step(size, args.warmup, args.steps, device)
        for method in args.methods:
            ms, cpu = ours_ms_per_step(method, size, args.warmup, args.steps, device)
            ratio = ref_cpu / cpu if device.type == "cpu" else ref / ms
            cells = f"{ms:.0f} | {cpu:.0f} | {ref:.0f} | {ref_cpu:.0f} | {ratio:.2f}x"
            print(f"| {size} | {method} | {cells} |", flush=True)


if __name__ == "__main__":
    main()
