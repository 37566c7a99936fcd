"""Shared test settings: CI has two cores, so torch stays on one thread per process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("OMP_NUM_THREADS", "1")


@pytest.fixture(autouse=True, scope="session")
def _single_thread_torch() -> None:
    import torch

    torch.set_num_threads(1)


@pytest.fixture
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point every stylebridge folder (config, data, cache, logs, runtime) at a temp dir."""
    home = tmp_path / "sbhome"
    monkeypatch.setenv("STYLEBRIDGE_HOME", str(home))
    yield home
