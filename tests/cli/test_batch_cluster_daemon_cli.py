"""`batch --cluster` runs frames on the cluster's workers, never through the local daemon: asking
for `--daemon require` with it is refused in one line (exit 2) before any frame, not ignored."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from stylebridge.cli.main import main

PHOTO = Path(__file__).parents[2] / "daemon/stylebridge/data/samples/washington-monument.jpg"


def test_daemon_require_is_refused_on_a_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # never start Ray, whatever the outcome
    argv = ["batch", str(PHOTO), "-o", str(tmp_path / "out"), "--model", "default",
            "--cluster", "local", "--daemon", "require"]  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--daemon require" in err[0] and "--cluster" in err[0], err
    assert not (tmp_path / "out").exists()
