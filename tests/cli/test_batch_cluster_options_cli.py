"""`batch --cluster` refusals that need no Ray cluster: Ray not installed names the extra, and
--temporal flow (each frame starts from the one before) is refused; both before any frame."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from stylebridge.cli.main import main

PHOTO = Path(__file__).parents[2] / "daemon/stylebridge/data/samples/washington-monument.jpg"


def test_cluster_without_ray_is_one_line_naming_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    argv = ["batch", str(PHOTO), "-o", str(tmp_path / "out"), "--model", "default"]
    assert main([*argv, "--cluster", "local"]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "stylebridge: error: --cluster needs Ray: pip install 'stylebridge[cluster]'"
    ]
    assert not (tmp_path / "out").exists()


def test_flow_is_refused_on_a_cluster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["batch", str(PHOTO), "-o", str(tmp_path / "out"), "--style", "udnie",
            "--temporal", "flow", "--cluster", "local"]  # fmt: skip
    assert main(argv) == 2
    assert "--temporal flow cannot run on a cluster" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
