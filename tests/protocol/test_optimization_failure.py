"""A failing optimization on a real daemon becomes an `error` event with its own code, never a
`result` (it used to answer an all-black image as a success), and the daemon keeps serving."""

from __future__ import annotations

import os
from collections.abc import Iterator

import numpy as np
import pytest
from stylebridge.client import DaemonError

from .conftest import DaemonProcess, start_daemon

pytestmark = pytest.mark.timeout(120)

# Loaded by the daemon's interpreter at start-up (sitecustomize on PYTHONPATH): every objective
# evaluation returns NaN, as a diverging optimization would.
FAULT = """
from stylebridge.core.stylize_problem import Problem

Problem.objective = lambda self, image: image.sum() * float("nan")
"""


@pytest.fixture(scope="module")
def failing_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonProcess]:
    root = tmp_path_factory.mktemp("nan-daemon")
    (root / "sitecustomize.py").write_text(FAULT)
    home = root / "home"
    home.mkdir()
    path = os.pathsep.join(p for p in (str(root), os.environ.get("PYTHONPATH", "")) if p)
    running = start_daemon(home, None, env={"PYTHONPATH": path})
    yield running
    running.stop()


def test_a_nan_loss_is_an_optimization_failed_error_and_the_daemon_survives(
    failing_daemon: DaemonProcess,
) -> None:
    rgba = np.random.default_rng(0).integers(0, 256, (72, 96, 4), dtype=np.uint8)
    fmt = {"width": 96, "height": 72, "channels": "RGBA", "dtype": "uint8"}
    params = {"steps": 3, "size": 64, "method": "gram"}
    with failing_daemon.client(timeout_s=60) as client:
        with pytest.raises(DaemonError) as info:
            client.stylize(rgba.tobytes(), fmt, params, path="optimize", style_names={"udnie": 1.0})
        assert info.value.code == "optimization_failed"
        assert "optimization failed" in info.value.message
        assert client.ping()
