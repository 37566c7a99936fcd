"""The 100 % crop follows the preview pane (issue 15): the rule (editor.crop_preview), and the
dialogs in real Krita 5 (GUI under Xvfb) and real GIMP 3, resized while a crop is shown.

Editor tests are opt-in: `pytest -m krita` / `sudo ... pytest -m gimp` on this file."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from editor_env import GIMP_SKIPS
from gimp_harness import _arguments, daemon, display, plugin, run_in_gimp, socket_folder
from krita_harness import ROOT, KritaRun, krita, run_in_krita
from stylebridge.editor.crop_preview import (
    crop_around,
    followed_crop,
    follows_pane_by_itself,
    region_centre,
)

__all__ = ["daemon", "display", "krita", "plugin"]  # fixtures from the editors' harnesses

KRITA_SCRIPT = Path(__file__).parent / "krita_scripts" / "crop_follows_pane.py"


def _centre(rect: list[int]) -> tuple[int, int]:
    return region_centre((rect[0], rect[1], rect[2], rect[3]))


def test_a_resized_pane_gets_a_crop_of_its_size_around_the_same_centre() -> None:
    region = (0, 0, 1024, 768)
    shown = crop_around(region, (400, 300), 256, 256)
    assert followed_crop(shown, region, (456, 300)) == (172, 150, 456, 300)
    assert region_centre((172, 150, 456, 300)) == region_centre(shown)
    assert followed_crop(shown, region, (2000, 300)) == (0, 150, 1024, 300)  # the region's width


def test_a_resize_that_changes_no_crop_needs_no_preview() -> None:
    region = (32, 16, 448, 352)
    shown = crop_around(region, region_centre(region), 448, 256)  # already the region's width
    assert followed_crop(shown, region, (448, 256)) is None
    assert followed_crop(shown, region, (600, 256)) is None  # wider than the region: the same
    assert followed_crop(shown, region, (600, 300)) is not None


def test_only_a_slow_optimization_waits_to_be_asked() -> None:
    assert follows_pane_by_itself("network") and follows_pane_by_itself("arbitrary")
    assert not follows_pane_by_itself("optimize")


def _large_photo(path: Path) -> None:
    from PIL import Image

    sample = ROOT / "daemon" / "stylebridge" / "data" / "samples" / "washington-monument.jpg"
    with Image.open(sample) as image:
        image.convert("RGB").resize((2048, 1536)).save(path)  # an Apply of a few seconds


@pytest.mark.krita
@pytest.mark.timeout(900)
def test_krita_crop_follows_a_resized_pane_once_and_never_beside_an_apply(
    krita: KritaRun, tmp_path: Path
) -> None:
    photo = tmp_path / "large.png"
    _large_photo(photo)
    out = tmp_path / "out"
    out.mkdir()
    result = run_in_krita(krita, KRITA_SCRIPT, str(out), str(photo), krita.style)
    assert result.returncode == 0, result.stdout + result.stderr
    info = json.loads((out / "info.json").read_text())
    region = tuple(info["region"])
    moved, widened, narrowed = info["moved"], info["widened"], info["narrowed"]
    assert info["followed"] and info["error"] == "", info
    # Wider pane: a crop of its new size, centred where the double-clicked crop was.
    assert widened["widget_size"] != moved["widget_size"], info
    assert widened["shown_rect"][2:] == widened["widget_size"] == widened["after_size"], info
    expected = crop_around(region, _centre(moved["shown_rect"]), *widened["widget_size"])
    assert tuple(widened["shown_rect"]) == expected and widened["before_is_layer"], info
    assert _centre(widened["shown_rect"]) == _centre(moved["shown_rect"]), info  # not clamped
    assert 1 <= info["follow_jobs"] <= 2, info  # ten resize steps, debounced: no preview storm
    # Narrowed while an Apply ran: no preview beside it, the crop followed after it.
    assert info["apply_running_after_resize"] and info["refreshes_during_apply"] == 0, info
    assert info["follow_tries_during_apply"] >= 1, info  # the follow did wait for the Apply
    assert info["after_apply_followed"], info
    assert narrowed["shown_rect"][2:] == narrowed["widget_size"] != widened["widget_size"], info
    assert _centre(narrowed["shown_rect"]) == _centre(moved["shown_rect"]), info
    print(f"crop followed the widened pane in {info['follow_s']} s, {info['follow_jobs']} job(s)")


@pytest.mark.gimp
@pytest.mark.timeout(300)
@GIMP_SKIPS[0]
@GIMP_SKIPS[1]
def test_gimp_crop_follows_a_widened_then_narrowed_dialog(
    plugin: Path, daemon: tuple[str, str], display: str, tmp_path: Path
) -> None:
    data = Path(str(resources.files("stylebridge") / "data")).resolve()
    photo = data / "samples" / "washington-monument.jpg"  # 512 x 385; selected: 32,16 448x352
    out = tmp_path / "follow.json"
    bind = [Path("/tmp/.X11-unix"), photo.parent, tmp_path, socket_folder(daemon[0])]
    arguments = json.dumps(_arguments("network", *daemon))
    done = run_in_gimp(
        plugin,
        "crop_follows_pane.py",
        display,
        str(plugin),
        str(photo),
        arguments,
        str(out),
        bind=bind,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    got = json.loads(out.read_text())
    assert "timed_out" not in got, got
    moved, widened = got["moved"], got["widened"]
    assert moved["shown_rect"][2:] == got["moved_pane"] == [256, 256], got
    assert widened["shown_rect"][2:] == got["widened_pane"] == widened["shown_size"], got
    assert got["widened_pane"][0] > got["moved_pane"][0], got  # the pane widened with the dialog
    region = tuple(got["region"])
    expected = crop_around(region, _centre(moved["shown_rect"]), *got["widened_pane"])
    assert tuple(widened["shown_rect"]) == expected, got
    assert _centre(widened["shown_rect"]) == _centre(moved["shown_rect"]), got  # not clamped
    assert widened["before_is_layer"] and widened["text"] == "Preview ready", got
    assert 1 <= got["follow_previews"] <= 2, got  # ten resize steps, debounced
    narrowed = got["narrowed"]  # the dialog narrows again: the crop follows down too
    assert got["moved_pane"][0] < got["narrowed_pane"][0] < got["widened_pane"][0], got
    assert narrowed["shown_rect"][2:] == got["narrowed_pane"] == narrowed["shown_size"], got
    assert _centre(narrowed["shown_rect"]) == _centre(moved["shown_rect"]), got
    print(f"crop followed the widened dialog in {got['follow_s']} s")
