"""End to end in real GIMP 3 (the trixie root of ../shared/editors/setup-gimp3.sh): install the
plug-in for a GIMP Python that lacks pyzmq/msgpack (so cp313 wheels get vendored), register it,
stylize once through it against a real daemon, then uninstall to the exact previous state.

    sudo .venv/bin/python -m pytest -m gimp tests/installer/test_installer_gimp.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from editor_env import GIMP_ROOT, GIMP_RUN, GIMP_SKIPS
from installer_helpers import TempHome, snapshot_tree
from process_stop import stop_process
from stylebridge_installer import doctor

CALL_SCRIPT = Path(__file__).parent / "gimp_call_once.py"

Cli = Callable[..., tuple[int, str]]
pytestmark = [
    pytest.mark.gimp,
    pytest.mark.timeout(600),
    *GIMP_SKIPS,
]


def gimp_python_without_site(folder: Path, plug_ins: Path) -> Path:
    """GIMP's own python3 (3.13, in the root) minus dist-packages, seeing `plug_ins` at its host
    path as gimp3-run.sh binds it: the installer must vendor wheels for it."""
    script = folder / "gimp-python"
    script.write_text(
        "#!/bin/sh\nexec unshare -m --propagation private sh -c '"
        'mkdir -p "$0$1" && mount --bind "$1" "$0$1" && shift && '
        'exec chroot "$0" /usr/bin/python3 -S "$@"'
        f'\' {GIMP_ROOT} {plug_ins} "$@"\n'
    )
    script.chmod(0o755)
    return script


def write_tiny_model(sbhome: Path) -> str:
    import torch
    from stylebridge.core.model_file import ModelMetadata, save_model
    from stylebridge.core.transformer import StyleNetwork

    torch.manual_seed(0)
    network = StyleNetwork(2, 0.125)
    save_model(sbhome / "data/models/tiny.safetensors", network, ModelMetadata(("a", "b"), 0.125))
    return "tiny"


@pytest.fixture
def daemon(temp_home: TempHome) -> Iterator[tuple[str, str]]:
    """(endpoint, model name) of a real daemon process with a tiny two-style model."""
    model = write_tiny_model(temp_home.sbhome)
    # ipc:// inside the folder bound into GIMP's root: a loopback TCP daemon admits only clients
    # with its user's keys, which GIMP's cleared environment (env -i) cannot find.
    endpoint = f"ipc://{temp_home.sbhome}/gimp.sock"
    env = {**os.environ, "STYLEBRIDGE_HOME": str(temp_home.sbhome)}
    command = [sys.executable, "-m", "stylebridge", "daemon", "--endpoint", endpoint]
    process = subprocess.Popen(command, env=env)
    try:
        deadline = time.monotonic() + 120  # a loaded machine imports torch slowly
        while doctor.check_daemon(endpoint).status != "ok":
            assert process.poll() is None, "the daemon exited"
            assert time.monotonic() < deadline, "the daemon did not answer within 120 s"
        yield endpoint, model
    finally:
        stop_process(process)


def test_installed_plugin_registers_and_stylizes_then_uninstalls_cleanly(
    temp_home: TempHome, cli: Cli, daemon: tuple[str, str], tmp_path: Path
) -> None:
    endpoint, _model = daemon
    plug_ins = tmp_path / "plug-ins"
    plug_ins.mkdir()
    python = gimp_python_without_site(tmp_path, plug_ins)
    before = snapshot_tree(plug_ins)
    code, out = cli("install", "--gimp-dir", str(plug_ins), "--python-for-editor", str(python))
    print(out)
    assert code == 0, out
    assert "(Python 3.13) lacks zmq, msgpack" in out and "vendored" in out
    assert any((plug_ins / "stylebridge/vendor").glob("pyzmq-*.dist-info"))
    report = tmp_path / "report.json"
    # A few optimization steps at layer size: the path every daemon build has.
    arguments = json.dumps({"endpoint": endpoint, "mode": "optimize", "steps": 5, "size": 48})
    env = {**os.environ, "GIMP3_RUN_BIND": str(tmp_path), "GIMP3_RUN_TIMEOUT": "240"}
    plugin = plug_ins / "stylebridge"
    command = [str(GIMP_RUN), "--plugin", str(plugin), str(CALL_SCRIPT), arguments, str(report)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    got = json.loads(report.read_text())
    assert got["registered"], done.stdout + done.stderr
    assert got["status"] == "success", got
    assert got["source_unchanged"] and got["layers"][1] == "source"
    assert got["changed_bytes"] > 0.5 * 48 * 40 * 3, got  # stylized, not a copy
    code, out = cli("uninstall")
    assert code == 0, out
    assert snapshot_tree(plug_ins) == before
