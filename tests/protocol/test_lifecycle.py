"""Crash and restart, one daemon per endpoint, the CLI, the network-bind rules with CURVE keys."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from stylebridge.cli.main import main
from stylebridge.client import Client, DaemonError, DaemonUnavailable
from stylebridge.service import protocol as wire
from stylebridge.service import security

from .conftest import free_port, start_daemon

pytestmark = pytest.mark.timeout(120)


def test_kill_9_mid_job_then_a_restarted_daemon_replaces_the_stale_socket(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    endpoint = f"ipc://{tmp_path}/d.sock"
    daemon = start_daemon(home, endpoint)
    data = np.zeros((48, 48, 4), np.uint8).tobytes()
    fmt = {"width": 48, "height": 48, "channels": "RGBA", "dtype": "uint8"}
    params = {"steps": 10000, "size": 48, "optimizer": "adam"}
    outcome: list[BaseException] = []
    running = threading.Event()

    def job() -> None:
        with Client(endpoint, timeout_s=3.0) as client:
            try:
                client.stylize(
                    data, fmt, params, path="optimize", style_names={"starry-night": 1.0},
                    on_progress=lambda p: running.set(),
                )  # fmt: skip
            except BaseException as e:
                outcome.append(e)

    thread = threading.Thread(target=job)
    thread.start()
    assert running.wait(60)
    os.kill(daemon.process.pid, signal.SIGKILL)
    killed = time.monotonic()
    thread.join(10)
    assert time.monotonic() - killed < 8.0  # the client's 3 s timeout, plus slack on a busy machine
    assert len(outcome) == 1 and isinstance(outcome[0], DaemonUnavailable)
    daemon.process.wait(5)
    assert (tmp_path / "d.sock").exists()  # left behind by the crash
    restarted = start_daemon(home, endpoint)
    try:
        with restarted.client() as client:
            assert client.ping()
        assert "stale socket" in (home / "log" / "daemon.log").read_text()
    finally:
        restarted.stop()


def test_a_second_daemon_on_the_same_endpoint_is_refused_and_the_cli_reports_and_stops(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    daemon = start_daemon(isolated_home)
    try:
        assert main(["daemon", "--endpoint", daemon.endpoint]) == wire.EXIT_ALREADY_RUNNING
        said = f"a daemon is already running on {daemon.endpoint} (pid {daemon.process.pid})"
        assert said in capsys.readouterr().err
        assert main(["daemon", "status", "--endpoint", daemon.endpoint]) == 0
        assert "jobs: 0 running, 0 queued" in capsys.readouterr().out
        assert main(["daemon", "stop", "--endpoint", daemon.endpoint]) == 0
        assert "stopped" in capsys.readouterr().out
        daemon.process.wait(10)
        assert daemon.process.returncode == 0
    finally:
        daemon.stop()
    assert main(["status", "--endpoint", daemon.endpoint, "--timeout", "0.5"]) == 1


def test_configured_limits_bound_images_and_messages(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    limits = {"STYLEBRIDGE_MAX_SIDE_PX": "64", "STYLEBRIDGE_MAX_MESSAGE_BYTES": "1000000"}
    daemon = start_daemon(home, None, "--benchmark-ops", env=limits)
    fmt = {"width": 100, "height": 2, "channels": "RGB", "dtype": "uint8"}
    try:
        with daemon.client() as client:
            assert client.hello()["limits"]["max_side_px"] == 64
            with pytest.raises(DaemonError) as info:
                client.stylize(bytes(600), fmt, {}, path="echo")
            assert info.value.code == "too_large"
        big = {**fmt, "width": 60, "height": 10_000}
        with daemon.client(timeout_s=2.0) as client, pytest.raises(DaemonError) as info:
            # The client refuses a frame over max_message_bytes instead of sending it.
            client.stylize(bytes(1_200_000), big, {}, path="echo")
        assert info.value.code == "too_large" and "1.14 MB, limit 0.95 MB" in info.value.message
        # A peer that sends it anyway gets the same answer, up to the largest packed layer the
        # descriptor limits allow (64 x 64 RGBA float32 = 64 KiB) or max_header_bytes (1 MiB).
        raw = daemon.dealer()
        header = wire.request(wire.OP_STYLIZE, "big", path="echo", image=big)
        raw.send_multipart([wire.pack(header), bytes(1_040_000)])
        assert raw.poll(30_000)
        refused = wire.unpack(raw.recv_multipart()[0])["error"]
        assert refused["code"] == "too_large" and "0.99 MB, limit 0.95 MB" in refused["message"]
        # Beyond that, ZMQ_MAXMSGSIZE drops it with the connection: nothing is allocated, and
        # nothing answers (documented; why clients check first).
        raw.send_multipart([wire.pack(header), bytes(1_200_000)])
        assert not raw.poll(3000)
        raw.close()
        with daemon.client() as client:
            assert client.ping()
    finally:
        daemon.stop()


def test_non_loopback_bind_without_keys_is_refused(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["daemon", "--endpoint", f"tcp://0.0.0.0:{free_port()}"]) == 2
    assert "refusing to bind" in capsys.readouterr().err


def test_with_curve_keys_only_the_authorized_client_is_served(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    keys = tmp_path / "keys"
    assert main(["keys", "--dir", str(keys)]) == 0
    assert (keys / "server.secret").stat().st_mode & 0o777 == 0o600
    assert keys.stat().st_mode & 0o777 == 0o700
    daemon = start_daemon_with_keys(home, keys)
    server = security.load_pair(keys, "server")
    client_pair = security.load_pair(keys, "client")
    try:
        trusted = Client(daemon.endpoint, 5.0, 1, server_key=server.public,
                         client_keys=(client_pair.public, client_pair.secret))  # fmt: skip
        with trusted:
            assert trusted.ping()
        stranger = Client(daemon.endpoint, 1.0, 1, server_key=server.public)  # own random keys
        with stranger, pytest.raises(DaemonUnavailable):
            stranger.ping()
        plain = Client(daemon.endpoint, 1.0, 1)  # no CURVE at all
        with plain, pytest.raises(DaemonUnavailable):
            plain.ping()
    finally:
        daemon.stop()


def start_daemon_with_keys(home: Path, keys: Path):
    """A CURVE daemon on 127.0.0.1: started without the ping probe, which would need keys."""
    from .conftest import DaemonProcess

    endpoint = f"tcp://127.0.0.1:{free_port()}"
    env = {**os.environ, "STYLEBRIDGE_HOME": str(home)}
    command = [sys.executable, "-m", "stylebridge", "daemon", "--endpoint", endpoint,
               "--curve-keys", str(keys)]  # fmt: skip
    output = home.parent / "curve-daemon.out"
    with open(output, "wb") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
    log = home / "log" / "daemon.log"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if log.exists() and "serving on" in log.read_text():
            return DaemonProcess(process, endpoint, home)
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(
        f"CURVE daemon did not start: {process.stderr.read() if process.stderr else ''}"
    )


def test_client_auto_starts_a_daemon_when_none_answers(isolated_home: Path) -> None:
    endpoint = f"ipc://{isolated_home}/auto.sock"
    command = [sys.executable, "-m", "stylebridge"]
    with Client(endpoint, 1.0, 2, auto_start=True, daemon_command=command) as client:
        assert client.ping()
        pid = client.status()["pid"]
        client.shutdown()
        assert client.daemon_process is not None and client.daemon_process.pid == pid
        assert client.daemon_process.wait(20) == 0
    deadline = time.monotonic() + 20
    while (isolated_home / "auto.sock").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not (isolated_home / "auto.sock").exists()  # removed on a clean stop


def test_shutdown_ends_queued_jobs_with_shutting_down_and_cancels_the_running_one(
    tmp_path: Path,
) -> None:
    home = tmp_path / "h"
    home.mkdir()
    daemon = start_daemon(home)
    sock = daemon.dealer()
    fmt = {"width": 48, "height": 48, "channels": "RGB", "dtype": "uint8"}
    long = {"path": "optimize", "image": fmt, "styles": [{"name": "starry-night"}],
            "params": {"steps": 10000, "size": 48, "optimizer": "adam"}}  # fmt: skip
    try:
        events: dict[str, list[dict]] = {"running": [], "queued": []}
        for request_id in events:
            sock.send_multipart([wire.pack(wire.request(wire.OP_STYLIZE, request_id, **long)),
                                 bytes(48 * 48 * 3)])  # fmt: skip
        deadline = time.monotonic() + 180
        while not any(e.get("state") == wire.STATE_RUNNING for e in events["running"]):
            assert sock.poll(max(1, int((deadline - time.monotonic()) * 1000)))
            header = wire.unpack(sock.recv_multipart()[0])
            events[header["id"]].append(header)
        with daemon.client() as client:
            assert client.request(wire.OP_SHUTDOWN)["stopping"] is True
        ends: dict[str, dict] = {}
        while len(ends) < 2:
            assert sock.poll(30_000), ends
            header = wire.unpack(sock.recv_multipart()[0])
            if header["event"] in wire.TERMINAL_EVENTS:
                ends[header["id"]] = header["error"]
    finally:
        sock.close()
        daemon.stop()
    assert ends["queued"] == {"code": "shutting_down", "message": "the daemon is stopping"}
    assert ends["running"]["code"] == "cancelled"
    assert daemon.process.returncode == 0
