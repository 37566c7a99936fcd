"""Run the stylebridge daemon (foreground, or --detach), or ask a running one for status / stop."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from stylebridge import config
from stylebridge.cli.status import report
from stylebridge.client import Client, DaemonError, DaemonUnavailable
from stylebridge.service.protocol import EXIT_ALREADY_RUNNING

START_WAIT_S = 90.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """action (run | status | stop) and the daemon's options."""
    parser.add_argument("action", nargs="?", default="run", choices=("run", "status", "stop"))
    parser.add_argument("--endpoint", help="ipc://PATH or tcp://HOST:PORT (default: per-user)")
    parser.add_argument("--detach", action="store_true", help="start in the background")
    parser.add_argument("--device", help="auto (default), cpu, cuda or cuda:N")
    parser.add_argument("--curve-keys", help="keys folder (stylebridge keys); needed off-loopback")
    parser.add_argument(
        "--benchmark-ops", action="store_true",
        help="offer the 'echo' stylize path (pixels back untouched), for transport benchmarks",
    )  # fmt: skip


def _child_argv(args: argparse.Namespace, endpoint: str) -> list[str]:
    argv = [sys.executable, "-m", "stylebridge", "daemon", "--endpoint", endpoint]
    for flag, value in (("--device", args.device), ("--curve-keys", args.curve_keys)):
        if value:
            argv += [flag, value]
    return [*argv, "--benchmark-ops"] if args.benchmark_ops else argv


def detach(args: argparse.Namespace, endpoint: str) -> int:
    """Start a background daemon and wait until it answers."""
    process = subprocess.Popen(
        _child_argv(args, endpoint),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + START_WAIT_S
    with Client(endpoint, timeout_s=1.0, tries=1) as client:
        while time.monotonic() < deadline:
            if process.poll() == EXIT_ALREADY_RUNNING:
                return _already_running(endpoint)
            if process.poll() is not None:
                print(
                    f"the daemon exited with code {process.returncode}; see the log in "
                    f"{config.paths().log_dir}",
                    file=sys.stderr,
                )
                return 1
            try:
                answering = client.status().get("pid")
            except (DaemonUnavailable, DaemonError):
                continue
            if answering == process.pid:
                print(f"daemon started, pid {process.pid}, endpoint {endpoint}")
                return 0
            time.sleep(0.2)  # another daemon answers: ours exits EXIT_ALREADY_RUNNING at its lock
    print(f"the daemon did not answer within {START_WAIT_S:.0f} s", file=sys.stderr)
    return 1


def _already_running(endpoint: str) -> int:
    """Say which daemon holds `endpoint` (its lock records the pid); EXIT_ALREADY_RUNNING."""
    from stylebridge.service import endpoints

    pid = endpoints.holder_pid(endpoints.lock_path(endpoint))
    message = f"a daemon is already running on {endpoint} (pid {pid})"
    print(f"stylebridge: error: {message}", file=sys.stderr)
    return EXIT_ALREADY_RUNNING


def stop(endpoint: str | None, keys_folder: str | None = None) -> int:
    """Ask the daemon to stop and wait until it is gone."""
    with Client(endpoint, timeout_s=2.0, tries=1, keys_dir=keys_folder) as client:
        try:
            client.shutdown()
        except DaemonUnavailable:
            print(f"no daemon is answering on {client.endpoint}")
            return 1
        for _ in range(20):
            try:
                client.ping()
            except DaemonUnavailable:
                print("daemon stopped")
                return 0
    print("the daemon acknowledged but is still answering", file=sys.stderr)
    return 1


def run(args: argparse.Namespace) -> int:
    """`stylebridge daemon [run|status|stop]`."""
    if args.action == "status":
        return report(args.endpoint, 2.0, args.curve_keys)
    if args.action == "stop":
        return stop(args.endpoint, args.curve_keys)
    from stylebridge.service import endpoints

    settings = config.load_settings(
        {"endpoint": args.endpoint, "device": args.device, "curve_keys": args.curve_keys}
    )
    endpoint = settings.endpoint or endpoints.default_endpoint()
    if args.detach:
        return detach(args, endpoint)
    from stylebridge.service.daemon import DaemonOptions, run_daemon

    try:
        return run_daemon(DaemonOptions(settings, benchmark_ops=args.benchmark_ops))
    except endpoints.AlreadyRunningError as e:
        print(f"stylebridge: error: {e}", file=sys.stderr)
        return EXIT_ALREADY_RUNNING
