"""`stylebridge stylize`: a real tiny run, and one-line errors with exit code 2 for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from stylebridge.cli.main import main


@pytest.fixture
def content(tmp_path: Path) -> Path:
    path = tmp_path / "content.png"
    image = Image.new("RGB", (48, 32), (200, 120, 40))
    image.paste((20, 40, 160), (0, 0, 24, 32))
    image.save(path)
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def test_stylize_writes_the_result_and_intermediate_saves(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.png"
    code, err = run_cli(
        capsys, "stylize", str(content), "--style", "starry-night", "--size", "32",
        "--steps", "4", "--save-every", "2", "-o", str(out),
    )  # fmt: skip
    assert code == 0, err
    with Image.open(out) as result:
        assert result.size == (32, 21)
    assert (tmp_path / "out_step2.png").is_file()
    assert "4/4" in err and "saved" in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--style", "no-such-style"], "neither a file nor a bundled style"),
        (["--style", "starry-night", "--method", "nope"], "unknown method 'nope'"),
        (["--style", "starry-night", "--method", "gram=x"], "not a number"),
        (["--style", "starry-night", "--style-weights", "1,x"], "--style-weights"),
        (["--style", "starry-night", "--style-weights", "0.5,0.5"], "2 values for 1"),
        (["--style", "starry-night", "--size", "8192"], "needs about"),
        (["--style", "starry-night", "--steps", "0"], "'steps' must be >= 1"),
        ([], "at least one --style"),
    ],
)
def test_bad_input_gives_one_line_error_and_exit_code_2(
    content: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    code, err = run_cli(capsys, "stylize", str(content), *extra, "-o", str(tmp_path / "o.png"))
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_missing_and_non_image_files_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "o.png")
    code, err = run_cli(
        capsys, "stylize", str(tmp_path / "none.jpg"), "--style", "udnie", "-o", out
    )
    assert code == 2 and "none.jpg" in err
    (tmp_path / "notes.txt").write_text("hello")
    code, err = run_cli(
        capsys, "stylize", str(tmp_path / "notes.txt"), "--style", "udnie", "-o", out
    )
    assert code == 2 and "is not an image" in err


def test_bad_output_name_is_refused_before_any_work(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_cli(capsys, "stylize", str(content), "--style", "udnie", "-o", "out.xyz")
    assert code == 2 and "output name" in err
    missing = str(tmp_path / "no" / "o.png")
    code, err = run_cli(capsys, "stylize", str(content), "--style", "udnie", "-o", missing)
    assert code == 2 and "does not exist" in err
