"""`stylebridge batch --daemon require|off`: the same frames through a running daemon or not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from stylebridge.cli.main import main
from stylebridge.core.frame_io import is_16bit_file, read_frame
from stylebridge.core.model_file import ModelMetadata, save_model
from stylebridge.core.transformer import StyleNetwork

from .conftest import start_daemon

pytestmark = pytest.mark.timeout(200)


def frames(folder: Path, count: int) -> Path:
    rng = np.random.default_rng(7)
    folder.mkdir(parents=True)
    for i in range(count):
        array = rng.integers(0, 256, (24, 32, 3), dtype=np.uint8)
        Image.fromarray(array).save(folder / f"frame_{i:03d}.png")
    return folder


def test_a_batch_through_the_daemon_matches_the_local_one(
    isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cv2 = pytest.importorskip("cv2")
    torch.manual_seed(0)
    model = isolated_home / "data" / "models" / "tiny.safetensors"
    save_model(model, StyleNetwork(2, width=0.125).eval(), ModelMetadata(("ink", "fire"), 0.125))
    source = frames(tmp_path / "in", 3)
    deep = np.random.default_rng(8).integers(0, 65536, (24, 32, 3), dtype=np.uint16)
    assert cv2.imwrite(str(source / "frame_003.png"), deep)
    daemon = start_daemon(isolated_home, f"ipc://{isolated_home}/run/daemon.sock")
    flags = ["--model", "tiny", "--blend", "ink=0.5,fire=0.5", "--stroke", "0", "--quiet"]
    try:
        for mode in ("require", "off"):
            argv = ["batch", str(source / "frame_###.png"), "-o", str(tmp_path / mode), *flags]
            assert main([*argv, "--daemon", mode]) == 0
        argv = ["batch", str(source), "-o", str(tmp_path / "s"), *flags, "--temporal", "stats"]
        assert main([*argv, "--daemon", "require"]) == 2
        assert "--temporal stats cannot be used through the daemon" in capsys.readouterr().err
        with daemon.client() as client:
            assert any("tiny" in str(m["name"]) for m in client.status()["models"]), "not used"
    finally:
        daemon.stop()
    for i in range(4):
        name = f"frame_{i:03d}.png"
        remote, local = (read_frame(tmp_path / mode / name).rgb for mode in ("require", "off"))
        assert remote.shape == local.shape == (1, 3, 24, 32)
        assert (remote - local).abs().max() <= 2 / 255, name
    assert is_16bit_file(tmp_path / "require" / "frame_003.png")
