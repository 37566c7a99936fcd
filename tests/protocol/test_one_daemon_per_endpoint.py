"""One daemon per endpoint: two started at the same instant on one socket leave exactly one
serving, and the other exits with EXIT_ALREADY_RUNNING naming the survivor's pid (#13)."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import zmq
from process_stop import stop_process
from stylebridge.client import Client, DaemonUnavailable
from stylebridge.editor import daemon_launch
from stylebridge.service import endpoints
from stylebridge.service.protocol import EXIT_ALREADY_RUNNING

from .conftest import START_TIMEOUT_S, start_daemon

pytestmark = pytest.mark.timeout(900)

ROUNDS = 10


def launch(home: Path, endpoint: str, output: Path) -> subprocess.Popen:
    """`stylebridge daemon` with STYLEBRIDGE_HOME `home` (its runtime folder and log); stdout and
    stderr go to `output`."""
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "STYLEBRIDGE_HOME": str(home), "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "stylebridge", "daemon", "--endpoint", endpoint]
    with open(output, "wb") as sink:
        return subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)


def answering_pid(endpoint: str, deadline: float) -> int | None:
    """The pid of the daemon that answers on `endpoint`, or None by `deadline`."""
    with Client(endpoint, timeout_s=1.0, tries=1) as client:
        while time.monotonic() < deadline:
            try:
                return int(client.status()["pid"])
            except DaemonUnavailable:
                continue
    return None


def one_round(folder: Path, same_home: bool, delay_s: float) -> None:
    """Two daemons at once (the second `delay_s` later) on one ipc:// socket: exactly one
    serves, the other is refused."""
    endpoint = f"ipc://{folder}/d.sock"
    homes = [folder / "home-a", folder / ("home-a" if same_home else "home-b")]
    outputs = [folder / "a.out", folder / "b.out"]
    processes = [launch(homes[0], endpoint, outputs[0])]
    time.sleep(delay_s)
    processes.append(launch(homes[1], endpoint, outputs[1]))
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        refused = None
        while refused is None and time.monotonic() < deadline:
            refused = next((p for p in processes if p.poll() is not None), None)
            time.sleep(0.1)
        assert refused is not None, "both daemons are still running: two on one endpoint"
        survivor = processes[1 - processes.index(refused)]
        output = outputs[processes.index(refused)].read_text(errors="replace")
        assert refused.returncode == EXIT_ALREADY_RUNNING, output
        assert answering_pid(endpoint, deadline) == survivor.pid
        assert f"a daemon is already running on {endpoint} (pid {survivor.pid})" in output
        assert survivor.poll() is None
        with Client(endpoint, timeout_s=10.0, tries=1) as client:
            client.shutdown()
        assert survivor.wait(60) == 0
        assert not (folder / "d.sock").exists()  # removed by its own daemon, and by no other
    finally:
        for process in processes:
            stop_process(process)


def test_two_daemons_started_at_once_on_one_endpoint_leave_exactly_one(tmp_path: Path) -> None:
    # Different homes (different runtime folders and environments, as an editor restarting the
    # engine has) and the same home, alternately; the second start 0 to 1.6 s after the first,
    # so that rounds meet the first daemon in different phases of its start-up.
    for n in range(ROUNDS):
        one_round(tmp_path / f"round-{n}", same_home=n % 2 == 1, delay_s=(n % 5) * 0.4)


def test_a_daemon_still_starting_keeps_its_socket(tmp_path: Path) -> None:
    # A starting daemon holds the lock and has bound its socket but does not answer yet (it is
    # warming up): the ping finds nothing, but the socket is not stale and must not be replaced.
    endpoint = f"ipc://{tmp_path}/d.sock"
    lock = endpoints.lock_endpoint(endpoint)
    starting = zmq.Context.instance().socket(zmq.ROUTER)
    starting.setsockopt(zmq.LINGER, 0)
    starting.bind(endpoint)
    inode = (tmp_path / "d.sock").stat().st_ino
    try:
        second = launch(tmp_path / "home", endpoint, tmp_path / "second.out")
        try:
            second.wait(START_TIMEOUT_S)
        finally:
            stop_process(second)
        output = (tmp_path / "second.out").read_text(errors="replace")
        assert second.returncode == EXIT_ALREADY_RUNNING, output
        assert f"a daemon is already running on {endpoint} (pid {os.getpid()})" in output
        assert (tmp_path / "d.sock").stat().st_ino == inode  # neither unlinked nor bound again
    finally:
        starting.close()
        lock.release()


def test_detach_reports_the_running_daemon_and_its_own_exit_code(tmp_path: Path) -> None:
    endpoint = f"ipc://{tmp_path}/d.sock"
    (tmp_path / "home-a").mkdir()
    running = start_daemon(tmp_path / "home-a", endpoint)
    try:
        env = {**os.environ, "STYLEBRIDGE_HOME": str(tmp_path / "home-b")}
        command = [sys.executable, "-m", "stylebridge", "daemon", "--detach",
                   "--endpoint", endpoint]  # fmt: skip
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == EXIT_ALREADY_RUNNING, done
        message = f"a daemon is already running on {endpoint} (pid {running.process.pid})"
        assert message in done.stderr
        with running.client() as client:
            assert client.status()["pid"] == running.process.pid
    finally:
        running.stop()


def test_the_editors_launcher_knows_the_exit_status() -> None:
    assert daemon_launch.EXIT_ALREADY_RUNNING == EXIT_ALREADY_RUNNING


def test_the_editors_launcher_starts_again_once_a_stopping_daemon_lets_go(tmp_path: Path) -> None:
    # "Restart engine": the old daemon no longer answers but still holds the lock for a while
    # (here 15 s); the launcher's first starts exit EXIT_ALREADY_RUNNING and it tries again.
    endpoint = f"ipc://{tmp_path}/d.sock"
    stopping = endpoints.lock_endpoint(endpoint)
    letting_go = threading.Timer(15.0, stopping.release)
    letting_go.start()
    command = shlex.join(
        [sys.executable, "-m", "stylebridge", "daemon", "--detach", "--endpoint", endpoint]
    )
    env = {**os.environ, "STYLEBRIDGE_HOME": str(tmp_path / "home"), "OMP_NUM_THREADS": "1"}
    pid = None
    try:
        assert daemon_launch.start_daemon(
            command, lambda: answering_pid(endpoint, time.monotonic() + 1.0) is not None,
            timeout_s=START_TIMEOUT_S + 60, env=env,
        ) is True  # fmt: skip
        pid = answering_pid(endpoint, time.monotonic() + 30.0)
        assert pid is not None and pid != os.getpid()
    finally:
        letting_go.cancel()
        stopping.release()
        if pid is not None:
            with Client(endpoint, timeout_s=10.0, tries=1) as client:
                client.shutdown()
            wait_gone(pid)


def wait_gone(pid: int, timeout_s: float = 60.0) -> None:
    """Wait for a detached daemon (not our child) to exit; SIGKILL it after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    if Path(f"/proc/{pid}").exists():
        os.kill(pid, signal.SIGKILL)
