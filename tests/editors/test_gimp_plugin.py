"""The GIMP 3 plug-in inside real GIMP 3 (gimp-console, headless, in the trixie root made by
../shared/editors/setup-gimp3.sh), against a real daemon process. Needs root; skips otherwise.

    sudo .venv/bin/python -m pytest -m gimp tests/editors/test_gimp_plugin.py
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from contextlib import suppress
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from editor_env import GIMP_SKIPS
from gimp_harness import _arguments, daemon, display, plugin, run_in_gimp, socket_folder
from PIL import Image
from stylebridge.client import Client, DaemonUnavailable

pytestmark = [pytest.mark.gimp, pytest.mark.timeout(300), *GIMP_SKIPS]
# The module fixtures, and what test_crop_follows_pane.py still imports from here (the rest live
# in gimp_harness.py).
__all__ = ["_arguments", "daemon", "display", "plugin", "run_in_gimp", "socket_folder"]


@pytest.fixture(scope="module", params=["network", "optimize"])
def report(
    request: pytest.FixtureRequest,
    plugin: Path,
    daemon: tuple[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    """What stylize_call.py observed in GIMP, per case (precision, or the error case)."""
    out = tmp_path_factory.mktemp("gimp-out") / "report.json"
    arguments = json.dumps(_arguments(request.param, *daemon))
    started = time.monotonic()
    bind = [out.parent, socket_folder(daemon[0])]
    done = run_in_gimp(plugin, "stylize_call.py", arguments, str(out), bind=bind)
    print(f"GIMP run ({request.param}): {time.monotonic() - started:.1f} s\n{done.stdout}")
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(out.read_text())


@pytest.mark.parametrize("case", ["u8", "u16", "float-linear"])
def test_new_layer_is_stylized_inside_the_feathered_selection_only(
    report: dict[str, Any], case: str
) -> None:
    got = report[case]
    assert got["status"] == "success", got["message"]
    assert got["layers"][1] == "source" and len(got["layers"]) == 2
    name = got["layers"][0]  # names the blend and the method
    assert ("70%" in name and "30%" in name and name.endswith("(fast)")) or name.endswith("(gram)")
    assert got["result_native"] == got["native"]  # the result keeps the image's precision
    assert got["result_geometry"] == [8, 4, 48, 40]
    assert got["outside_max_alpha"] == 0
    assert got["inside"] > 0 and got["inside_min_alpha"] >= 254
    assert got["feather_pixels"] > 0 and got["feather_partial"] >= 0.9 * got["feather_pixels"]
    assert got["max_alpha_error"] <= 2
    assert got["inside_changed"] >= 0.9 * got["inside"]


def test_without_a_selection_the_whole_layer_is_stylized(report: dict[str, Any]) -> None:
    got = report["no-selection"]
    assert got["status"] == "success", got["message"]
    assert got["inside"] == 48 * 40 and got["inside_min_alpha"] == 255
    assert got["inside_changed"] >= 0.9 * got["inside"]


@pytest.mark.parametrize("case", ["u8", "u16", "float-linear", "no-selection", "unknown-style"])
def test_source_layer_is_unchanged_byte_for_byte(report: dict[str, Any], case: str) -> None:
    assert report[case]["source_unchanged"]


def test_daemon_error_is_returned_with_its_message(report: dict[str, Any]) -> None:
    got = report["unknown-style"]
    assert got["status"] == "execution-error"
    assert "no-such-style" in got["message"]
    assert got["layers"] == ["source"]


@pytest.fixture(scope="module")
def custom(
    plugin: Path, daemon: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """custom_style_call.py's report (optimize: library style, style layer, file, bad layer)."""
    folder = tmp_path_factory.mktemp("custom")
    style = Image.new("RGB", (64, 64), (255, 255, 0))  # blue and yellow checks
    for box in ((0, 0, 32, 32), (32, 32, 64, 64)):
        style.paste((0, 0, 255), box)
    style.save(folder / "checks.png")
    arguments = json.dumps(_arguments("optimize", *daemon))
    out = folder / "report.json"
    args = (arguments, str(folder / "checks.png"), str(out))
    bind = [folder, socket_folder(daemon[0])]
    done = run_in_gimp(plugin, "custom_style_call.py", *args, bind=bind)
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(out.read_text())


@pytest.mark.parametrize("case", ["layer", "file"])
def test_custom_style_changes_the_selection_unlike_the_library_style(
    custom: dict[str, Any], case: str
) -> None:
    got = custom[case]
    assert got["status"] == "success", got["message"]
    assert got["source_unchanged"] and got["outside_max_alpha"] == 0
    # 10 steps from the layer: most pixels move (blue/yellow checks leave some yellowish ones).
    assert got["inside_changed"] >= 0.5 * got["inside"] > 0
    assert got["difference_from_library"] > 2.0  # a different style, a different picture


