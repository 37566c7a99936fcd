"""A real daemon process on 127.0.0.1 (random port) with its own STYLEBRIDGE_HOME."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import zmq
from process_stop import stop_process
from stylebridge.client import Client, DaemonUnavailable
from stylebridge.service import loopback_keys

START_TIMEOUT_S = 120.0  # torch imports slowly on a loaded 2-core machine


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class DaemonProcess:
    """A running `python -m stylebridge daemon` and how to reach it."""

    process: subprocess.Popen
    endpoint: str
    home: Path

    @property
    def keys_dir(self) -> Path:
        """The loopback CURVE keys this daemon created (its user's, in its STYLEBRIDGE_HOME)."""
        return loopback_keys.keys_folder(self.home / "run")

    def client(self, timeout_s: float = 10.0, tries: int = 1) -> Client:
        return Client(self.endpoint, timeout_s=timeout_s, tries=tries, keys_dir=self.keys_dir)

    def memory_bytes(self, field: str = "VmRSS") -> int:
        """A size from /proc/PID/status: VmRSS (resident now), VmHWM (peak resident), ..."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
        raise AssertionError(f"no {field} for pid {self.process.pid}")

    def dealer(self, **options: int) -> zmq.Socket:
        """A raw DEALER connected with this daemon's loopback keys, for requests the reference
        client would not send; `options` are socket options (e.g. RCVHWM=1)."""
        return dealer(self.endpoint, self.keys_dir, **options)

    def stop(self) -> None:
        stop_process(self.process)  # never raises: a slow exit must not fail the teardown


def dealer(endpoint: str, keys_dir: Path | None = None, **options: int) -> zmq.Socket:
    """A raw DEALER (linger 0) on `endpoint`, speaking CURVE with the keys in `keys_dir`."""
    sock = zmq.Context.instance().socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    for name, value in options.items():
        sock.setsockopt(getattr(zmq, name), value)
    curve = loopback_keys.client_curve(keys_dir) if keys_dir else None
    if curve is not None:
        sock.curve_serverkey = curve[0]
        sock.curve_publickey, sock.curve_secretkey = curve[1]
    sock.connect(endpoint)
    return sock


def start_daemon(
    home: Path,
    endpoint: str | None = None,
    *args: str,
    env: dict[str, str] | None = None,
    wrapper: tuple[str, ...] = (),
) -> DaemonProcess:
    """Start a daemon and wait until it answers a ping (raises when it exits or never answers).

    `wrapper` prefixes the command, e.g. ("prlimit", "--as=N") to run it inside a memory limit.
    """
    endpoint = endpoint or f"tcp://127.0.0.1:{free_port()}"
    env = {**os.environ, "STYLEBRIDGE_HOME": str(home), "OMP_NUM_THREADS": "1", **(env or {})}
    command = [*wrapper, sys.executable, "-m", "stylebridge", "daemon", "--endpoint", endpoint]
    command += args
    log = open(home.parent / f"daemon-{home.name}.out", "ab")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    daemon = DaemonProcess(process, endpoint, home)
    deadline = time.monotonic() + START_TIMEOUT_S
    with daemon.client(timeout_s=0.5) as client:  # reads the keys again on every try
        while time.monotonic() < deadline:
            if process.poll() is not None:
                output = (home.parent / f"daemon-{home.name}.out").read_text(errors="replace")
                raise RuntimeError(f"daemon exited with {process.returncode}:\n{output}")
            try:
                client.ping()
                return daemon
            except DaemonUnavailable:
                continue
    daemon.stop()
    raise RuntimeError(f"daemon on {endpoint} did not answer within {START_TIMEOUT_S} s")


@pytest.fixture(scope="module")
def daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonProcess]:
    """One daemon (with the echo path) shared by a test module."""
    home = tmp_path_factory.mktemp("daemon") / "home"
    home.mkdir()
    running = start_daemon(home, None, "--benchmark-ops")
    yield running
    running.stop()


def run_concurrent_clients(
    daemon: DaemonProcess,
    clients: int,
    jobs: int,
    job: Callable[[Client, int, int], bytes],
    timeout_s: float,
) -> dict[tuple[int, int], bytes]:
    """`clients` threads, each with its own Client running `job(client, index, n)` `jobs` times;
    returns {(index, n): result} and re-raises the first failure of any thread."""
    results: dict[tuple[int, int], bytes] = {}
    errors: list[BaseException] = []

    def client_thread(index: int) -> None:
        try:
            with daemon.client(timeout_s=timeout_s) as client:
                for n in range(jobs):
                    results[index, n] = job(client, index, n)
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=client_thread, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout_s * jobs)
    if errors:
        raise errors[0]
    assert len(results) == clients * jobs
    return results
