"""Endpoints without a daemon: the client's stdlib mirror of the default, loopback rules, lock."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
from stylebridge import client, config
from stylebridge.service import endpoints, loopback_keys, protocol
from stylebridge.service.endpoints import AlreadyRunningError, DaemonLock


def exact_runtime_dir() -> Path:
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        return config.paths().runtime_dir


@pytest.mark.parametrize("xdg", ["set", "unset", "missing"])
def test_client_mirror_finds_the_daemons_runtime_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, xdg: str
) -> None:
    monkeypatch.delenv("STYLEBRIDGE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    runtime = tmp_path / "xdg"
    runtime.mkdir(mode=0o700)
    if xdg == "set":
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    elif xdg == "missing":
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "absent"))
    else:
        monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    assert protocol.guess_runtime_dir() == exact_runtime_dir()


def test_stylebridge_home_and_endpoint_variables_win(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STYLEBRIDGE_HOME", str(tmp_path))
    expected = f"ipc://{tmp_path}/run/daemon.sock"
    assert client.default_endpoint() == endpoints.default_endpoint() == expected
    assert protocol.guess_runtime_dir() == tmp_path / "run"
    assert (tmp_path / "run").stat().st_mode & 0o777 == 0o700
    monkeypatch.setenv("STYLEBRIDGE_ENDPOINT", "tcp://127.0.0.1:5000")
    assert client.default_endpoint() == "tcp://127.0.0.1:5000"


@pytest.mark.parametrize(
    ("endpoint", "loopback"),
    [
        ("ipc:///tmp/x.sock", True),
        ("tcp://127.0.0.1:5", True),
        ("tcp://127.8.9.1:5", True),
        ("tcp://[::1]:5", True),
        ("tcp://localhost:5", True),
        ("tcp://0.0.0.0:5", False),
        ("tcp://*:5", False),
        ("tcp://192.168.1.4:5", False),
        ("tcp://eth0:5", False),
        ("tcp://[::]:5", False),
    ],
)
def test_loopback_rule(endpoint: str, loopback: bool) -> None:
    assert loopback_keys.is_loopback(endpoint) is loopback


def test_the_lock_admits_one_daemon_per_endpoint_and_records_it(tmp_path: Path) -> None:
    endpoint = f"ipc://{tmp_path}/run/d.sock"
    first = endpoints.lock_endpoint(endpoint)
    assert (tmp_path / "run").stat().st_mode & 0o777 == 0o700  # created private
    assert first.path == tmp_path / "run" / "d.sock.lock"  # beside the socket, whatever the env
    with pytest.raises(AlreadyRunningError, match=f"on {endpoint} \\(pid {os.getpid()}\\)"):
        endpoints.lock_endpoint(endpoint)
    other = endpoints.lock_endpoint(f"ipc://{tmp_path}/run/other.sock")  # another endpoint
    first.release()
    second = DaemonLock(first.path)
    second.acquire(endpoint)
    assert endpoints.read_lock_info(first.path) == {"pid": os.getpid(), "endpoint": endpoint}
    second.release()
    other.release()


def test_a_lock_file_of_another_user_or_a_link_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "precious"
    target.write_text("keep")
    (tmp_path / "d.sock.lock").symlink_to(target)
    with pytest.raises(OSError):
        endpoints.lock_endpoint(f"ipc://{tmp_path}/d.sock")
    assert target.read_text() == "keep"


def test_tcp_endpoints_lock_in_the_private_runtime_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STYLEBRIDGE_HOME", str(tmp_path))
    lock = endpoints.lock_endpoint("tcp://127.0.0.1:47653")
    try:
        assert lock.path == tmp_path / "run" / "locks" / "tcp-127.0.0.1-47653.lock"
        assert lock.path.parent.stat().st_mode & 0o777 == 0o700
        with pytest.raises(AlreadyRunningError):
            endpoints.lock_endpoint("tcp://127.0.0.1:47653")
    finally:
        lock.release()


def test_a_stale_socket_file_is_removed(tmp_path: Path) -> None:
    stale = tmp_path / "d.sock"
    stale.write_bytes(b"")
    assert endpoints.remove_stale_socket(f"ipc://{stale}")
    assert not stale.exists()
    assert not endpoints.remove_stale_socket(f"ipc://{stale}")
