"""Filter > Stylize Animation Frames inside real Krita 5 (GUI under Xvfb) against a real daemon:
every keyframe of an animated layer into a new animated layer (issue 17).

Opt-in: `pytest -m krita tests/editors/test_krita_animation.py`; skipped when Krita is missing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from test_krita_plugin import KritaRun, _values, krita, run_in_krita

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
