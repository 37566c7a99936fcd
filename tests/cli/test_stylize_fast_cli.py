"""`stylebridge stylize --fast` and `train-decoder`: real tiny runs on the CPU."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from stylebridge.cli.main import main
from stylebridge.core.decoder_file import load_decoder

STYLES = Path(__file__).parents[2] / "daemon" / "stylebridge" / "data" / "styles"


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("photos")
    for i, colour in enumerate([(200, 120, 40), (30, 90, 200)]):
        image = Image.new("RGB", (70, 52), colour)
        image.paste((255 - colour[0], 20, 120), (8 * i, 0, 8 * i + 30, 30))
        image.save(folder / f"p{i}.png")
    return folder


@pytest.fixture(scope="module")
def decoder(photos: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny relu4_1 decoder trained 2 steps, then resumed to 3 (checkpoint + Adam state)."""
    out = tmp_path_factory.mktemp("decoder") / "tiny.safetensors"
    common = [
        "train-decoder", "--content", str(photos), "--out", str(out), "--widths", "8,8,8,8",
        "--size", "32", "--batch", "1", "--crop-cache", str(out.parent / "cache"),
        "--threads", "1",
    ]  # fmt: skip
    assert main([*common, "--steps", "2"]) == 0
    checkpoint = out.with_name("tiny.ckpt.safetensors")
    assert main([*common, "--steps", "3", "--resume", str(checkpoint)]) == 0
    assert out.with_name("tiny.preview.png").is_file()
    return out


def test_train_decoder_writes_a_resumable_decoder_with_its_recipe(decoder: Path) -> None:
    recipe = load_decoder(decoder).recipe
    assert recipe["steps"] == 3 and recipe["size_px"] == 32
    assert "research-licensed" in str(recipe["data"])
    assert set(recipe["final_losses"]) == {"total", "pixel", "feature", "transfer", "texture"}


def test_fast_paints_any_picture_at_the_photos_size(
    decoder: Path, photos: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.png"
    style_file = tmp_path / "my painting.jpg"
    Image.open(STYLES / "udnie.jpg").convert("RGB").resize((90, 70)).save(style_file)
    argv = ["stylize", str(photos / "p0.png"), "--fast", "--decoder", str(decoder), "--quiet"]
    assert main([*argv, "--style", str(style_file), "--style", "starry-night",
                 "--style-weights", "0.7,0.3", "--transform", "wct=0.5,intra=0.5",
                 "-o", str(out), "--daemon", "off"]) == 0  # fmt: skip
    with Image.open(out) as result:
        assert result.size == (70, 52)
    assert main([*argv, "--style", "udnie", "--size", "40", "-o", str(out)]) == 0
    with Image.open(out) as result:
        assert result.size == (40, 30)


def test_fast_refuses_what_it_cannot_do_with_one_line(
    decoder: Path, photos: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["stylize", str(photos / "p0.png"), "--fast", "-o", str(tmp_path / "o.png"), "--quiet"]
    cases = [
        ([], "needs at least one --style"),
        (["--style", "udnie", "--transform", "gram"], "unknown transform 'gram'"),
        (["--style", "udnie", "--decoder", str(tmp_path / "none.safetensors")], "no decoder"),
        (["--style", "udnie", "--model", "default"], "--model/--blend belong"),
        (
            ["--style", "udnie", "--decoder", str(decoder), "--daemon", "require"],
            "--decoder FILE cannot be used through the daemon",
        ),  # a daemon never opens a named file
    ]
    for extra, message in cases:
        assert main([*argv, *extra]) == 2
        assert message in capsys.readouterr().err
