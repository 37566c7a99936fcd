"""The Krita plugin inside real Krita 5 (GUI under Xvfb) against a real daemon process.

Opt-in: `pytest -m krita tests/editors/test_krita_plugin.py`; skipped when Krita or
../shared/editors/krita-run.sh is missing (set up with ../shared/editors/setup-krita.sh)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from editor_env import KRITA_MISSING, KRITA_RUN, krita_ready
from process_stop import stop_daemon_on, stop_pid
from stylebridge.client import Client, DaemonUnavailable
from stylebridge.editor.request_params import DialogValues, values_to_json

pytestmark = [pytest.mark.krita, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).parent / "krita_scripts" / "apply_again.py"


@dataclass(frozen=True)
class KritaRun:
    """Where the assembled plugin and the Krita profile live, the environment, the style."""

    pykrita: Path
    profile: Path
    env: dict[str, str]
    styles: tuple[str, ...]
    model: str = "default"
    daemon_command: str = field(default_factory=lambda: f"{sys.executable} -m stylebridge daemon")

    @property
    def style(self) -> str:
        return self.styles[0]


def run_in_krita(run: KritaRun, script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """krita-run.sh --gui with the plugin; its settings.json says how to reach the daemon."""
    settings = {"daemon_command": run.daemon_command, "model": run.model, "timeout_s": 30}
    settings_file = run.pykrita / "stylebridge_krita" / "settings.json"
    settings_file.write_text(json.dumps(settings), encoding="utf-8")
    env = {
        **os.environ,
        **run.env,
        "KRITA_RUN_PROFILE": str(run.profile),
        "KRITA_RUN_TIMEOUT": "400",
    }
    command = [str(KRITA_RUN), "--gui", "--plugin", str(run.pykrita), str(script), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)


def _test_model(home: Path) -> tuple[str, tuple[str, ...]]:
    """(model name, its styles): the shipped default model, else a tiny random two-style one
    whose styles borrow two library names and thumbnails (the pixels it makes are noise)."""
    from stylebridge.core.model_file import ModelMetadata, read_metadata, resolve_model, save_model

    shipped = resolve_model("default")
    if shipped.is_file():
        return "default", read_metadata(shipped).style_names
    import torch
    from stylebridge.core.model_file import thumbnail_base64
    from stylebridge.core.style_library import list_styles
    from stylebridge.core.transformer import StyleNetwork

    torch.manual_seed(0)
    names = ("starry-night", "the-scream")
    library = list_styles()
    thumbnails = {n: thumbnail_base64(_image_tensor(library[n])) for n in names}
    metadata = ModelMetadata(names, width=0.25, thumbnails=thumbnails)
    save_model(home / "data" / "models" / "tiny.safetensors", StyleNetwork(2, 0.25), metadata)
    return "tiny", names


def _image_tensor(path: Path) -> Any:
    import torch
    from PIL import Image

    with Image.open(path) as image:
        rgb = np.asarray(image.convert("RGB"), dtype=np.float32) / 255.0
    return torch.from_numpy(rgb).permute(2, 0, 1).unsqueeze(0)


def _write_photo(path: Path) -> None:
    from PIL import Image

    sample = ROOT / "daemon" / "stylebridge" / "data" / "samples" / "washington-monument.jpg"
    with Image.open(sample) as image:
        image.convert("RGB").resize((96, 72)).save(path)


def _wait_for_daemon(endpoint: str, daemon: subprocess.Popen[bytes], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and daemon.poll() is None:
        probe = Client(endpoint, timeout_s=1.0, tries=1)
        try:
            if probe.ping():
                return
        except DaemonUnavailable:
            pass
        finally:
            probe.close()
    raise RuntimeError(f"the test daemon did not answer on {endpoint} (exit {daemon.poll()})")


@pytest.fixture(scope="module")
def krita(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KritaRun]:
    """A real daemon (temp STYLEBRIDGE_HOME) and the plugin assembled for a temp Krita profile."""
    if not krita_ready():
        pytest.skip(KRITA_MISSING)
    from stylebridge_installer.bundle import assemble_plugin

    base = tmp_path_factory.mktemp("krita")
    home = base / "home"
    model, styles = _test_model(home)
    endpoint = f"ipc://{base}/daemon.sock"
    env = {"STYLEBRIDGE_HOME": str(home), "STYLEBRIDGE_ENDPOINT": endpoint}
    command = [sys.executable, "-m", "stylebridge", "daemon", "--endpoint", endpoint]
    daemon = subprocess.Popen(command, env={**os.environ, **env})
    try:
        _wait_for_daemon(endpoint, daemon, timeout_s=120)
        assemble_plugin("krita", base / "pykrita")
        yield KritaRun(base / "pykrita", base / "profile", env, styles, model)
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)


def _values(style: str) -> str:
    return values_to_json(DialogValues("network", ((style, 1.0),), (), {"strength": 1.0}, "full"))


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
    _write_photo(photo)
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


def test_100_percent_previews_a_crop_at_real_pixel_size_where_double_clicked(
    krita: KritaRun, tmp_path: Path
) -> None:
    from PIL import Image

    photo = tmp_path / "large.png"
    sample = ROOT / "daemon" / "stylebridge" / "data" / "samples" / "washington-monument.jpg"
    with Image.open(sample) as image:
        image.convert("RGB").resize((1024, 768)).save(photo)
    out = tmp_path / "out"
    out.mkdir()
    script = SCRIPT.parent / "crop_preview.py"
    result = run_in_krita(krita, script, str(out), str(photo), krita.style)
    assert result.returncode == 0, result.stdout + result.stderr
    info = json.loads((out / "info.json").read_text())
    fitted, crop, moved = info["fitted"], info["crop"], info["moved"]
    assert fitted["shown_rect"] == [0, 0, 1024, 768] and max(fitted["after_size"]) <= 256
    x, y, w, h = crop["shown_rect"]  # the preview area's size, around the layer's centre
    assert [w, h] == crop["widget_size"] == crop["after_size"] == crop["drawn_size"], info
    assert abs(x + w / 2 - 512) <= 1 and abs(y + h / 2 - 384) <= 1, info
    assert crop["before_is_layer"], info  # real pixels, not a scaled thumbnail
    mx, my, mw, mh = moved["shown_rect"]  # double-click at 10 % of the crop: centred there
    assert (mw, mh) == (w, h) and mx < x and my < y, info
    assert abs(mx + mw / 2 - (x + 0.1 * w)) <= 2 or mx == 0, info
    assert moved["before_is_layer"] and info["error"] == "", info
    print(f"fitted preview {info['fitted_s']} s, 100 % crop {info['crop_s']} s")


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
    _write_photo(photo)
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
    model, styles = _test_model(home)
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
    _write_photo(photo)
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
    model, styles = _test_model(home)
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


def _distance(a: list[float], b: list[float]) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5


def test_any_picture_mode_stylizes_with_another_layer_as_the_style(
    krita: KritaRun, tmp_path: Path
) -> None:
    """Mode 'Any picture (instant)', the style a red/green striped layer of the document: a
    preview and a new layer per Match choice, closer to the stripes' colours than the photo,
    photo and style layers untouched, and the two choices give different pictures."""
    photo = tmp_path / "photo.png"
    _write_photo(photo)
    out = tmp_path / "out"
    out.mkdir()
    script = SCRIPT.parent / "arbitrary_layer_style.py"
    result = run_in_krita(krita, script, str(out), str(photo))
    assert result.returncode == 0, result.stdout + result.stderr
    info = json.loads((out / "info.json").read_text())
    assert info["error"] == "" and info["mode_text"] == "Any picture (instant)", info
    assert info["custom_enabled"] and info["live"] and info["blend"] == [["custom:0", 1.0]]
    assert info["match_labels"][2] == "Blend of both", info
    assert info["match_labels"][0].startswith("Colours and contrast"), info
    assert info["intra_previewed"] and info["wct_previewed"]
    assert info["intra_sent"] == "intra" and info["wct_sent"] == "wct"
    assert len(info["layers"]) == 4 and info["photo_unchanged"] and info["style_unchanged"]
    assert info["intra_differs_from_photo_by"] > 10.0, info
    for transform in ("intra", "wct"):
        to_style = _distance(info[f"{transform}_mean"], info["style_mean"])
        assert to_style < 0.85 * _distance(info["photo_mean"], info["style_mean"]), info
    assert info["transforms_differ_by"] > 2.0, info
