"""Transport overhead of the daemon: round trips of a no-op (echo) job, and 8-client throughput.

Starts its own daemon (`--benchmark-ops`) in a temporary STYLEBRIDGE_HOME, over IPC and then over
loopback TCP, and prints a Markdown table. Usage:

    .venv/bin/python benchmarks/transport.py [--repeats 15] [--machine "2-core x86_64 CPU, no GPU"]
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from stylebridge.client import Client, DaemonUnavailable

SIZES = ((1024, 1024), (3840, 2160))
DTYPES = (("RGBA8", "uint8", 4), ("RGBA16", "uint16", 8))


def start(home: Path, endpoint: str) -> subprocess.Popen:
    """A daemon with the echo path, once it answers."""
    env = {**os.environ, "STYLEBRIDGE_HOME": str(home)}
    command = [sys.executable, "-m", "stylebridge", "daemon", "--endpoint", endpoint]
    process = subprocess.Popen([*command, "--benchmark-ops"], env=env)
    with Client(endpoint, timeout_s=0.5, tries=1) as client:
        for _ in range(240):
            try:
                client.ping()
                return process
            except DaemonUnavailable:
                if process.poll() is not None:
                    raise RuntimeError("the daemon exited") from None
    process.kill()
    raise RuntimeError("the daemon did not start")


def round_trips_ms(endpoint: str, width: int, height: int, dtype: str, pixel_bytes: int,
                   repeats: int) -> list[float]:  # fmt: skip
    """Wall time of `repeats` echo jobs (after one warm-up), in ms."""
    data = os.urandom(width * height * pixel_bytes)
    fmt = {"width": width, "height": height, "channels": "RGBA", "dtype": dtype}
    times = []
    with Client(endpoint, timeout_s=30) as client:
        for index in range(repeats + 1):
            started = time.perf_counter()
            out, _ = client.stylize(data, fmt, {}, path="echo")
            if index:
                times.append((time.perf_counter() - started) * 1000)
            if len(out) != len(data):
                raise RuntimeError("echo returned a different size")
    return times


def throughput(endpoint: str, clients: int, jobs: int) -> tuple[float, float]:
    """(jobs per second, MB per second each way) for `clients` threads echoing 1024² RGBA8."""
    data = os.urandom(1024 * 1024 * 4)
    fmt = {"width": 1024, "height": 1024, "channels": "RGBA", "dtype": "uint8"}

    def work() -> None:
        with Client(endpoint, timeout_s=60) as client:
            for _ in range(jobs):
                client.stylize(data, fmt, {}, path="echo")

    threads = [threading.Thread(target=work) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = clients * jobs
    return total / elapsed, total * len(data) / elapsed / 1e6


RAW_ECHO = """
import sys, zmq
r = zmq.Context().socket(zmq.ROUTER); r.bind(sys.argv[1])
while True:
    parts = r.recv_multipart(copy=False)
    if len(parts[1]) == 1: break
    r.send_multipart(parts, copy=False)
"""


def raw_zmq_ms(endpoint: str, size_bytes: int, repeats: int) -> list[float]:
    """Baseline: the same round trip through a bare pyzmq ROUTER echo process (no daemon)."""
    import zmq

    server = subprocess.Popen([sys.executable, "-c", RAW_ECHO, endpoint])
    sock = zmq.Context.instance().socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(endpoint)
    data, times = os.urandom(size_bytes), []
    try:
        for index in range(repeats + 1):
            started = time.perf_counter()
            sock.send(data, copy=False)
            sock.recv(copy=False).bytes  # noqa: B018 (the client's copy, as in Client.stylize)
            if index:
                times.append((time.perf_counter() - started) * 1000)
        sock.send(b"x")
        server.wait(10)
    finally:
        sock.close()
        if server.poll() is None:
            server.kill()
    return times


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def measure(name: str, endpoint: str, home: Path, repeats: int) -> list[str]:
    """Table rows for one transport."""
    process = start(home, endpoint)
    rows = []
    try:
        for width, height in SIZES:
            for label, dtype, pixel_bytes in DTYPES:
                times = round_trips_ms(endpoint, width, height, dtype, pixel_bytes, repeats)
                mb = width * height * pixel_bytes / 1e6
                rows.append(
                    f"| {name} | {width}x{height} {label} | {mb:.1f} | "
                    f"{statistics.median(times):.1f} | {min(times):.1f} | {max(times):.1f} |"
                )
        for width, height in SIZES:
            raw_endpoint = (
                endpoint + "-raw"
                if endpoint.startswith("ipc")
                else (f"tcp://127.0.0.1:{free_port()}")
            )
            times = raw_zmq_ms(raw_endpoint, width * height * 4, repeats)
            rows.append(
                f"| {name} (bare pyzmq echo, baseline) | {width}x{height} RGBA8 | "
                f"{width * height * 4 / 1e6:.1f} | {statistics.median(times):.1f} | "
                f"{min(times):.1f} | {max(times):.1f} |"
            )
        jobs_s, mb_s = throughput(endpoint, 8, 6)
        rows.append(f"| {name} | 8 clients x 6 jobs, 1024x1024 RGBA8 | 4.2 | "
                    f"{jobs_s:.1f} jobs/s | {mb_s:.0f} MB/s each way | |")  # fmt: skip
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description="Transport overhead of the stylebridge daemon")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--machine", default=f"{platform.machine()} CPU, no GPU")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sb-bench-") as folder:
        home = Path(folder) / "home"
        # The daemons' user, as it were: clients find the loopback TCP daemon's CURVE keys there.
        os.environ["STYLEBRIDGE_HOME"] = str(home)
        rows = measure("ipc", f"ipc://{folder}/bench.sock", home, args.repeats)
        rows += measure("tcp", f"tcp://127.0.0.1:{free_port()}", home, args.repeats)
    print(f"Machine: {args.machine}; {args.repeats} round trips each after one warm-up.\n")
    print("| transport | layer | MB | median ms | min ms | max ms |")
    print("| --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
