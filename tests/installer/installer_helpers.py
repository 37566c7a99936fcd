"""Shared by the installer tests: a temporary HOME and a way to run one CLI subcommand."""

from __future__ import annotations

import argparse
import importlib
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
        return {**snapshot_tree(self.home), **snapshot_tree(self.sbhome)}


def snapshot_tree(root: Path) -> dict[str, bytes | None]:
    """Every path under `root` with its bytes (None for folders)."""
    paths = sorted(root.rglob("*")) if root.exists() else []
    return {str(p): None if p.is_dir() else p.read_bytes() for p in paths}


def run_cli(capsys: pytest.CaptureFixture[str], command: str, *argv: str) -> tuple[int, str]:
    """Run one `stylebridge COMMAND ARGV` subcommand module; (exit code, stdout)."""
    module = importlib.import_module(f"stylebridge.cli.{command}")
    parser = argparse.ArgumentParser(prog=f"stylebridge {command}")
    module.add_arguments(parser)
    capsys.readouterr()
    code = module.run(parser.parse_args(list(argv)))
    return code, capsys.readouterr().out
