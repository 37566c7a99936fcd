"""Batch inputs -> shots of frames: files, folders and numbered sequences (`frame_%04d.png`,
`frame_####.png`), each frame paired with its output path (the same file name in the output
folder). A folder or a sequence is one shot; loose files given together form one shot."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

# A printf number (%d, %04d) or a run of '#' (one per digit) marks a sequence pattern.
_NUMBER = re.compile(r"%(0?\d*)d|(#+)")
LOOSE_FILES_SHOT = "files"


@dataclass(frozen=True)
class Frame:
    """One input file and the file its result goes to."""

    source: Path
    output: Path


@dataclass(frozen=True)
class Shot:
    """Frames in playing order that belong together (they may share normalisation statistics)."""

    name: str
    frames: tuple[Frame, ...]


def is_image_name(path: Path) -> bool:
    """Whether Pillow knows an image format for the file's suffix."""
    return path.suffix.lower() in Image.registered_extensions()


def natural_key(path: Path) -> list[int | str]:
    """Sort key with digit runs compared as numbers: f2.png before f10.png."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]


def sequence_files(pattern: str) -> list[Path]:
    """Files matching a numbered pattern (`dir/f_%04d.png`, `dir/f_####.png`), in number order."""
    path = Path(pattern)
    match = _NUMBER.search(path.name)
    if match is None:
        raise ValueError(f"{pattern!r} is not a sequence pattern (use %04d or ####)")
    width = len(match.group(2)) if match.group(2) else int(match.group(1) or 0)
    digits = rf"(\d{{{width}}})" if width else r"(\d+)"
    head, tail = path.name[: match.start()], path.name[match.end() :]
    regex = re.compile(re.escape(head) + digits + re.escape(tail) + r"\Z")
    folder = path.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"no folder {folder} for the sequence {pattern!r}")
    numbered = [(regex.match(name), name) for name in os.listdir(folder)]
    found = sorted((int(m.group(1)), folder / name) for m, name in numbered if m)
    if not found:
        raise FileNotFoundError(f"no file matches the sequence {pattern!r}")
    return [file for _, file in found]


def folder_files(folder: Path) -> list[Path]:
    """The image files directly inside `folder`, in natural order (hidden files left out)."""
    files = [f for f in folder.iterdir() if f.is_file() and is_image_name(f) and f.name[0] != "."]
    if not files:
        raise FileNotFoundError(f"no image files in the folder {folder}")
    return sorted(files, key=natural_key)


def _shot(name: str, files: Sequence[Path], out_dir: Path) -> Shot:
    return Shot(name, tuple(Frame(f, out_dir / f.name) for f in files))


def collect_shots(inputs: Sequence[str], out_dir: Path) -> list[Shot]:
    """Shots for the batch inputs; ValueError when an output would collide or replace an input.

    A missing file is kept as a frame (it fails on its own when read, the rest goes on), unless
    it names no image format at all.
    """
    shots: list[Shot] = []
    loose: list[Path] = []
    for text in inputs:
        path = Path(text)
        if path.is_dir():
            shots.append(_shot(str(path), folder_files(path), out_dir))
        elif _NUMBER.search(path.name) and not path.exists():
            shots.append(_shot(text, sequence_files(text), out_dir))
        elif is_image_name(path):
            loose.append(path)
        elif not path.exists():
            raise FileNotFoundError(f"no such file or folder: {text}")
        else:
            raise ValueError(f"{text!r} is not an image file, a folder or a sequence pattern")
    if loose:
        shots.insert(0, _shot(LOOSE_FILES_SHOT, loose, out_dir))
    check_outputs(shots, out_dir)
    return shots


def check_outputs(shots: Sequence[Shot], out_dir: Path) -> None:
    """ValueError when two frames would write one file or the output folder holds an input."""
    where = out_dir.resolve()
    seen: dict[Path, Path] = {}
    for frame in (f for shot in shots for f in shot.frames):
        if frame.source.resolve().parent == where:
            raise ValueError(
                f"the output folder {out_dir} holds the input {frame.source}: results keep the "
                "input names, so they would replace the inputs; choose another output folder"
            )
        if frame.output in seen and seen[frame.output] != frame.source:
            raise ValueError(
                f"{seen[frame.output]} and {frame.source} would both be written to {frame.output}"
            )
        seen[frame.output] = frame.source
