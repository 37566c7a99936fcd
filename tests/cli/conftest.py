"""CLI tests run `stylebridge stylize` and `batch`, whose --daemon defaults to auto: without a
private endpoint they would hand their jobs to a developer's running daemon (other code, other
models) and test that instead of this process."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_endpoint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An ipc:// endpoint no daemon listens on: `--daemon auto` runs in this process."""
    endpoint = f"ipc://{tmp_path / 'no-daemon.sock'}"
    monkeypatch.setenv("STYLEBRIDGE_ENDPOINT", endpoint)
    return endpoint
