"""`batch --temporal stats` against `off` on synthetic shots through the shipped network:
less flicker when the camera pans and when something moves in front of a still camera."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from stylebridge.cli.main import main
from stylebridge.core.frame_io import read_frame, write_frame
from stylebridge.core.images import load_image
from stylebridge.core.temporal_flicker import flicker

pytestmark = pytest.mark.timeout(300)
PHOTO = Path(__file__).parents[2] / "daemon/stylebridge/data/samples/washington-monument.jpg"
HEIGHT, WIDTH, COUNT = 96, 128, 8
MARGIN_PX = 16  # the network's borders see padding, not the scene: judged apart


def pan(step_px: int) -> list[torch.Tensor]:
    """Frames of a camera moving right by step_px per frame (content moves left)."""
    scene = load_image(PHOTO, long_side_px=400)
    return [scene[..., 40 : 40 + HEIGHT, i * step_px : i * step_px + WIDTH] for i in range(COUNT)]


def moving_square() -> list[torch.Tensor]:
    """A still camera; a red square crosses the picture."""
    frames = []
    for i in range(COUNT):
        frame = pan(0)[0].clone()
        frame[..., 30:54, 10 + 12 * i : 34 + 12 * i] = torch.tensor([0.9, 0.2, 0.1])[:, None, None]
        frames.append(frame)
    return frames


def stylized(frames: list[torch.Tensor], folder: Path, temporal: str) -> list[torch.Tensor]:
    (folder / "in").mkdir(parents=True, exist_ok=True)
    for i, frame in enumerate(frames):
        write_frame(frame, folder / "in" / f"frame_{i:02d}.png", 8)
    out = folder / temporal
    argv = ["batch", str(folder / "in" / "frame_%02d.png"), "-o", str(out), "--model", "default",
            "--blend", "udnie=1", "--stroke", "0", "--daemon", "off", "--quiet",
            "--temporal", temporal]  # fmt: skip
    assert main(argv) == 0
    return [read_frame(out / f"frame_{i:02d}.png").rgb for i in range(len(frames))]


def inside(frames: list[torch.Tensor]) -> list[torch.Tensor]:
    return [f[..., MARGIN_PX:-MARGIN_PX, MARGIN_PX:-MARGIN_PX] for f in frames]


def test_shared_statistics_halve_the_flicker_of_a_pan(tmp_path: Path) -> None:
    frames = pan(4)
    shifts = [(0, -4)] * (COUNT - 1)
    assert flicker(frames, shifts) == 0.0  # the inputs only move
    off, stats = (stylized(frames, tmp_path, mode) for mode in ("off", "stats"))
    assert flicker(stats, shifts) < flicker(off, shifts)
    assert flicker(inside(stats), shifts) <= 0.5 * flicker(inside(off), shifts)


def test_shared_statistics_steady_a_still_camera(tmp_path: Path) -> None:
    frames = moving_square()
    still = [(0, 0)] * (COUNT - 1)
    off, stats = (stylized(frames, tmp_path, mode) for mode in ("off", "stats"))
    assert flicker(stats, still) < flicker(off, still)


def test_stats_belong_to_the_network_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["batch", str(PHOTO), "-o", str(tmp_path), "--style", "udnie", "--temporal", "stats"]
    assert main(argv) == 2
    assert "--temporal stats is for the network path" in capsys.readouterr().err
