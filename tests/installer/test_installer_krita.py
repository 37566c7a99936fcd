"""End to end in real Krita 5 (GUI under Xvfb, ../shared/editors/krita-run.sh): install the plugin
with the editor's Python found automatically, let Krita load the installed files, and stylize once
through Filter > Apply Neural Style Again, the plugin starting the daemon with the command the
installer recorded; then uninstall to the exact previous state.

    .venv/bin/python -m pytest -m krita tests/installer/test_installer_krita.py
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from editor_env import KRITA_MISSING, KRITA_RUN, krita_ready
from installer_helpers import TempHome, snapshot_tree
from stylebridge_installer import kritarc

ROOT = Path(__file__).resolve().parents[2]
APPLY_SCRIPT = ROOT / "tests/editors/krita_scripts/apply_again.py"
Cli = Callable[..., tuple[int, str]]

pytestmark = [
    pytest.mark.krita,
    pytest.mark.timeout(600),
    pytest.mark.skipif(not krita_ready(), reason=KRITA_MISSING),
]


def optimize_values() -> str:
    """Dialog values for a few optimization steps at layer size (the path every daemon has)."""
    from stylebridge.editor.request_params import DialogValues, values_to_json

    values = DialogValues(
        "optimize", (("starry-night", 1.0),), (("gram", 1.0),), {"steps": 5, "size": 48}, "full"
    )
    return values_to_json(values)


def stop_daemon(endpoint: str) -> None:
    from stylebridge.client import Client, DaemonUnavailable

    # The plugin started it, so there is no process to kill: ask with margins for a loaded
    # machine, and never fail the teardown (the test's own assertion says what went wrong).
    try:
        with Client(endpoint, timeout_s=15.0, tries=3) as client:
            client.shutdown()
    except DaemonUnavailable:
        pass


def test_installed_plugin_loads_and_starts_the_recorded_daemon(
    temp_home: TempHome, cli: Cli, tmp_path: Path
) -> None:
    pykrita = tmp_path / "pykrita"
    before = {**temp_home.snapshot(), **snapshot_tree(pykrita)}
    code, out = cli("install", "--krita-dir", str(pykrita))
    print(out)
    assert code == 0, out
    assert "(Python 3." in out  # Krita's embedded Python was found and asked
    assert kritarc.is_enabled(temp_home.home / ".config/kritarc", "stylebridge_krita")
    endpoint = f"ipc://{tmp_path}/daemon.sock"
    env = {
        **os.environ,
        "KRITA_RUN_PROFILE": str(tmp_path / "profile"),
        "STYLEBRIDGE_ENDPOINT": endpoint,  # the plugin and the daemon it starts both read it
    }
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    command = [str(KRITA_RUN), "--gui", "--plugin", str(pykrita), str(APPLY_SCRIPT), "U8",
               str(out_dir), optimize_values()]  # fmt: skip
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=540)
    finally:
        stop_daemon(endpoint)
    assert done.returncode == 0, done.stdout + done.stderr
    assert any((temp_home.sbhome / "log").glob("daemon*")), "the plugin started no daemon"
    info = json.loads((out_dir / "info.json").read_text())
    assert info["error"] == "" and len(info["layers"]) == 3, info
    assert (out_dir / "source_after.bin").read_bytes() == (
        out_dir / "source_before.bin"
    ).read_bytes()
    code, out = cli("uninstall")
    assert code == 0, out
    assert not (temp_home.config_dir / "installed.json").exists()
    after = {**temp_home.snapshot(), **snapshot_tree(pykrita)}
    assert {k: v for k, v in after.items() if not k.startswith(str(temp_home.sbhome))} == {
        k: v for k, v in before.items() if not k.startswith(str(temp_home.sbhome))
    }
