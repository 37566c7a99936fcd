"""The editors' shared session (stylebridge.editor.session) against real daemons: starting a
missing one, restarting it, which errors mean "path not installed", a checked stylize."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from process_stop import stop_pid
from stylebridge.client import Client, DaemonError, DaemonUnavailable, JobProgress
from stylebridge.editor import session
from stylebridge.editor.daemon_launch import wait_until
from stylebridge.editor.progress_text import ENGINE_STARTED_TEXT, ENGINE_STARTING_TEXT
from stylebridge.editor.request_params import StylizeRequest

from .conftest import DaemonProcess, start_daemon

STARTUP_TIMEOUT_S = 120.0  # torch imports slowly on a loaded 2-core machine
RGBA8 = {"width": 8, "height": 4, "channels": "RGBA", "dtype": "uint8", "stride": 32}


def _ipc(folder: Path) -> str:
    return f"ipc://{folder / 'daemon.sock'}"


@pytest.fixture(scope="module")
def ipc_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonProcess]:
    """A daemon (with the echo path) on a private ipc:// endpoint: no keys needed."""
    home = tmp_path_factory.mktemp("session") / "home"
    home.mkdir()
    running = start_daemon(home, _ipc(home.parent), "--benchmark-ops")
    yield running
    running.stop()


def _link(endpoint: str, command: str = "") -> session.DaemonLink:
    return session.DaemonLink(endpoint, command, 10.0, "stylebridge-test")


def test_missing_daemon_is_started_once_announced_and_restarted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STYLEBRIDGE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    endpoint = _ipc(tmp_path)
    command = shlex.join([sys.executable, "-m", "stylebridge", "daemon", "--endpoint", endpoint])
    link = _link(endpoint, command)
    for launcher in ("start_daemon", "restart_daemon"):
        monkeypatch.setattr(session, launcher, _patient(getattr(session, launcher)))
    notes: list[str] = []
    pids: list[int] = []
    try:
        with session.connect(link, notes.append) as client:
            pids.append(int(client.status()["pid"]))
        assert notes == [ENGINE_STARTING_TEXT, ENGINE_STARTED_TEXT]
        with session.connect(link, notes.append) as client:  # running now: nothing to start
            assert int(client.status()["pid"]) == pids[0]
        assert len(notes) == 2
        pids.append(session.restart(link))
        assert pids[1] != pids[0]
        assert wait_until(lambda: not _is_alive(pids[0]), STARTUP_TIMEOUT_S)
    finally:
        pids.extend(_pid_answering(endpoint))  # one a failed restart may have left
        for pid in pids:
            stop_pid(pid)


def _patient(launch: Callable[..., Any]) -> Callable[..., Any]:
    """A daemon_launch function with a start-up timeout long enough for a loaded machine."""
    return lambda *args: launch(*args, timeout_s=STARTUP_TIMEOUT_S)


def _is_alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            return "zombie" not in status.read()
    except OSError:
        return False


def _pid_answering(endpoint: str) -> list[int]:
    try:
        with Client(endpoint, timeout_s=2.0, tries=1) as client:
            return [int(client.status()["pid"])]
    except DaemonUnavailable:
        return []


def test_no_start_command_means_an_absent_daemon_is_reported(tmp_path: Path) -> None:
    link = session.DaemonLink(_ipc(tmp_path), "", 0.5, "stylebridge-test")
    with pytest.raises(session.JOB_ERRORS) as info:
        session.connect(link, lambda text: pytest.fail(f"announced {text!r}"))
    assert "no reply" in str(info.value)


def test_path_without_its_model_lists_no_styles_unless_it_is_required(
    ipc_daemon: DaemonProcess,
) -> None:
    with session.connect(_link(ipc_daemon.endpoint)) as client:
        model = session.load_dialog_model(client, "no-such-model", required_mode="optimize")
        assert model.styles["network"] == ()
        assert model.styles["optimize"]  # the library styles
        with pytest.raises(DaemonError) as info:
            session.load_dialog_model(client, "no-such-model", required_mode="network")
    assert info.value.code == "unknown_model"


def test_a_broken_model_is_an_error_not_a_missing_path(ipc_daemon: DaemonProcess) -> None:
    models = ipc_daemon.home / "data" / "models"
    models.mkdir(parents=True, exist_ok=True)
    (models / "corrupt.safetensors").write_bytes(b"\x13\x00\x00\x00\x00\x00\x00\x00garbage" * 9)
    with session.connect(_link(ipc_daemon.endpoint)) as client, pytest.raises(DaemonError) as info:
        session.load_dialog_model(client, "corrupt")  # the painter must hear of it
    assert info.value.code == "bad_model"


def test_stylize_sends_the_request_and_returns_the_checked_frame(
    ipc_daemon: DaemonProcess,
) -> None:
    image = bytes(range(128))
    request = StylizeRequest("echo", {}, (), "default")
    job = session.StylizeJob(image, dict(RGBA8), None, request)
    with session.connect(_link(ipc_daemon.endpoint)) as client:
        data, fmt = session.stylize(client, job)
    assert data == image and fmt["stride"] == 32


def test_progress_line_says_queued_then_steps() -> None:
    queued = JobProgress("j", "queued", 0, 10, None, None, None)
    running = JobProgress("j", "running", 3, 10, 12.0, 0.5, None)
    assert session.progress_line(queued) == (0, "Queued…")
    assert session.progress_line(running) == (30, "Step 3/10, 0:12 left")
