"""`stylebridge stylize --init network`: refines the network's result; a style the network cannot
paint is a one-line error with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from stylebridge.cli.main import main

SAMPLE = "daemon/stylebridge/data/samples/washington-monument.jpg"


def argv(style: str, out: Path) -> list[str]:
    flags = ["--init", "network", "--size", "32", "--steps", "2", "--daemon", "off"]
    return ["stylize", SAMPLE, "--style", style, *flags, "--quiet", "-o", str(out)]


def test_init_network_writes_a_result(tmp_path: Path) -> None:
    out = tmp_path / "out.png"
    assert main(argv("starry-night", out)) == 0
    with Image.open(out) as result:
        assert max(result.size) == 32


def test_init_network_with_a_style_outside_the_model_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.png"
    assert main(argv("vallotton-camille-mauclair", out)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot paint 'vallotton-camille-mauclair'" in err[0]
    assert not out.exists()
