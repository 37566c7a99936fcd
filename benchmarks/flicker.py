"""Flicker of `stylebridge batch --temporal off|stats|flow` on synthetic shots made from the
sample photo, with the batch's wall time. Flicker is the mean absolute change (0..1 scale) between
consecutive results after undoing the known motion of the inputs (`core/temporal_flicker.py`),
over the whole overlap and inside a margin (borders see the network's padding, not the scene).

Network path (the shipped model, default stroke): a pan on the network's 4-px grid, a pan off
it (3 px), a still camera with a square crossing it, a still camera with sensor noise; against
the time of the same frames as single in-process images and as separate `stylize` commands.
Optimization path: `off` against `flow` on a small pan.

    .venv/bin/python benchmarks/flicker.py [--frames 24] [--size 512] [--flow-frames 6] [--no-flow]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import torch
from machine import machine_line
from stylebridge.cli.main import main as cli
from stylebridge.core.frame_io import read_frame, write_frame
from stylebridge.core.images import load_image, resize_long_side
from stylebridge.core.temporal_flicker import flicker

PHOTO = Path(__file__).parents[1] / "daemon/stylebridge/data/samples/washington-monument.jpg"
NETWORK = ["--model", "default", "--blend", "udnie=1"]
Shot = tuple[list[torch.Tensor], list[tuple[int, int]]]


def pan(scene: torch.Tensor, frames: int, size: int, step_px: int) -> Shot:
    """A camera moving right by step_px per frame over `scene`: (frames, shifts)."""
    height = size * 3 // 4
    out = [scene[..., :height, i * step_px : i * step_px + size] for i in range(frames)]
    return out, [(0, -step_px)] * (frames - 1)


def crossing_square(scene: torch.Tensor, frames: int, size: int) -> Shot:
    """A still camera; a red square of size/8 crosses the picture."""
    still, _ = pan(scene, 1, size, 0)
    side, out = size // 8, []
    for i in range(frames):
        frame = still[0].clone()
        left = i * (size - side) // max(frames - 1, 1)
        color = torch.tensor([0.9, 0.2, 0.1])[:, None, None]
        frame[..., size // 4 : size // 4 + side, left : left + side] = color
        out.append(frame)
    return out, [(0, 0)] * (frames - 1)


def noisy_still(scene: torch.Tensor, frames: int, size: int) -> Shot:
    """A still camera with sensor noise (σ = 2 % of full scale)."""
    still, _ = pan(scene, 1, size, 0)
    generator = torch.Generator().manual_seed(0)
    noise = [torch.randn(still[0].shape, generator=generator) * 0.02 for _ in range(frames)]
    return [(still[0] + n).clamp(0, 1) for n in noise], [(0, 0)] * (frames - 1)


def run_batch(frames: list[torch.Tensor], folder: Path, flags: list[str]) -> tuple[list, float]:
    """The frames through `stylebridge batch` in this process: (results, wall seconds)."""
    (folder / "in").mkdir(parents=True, exist_ok=True)
    for i, frame in enumerate(frames):
        write_frame(frame, folder / "in" / f"f{i:03d}.png", 8)
    out = folder / "out"
    started = time.perf_counter()
    argv = ["batch", str(folder / "in"), "-o", str(out), "--quiet", "--daemon", "off", *flags]
    if cli(argv) != 0:
        raise RuntimeError(f"batch failed: {argv}")
    took = time.perf_counter() - started
    return [read_frame(out / f"f{i:03d}.png").rgb for i in range(len(frames))], took


def measure(results: list[torch.Tensor], shifts: list[tuple[int, int]], margin: int) -> str:
    inner = [r[..., margin:-margin, margin:-margin] for r in results]
    return f"{flicker(results, shifts):.4f} | {flicker(inner, shifts):.4f}"  # two table cells


def single_image_s(frame: torch.Tensor, folder: Path) -> tuple[float, float]:
    """(in-process seconds per image after warm-up, seconds of one `stylize` command)."""
    from stylebridge.core.feedforward import blend_vector, prepare_network, stylize_network
    from stylebridge.core.model_file import load_model, resolve_model

    loaded = load_model(resolve_model("default"))
    network = prepare_network(loaded.network, "cpu")
    weights = blend_vector("udnie=1", loaded.metadata.style_names)
    stylize_network(network, frame, weights)
    best = min(_timed(lambda: stylize_network(network, frame, weights)) for _ in range(3))
    write_frame(frame, folder / "one.png", 8)
    command = [sys.executable, "-m", "stylebridge", "stylize", str(folder / "one.png"), *NETWORK,
               "-o", str(folder / "one-out.png"), "--quiet", "--daemon", "off"]  # fmt: skip
    return best, _timed(lambda: subprocess.run(command, check=True))


def _timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def network_table(args: argparse.Namespace, scene: torch.Tensor, work: Path) -> None:
    shots: dict[str, Shot] = {
        "pan 4 px/frame (on the grid)": pan(scene, args.frames, args.size, 4),
        "pan 3 px/frame (off the grid)": pan(scene, args.frames, args.size, 3),
        "still camera, square crossing": crossing_square(scene, args.frames, args.size),
        "still camera, sensor noise 2 %": noisy_still(scene, args.frames, args.size),
    }
    margin = args.size // 16
    print(f"\nNetwork path, {args.frames} frames of {args.size}x{args.size * 3 // 4} px, "
          f"udnie; flicker whole | inside a {margin} px margin\n")  # fmt: skip
    print("| shot | off whole | off inside | stats whole | stats inside | stats / off inside "
          "| batch s off | batch s stats |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for index, (name, (frames, shifts)) in enumerate(shots.items()):
        off, off_s = run_batch(frames, work / f"n{index}off", NETWORK)
        stats, stats_s = run_batch(
            frames, work / f"n{index}stats", [*NETWORK, "--temporal", "stats"]
        )
        m = margin
        ratio = flicker([r[..., m:-m, m:-m] for r in stats], shifts) / max(
            flicker([r[..., m:-m, m:-m] for r in off], shifts), 1e-12
        )
        print(f"| {name} | {measure(off, shifts, m)} | {measure(stats, shifts, m)} | "
              f"{ratio:.2f} | {off_s:.1f} | {stats_s:.1f} |")  # fmt: skip
    one_s, command_s = single_image_s(shots["pan 4 px/frame (on the grid)"][0][0], work)
    print(f"\nOne frame in process: {one_s:.2f} s ({args.frames} x = {args.frames * one_s:.1f} s); "
          f"one `stylebridge stylize` command: {command_s:.1f} s "
          f"({args.frames} x = {args.frames * command_s:.0f} s)")  # fmt: skip


def flow_table(args: argparse.Namespace, scene: torch.Tensor, work: Path) -> None:
    size = 96
    frames, shifts = pan(resize_long_side(scene, 2 * size), args.flow_frames, size, 2)
    flags = ["--style", "udnie", "--size", str(size), "--steps", "30"]
    margin = size // 12
    print(f"\nOptimization path, {args.flow_frames} frames of {size}x{size * 3 // 4} px pan "
          f"2 px/frame, udnie, 30 L-BFGS steps; flicker whole | inside {margin} px\n")  # fmt: skip
    print("| temporal | flicker whole | flicker inside | batch s |")
    print("| --- | --- | --- | --- |")
    for mode in ("off", "flow"):
        results, took = run_batch(frames, work / f"o{mode}", [*flags, "--temporal", mode])
        print(f"| {mode} | {measure(results, shifts, margin)} | {took:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--frames", type=int, default=24)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--flow-frames", type=int, default=6)
    parser.add_argument("--no-flow", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(max(1, torch.get_num_threads()))
    scene = resize_long_side(load_image(PHOTO), args.size + 4 * args.frames)
    print(machine_line())
    with tempfile.TemporaryDirectory() as folder:
        network_table(args, scene, Path(folder))
        if not args.no_flow:
            flow_table(args, scene, Path(folder))


if __name__ == "__main__":
    main()
