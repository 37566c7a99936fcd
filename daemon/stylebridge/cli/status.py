"""Report the stylebridge daemon: endpoint, devices, loaded models, queue."""

from __future__ import annotations

import argparse
from typing import Any

from stylebridge.client import Client, DaemonUnavailable


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--endpoint, --timeout and --curve-keys."""
    parser.add_argument("--endpoint", help="daemon endpoint (default: the per-user socket)")
    parser.add_argument("--curve-keys", help="keys folder of a CURVE daemon (stylebridge keys)")
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds to wait (default 2)")


def format_status(status: dict[str, Any]) -> list[str]:
    """The status reply as lines for a terminal."""
    models = ", ".join(f"{m['name']} ({m['size_mb']} MB)" for m in status.get("models", []))
    lines = [
        f"daemon {status.get('daemon_version')} running, pid {status.get('pid')}, "
        f"up {status.get('uptime_s', 0):.0f} s",
        f"endpoint: {status.get('endpoint')}",
        f"devices: {', '.join(status.get('devices', []))}",
        f"models loaded: {models or 'none'}",
        f"jobs: {status.get('running', 0)} running, {status.get('queued', 0)} queued",
    ]
    for job in status.get("jobs", []):
        lines.append(
            f"  {job['job'][:8]} {job['state']} {job['path']} {job['width']}x{job['height']} "
            f"step {job['step']}/{job['total']}"
        )
    return lines


def report(endpoint: str | None, timeout_s: float, keys_folder: str | None = None) -> int:
    """Print the daemon's status; 0 when it answers, 1 when none does."""
    with Client(endpoint, timeout_s=timeout_s, tries=1, keys_dir=keys_folder) as client:
        try:
            status = client.status()
        except DaemonUnavailable:
            print(f"no daemon is answering on {client.endpoint} (start one: stylebridge daemon)")
            return 1
    print("\n".join(format_status(status)))
    return 0


def run(args: argparse.Namespace) -> int:
    """`stylebridge status`."""
    return report(args.endpoint, args.timeout, args.curve_keys)
