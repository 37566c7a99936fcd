"""The Krita dialog's 100 % crop preview and its any-picture mode, inside real Krita 5 (GUI under
Xvfb) against a real daemon process.

Opt-in: `pytest -m krita tests/editors/test_krita_crop_and_any_picture.py`; skipped when Krita or
../shared/editors/krita-run.sh is missing (set up with ../shared/editors/setup-krita.sh)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from krita_harness import ROOT, SCRIPT, KritaRun, distance, krita, run_in_krita, write_photo

pytestmark = [pytest.mark.krita, pytest.mark.timeout(900)]
__all__ = ["krita"]  # the module fixture: a real daemon and the assembled plugin


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
    # The fitted thumbnail at the network's processing size (512 px at stroke 1), whose
    # statistics the crops replay (editor/preview_shot.fitted_preview_px).
    assert fitted["shown_rect"] == [0, 0, 1024, 768] and max(fitted["after_size"]) <= 512
    x, y, w, h = crop["shown_rect"]  # the preview area's size, around the layer's centre
    assert [w, h] == crop["widget_size"] == crop["after_size"] == crop["drawn_size"], info
    assert abs(x + w / 2 - 512) <= 1 and abs(y + h / 2 - 384) <= 1, info
    assert crop["before_is_layer"], info  # real pixels, not a scaled thumbnail
    # Sent with 32 processing px of context each side (stroke 1 runs 1024 px at 512: 64 px),
    # at most half the crop's side; the result is cut back to the crop (after_size above).
    margin = min(64, max(w, h) // 2)
    assert info["crop_sent_size"] == [w + 2 * margin, h + 2 * margin], info
    mx, my, mw, mh = moved["shown_rect"]  # double-click at 10 % of the crop: centred there
    assert (mw, mh) == (w, h) and mx < x and my < y, info
    assert abs(mx + mw / 2 - (x + 0.1 * w)) <= 2 or mx == 0, info
    assert moved["before_is_layer"] and info["error"] == "", info
    # Both crops replay the fitted preview's statistics (editor/preview_shot.py).
    assert info["fitted_shot"] and info["crop_shot"] == info["moved_shot"] == info["fitted_shot"]
    print(f"fitted preview {info['fitted_s']} s, 100 % crop {info['crop_s']} s")


def test_any_picture_mode_stylizes_with_another_layer_as_the_style(
    krita: KritaRun, tmp_path: Path
) -> None:
    """Mode 'Any picture (instant)', the style a red/green striped layer of the document: a
    preview and a new layer per Match choice, closer to the stripes' colours than the photo,
    photo and style layers untouched, and the two choices give different pictures."""
    photo = tmp_path / "photo.png"
    write_photo(photo)
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
        to_style = distance(info[f"{transform}_mean"], info["style_mean"])
        assert to_style < 0.85 * distance(info["photo_mean"], info["style_mean"]), info
    assert info["transforms_differ_by"] > 2.0, info
