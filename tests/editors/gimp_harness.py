"""What the real-GIMP tests share: a real daemon process (the `daemon` module fixture), the plug-in
as the installer assembles it (`plugin`), an Xvfb display for dialog runs (`display`), and
running a script inside GIMP 3's root.

Test modules import the fixtures by name and list them in `__all__`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from editor_env import GIMP_RUN
from process_stop import stop_process
from stylebridge.client import Client, DaemonUnavailable
from stylebridge_installer.bundle import assemble_plugin

SCRIPTS = Path(__file__).parent / "gimp_scripts"
STYLES = ("red", "blue")


def _network_model(models_dir: Path) -> str:
    """The shipped model when there is one, else a randomly initialised, narrow two-style
    network: fast on a CPU, and it changes every pixel."""
    import torch
    from stylebridge.core.model_file import ModelMetadata, default_model_path, save_model
    from stylebridge.core.transformer import StyleNetwork

    if default_model_path().exists():
        return "default"
    torch.manual_seed(0)
    save_model(
        models_dir / "tiny.safetensors",
        StyleNetwork(len(STYLES), 0.125),
        ModelMetadata(STYLES, 0.125),
    )
    return "tiny"


def _wait_for_daemon(endpoint: str, process: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    with Client(endpoint, timeout_s=1.0, tries=1) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"the daemon exited with {process.returncode}")
            try:
                client.ping()
                return
            except DaemonUnavailable:
                continue
    pytest.fail(f"no daemon answered at {endpoint} within {timeout_s} s")


@pytest.fixture(scope="module")
def daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(endpoint, model name) of a real daemon process with its own STYLEBRIDGE_HOME."""
    home = tmp_path_factory.mktemp("sbhome")
    model = _network_model(home / "data" / "models")
    # ipc:// in a folder bound into GIMP's root: a loopback TCP daemon admits only clients with
    # its user's keys, which GIMP's cleared environment (env -i, its own HOME) cannot find.
    endpoint = f"ipc://{home}/daemon.sock"
    env = {**os.environ, "STYLEBRIDGE_HOME": str(home)}
    command = [sys.executable, "-m", "stylebridge", "daemon", "--endpoint", endpoint]
    process = subprocess.Popen(command, env=env)
    try:
        _wait_for_daemon(endpoint, process)
        yield endpoint, model
    finally:
        stop_process(process)


def socket_folder(endpoint: str) -> Path:
    """The folder of an ipc:// endpoint's socket, to bind into GIMP's root."""
    return Path(endpoint.removeprefix("ipc://")).parent


def run_in_gimp(
    plugin: Path, script: str, *args: str, bind: Sequence[Path]
) -> subprocess.CompletedProcess:
    """gimp3-run.sh with `plugin` installed; `bind`: host folders the run needs inside the root."""
    binds = ":".join(str(b) for b in bind)
    env = {**os.environ, "GIMP3_RUN_BIND": binds, "GIMP3_RUN_TIMEOUT": "240"}
    command = [str(GIMP_RUN), "--plugin", str(plugin), str(SCRIPTS / script), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=280)


@pytest.fixture(scope="module")
def plugin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plug-in as the installer assembles it (own files + vendored client)."""
    plug_ins = tmp_path_factory.mktemp("plug-ins")
    assemble_plugin("gimp", plug_ins)
    return plug_ins / "stylebridge"


def _arguments(mode: str, endpoint: str, model: str) -> dict[str, Any]:
    """Procedure arguments: a blend of the model's first two styles on the fast network path,
    or the first library style with a few optimization steps at the layer's size."""
    if mode == "network":
        with Client(endpoint) as client:
            first, second = [s["name"] for s in client.list_styles(path=mode, model=model)][:2]
        styles = f"{first}=0.7,{second}=0.3"
        return {"endpoint": endpoint, "mode": mode, "model": model, "styles": styles}
    return {"endpoint": endpoint, "mode": mode, "styles": "", "steps": 10, "size": 48}


@pytest.fixture
def display() -> Iterator[str]:
    """An Xvfb display (":N") for GTK inside GIMP's root; skips without Xvfb."""
    if shutil.which("Xvfb") is None:
        pytest.skip("no Xvfb (apt-get install xvfb)")
    command = ["Xvfb", "-displayfd", "1", "-screen", "0", "1280x1280x24", "-nolisten", "tcp"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        number = server.stdout.readline().strip()  # -displayfd: Xvfb picks a free display
        assert number, f"Xvfb did not start (exit code {server.poll()})"
        yield ":" + number
    finally:
        stop_process(server)


def distance(a: list[float], b: list[float]) -> float:
    """Euclidean distance of two mean colours."""
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5
