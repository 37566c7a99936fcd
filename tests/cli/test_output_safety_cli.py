"""Never lose a file: an output that is an input is refused, the output folder is checked before
the run, and a failed write leaves the old file whole."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
import torch
from PIL import Image
from stylebridge.cli.main import main
from stylebridge.core import images

NETWORK = ["--model", "default", "--size", "32", "--daemon", "off", "--quiet"]


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "photo.png"
    Image.new("RGB", (40, 30), (200, 120, 40)).save(path)
    return path


def test_an_output_that_is_the_input_is_refused_unless_overwrite(
    photo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = photo.read_bytes()
    alias = photo.parent / "." / photo.name
    assert main(["stylize", str(photo), *NETWORK, "-o", str(alias)]) == 2
    assert "is also an input" in capsys.readouterr().err
    assert photo.read_bytes() == original
    assert main(["stylize", str(photo), *NETWORK, "--overwrite", "-o", str(photo)]) == 0
    assert photo.read_bytes() != original


def test_a_mask_or_style_file_is_an_input_too(
    photo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mask = tmp_path / "mask.png"
    Image.new("L", (40, 30), 255).save(mask)
    before = mask.read_bytes()
    argv = ["stylize", str(photo), "--style", str(photo), "--mask", str(mask), "--steps", "1"]
    assert main([*argv, "--size", "16", "--daemon", "off", "-o", str(mask)]) == 2
    assert "is also an input" in capsys.readouterr().err
    assert mask.read_bytes() == before


def test_an_unwritable_output_folder_is_refused_before_the_run(
    photo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # /proc refuses new files even to root, which ignores folder modes.
    assert main(["stylize", str(photo), *NETWORK, "-o", "/proc/out.png"]) == 2
    assert "cannot write to the output folder" in capsys.readouterr().err


def test_a_failed_write_leaves_the_old_file_whole(
    photo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = photo.read_bytes()

    def disk_full(self: Image.Image, fp: object, *args: object, **kwargs: object) -> None:
        fp.write(b"\x89PNG half")  # type: ignore[attr-defined]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Image.Image, "save", disk_full)
    with pytest.raises(OSError):
        images.save_image(torch.zeros(1, 3, 8, 8), photo)
    assert photo.read_bytes() == original
    assert sorted(p.name for p in photo.parent.iterdir()) == ["photo.png"]  # no temp file left
