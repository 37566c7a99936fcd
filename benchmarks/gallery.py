"""Render the gallery: one content photo x several styles x every method, plus grid.jpg.

    nice .venv/bin/python benchmarks/gallery.py [--size 384] [--steps 20] [--out docs/gallery]

Coarse-to-fine (half size first, then full size with 40 % of the steps). Existing images are kept,
so an interrupted run resumes. mmd-poly is left out: at its default c = 0 it equals gram.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from PIL import Image, ImageDraw
from stylebridge.core.images import load_image, resize_long_side, save_image, tensor_to_pil
from stylebridge.core.optimize import OptimizeParams, stylize_optimize
from stylebridge.core.style_library import resolve_style

CONTENT = "daemon/stylebridge/data/samples/washington-monument.jpg"
STYLES = ("starry-night", "the-scream")
METHODS = ("gram", "mmd-linear", "mmd-gauss", "bn", "intra", "inter", "gram=0.5,bn=0.5")
THUMB_PX = 192


def file_name(style: str, method: str) -> str:
    return f"{style}__{method.replace('=', '').replace(',', '+')}.jpg"


def render(out_dir: Path, size: int, steps: int) -> None:
    """Every (style, method) image not yet in `out_dir`."""
    content = load_image(CONTENT)
    for style_name in STYLES:
        style = load_image(resolve_style(style_name))
        for method in METHODS:
            target = out_dir / file_name(style_name, method)
            if target.exists():
                continue
            started = time.perf_counter()
            params = OptimizeParams(method=method, size=size, steps=steps, scales=2, device="cpu")
            save_image(stylize_optimize(content, [style], params), target, quality=70)
            print(f"{target.name}: {time.perf_counter() - started:.0f}s", flush=True)


def thumbnail(image: Image.Image, label: str, box_h: int) -> Image.Image:
    """The image fitted into THUMB_PX x box_h (centred) under a 16 px label strip."""
    scale = min(THUMB_PX / image.width, box_h / image.height)
    scaled = image.resize((round(image.width * scale), round(image.height * scale)))
    tile = Image.new("RGB", (THUMB_PX, box_h + 16), "white")
    tile.paste(scaled, ((THUMB_PX - scaled.width) // 2, 16 + (box_h - scaled.height) // 2))
    ImageDraw.Draw(tile).text((4, 2), label, fill="black")
    return tile


def compose_grid(out_dir: Path) -> None:
    """grid.jpg: a row per style: content, style, then one column per method."""
    content = tensor_to_pil(load_image(CONTENT, 384))
    box_h = round(content.height * THUMB_PX / content.width)
    rows = []
    for style_name in STYLES:
        style = tensor_to_pil(resize_long_side(load_image(resolve_style(style_name)), 384))
        tiles = [thumbnail(content, "content", box_h), thumbnail(style, style_name, box_h)]
        for method in METHODS:
            with Image.open(out_dir / file_name(style_name, method)) as image:
                tiles.append(thumbnail(image.convert("RGB"), method, box_h))
        rows.append(tiles)
    height = box_h + 16
    grid = Image.new("RGB", (THUMB_PX * len(rows[0]), height * len(rows)), "white")
    for r, tiles in enumerate(rows):
        for c, tile in enumerate(tiles):
            grid.paste(tile, (c * THUMB_PX, r * height))
    grid.save(out_dir / "grid.jpg", quality=75)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=384)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--out", type=Path, default=Path("docs/gallery"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    render(args.out, args.size, args.steps)
    compose_grid(args.out)


if __name__ == "__main__":
    main()
