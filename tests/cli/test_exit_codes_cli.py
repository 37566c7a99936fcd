"""Failures of the machine, not the input, on the CLI: one line and exit 2, nothing left behind."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from stylebridge.cli.main import main
from stylebridge.core import images
from stylebridge.core.model_file import ModelMetadata, save_model
from stylebridge.core.transformer import StyleNetwork

pytestmark = pytest.mark.timeout(120)


def test_a_full_disk_is_one_line_and_exit_2(
    isolated_home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    torch.manual_seed(0)
    model = isolated_home / "data" / "models" / "tiny.safetensors"
    save_model(model, StyleNetwork(2, width=0.125).eval(), ModelMetadata(("ink", "fire"), 0.125))
    photo = tmp_path / "photo.png"
    Image.fromarray(np.zeros((20, 20, 3), np.uint8)).save(photo)

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(images.os, "fsync", full)
    argv = ["stylize", str(photo), "--model", "tiny", "-o", str(tmp_path / "o.png")]
    assert main([*argv, "--daemon", "off", "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "stylebridge: error: No space left on device"
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".png", ".tmp") and p != photo]
