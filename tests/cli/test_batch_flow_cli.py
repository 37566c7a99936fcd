"""`batch --temporal flow` (optimization path, Ruder et al. 2016) against `off` on a pan."""

from __future__ import annotations

from pathlib import Path

import pytest
from stylebridge.cli.main import main
from stylebridge.core.frame_io import read_frame, write_frame
from stylebridge.core.images import load_image
from stylebridge.core.temporal_flicker import flicker

pytest.importorskip("cv2")
pytestmark = pytest.mark.timeout(400)
PHOTO = Path(__file__).parents[2] / "daemon/stylebridge/data/samples/washington-monument.jpg"
COUNT, STEP_PX, MARGIN_PX = 5, 2, 8


def test_flow_halves_the_flicker_of_a_pan(tmp_path: Path) -> None:
    scene = load_image(PHOTO, long_side_px=200)
    (tmp_path / "in").mkdir()
    for i in range(COUNT):
        frame = scene[..., 20:68, i * STEP_PX : i * STEP_PX + 64]
        write_frame(frame, tmp_path / "in" / f"f{i}.png", 8)
    shifts = [(0, -STEP_PX)] * (COUNT - 1)
    measured = {}
    for mode in ("off", "flow"):
        # From the photo: what is measured is the temporal loss, not the network's start (which
        # init "auto" would take for udnie and which is steadier frame to frame by itself).
        argv = ["batch", str(tmp_path / "in"), "-o", str(tmp_path / mode), "--style", "udnie",
                "--size", "64", "--steps", "25", "--daemon", "off", "--quiet",
                "--temporal", mode, "--init", "content"]  # fmt: skip
        assert main(argv) == 0
        results = [read_frame(tmp_path / mode / f"f{i}.png").rgb for i in range(COUNT)]
        inner = [r[..., MARGIN_PX:-MARGIN_PX, MARGIN_PX:-MARGIN_PX] for r in results]
        measured[mode] = flicker(inner, shifts)
    assert measured["flow"] <= 0.5 * measured["off"], measured


def test_flow_belongs_to_optimization(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["batch", str(PHOTO), "-o", str(tmp_path), "--model", "default", "--temporal", "flow"]
    assert main(argv) == 2
    assert "--temporal flow is for optimization" in capsys.readouterr().err
    argv = ["batch", str(PHOTO), "-o", str(tmp_path), "--style", "udnie", "--temporal-weight", "-1"]
    assert main(argv) == 2
    assert "--temporal-weight must be finite" in capsys.readouterr().err
