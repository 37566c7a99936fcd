"""Fixtures of the installer tests: a temporary HOME holding every folder the installer touches."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from installer_helpers import TempHome, run_cli


@pytest.fixture
def temp_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TempHome]:
    """HOME and STYLEBRIDGE_HOME in tmp_path; XDG defaults; no user systemd or GIMP override."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("STYLEBRIDGE_HOME", str(tmp_path / "sbhome"))
    for name in (
        "XDG_CONFIG_HOME", "XDG_DATA_HOME", "GIMP3_DIRECTORY", "XDG_RUNTIME_DIR",
        "DBUS_SESSION_BUS_ADDRESS", "STYLEBRIDGE_ENDPOINT",
    ):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    yield TempHome(home, tmp_path / "sbhome")


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str]]:
    """`cli("install", "--krita")` -> (exit code, stdout)."""
    return lambda command, *argv: run_cli(capsys, command, *argv)


@pytest.fixture
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