def test_missing_style_layer_is_named_in_the_error(custom: dict[str, Any]) -> None:
    got = custom["missing-layer"]
    assert got["status"] == "execution-error" and "no such layer" in got["message"]
    assert got["source_unchanged"] and len(got["layers"]) == 2


def test_missing_pyzmq_is_explained_with_the_fix(plugin: Path, tmp_path: Path) -> None:
    broken = tmp_path / "stylebridge"
    shutil.copytree(plugin, broken, symlinks=True)
    # A vendored `zmq` that cannot be imported stands in for GIMP's Python lacking pyzmq.
    (broken / "vendor" / "zmq").mkdir()
    (broken / "vendor" / "zmq" / "__init__.py").write_text(
        "raise ImportError('No module named zmq')\n"
    )
    out = tmp_path / "r.json"
    arguments = json.dumps({"endpoint": "tcp://127.0.0.1:9"})
    done = run_in_gimp(broken, "stylize_call.py", arguments, str(out), bind=[tmp_path])
    assert done.returncode == 0, done.stdout + done.stderr
    got = json.loads(out.read_text())["u8"]
    assert got["status"] == "execution-error"
    assert "pyzmq" in got["message"] and "stylebridge install --gimp" in got["message"]
    assert "stylebridge install --gimp" in done.stderr  # Gimp.message in batch mode


def test_missing_daemon_is_started_with_the_daemon_command(plugin: Path, tmp_path: Path) -> None:
    # The command runs inside GIMP's root: bind this venv's interpreter and the source tree.
    python = Path(sys.executable)
    home = tmp_path / "home"
    endpoint = f"ipc://{tmp_path}/started.sock"  # in a bound folder (see the daemon fixture)
    start = (
        f"env STYLEBRIDGE_HOME={home} {python} -m stylebridge daemon --detach --endpoint {endpoint}"
    )
    arguments = {"endpoint": endpoint, "mode": "optimize", "steps": 3, "size": 32}
    arguments["daemon-command"] = start
    out = tmp_path / "r.json"
    bind = [tmp_path, python.parents[2], python.resolve().parents[1]]
    try:
        done = run_in_gimp(plugin, "stylize_call.py", json.dumps(arguments), str(out), bind=bind)
        assert done.returncode == 0, done.stdout + done.stderr
        assert json.loads(out.read_text())["u8"]["status"] == "success"
    finally:
        with Client(endpoint, timeout_s=2.0, tries=1) as client, suppress(DaemonUnavailable):
            client.shutdown()


@pytest.mark.parametrize("mode", ["network", "optimize"])
def test_dialog_is_built_from_the_schema_and_previews(
    plugin: Path, daemon: tuple[str, str], display: str, tmp_path: Path, mode: str
) -> None:
    data = Path(str(resources.files("stylebridge") / "data"))
    photo, wave = (
        data / "samples/washington-monument.jpg",
        data / "styles/great-wave-off-kanagawa.jpg",
    )
    arguments = _arguments(mode, *daemon)
    if mode == "optimize":  # a library style, a style file and another layer (the script adds)
        arguments.update(styles="black-white-zigzag=0.4", steps=5)
        arguments["custom-styles"] = f"file:{wave}=0.3,layer:Sketch=0.3"
    shot = tmp_path / f"dialog-{mode}.png"
    bind = [Path("/tmp/.X11-unix"), photo.parent, wave.parent, tmp_path, socket_folder(daemon[0])]
    args = (display, str(plugin), str(photo), json.dumps(arguments), str(shot))
    done = run_in_gimp(plugin, "dialog_screenshot.py", *args, bind=bind)
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "preview changed: True" in done.stdout
    # A gallery with a thumbnail per style, the styles of the arguments picked; custom rows.
    shown = re.search(r"style thumbnails: (\d+) of (\d+)", done.stdout)
    assert shown and shown[1] == shown[2] and int(shown[1]) >= 2, done.stdout
    want = ["picked: 2"] if mode == "network" else ["picked: 1", "rows: 2"]
    assert all(text in done.stdout for text in want), done.stdout
    with Image.open(shot) as picture:
        assert picture.width > 400 and picture.height > 200


def test_repeat_stylizes_the_source_not_the_result(
    plugin: Path, daemon: tuple[str, str], tmp_path: Path
) -> None:
    """Filters > Repeat runs on the selected layer, which after a run is the result: the
    plug-in must stylize that result's source again, not stack the style on itself."""
    out = tmp_path / "repeat.json"
    arguments = json.dumps(_arguments("network", *daemon))
    bind = [tmp_path, socket_folder(daemon[0])]
    done = run_in_gimp(plugin, "repeat_call.py", arguments, str(out), bind=bind)
    assert done.returncode == 0, done.stdout + done.stderr
    got = json.loads(out.read_text())
    assert got["first"] == "success" and got["repeat"] == "success", got
    assert got["layers"] == 3 and got["new_above_source"], got
    assert got["same_as_first"], got  # made from the source, like the first result


