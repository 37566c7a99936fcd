"""Filter > Stylize Animation Frames inside real Krita 5 (GUI under Xvfb) against a real daemon:
every keyframe of an animated layer into a new animated layer (issue 17).

Opt-in: `pytest -m krita tests/editors/test_krita_animation.py`; skipped when Krita is missing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from krita_harness import KritaRun, _values, krita, run_in_krita
from stylebridge.editor.request_params import DialogValues, values_to_json

pytestmark = [pytest.mark.krita, pytest.mark.timeout(900)]
__all__ = ["krita"]  # the module fixture: a real daemon and the assembled plugin

SCRIPT = Path(__file__).parent / "krita_scripts" / "animation_frames.py"
TIMES = (0, 3, 6)
W, H = 48, 40


def _frame(out: Path, name: str) -> np.ndarray:
    """(H, W, 4) B,G,R,A samples in [0, 1] of one written frame."""
    data = np.frombuffer((out / name).read_bytes(), dtype=np.uint8)
    return data.reshape(H, W, 4).astype(np.float64) / 255.0


def test_every_keyframe_is_stylized_into_a_new_animated_layer_in_one_undo_step(
    krita: KritaRun, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = run_in_krita(krita, SCRIPT, str(out), _values(krita.style))
    assert result.returncode == 0, result.stdout + result.stderr
    info = json.loads((out / "info.json").read_text())
    assert info["error"] == "" and len(info["layers"]) == 2, info
    assert info["result_animated"] and info["result_keyframes"] == list(TIMES), info
    assert info["source_keyframes"] == list(TIMES), info
    assert info["layers_after_undo"] == ["Background"], info  # one undo step
    assert any(t.startswith("Frame 3 of 3") for t in info["progress"]), info
    sources = [_frame(out, f"source_{t}.bin") for t in TIMES]
    results = [_frame(out, f"result_{t}.bin") for t in TIMES]
    for t in TIMES:  # the source layer is untouched, byte for byte
        before, after = (out / f"source_{t}.bin").read_bytes(), (out / f"source_after_{t}.bin")
        assert after.read_bytes() == before
    for source, stylized in zip(sources, results, strict=True):
        assert np.abs(stylized[..., :3] - source[..., :3]).mean() > 0.02  # stylized, not copied
    for a, b in ((0, 1), (1, 2), (0, 2)):  # each frame from its own source frame
        assert np.abs(results[a][..., :3] - results[b][..., :3]).mean() > 0.01
    print(f"3 frames stylized in {info['seconds']:.1f} s")


def test_cancel_keeps_the_frames_already_stylized(krita: KritaRun, tmp_path: Path) -> None:
    # The optimize path, slow enough to cancel while the second frame runs.
    options = {"steps": 40}
    values = DialogValues("optimize", (("udnie", 1.0),), (("gram", 1.0),), options)
    out = tmp_path / "out"
    out.mkdir()
    script = SCRIPT.parent / "animation_cancel.py"
    result = run_in_krita(krita, script, str(out), values_to_json(values))
    assert result.returncode == 0, result.stdout + result.stderr
    info = json.loads((out / "info.json").read_text())
    assert info["error"] == "Cancelled after 1 of 3 frames: the frames done were kept.", info
    assert len(info["layers"]) == 2 and info["result_keyframes"] == list(TIMES), info
    assert not any(t.startswith("Frame 3 of 3") for t in info["progress"]), info
    kept, source = _frame(out, "result_0.bin"), _frame(out, "source_0.bin")
    assert np.abs(kept[..., :3] - source[..., :3]).mean() > 0.02  # the frame done, stylized
    for t in TIMES[1:]:  # frames not done are left empty (libkis cannot drop a keyframe)
        assert np.all(_frame(out, f"result_{t}.bin")[..., 3] == 0)
