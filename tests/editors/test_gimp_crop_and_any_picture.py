"""The GIMP dialog's 100 % crop preview and the plug-in's any-picture (arbitrary) mode, inside real
GIMP 3 (in the trixie root made by ../shared/editors/setup-gimp3.sh), against a real daemon
process. Needs root; skips otherwise.

    sudo .venv/bin/python -m pytest -m gimp tests/editors/test_gimp_crop_and_any_picture.py
"""

from __future__ import annotations

import json
import time
from importlib import resources
from pathlib import Path

import pytest
from editor_env import GIMP_SKIPS
from gimp_harness import _arguments, daemon, display, distance, plugin, run_in_gimp, socket_folder

pytestmark = [pytest.mark.gimp, pytest.mark.timeout(300), *GIMP_SKIPS]
__all__ = ["daemon", "display", "plugin"]  # the module fixtures


def test_arbitrary_mode_paints_with_another_layer_as_the_style_per_transform(
    plugin: Path, daemon: tuple[str, str], tmp_path: Path
) -> None:
    """Mode arbitrary, the style a red/green striped layer: a new layer closer to the stripes'
    colours than the bluish photo, both layers untouched, and the transform reaches the job."""
    out = tmp_path / "report.json"
    arguments = json.dumps({"endpoint": daemon[0], "mode": "arbitrary", "styles": "",
                            "custom-styles": "layer:style stripes=1", "size": 48})  # fmt: skip
    started = time.monotonic()
    bind = [tmp_path, socket_folder(daemon[0])]
    done = run_in_gimp(plugin, "arbitrary_layer_call.py", arguments, str(out), bind=bind)
    print(f"GIMP run (arbitrary): {time.monotonic() - started:.1f} s\n{done.stdout}")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text())
    for transform in ("intra", "wct"):
        got = report[transform]
        assert got["status"] == "success", got["message"]
        assert len(got["layers"]) == 3 and got["layers"][1:] == ["source", "style stripes"]
        assert got["source_unchanged"] and got["style_unchanged"]
        assert got["difference_from_source"] > 10.0, got
        to_style = distance(got["result_mean"], got["style_mean"])
        # measured: 0.62 (intra), 0.73 (wct) of the photo's distance to the stripes' mean colour
        assert to_style < 0.85 * distance(got["source_mean"], got["style_mean"]), got
    assert report["difference_between_transforms"] > 2.0, report


def test_100_percent_previews_a_crop_at_real_pixel_size_where_double_clicked(
    plugin: Path, daemon: tuple[str, str], display: str, tmp_path: Path
) -> None:
    data = Path(str(resources.files("stylebridge") / "data")).resolve()
    photo = data / "samples" / "washington-monument.jpg"  # 512 x 385; selected: 32,16 448x352
    arguments = _arguments("network", *daemon)
    out = tmp_path / "crop.json"
    bind = [Path("/tmp/.X11-unix"), photo.parent, tmp_path, socket_folder(daemon[0])]
    args = (display, str(plugin), str(photo), json.dumps(arguments), str(out))
    done = run_in_gimp(plugin, "crop_preview.py", *args, bind=bind)
    assert done.returncode == 0, done.stdout + done.stderr
    got = json.loads(out.read_text())
    assert "timed_out" not in got, got
    fitted, crop, moved = got["fitted"], got["crop"], got["moved"]
    # The fitted thumbnail at most the network's processing size (512 px at stroke 1): here the
    # whole 448 x 352 selection (editor/preview_shot.fitted_preview_px).
    assert fitted["shown_rect"] == [32, 16, 448, 352] and max(fitted["before_size"]) <= 512
    # The preview area's size (256 px) around the selection's centre, drawn pixel for pixel.
    assert crop["shown_rect"] == [128, 64, 256, 256], got
    assert crop["before_size"] == crop["shown_size"] == [256, 256], got
    assert crop["before_is_layer"] and crop["text"] == "Preview ready", got
    # Sent with 28 px of context each side (32 processing px: stroke 1 runs 448 px at 512).
    assert crop["sent_size"] == [312, 312], got
    # A double-click at 10 % of the crop centres it there (clamped to the selection).
    assert moved["shown_rect"] == [32, 16, 256, 256] and moved["before_is_layer"], got
    assert moved["sent_size"] == [284, 284], got  # at the selection's corner: context on 2 sides
    print(f"fitted, 100 % and moved previews in {got['seconds']} s")
