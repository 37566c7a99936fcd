"""A temporary HOME for installer tests: every folder the installer may touch lives under it."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class TempHome:
    home: Path
    sbhome: Path

    @property
    def config_dir(self) -> Path:
        return self.sbhome / "config"

    def snapshot(self) -> dict[str, bytes | None]:
        """Every path under HOME and STYLEBRIDGE_HOME with its bytes (None for folders)."""
        found: dict[str, bytes | None] = {}
        for root in (self.home, self.sbhome):
            for path in sorted(root.rglob("*")) if root.exists() else []:
                found[str(path)] = None if path.is_dir() else path.read_bytes()
        return found


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


def run_cli(capsys: pytest.CaptureFixture[str], command: str, *argv: str) -> tuple[int, str]:
    """Run one `stylebridge COMMAND ARGV` subcommand module; (exit code, stdout)."""
    module = importlib.import_module(f"stylebridge.cli.{command}")
    parser = argparse.ArgumentParser(prog=f"stylebridge {command}")
    module.add_arguments(parser)
    capsys.readouterr()
    code = module.run(parser.parse_args(list(argv)))
    return code, capsys.readouterr().out


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str]]:
    """`cli("install", "--krita")` -> (exit code, stdout)."""
    return lambda command, *argv: run_cli(capsys, command, *argv)


def this_python() -> str:
    """An interpreter that imports zmq and msgpack (the test environment's)."""
    return sys.executable