def test_dialog_shows_applied_shares_start_from_network_and_plain_preview_texts(
    plugin: Path, daemon: tuple[str, str], display: str, tmp_path: Path
) -> None:
    """Issue 15: a second style is not silently at 0, each row shows its applied share, a
    finished preview says so, a cancelled one says it plainly, a zero size reads "Full size",
    the engineer's controls wait under Advanced and show only when they apply; issue 11:
    'Start from' offers the network's result; the optimize path starts on the device's preset."""
    data = Path(str(resources.files("stylebridge") / "data")).resolve()
    photo = data / "samples" / "washington-monument.jpg"
    arguments = _arguments("network", *daemon)
    arguments["styles"] = arguments["styles"].split("=")[0]  # one style, as a painter starts
    out = tmp_path / "painter.json"
    bind = [Path("/tmp/.X11-unix"), photo.parent, tmp_path, socket_folder(daemon[0])]
    args = (display, str(plugin), str(photo), json.dumps(arguments), str(out))
    done = run_in_gimp(plugin, "dialog_painter.py", *args, bind=bind)
    assert done.returncode == 0, done.stdout + done.stderr
    got = json.loads(out.read_text())
    network, optimize = got["network"], got["optimize"]
    assert network["second_weight"] > 0 and len(network["blend"]) == 2, network
    assert network["shares"] == ["50%", "50%"], network
    assert "Composition VII" in network["labels"] or "Black and White Zigzag" in network["labels"]
    assert network["preview_text"] == "Preview ready", network
    split = network["split"]  # before/after split view: the line moves where the painter clicks
    assert split["before"] != split["after"] and abs(split["clicked_split"] - 0.25) < 0.02
    (w, h), (sw, sh) = network["before_size"], network["selection_size"]
    assert abs(w / h - sw / sh) < 0.02, network  # the preview is of the selected part
    assert optimize["init_widget"] == "ComboBoxText" and "network" in optimize["init_offers"]
    assert optimize["init_value"] == "network" and optimize["preset"] == "normal", optimize
    assert optimize["cancel_text"] == "Preview cancelled", optimize
    assert network["size_text"] == "Full size", network
    assert optimize["advanced_closed"] and {"preset", "init"} <= set(optimize["front"])
    assert {"optimizer", "learning_rate", "vgg", "poly_c"} <= set(optimize["advanced"])
    assert not optimize["adam_step_shown_with_lbfgs"] and optimize["adam_step_shown_with_adam"]
    assert not optimize["steps_shown_with_preset"], optimize
    arbitrary = got["arbitrary"]  # issue 16: any picture, here another layer, as the style
    assert arbitrary["mode_text"] == "Any picture (instant)" and arbitrary["takes_custom"]
    assert arbitrary["match_offers"][2] == "Blend of both", arbitrary
    assert {"transform", "strength", "stroke"} <= set(arbitrary["front"]), arbitrary
    assert arbitrary["custom_styles"] == ["layer:style stripes"], arbitrary
    for transform in ("intra", "wct"):
        assert arbitrary[f"{transform}_sent"] == transform, arbitrary
        assert arbitrary[f"{transform}_preview_text"] == "Preview ready", arbitrary
        assert arbitrary[f"{transform}_after"] != arbitrary["before"], arbitrary
    assert arbitrary["intra_after"] != arbitrary["wct_after"], arbitrary


def test_result_made_at_a_smaller_size_says_it_was_upscaled(
    plugin: Path, daemon: tuple[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "upscale.json"
    arguments = {**_arguments("optimize", *daemon), "size": 24, "steps": 3}  # the layer is 48 px
    bind = [tmp_path, socket_folder(daemon[0])]
    done = run_in_gimp(plugin, "upscale_call.py", json.dumps(arguments), str(out), bind=bind)
    assert done.returncode == 0, done.stdout + done.stderr
    got = json.loads(out.read_text())
    assert got["status"] == "success", got
    assert got["name"].endswith("(gram, upscaled from 24 px)"), got


def test_each_image_reopens_the_dialog_with_its_own_last_settings(
    plugin: Path, daemon: tuple[str, str], display: str, tmp_path: Path
) -> None:
    data = Path(str(resources.files("stylebridge") / "data")).resolve()
    photo = data / "samples" / "washington-monument.jpg"
    arguments = _arguments("network", *daemon)
    style_a, style_b = (part.split("=")[0] for part in arguments["styles"].split(","))
    arguments["styles"] = style_a
    out = tmp_path / "settings.json"
    bind = [Path("/tmp/.X11-unix"), photo.parent, tmp_path, socket_folder(daemon[0])]
    args = (display, str(plugin), str(photo), json.dumps(arguments), style_b, str(out))
    done = run_in_gimp(plugin, "settings_per_image.py", *args, bind=bind)
    assert done.returncode == 0, done.stdout + done.stderr
    got = json.loads(out.read_text())
    assert got == {"first": style_a, "first_again": style_a, "second": style_b}, got
