"""Teach a model a new style: learn only its gamma/beta, every convolution frozen (atomic write)."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from stylebridge.cli.main import CliError
from stylebridge.core.model_file import (
    default_model_path,
    load_model,
    resolve_model,
    save_model,
    thumbnail_base64,
)
from stylebridge.core.progress import Progress
from stylebridge.core.resources import resolve_device
from stylebridge.core.training import StepLosses, TrainConfig, learn_new_style
from stylebridge.core.training_data import load_style_image, prepare_crops, stored_side_px
from stylebridge.core.vgg_weights import load_vgg19


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("model", metavar="MODEL", help="model name or .safetensors file to extend")
    add("--style", required=True, metavar="IMAGE", help="the new style image")
    add("--name", required=True, help="the new style's name")
    add("--steps", type=int, default=400)
    add("--content", default=None, help="folder of photos (default: the bundled sample photo)")
    add("--out", default=None, help="write here instead of updating MODEL (needed for 'default')")
    add("--size", type=int, default=None, help="crop side in px (default: the model's)")
    add("--batch", type=int, default=4)
    add("--lr", type=float, default=1e-2, help="Adam step size for gamma/beta")
    add("--device", default="auto")
    add(
        "--crop-cache",
        default=None,
        help="folder for pre-resized crops (default: beside the output)",
    )


def _output(args: argparse.Namespace, source: Path) -> Path:
    if args.out is not None:
        return resolve_model(args.out)
    if source.resolve() == default_model_path().resolve():
        raise CliError("the shipped default model is read-only: give --out NAME")
    return source


def _config(args: argparse.Namespace, recipe: dict) -> TrainConfig:
    """The model's own training recipe, with this run's steps, batch, rate and size."""
    known = {k: v for k, v in recipe.items() if k in TrainConfig.__dataclass_fields__}
    if "style_layers" in known:
        known["style_layers"] = tuple(known["style_layers"])
    base = TrainConfig(**known)
    return replace(
        base, size_px=args.size or base.size_px, batch=args.batch, steps=args.steps,
        lr=args.lr, bf16=False,
    )  # fmt: skip


def _crops(args: argparse.Namespace, out: Path, size_px: int) -> np.ndarray:
    content = Path(args.content) if args.content else Path(__file__).parents[1] / "data" / "samples"
    cache = Path(args.crop_cache) if args.crop_cache else out.parent / ".crops"
    name = f"crops_{content.name}_{stored_side_px(size_px)}.npy"
    return prepare_crops(content, cache / name, size_px)


def _print_step(step: int, losses: StepLosses, progress: Progress) -> None:
    end = "\r" if sys.stderr.isatty() else "\n"
    print(f"step {step}/{progress.total}  style loss {losses.style:.4g}", end=end, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    source = resolve_model(args.model)
    if not source.is_file():
        raise CliError(f"no model {args.model!r} (looked for {source})")
    out = _output(args, source)
    loaded = load_model(source)
    meta = loaded.metadata
    if args.name in meta.style_names or not args.name or "," in args.name or "=" in args.name:
        raise CliError(
            f"--name {args.name!r} must be new and free of ',' and '=': {meta.style_names}"
        )
    config = _config(args, meta.recipe)
    device = resolve_device(args.device)
    crops = _crops(args, out, config.size_px)
    style = load_style_image(args.style, config.style_px)
    network = loaded.network.to(device)
    vgg = load_vgg19(pooling="avg", device=str(device))
    started = time.monotonic()
    learn_new_style(network, vgg, crops, style.to(device), config, on_step=_print_step)
    took_s = round(time.monotonic() - started, 1)
    recipe = {**meta.recipe, f"added_{args.name}": {"steps": args.steps, "time_s": took_s}}
    thumbnails = {**meta.thumbnails, args.name: thumbnail_base64(style)}
    names = (*meta.style_names, args.name)
    updated = replace(meta, style_names=names, thumbnails=thumbnails, recipe=recipe)
    save_model(out, network.cpu(), updated, dtype=torch.float16)
    print(f"\nwrote {out}: styles {', '.join(updated.style_names)}", file=sys.stderr)
    return 0
