"""`stylebridge stylize` without --init (init "auto"): a style the network paints starts from the
network's result, any other style from the arbitrary path's, exactly as the explicit --init
values do; --init arbitrary takes a custom style file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from stylebridge.cli.main import main

SAMPLE = "daemon/stylebridge/data/samples/washington-monument.jpg"


def run(tmp_path: Path, style: str, init: str | None) -> np.ndarray:
    out = tmp_path / f"{Path(style).stem}-{init}.png"
    flags = ["--size", "32", "--steps", "2", "--daemon", "off", "--quiet"]
    chosen = [] if init is None else ["--init", init]
    assert main(["stylize", SAMPLE, "--style", style, *flags, *chosen, "-o", str(out)]) == 0
    with Image.open(out) as result:
        assert max(result.size) == 32
        return np.asarray(result.convert("RGB"), dtype=int)


def test_auto_starts_from_the_network_for_its_styles_else_from_the_arbitrary_path(
    tmp_path: Path,
) -> None:
    assert np.array_equal(
        run(tmp_path, "starry-night", None), run(tmp_path, "starry-night", "network")
    )
    other = "vallotton-camille-mauclair"  # a library style the network was not trained on
    auto = run(tmp_path, other, None)
    assert np.array_equal(auto, run(tmp_path, other, "arbitrary"))
    assert np.abs(auto - run(tmp_path, other, "content")).mean() > 2.0


def test_init_arbitrary_paints_a_custom_style_file(tmp_path: Path) -> None:
    checks = Image.new("RGB", (64, 64), (255, 255, 0))
    for box in ((0, 0, 32, 32), (32, 32, 64, 64)):
        checks.paste((0, 0, 255), box)
    checks.save(tmp_path / "checks.png")
    painted = run(tmp_path, str(tmp_path / "checks.png"), "arbitrary")
    photo = run(tmp_path, str(tmp_path / "checks.png"), "content")
    assert np.abs(painted - photo).mean() > 2.0
