"""`stylebridge add-style` leaves no temporary files: not when a write fails, and those of a run
that was killed (named after its dead process) are removed by the next run; a file another live
process is writing is left alone."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image
from stylebridge.cli.main import main

pytestmark = pytest.mark.timeout(600)

STYLES = Path(__file__).parents[2] / "daemon" / "stylebridge" / "data" / "styles"


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a tiny 1-style model, its photo folder)."""
    photos = tmp_path_factory.mktemp("photos")
    for i, colour in enumerate([(200, 120, 40), (30, 90, 200)]):
        Image.new("RGB", (64, 48), colour).save(photos / f"p{i}.png")
    out = tmp_path_factory.mktemp("model") / "tiny.safetensors"
    argv = [
        "train", "--styles", str(STYLES / "udnie.jpg"), "--content", str(photos),
        "--out", str(out), "--size", "32", "--batch", "1", "--width", "0.25",
        "--crop-cache", str(out.parent / "cache"), "--threads", "1", "--steps", "1",
    ]  # fmt: skip
    assert main(argv) == 0
    return out, photos


def add_style_argv(model: Path, photos: Path, out: Path) -> list[str]:
    return [
        "add-style", str(model), "--style", str(STYLES / "the-scream.jpg"), "--name", "scream",
        "--steps", "1", "--batch", "1", "--size", "32", "--content", str(photos),
        "--out", str(out),
    ]  # fmt: skip


def dead_pid() -> int:
    """The id of a process that has exited."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if ".tmp" in p.name)


def test_the_next_run_removes_what_a_killed_run_left_and_spares_a_live_writer(
    trained: tuple[Path, Path], tmp_path: Path
) -> None:
    model, photos = trained
    out = tmp_path / "more.safetensors"
    crops = tmp_path / ".crops"
    crops.mkdir()
    dead = dead_pid()
    left = [
        tmp_path / f"more.safetensors.pid{dead}.k2j3h4g5.tmp",
        crops / f"crops_photos_38.npy.pid{dead}.abcd_123.tmp",
    ]
    old = tmp_path / "more.safetensors.q7w8e9r0.tmp"  # an older version's name: no pid
    live = tmp_path / f"more.safetensors.pid{os.getpid()}.x1y2z3w4.tmp"  # being written
    recent = tmp_path / "more.safetensors.a1s2d3f4.tmp"  # no pid, written a moment ago
    stranger = tmp_path / f"notes.pid{dead}.aaaaaaaa.tmp"  # not add-style's: never touched
    for path in (*left, old, live, recent, stranger):
        path.write_bytes(b"half a file")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    assert main(add_style_argv(model, photos, out)) == 0
    assert out.is_file()
    assert not any(path.exists() for path in (*left, old))
    assert temporaries(tmp_path) == sorted([live.name, recent.name, stranger.name])


def limit_file_size(size_bytes: int) -> None:
    """preexec_fn: writes beyond `size_bytes` fail with EFBIG (Python ignores SIGXFSZ)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (size_bytes, size_bytes))


def test_a_failed_write_leaves_no_temporary_file_and_the_model_untouched(
    trained: tuple[Path, Path], tmp_path: Path
) -> None:
    model, photos = trained
    copy = tmp_path / "tiny.safetensors"
    copy.write_bytes(model.read_bytes())
    before = copy.read_bytes()
    argv = [sys.executable, "-m", "stylebridge", *add_style_argv(copy, photos, copy)[:-2]]
    for fails_at in ("the crops", "the model"):  # the crops are cached after the first pass
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=500,
            preexec_fn=lambda: limit_file_size(4096),  # the crops and the model are larger
        )  # fmt: skip
        assert done.returncode == 2, done.stderr  # one line, as for a full disk
        last_line = done.stderr.strip().splitlines()[-1]  # after the progress lines
        assert last_line == "stylebridge: error: File too large", done.stderr
        assert temporaries(tmp_path) == [], fails_at
        assert copy.read_bytes() == before
        if fails_at == "the crops":  # a run without the limit caches them
            assert main(add_style_argv(copy, photos, tmp_path / "other.safetensors")) == 0
            assert list((tmp_path / ".crops").glob("crops_*.npy"))
