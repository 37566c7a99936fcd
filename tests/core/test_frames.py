"""Batch inputs -> shots: files, folders and numbered sequences; the outputs they may not use."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from stylebridge.core.frames import LOOSE_FILES_SHOT, collect_shots, sequence_files


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (4, 4)).save(path)
    return path


def test_sequences_follow_their_numbers_with_either_pattern(tmp_path: Path) -> None:
    for n in (10, 2, 1):
        touch(tmp_path / f"f_{n:04d}.png")
    touch(tmp_path / "f_12.png")  # not four digits
    touch(tmp_path / "g_0003.png")
    expected = [tmp_path / f"f_{n:04d}.png" for n in (1, 2, 10)]
    assert sequence_files(str(tmp_path / "f_%04d.png")) == expected
    assert sequence_files(str(tmp_path / "f_####.png")) == expected
    assert [p.name for p in sequence_files(str(tmp_path / "f_%d.png"))] == [
        "f_0001.png", "f_0002.png", "f_0010.png", "f_12.png",
    ]  # fmt: skip
    with pytest.raises(FileNotFoundError, match="no file matches"):
        sequence_files(str(tmp_path / "h_%04d.png"))


def test_folders_are_shots_in_natural_order_and_loose_files_one_more(tmp_path: Path) -> None:
    for name in ("p10.png", "p2.png", ".hidden.png"):
        touch(tmp_path / "f" / name)
    (tmp_path / "f" / "notes.txt").write_text("not a frame")
    loose = touch(tmp_path / "a.jpg")
    shots = collect_shots([str(tmp_path / "f"), str(loose)], tmp_path / "out")
    assert [s.name for s in shots] == [LOOSE_FILES_SHOT, str(tmp_path / "f")]
    assert [f.source.name for f in shots[1].frames] == ["p2.png", "p10.png"]
    assert shots[0].frames[0].output == tmp_path / "out" / "a.jpg"


def test_collisions_and_the_input_folder_are_refused(tmp_path: Path) -> None:
    one, two = touch(tmp_path / "x" / "f.png"), touch(tmp_path / "y" / "f.png")
    with pytest.raises(ValueError, match="would both be written"):
        collect_shots([str(one), str(two)], tmp_path / "out")
    with pytest.raises(ValueError, match="holds the input"):
        collect_shots([str(tmp_path / "x")], tmp_path / "x" / ".." / "x")
    (tmp_path / "readme.txt").write_text("not a frame")
    with pytest.raises(ValueError, match="not an image file"):
        collect_shots([str(tmp_path / "readme.txt")], tmp_path / "out")
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        collect_shots([str(tmp_path / "missing")], tmp_path / "out")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no image files"):
        collect_shots([str(tmp_path / "empty")], tmp_path / "out")
