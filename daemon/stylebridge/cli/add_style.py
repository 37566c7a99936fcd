"""Teach a model a new style: learn only its gamma/beta, every convolution frozen (atomic write)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
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
from stylebridge.core.temp_files import remove_stale_temporaries
from stylebridge.core.training import StepLosses, TrainConfig, learn_new_style
from stylebridge.core.training_data import load_style_image, prepare_crops, stored_side_px
from stylebridge.core.vgg_weights import load_vgg19

CROPS_PREFIX = "crops_"


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


def _crop_cache(args: argparse.Namespace, out: Path) -> Path:
    return Path(args.crop_cache) if args.crop_cache else out.parent / ".crops"


def _crops(args: argparse.Namespace, out: Path, size_px: int) -> np.ndarray:
    content = Path(args.content) if args.content else Path(__file__).parents[1] / "data" / "samples"
    name = f"{CROPS_PREFIX}{content.name}_{stored_side_px(size_px)}.npy"
    return prepare_crops(content, _crop_cache(args, out) / name, size_px)


def _remove_leftovers(args: argparse.Namespace, out: Path) -> None:
    """Temporary files of earlier runs that were killed before they could remove them."""
    removed = remove_stale_temporaries(out.parent, out.name + ".")
    removed += remove_stale_temporaries(_crop_cache(args, out), CROPS_PREFIX)
    if removed:
        names = ", ".join(p.name for p in removed)
        print(f"removed temporary files of an interrupted run: {names}", file=sys.stderr)


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM ends the run like Ctrl-C, so a file being written is removed, not left behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _print_step(step: int, losses: StepLosses, progress: Progress) -> None:
    end = "\r" if sys.stderr.isatty() else "\n"
    print(f"step {step}/{progress.total}  style loss {losses.style:.4g}", end=end, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """`stylebridge add-style`."""
    with _sigterm_interrupts():
        return _add_style(args)


def _add_style(args: argparse.Namespace) -> int:
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
    _remove_leftovers(args, out)
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
