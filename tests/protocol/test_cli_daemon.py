"""`stylebridge stylize --daemon require|off|auto`: the same picture through a daemon or not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from stylebridge.cli.main import main
from stylebridge.core.model_file import ModelMetadata, save_model
from stylebridge.core.transformer import StyleNetwork

from .conftest import start_daemon

pytestmark = pytest.mark.timeout(150)


def photo(folder: Path) -> Path:
    rng = np.random.default_rng(5)
    path = folder / "photo.png"
    Image.fromarray(rng.integers(0, 256, (30, 40, 3), dtype=np.uint8)).save(path)
    return path


def pixels_of(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"), dtype=int)


def test_require_without_a_daemon_is_a_one_line_error(
    isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "stylize",
        str(photo(tmp_path)),
        "--style",
        "starry-night",
        "-o",
        str(tmp_path / "o.png"),
    ]
    assert main([*args, "--daemon", "require"]) == 2
    assert "no daemon is answering" in capsys.readouterr().err


def test_both_paths_give_the_same_picture_through_the_daemon(
    isolated_home: Path, tmp_path: Path
) -> None:
    torch.manual_seed(0)
    model = isolated_home / "data" / "models" / "tiny.safetensors"
    save_model(model, StyleNetwork(2, width=0.125).eval(), ModelMetadata(("ink", "fire"), 0.125))
    daemon = start_daemon(isolated_home, f"ipc://{isolated_home}/run/daemon.sock")
    content = photo(tmp_path)
    # From the photo: init "auto" would start from the network's result, which turns the 8-bit
    # rounding of this noise photo into a few levels of difference before the steps begin.
    optimize = ["--style", "starry-night", "--steps", "2", "--size", "32", "--optimizer", "adam",
                "--init", "content"]  # fmt: skip
    network = ["--model", "tiny", "--blend", "ink=0.4,fire=0.6", "--strength", "0.8"]
    try:
        for name, flags in (("optimize", optimize), ("network", network)):
            outputs = {}
            for mode in ("require", "off"):
                outputs[mode] = tmp_path / f"{name}-{mode}.png"
                argv = ["stylize", str(content), *flags, "-o", str(outputs[mode]), "--quiet"]
                assert main([*argv, "--daemon", mode]) == 0
            remote, local = pixels_of(outputs["require"]), pixels_of(outputs["off"])
            assert remote.shape == local.shape
            # The daemon gets 8-bit pixels. Adam moves each pixel by about +-lr (0.02) per step
            # whatever the gradient's size, so a sign flip of a tiny gradient can cost 2 steps.
            difference = np.abs(remote - local)
            assert difference.mean() < 1.0 and difference.max() <= 2 * 2 * 0.02 * 255 + 2, name
        with daemon.client() as client:
            assert len(client.status()["models"]) == 2  # VGG-19 and the tiny network, kept warm
    finally:
        daemon.stop()


def test_a_corrupt_model_through_the_daemon_is_one_line_and_exit_2(
    isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = isolated_home / "data" / "models" / "broken.safetensors"
    model.parent.mkdir(parents=True)
    model.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00not a model at all")
    daemon = start_daemon(isolated_home, f"ipc://{isolated_home}/run/daemon.sock")
    try:
        argv = ["stylize", str(photo(tmp_path)), "--model", "broken", "-o", str(tmp_path / "o.png")]
        assert main([*argv, "--daemon", "require", "--quiet"]) == 2
    finally:
        daemon.stop()
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "(bad_model)" in err and str(model) not in err
