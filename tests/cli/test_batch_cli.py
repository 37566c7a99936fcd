"""`stylebridge batch`: files, folders and sequences in, the same names out; resume, failures."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from stylebridge.cli.main import main
from stylebridge.core.frame_io import is_16bit_file, read_frame
from stylebridge.core.model_file import ModelMetadata, save_model
from stylebridge.core.transformer import StyleNetwork

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("model") / "tiny.safetensors"
    save_model(path, StyleNetwork(2, width=0.125).eval(), ModelMetadata(("ink", "fire"), 0.125))
    return path


def frame_file(path: Path, seed: int, size: tuple[int, int] = (40, 32)) -> Path:
    rng = np.random.default_rng(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)).save(path)
    return path


def batch(model: Path, *argv: str) -> int:
    flags = ["--model", str(model), "--stroke", "0", "--daemon", "off", "--quiet"]
    return main(["batch", *argv, *flags])


def test_files_folders_and_sequences_keep_their_names(model: Path, tmp_path: Path) -> None:
    loose = [frame_file(tmp_path / "a" / "x.png", 1), frame_file(tmp_path / "a" / "y.jpg", 2)]
    folder = [frame_file(tmp_path / "f" / name, i) for i, name in enumerate(["p2.tif", "p10.png"])]
    sequence = [frame_file(tmp_path / "s" / f"shot_{i:03d}.png", 10 + i) for i in range(3)]
    frame_file(tmp_path / "s" / "shot_1.png", 20)  # three digits asked: not part of it
    out = tmp_path / "out"
    inputs = [*map(str, loose), str(tmp_path / "f"), str(tmp_path / "s" / "shot_###.png")]
    assert batch(model, *inputs, "-o", str(out)) == 0
    expected = {p.name for p in [*loose, *folder, *sequence]}
    assert {p.name for p in out.iterdir()} == expected
    for name in expected:
        with Image.open(out / name) as result:
            assert result.size == (40, 32)
            assert result.format == {".png": "PNG", ".jpg": "JPEG", ".tif": "TIFF"}[name[-4:]]


def test_resume_skips_written_frames_and_overwrite_redoes_them(
    model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(4):
        frame_file(tmp_path / "in" / f"f{i}.png", i)
    out = tmp_path / "out"
    assert batch(model, str(tmp_path / "in"), "-o", str(out)) == 0
    (out / "f2.png").unlink()
    (out / ".f3.png.abc.tmp").write_bytes(b"half a frame")  # an interrupted write's leftover
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("f*.png")}
    time.sleep(0.01)
    assert main(["batch", str(tmp_path / "in"), "-o", str(out), "--model", str(model),
                 "--stroke", "0", "--daemon", "off"]) == 0  # fmt: skip
    assert "1 written, 3 already there, 0 failed" in capsys.readouterr().err
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("f*.png") if p.name != "f2.png"} == {
        name: stamp for name, stamp in stamps.items()
    }
    assert batch(model, str(tmp_path / "in"), "-o", str(out), "--overwrite") == 0
    assert all(
        p.stat().st_mtime_ns > stamps[p.name] for p in out.glob("f*.png") if p.name in stamps
    )


@pytest.mark.timeout(900)  # two optimization batches in fresh processes on a loaded machine
def test_an_interrupted_batch_resumes_and_writes_every_frame_once(
    tmp_path: Path, model: Path
) -> None:
    for i in range(6):
        frame_file(tmp_path / "in" / f"f{i}.png", i, size=(96, 64))
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "stylebridge.cli.main", "batch", str(tmp_path / "in"), "-o",
            str(out), "--style", "starry-night", "--steps", "20", "--size", "48", "--daemon",
            "off", "--quiet"]  # fmt: skip
    process = subprocess.Popen(argv, start_new_session=True)
    try:
        deadline = time.monotonic() + 400
        while not list(out.glob("f*.png")) and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)  # no clean-up at all: the worst interruption
    finally:
        process.wait(30)
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("f*.png")}
    assert 1 <= len(before) < 6
    assert subprocess.run(argv, timeout=480).returncode == 0
    after = {p.name: p.stat().st_mtime_ns for p in out.glob("f*.png")}
    assert sorted(after) == [f"f{i}.png" for i in range(6)]
    assert all(after[name] == stamp for name, stamp in before.items())  # not written twice
    for path in out.glob("f*.png"):
        assert read_frame(path).rgb.shape == (1, 3, 32, 48)


def test_an_unreadable_frame_is_reported_and_the_rest_goes_on(
    model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(3):
        frame_file(tmp_path / "in" / f"f{i}.png", i)
    (tmp_path / "in" / "f1.png").write_bytes(b"not a png")
    out = tmp_path / "out"
    assert batch(model, str(tmp_path / "in"), "-o", str(out)) == 1
    err = capsys.readouterr().err
    assert f"frame {tmp_path / 'in' / 'f1.png'} failed" in err and "1 failed" in err
    assert sorted(p.name for p in out.iterdir()) == ["f0.png", "f2.png"]


def test_the_input_folder_is_refused_as_output(
    model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = [frame_file(tmp_path / f"f{i}.png", i) for i in range(2)]
    before = [p.read_bytes() for p in inputs]
    assert (
        batch(model, str(tmp_path / "f0.png"), str(tmp_path / "f1.png"), "-o", str(tmp_path)) == 2
    )
    assert "would replace the inputs" in capsys.readouterr().err
    assert [p.read_bytes() for p in inputs] == before
    assert batch(model, str(tmp_path), "-o", str(tmp_path / "." / "")) == 2


def test_sixteen_bit_frames_stay_sixteen_bit(model: Path, tmp_path: Path) -> None:
    cv2 = pytest.importorskip("cv2")
    rng = np.random.default_rng(3)
    (tmp_path / "in").mkdir()
    for name in ("deep.png", "deep.tif"):
        array = rng.integers(0, 65536, (32, 40, 3), dtype=np.uint16)
        assert cv2.imwrite(str(tmp_path / "in" / name), array)
    frame_file(tmp_path / "in" / "shallow.png", 4)
    out = tmp_path / "out"
    assert batch(model, str(tmp_path / "in"), "-o", str(out), "--strength", "0.5") == 0
    for name in ("deep.png", "deep.tif"):
        assert is_16bit_file(out / name)
        values = cv2.imread(str(out / name), cv2.IMREAD_UNCHANGED)
        assert values.dtype == np.uint16 and values.shape == (32, 40, 3)
        assert np.count_nonzero(values % 257) > values.size // 2  # not 8-bit values widened
    assert not is_16bit_file(out / "shallow.png")
