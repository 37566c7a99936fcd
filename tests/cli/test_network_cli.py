"""`stylebridge train`, `add-style`, `styles` and `stylize --model`: real tiny runs on the CPU."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from stylebridge.cli.main import main
from stylebridge.core.model_file import load_model, read_metadata

STYLES = Path(__file__).parents[2] / "daemon" / "stylebridge" / "data" / "styles"


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("photos")
    for i, colour in enumerate([(200, 120, 40), (30, 90, 200), (90, 200, 60)]):
        image = Image.new("RGB", (64, 48), colour)
        image.paste((255 - colour[0], 20, 120), (8 * i, 0, 8 * i + 24, 30))
        image.save(folder / f"p{i}.png")
    return folder


@pytest.fixture(scope="module")
def model(photos: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-style model trained for 3 steps, then resumed to 4 (checkpoint + Adam state)."""
    out = tmp_path_factory.mktemp("model") / "tiny.safetensors"
    common = [
        "train", "--styles", str(STYLES / "udnie.jpg"), str(STYLES / "starry-night.jpg"),
        "--content", str(photos), "--out", str(out), "--size", "32", "--batch", "2",
        "--width", "0.25", "--crop-cache", str(out.parent / "cache"), "--threads", "1",
    ]  # fmt: skip
    assert main([*common, "--steps", "3"]) == 0
    checkpoint = out.with_name("tiny.ckpt.safetensors")
    assert main([*common, "--steps", "4", "--resume", str(checkpoint)]) == 0
    assert out.with_name("tiny.preview.png").is_file()
    return out


def test_train_writes_a_model_with_its_recipe_and_resumes(model: Path) -> None:
    meta = read_metadata(model)
    assert meta.style_names == ("udnie", "starry-night")
    assert meta.recipe["steps"] == 4 and meta.recipe["size_px"] == 32
    assert "research-licensed" in meta.recipe["data"]
    assert set(meta.recipe["final_losses"]) == {"total", "content", "style"}
    assert set(meta.thumbnails) == {"udnie", "starry-night"}


def test_styles_lists_the_models_styles(model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["styles", "--model", str(model)]) == 0
    out = capsys.readouterr().out
    assert "udnie" in out and "starry-night" in out and "4 steps" in out
    assert "  Starry Night  starry-night" in out  # the dialogs' title, then the name to type


def test_styles_shows_the_titles_the_dialogs_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["styles"]) == 0  # the shipped model
    out = capsys.readouterr().out
    assert "Composition VII" in out and "Composition vii" not in out, out
    assert "composition-vii" in out  # the name --blend takes


def test_stylize_with_model_and_blend(model: Path, photos: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.png"
    argv = ["stylize", str(photos / "p0.png"), "--model", str(model), "-o", str(out), "--quiet"]
    assert main([*argv, "--blend", "udnie=0.7,starry-night=0.3", "--strength", "0.9"]) == 0
    with Image.open(out) as result:
        assert result.size == (64, 48)
    assert main([*argv, "--size", "32", "--tile", "0"]) == 0
    with Image.open(out) as result:
        assert result.size == (32, 24)


def test_stylize_stroke_sets_the_processing_size_and_is_checked(
    model: Path, photos: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["stylize", str(photos / "p1.png"), "--model", str(model), "--quiet", "--tile", "0"]
    results = {}
    for stroke in ("0.5", "4"):
        out = tmp_path / f"stroke{stroke}.png"
        assert main([*argv, "--stroke", stroke, "-o", str(out)]) == 0
        with Image.open(out) as picture:
            assert picture.size == (64, 48)
            results[stroke] = torch.from_numpy(np.asarray(picture, dtype=np.float32))
    assert float((results["0.5"] - results["4"]).abs().mean()) > 1.0  # other strokes, other picture
    assert main([*argv, "--stroke", "50", "-o", str(tmp_path / "bad.png")]) == 2
    assert "stroke" in capsys.readouterr().err


def test_stylize_bad_blend_is_a_one_line_error(
    model: Path,
    photos: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    isolated_home: Path,
) -> None:
    argv = ["stylize", str(photos / "p0.png"), "--model", str(model), "-o", str(tmp_path / "o.png")]
    assert main([*argv, "--blend", "nope=1"]) == 2
    assert "no style 'nope'" in capsys.readouterr().err
    assert main([*argv[:3], "no-such-model", *argv[4:]]) == 2
    assert "no model 'no-such-model'" in capsys.readouterr().err


def test_add_style_freezes_convolutions_and_writes_atomically(
    model: Path, photos: Path, tmp_path: Path
) -> None:
    out = tmp_path / "more.safetensors"
    argv = [
        "add-style", str(model), "--style", str(STYLES / "the-scream.jpg"), "--name", "scream",
        "--steps", "2", "--batch", "2", "--content", str(photos), "--out", str(out),
    ]  # fmt: skip
    assert main(argv) == 0
    before, after = load_model(model), load_model(out)
    assert after.metadata.style_names == ("udnie", "starry-night", "scream")
    old, new = before.network.state_dict(), after.network.state_dict()
    for name, tensor in old.items():
        if name.endswith(("gamma", "beta")):
            assert torch.equal(new[name][:2], tensor), name
        else:
            assert torch.equal(new[name], tensor), name
    assert not torch.equal(new["out.norm.beta"][2], torch.zeros_like(new["out.norm.beta"][2]))
    assert main([*argv[:-2], "--name", "udnie"]) == 2  # an existing name is refused


def test_sigterm_ends_a_training_run_with_its_model_and_checkpoint_written(
    photos: Path, tmp_path: Path
) -> None:
    out = tmp_path / "stopped.safetensors"
    argv = [
        sys.executable, "-m", "stylebridge.cli.main", "train",
        "--styles", str(STYLES / "udnie.jpg"),
        "--content", str(photos), "--out", str(out), "--size", "32", "--batch", "1",
        "--width", "0.25", "--crop-cache", str(tmp_path / "cache"), "--threads", "1",
        "--steps", "1000000",
    ]  # fmt: skip
    with subprocess.Popen(argv, stderr=subprocess.PIPE, text=True) as run:
        assert run.stderr is not None
        for line in run.stderr:  # wait until steps are running
            if line.startswith("step "):
                break
        run.send_signal(signal.SIGTERM)
        run.stderr.read()
        assert run.wait(timeout=300) == 0
    steps = read_metadata(out).recipe["steps"]
    assert isinstance(steps, int) and 1 <= steps < 1000000
    assert out.with_name("stopped.ckpt.safetensors").is_file()
