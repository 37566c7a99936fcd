"""`batch --cluster`: the batch on a Ray cluster (`ray://HOST:PORT`, `auto`, or `local` for a
cluster started in this process), one warm worker per GPU or CPU slot (docs/scaling.md).

Ray is an optional extra; without it `--cluster` is a one-line error and the rest of the CLI
never imports it."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Sequence

from stylebridge.cli.batch_loop import BatchReport
from stylebridge.cli.main import CliError
from stylebridge.core.frames import Shot
from stylebridge.core.progress import Progress

CLUSTER_EXTRA = "pip install 'stylebridge[cluster]'"


def check_cluster(args: argparse.Namespace) -> None:
    """CliError when --cluster cannot run: Ray missing, --temporal flow (sequential), or
    --daemon require (the cluster's workers run the frames, never the local daemon)."""
    if not args.cluster:
        return
    if args.daemon == "require":
        raise CliError(
            "--daemon require cannot be used with --cluster: the cluster's workers run the "
            "frames, not a daemon (drop --daemon require, or --cluster to use the daemon)"
        )
    if args.temporal == "flow":
        raise CliError(
            "--temporal flow cannot run on a cluster: each frame starts from the one before "
            "(use --temporal stats with --model, or drop --cluster)"
        )
    try:
        import ray  # noqa: F401
    except ImportError:
        raise CliError(f"--cluster needs Ray: {CLUSTER_EXTRA}") from None


def run_on_cluster(
    args: argparse.Namespace,
    shots: Sequence[Shot],
    on_progress: Callable[[Progress], None] | None = None,
) -> BatchReport:
    """Run the batch on the cluster --cluster names; a cluster started here is stopped after."""
    import ray

    from stylebridge.cli.batch_cluster_loop import run_frames_on_cluster
    from stylebridge.cli.cluster_pool import WorkerPool, slot_resources

    started_here = _connect(args.cluster)
    try:
        size, resources = slot_resources(ray.cluster_resources())
        pool = WorkerPool(args, size, resources)
        try:
            pool.wait_ready()
            shares_stats = args.temporal == "stats"
            return run_frames_on_cluster(shots, pool, args.overwrite, shares_stats, on_progress)
        finally:
            pool.close()
    finally:
        if started_here:
            ray.shutdown()


def _connect(address: str) -> bool:
    """Join the cluster at `address` unless this process is already connected to one (tests);
    whether this call connected."""
    import ray

    if ray.is_initialized():
        return False
    try:
        ray.init(
            address=address, include_dashboard=False, log_to_driver=False,
            logging_level=logging.WARNING, configure_logging=False,
        )  # fmt: skip
    except (ConnectionError, RuntimeError, ValueError) as e:
        raise CliError(
            f"cannot reach the Ray cluster {address!r}: {e} (is the head's client port open, and "
            "RAY_AUTH_MODE=token with the cluster's token set here? see docs/scaling.md)"
        ) from None
    return True
