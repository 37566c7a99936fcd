"""Stylize many files, folders or numbered frame sequences into a folder (resumable, --temporal)."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from stylebridge.cli.batch_cluster import check_cluster, run_on_cluster
from stylebridge.cli.batch_loop import BatchReport, run_frames
from stylebridge.cli.batch_runners import FrameRunner, NetworkRunner, OptimizeRunner
from stylebridge.cli.main import CliError
from stylebridge.cli.stylize import ProgressBar, add_stylize_options, check_output_path
from stylebridge.core.frames import Shot, collect_shots
from stylebridge.core.temporal import TEMPORAL_MODES
from stylebridge.core.temporal_loss import DEFAULT_TEMPORAL_WEIGHT

log = logging.getLogger(__name__)
# Which path each temporal mode belongs to (True: the network path, --model).
_TEMPORAL_NEEDS_MODEL = {"stats": True, "flow": False}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `stylebridge batch`: the inputs, the output folder, and every stylize option."""
    parser.add_argument(
        "inputs", nargs="+", metavar="INPUT",
        help="image files, folders, or numbered sequences (shot/frame_%%04d.png or frame_####.png)",
    )  # fmt: skip
    parser.add_argument(
        "-o", "--output-dir", required=True, metavar="OUTDIR",
        help="folder for the results, named as the inputs (created if missing)",
    )  # fmt: skip
    parser.add_argument(
        "--overwrite", action="store_true",
        help="redo frames already in OUTDIR (by default they are skipped: a batch resumes)",
    )  # fmt: skip
    parser.add_argument(
        "--temporal", choices=TEMPORAL_MODES, default="off",
        help="stats: a shot's frames share normalisation statistics (network path); flow: start "
        "each frame from the previous result warped by optical flow (optimization path)",
    )  # fmt: skip
    parser.add_argument(
        "--temporal-weight", type=float, default=DEFAULT_TEMPORAL_WEIGHT, metavar="W",
        help="with --temporal flow: pull towards the previous result (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--cluster", metavar="ADDRESS",
        help="run on a Ray cluster: ray://HOST:PORT, auto (this node's), or local (one started "
        "here); one worker per GPU or CPU slot. Needs pip install 'stylebridge[cluster]'",
    )  # fmt: skip
    add_stylize_options(parser)
    parser.set_defaults(save_every=0)  # the stylize options read it; a batch saves no steps


def check_temporal(args: argparse.Namespace) -> None:
    """CliError when --temporal does not fit the path chosen."""
    if not 0.0 <= args.temporal_weight < float("inf"):
        raise CliError(f"--temporal-weight must be finite and >= 0, got {args.temporal_weight}")
    needs_model = _TEMPORAL_NEEDS_MODEL.get(args.temporal)
    if needs_model is not None and needs_model != bool(args.model):
        path = "the network path (--model)" if needs_model else "optimization (no --model)"
        raise CliError(f"--temporal {args.temporal} is for {path}")


def local_runner(args: argparse.Namespace) -> FrameRunner:
    """The in-process runner for the path the options choose."""
    return NetworkRunner(args) if args.model else OptimizeRunner(args)


def _run_with_daemon_or_here(args: argparse.Namespace, shots: list[Shot]) -> BatchReport:
    """On the --cluster; else through a running daemon when --daemon and the options allow,
    else in this process."""
    from stylebridge.cli.batch_daemon import DaemonRunner
    from stylebridge.cli.remote import connect, why_local

    bar = None if args.quiet else ProgressBar()
    on_progress = bar.update if bar else None
    if args.cluster:
        return run_on_cluster(args, shots, on_progress)
    reason = why_local(args) or (f"--temporal {args.temporal}" if args.temporal != "off" else None)
    if args.daemon == "off" or reason is not None:
        if args.daemon == "require" and reason is not None:
            raise CliError(f"{reason} cannot be used through the daemon; use --daemon off")
        return run_frames(shots, local_runner(args), args.overwrite, on_progress)
    client = connect(args.daemon)
    if client is None:
        return run_frames(shots, local_runner(args), args.overwrite, on_progress)
    with client:
        fallback = None if args.daemon == "require" else (lambda: local_runner(args))
        runner = DaemonRunner(args, client, fallback)
        return run_frames(shots, runner, args.overwrite, on_progress)


def run(args: argparse.Namespace) -> int:
    """Entry point of `stylebridge batch`: 0 when every frame is written, 1 when some failed."""
    check_temporal(args)
    check_cluster(args)
    out_dir = Path(args.output_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise CliError(f"the output {out_dir} is a file, not a folder")
    shots = collect_shots(args.inputs, out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    first = next(f for s in shots for f in s.frames)
    check_output_path(first.output)  # writable, and a format Pillow knows
    started = time.perf_counter()
    report = _run_with_daemon_or_here(args, shots)
    if not args.quiet or report.failed:
        took = time.perf_counter() - started
        print(
            f"batch: {report.written} written, {report.skipped} already there, "
            f"{report.failed} failed -> {out_dir} ({took:.1f}s)", file=sys.stderr,
        )  # fmt: skip
    return 1 if report.failed else 0
