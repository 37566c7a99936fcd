"""Layers too thin for a path: one line and exit 2 (optimize), or a result (network)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from stylebridge.cli.main import main
from stylebridge.core.model_file import ModelMetadata, save_model
from stylebridge.core.transformer import StyleNetwork

pytestmark = pytest.mark.timeout(120)


def thin_photo(folder: Path, width: int, height: int) -> Path:
    path = folder / f"thin-{width}x{height}.png"
    rng = np.random.default_rng(1)
    Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8)).save(path)
    return path


def test_a_thin_photo_on_the_optimize_path_is_one_line_and_exit_2(
    isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["stylize", str(thin_photo(tmp_path, 64, 1)), "--style", "starry-night"]
    argv += ["--steps", "1", "-o", str(tmp_path / "o.png"), "--daemon", "off"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "at least 16 px" in err and "RuntimeError" not in err


def test_a_thin_photo_on_the_network_path_gives_a_picture_of_its_size(
    isolated_home: Path, tmp_path: Path
) -> None:
    torch.manual_seed(0)
    model = isolated_home / "data" / "models" / "tiny.safetensors"
    save_model(model, StyleNetwork(2, width=0.125).eval(), ModelMetadata(("ink", "fire"), 0.125))
    output = tmp_path / "o.png"
    argv = ["stylize", str(thin_photo(tmp_path, 900, 2)), "--model", "tiny", "--stroke", "0"]
    assert main([*argv, "-o", str(output), "--daemon", "off", "--quiet"]) == 0
    with Image.open(output) as result:
        assert result.size == (900, 2)
