"""The Krita plugin inside real Krita 5 (GUI under Xvfb) against a real daemon process.

Opt-in: `pytest -m krita tests/editors/test_krita_plugin.py`; skipped when Krita or
../shared/editors/krita-run.sh is missing (set up with ../shared/editors/setup-krita.sh)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

import numpy as np
import pytest
from krita_harness import (
    ROOT,
    SCRIPT,
    KritaRun,
    _values,
    krita,
    model_for_tests,
    run_in_krita,
    write_photo,
)
from process_stop import stop_daemon_on, stop_pid
from stylebridge.client import Client, DaemonUnavailable
from stylebridge.editor.request_params import DialogValues, values_to_json

pytestmark = [pytest.mark.krita, pytest.mark.timeout(900)]
# The module fixture (a real daemon and the assembled plugin), and what test_crop_follows_pane.py
# still imports from here (the rest live in krita_harness.py).
__all__ = ["ROOT", "KritaRun", "krita", "run_in_krita"]

# Krita depth -> (numpy sample type, full scale). U8/U16 are B,G,R,A; F16/F32 R,G,B,A.
SAMPLES = {"U8": ("u1", 255.0), "U16": ("<u2", 65535.0), "F16": ("<f2", 1.0), "F32": ("<f4", 1.0)}


def _pixels(data: bytes, depth: str, width: int, height: int) -> np.ndarray:
    """(H, W, 4) float samples in memory order, scaled to [0, 1]; alpha is always last."""
    dtype, scale = SAMPLES[depth]
    return np.frombuffer(data, dtype=dtype).reshape(height, width, 4).astype(np.float64) / scale


def _run_apply(krita: KritaRun, depth: str, out: Path) -> dict:
    out.mkdir()
    result = run_in_krita(krita, SCRIPT, depth, str(out), _values(krita.style))
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads((out / "info.json").read_text())


@pytest.mark.parametrize("depth", ["U8", "U16", "F16", "F32"])
def test_apply_again_stylizes_inside_feathered_selection_only(
    krita: KritaRun, depth: str, tmp_path: Path
) -> None:
    info = _run_apply(krita, depth, tmp_path / "out")
    width, height = info["size"]
    read = {n: (tmp_path / "out" / n).read_bytes() for n in ("source_before.bin", "mask.bin")}
    after = (tmp_path / "out" / "source_after.bin").read_bytes()
    assert after == read["source_before.bin"]  # the source layer is untouched, byte for byte
    assert info["error"] == "" and info["result_depth"] == depth
    assert info["layers_after_undo"] == ["Background", "Selection Mask"]  # one undo step
    assert (tmp_path / "out" / "source_after_undo.bin").read_bytes() == after
    source = _pixels(read["source_before.bin"], depth, width, height)
    result = _pixels((tmp_path / "out" / "result.bin").read_bytes(), depth, width, height)
    mask = np.frombuffer(read["mask.bin"], dtype=np.uint8).reshape(height, width) / 255.0
    alpha = result[..., 3]
    assert np.all(alpha[mask == 0] == 0)  # nothing outside the selection
    assert np.allclose(alpha, mask, atol=1.5 / 255)  # opaque source: alpha = selection value
    partial = (mask > 0.1) & (mask < 0.9)
    assert partial.sum() > 20 and np.all((alpha[partial] > 0) & (alpha[partial] < 1))
    inside = mask == 1.0
    changed = np.abs(result[..., :3] - source[..., :3]).mean(axis=-1)[inside]
    assert changed.mean() > 0.02  # stylized, not a copy of the source
    print(f"{depth}: plugin job {info['seconds']:.1f} s, layers {info['layers']}")


def test_unreachable_daemon_is_reported_without_ui(krita: KritaRun, tmp_path: Path) -> None:
    env = {**krita.env, "STYLEBRIDGE_ENDPOINT": f"ipc://{tmp_path}/nobody.sock"}
    command = "/bin/sh -c 'echo no stylebridge here >&2; exit 3'"
    broken = KritaRun(krita.pykrita, krita.profile, env, krita.styles, krita.model, command)
    out = tmp_path / "out"
    out.mkdir()
    result = run_in_krita(broken, SCRIPT, "U8", str(out), _values(krita.style))
    assert result.returncode == 3, result.stdout + result.stderr
    info = json.loads((out / "info.json").read_text())
    assert "exited with status 3: no stylebridge here" in info["error"]
    assert info["layers"] == ["Background", "Selection Mask"]


def test_dialog_is_built_from_the_schema_previews_and_applies(
    krita: KritaRun, tmp_path: Path
) -> None:
    from stylebridge.core.network_params import NETWORK_PARAMETERS
    from stylebridge.editor.control_layout import EDITOR_SET

    photo = tmp_path / "photo.png"
    write_photo(photo)
    out = tmp_path / "out"
    out.mkdir()
    script = SCRIPT.parent / "dialog_apply.py"
    result = run_in_krita(krita, script, str(out), "network", str(photo), krita.style)
    assert result.returncode == 0, result.stdout + result.stderr
    info = json.loads((out / "info.json").read_text())
    assert info["gallery"] == len(krita.styles) and info["has_preview"]
    split = info["split"]  # before/after split view: the line moves where the painter clicks
    assert split["before"] != split["after"] and abs(split["clicked_split"] - 0.25) < 0.02
    assert split["size"] == [96, 72] and split["corner_is_picture"], split  # no tile padding
    assert info["previews_after_drag"] == 1  # ten slider moves, one debounced preview
    assert info["opened_from_docker"]
    assert info["blend"] == [[krita.style, 1.0]]
    shown = {s.name for s in NETWORK_PARAMETERS} - {"size", "size_px", "max_side_px", *EDITOR_SET}
    assert set(info["options"]) == shown  # one control per declared parameter, none invented
    assert info["new_layer"] and info["error"] == ""
    assert (out / "dialog.png").stat().st_size > 10_000


def test_layer_name_says_upscaled_when_the_daemon_preset_picked_a_smaller_size(
    krita: KritaRun, tmp_path: Path
) -> None:
    # draft on a CPU works at 384 px (2 scales); the request names no size, the layer is 480.
    options = {"preset": "draft", "steps": 2}
    values = DialogValues("optimize", (("udnie", 1.0),), (("gram", 1.0),), options, "standard")
    out = tmp_path / "out"
    out.mkdir()
    script = SCRIPT.parent / "preset_size_name.py"
    result = run_in_krita(krita, script, str(out), values_to_json(values), "480", "400")
    assert result.returncode == 0, result.stdout + result.stderr
    info = json.loads((out / "info.json").read_text())
    assert info["error"] == "" and len(info["layers"]) == 2, info
    assert info["layers"][1] == "Udnie (gram, upscaled from 384 px)", info


def test_optimize_preview_starts_only_when_asked_stops_and_never_delays_apply(
    krita: KritaRun, tmp_path: Path
) -> None:
    photo = tmp_path / "photo.png"
    write_photo(photo)
    out = tmp_path / "out"
    out.mkdir()
    script = SCRIPT.parent / "optimize_preview.py"
    result = run_in_krita(krita, script, str(out), str(photo), krita.style)
    assert result.returncode == 0, result.stdout + result.stderr
    info = json.loads((out / "info.json").read_text())
    assert not info["live_enabled"] and info["previews_after_drag"] == 0
    assert info["started"] and info["button_while_running"] == "Stop preview"
    assert info["stopped"] and info["stop_s"] < 30 and info["button_after_stop"] == "Preview"
    assert info["preview_cancelled_by_apply"] and info["new_layer"] and info["error"] == ""


def test_cancel_stops_the_daemon_job_and_adds_no_layer(krita: KritaRun, tmp_path: Path) -> None:
    values = DialogValues("optimize", (("udnie", 1.0),), (("gram", 1.0),), {"steps": 5000})
    out = tmp_path / "out"
    out.mkdir()
    script = SCRIPT.parent / "cancel_job.py"
    result = run_in_krita(krita, script, str(out), values_to_json(values))
    assert result.returncode == 0, result.stdout + result.stderr
    info = json.loads((out / "info.json").read_text())
    assert info["error"].startswith("Cancelled")  # the daemon's terminal "cancelled", no timeout
    assert info["progress"] and info["after_cancel_s"] < 30
    assert info["layers"] == ["Background", "Selection Mask"]


def test_missing_pyzmq_is_explained_with_the_installer_command(
    krita: KritaRun, tmp_path: Path
) -> None:
    from stylebridge_installer.bundle import assemble_plugin

    assemble_plugin("krita", tmp_path / "pykrita")
    # vendor/ comes first on the plugin's sys.path: this stands in for a Python without pyzmq.
    fake = tmp_path / "pykrita" / "stylebridge_krita" / "vendor" / "zmq"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('No module named zmq (test)')\n")
    run = KritaRun(tmp_path / "pykrita", krita.profile, krita.env, krita.styles, krita.model)
    result = run_in_krita(run, SCRIPT.parent / "unavailable.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "cannot import zmq: No module named zmq (test)" in result.stdout
    assert "stylebridge install --krita" in result.stdout


def test_plugin_starts_a_daemon_when_none_runs_and_says_so(
    krita: KritaRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    model, styles = model_for_tests(home)
    # No endpoint anywhere: plugin and daemon must agree on the per-user default one.
    monkeypatch.delenv("STYLEBRIDGE_ENDPOINT", raising=False)
    monkeypatch.setenv("STYLEBRIDGE_HOME", str(home))
    command = f"{sys.executable} -m stylebridge daemon --detach"
    env = {"STYLEBRIDGE_HOME": str(home)}
    run = KritaRun(krita.pykrita, krita.profile, env, styles, model, command)
    out = tmp_path / "out"
    out.mkdir()
    try:
        result = run_in_krita(run, SCRIPT, "U8", str(out), _values(styles[0]))
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"started the daemon with `{command}`" in result.stderr  # the log, for debugging
        assert "Started the style engine" in result.stderr  # the painter's note: no command line
    finally:
        with Client(None, timeout_s=5.0, tries=1) as client:  # the default endpoint
            client.shutdown()


def test_dialog_reports_in_its_status_line_shows_applied_weights_and_recovers(
    krita: KritaRun, tmp_path: Path
) -> None:
    """Issue 15's defects in the interactive dialog: no message box for a bad choice or a
    Cancel, Apply usable again after jobs that fail at once, the ready count is the gallery's,
    the sliders show the shares applied, the bar moves on the network path, no ETA from step 1."""
    photo = tmp_path / "photo.png"
    write_photo(photo)
    out = tmp_path / "out"
    out.mkdir()
    script = SCRIPT.parent / "dialog_defects.py"
    result = run_in_krita(krita, script, str(out), str(photo), *krita.styles[:2])
    assert result.returncode == 0, result.stdout + result.stderr
    info = json.loads((out / "info.json").read_text())
    ready = info["ready"]
    assert f"Ready: {ready['gallery']} styles" in ready["status"]
    empty = info["empty"]
    assert empty["boxes"] == [] and "choose at least one style" in empty["status"]
    assert empty["apply_enabled"] and not empty["cancel_enabled"]
    blend = info["blend"]
    assert blend["percents"] == ["64%", "36%"]  # sliders at 90 and 50
    assert any("64%" in name and "36%" in name for name in blend["layers"]), blend
    assert max(blend["progress_values"], default=0) > 0, blend  # the bar moved
    cancel = info["cancel"]
    assert cancel["boxes"] == [] and "Cancelled" in cancel["status"], cancel
    assert cancel["apply_enabled"]
    shown = cancel["shown"]  # Advanced starts closed; rows show only while they apply
    assert shown["advanced_closed"] and not shown["steps_with_preset"], shown
    assert not shown["adam_step_with_lbfgs"] and shown["adam_step_with_adam"], shown
    assert not shown["quality_with_preset"] and shown["quality_without_preset"], shown
    first = [t for t in cancel["progress_texts"] if t.startswith("Step 1/")]
    assert all("left" not in t for t in first), cancel["progress_texts"]


def test_settings_restart_the_engine_and_the_dialog_shows_no_command(
    krita: KritaRun, tmp_path: Path
) -> None:
    home, endpoint = tmp_path / "home", f"ipc://{tmp_path}/engine.sock"
    model, styles = model_for_tests(home)
    env = {"STYLEBRIDGE_HOME": str(home), "STYLEBRIDGE_ENDPOINT": endpoint}
    command = f"{sys.executable} -m stylebridge daemon --detach --endpoint {endpoint}"
    subprocess.run(command.split(), env={**os.environ, **env}, check=True, timeout=120)
    run = KritaRun(krita.pykrita, krita.profile, env, styles, model, command)
    out = tmp_path / "out"
    out.mkdir()
    pids: list[int] = []  # every engine this test made, stopped whatever happens
    try:
        with Client(endpoint, timeout_s=30) as client:
            pids.append(client.status()["pid"])
        result = run_in_krita(run, SCRIPT.parent / "engine_restart.py", str(out))
        assert result.returncode == 0, result.stdout + result.stderr
        info = json.loads((out / "info.json").read_text())
        pids.append(info["pid"])
        assert info["settings_status"] == "The engine restarted.", info
        with Client(endpoint, timeout_s=30) as client:
            assert client.status()["pid"] == info["pid"] != pids[0]
        assert sys.executable not in info["dialog_status"]  # no command line for the painter
    finally:
        with Client(endpoint, timeout_s=5.0, tries=1) as client, suppress(DaemonUnavailable):
            client.shutdown()
        for pid in pids:
            stop_pid(pid)
        stop_daemon_on(endpoint)  # an engine the test never learnt of (a failed restart)


def test_each_document_reopens_the_dialog_with_its_own_last_settings(
    krita: KritaRun, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    script = SCRIPT.parent / "settings_per_document.py"
    result = run_in_krita(krita, script, str(out), *krita.styles[:2])
    assert result.returncode == 0, result.stdout + result.stderr
    info = json.loads((out / "info.json").read_text())
    assert info["error"] == "" and info["picked"] == [krita.styles[0]], info
