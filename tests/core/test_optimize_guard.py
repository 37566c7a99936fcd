"""The guard of the optimization loop: a loss that turns NaN or never falls is retried once in
float32, then raised as OptimizationFailed (CLI: one line, exit 2); never a returned image."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from stylebridge.cli.main import main
from stylebridge.core import stylize_problem
from stylebridge.core.errors import OptimizationFailed
from stylebridge.core.images import load_image
from stylebridge.core.optimize import OptimizeParams, stylize_optimize
from stylebridge.core.style_library import resolve_style
from stylebridge.core.stylize_problem import Problem
from torch import Tensor

SAMPLE = "daemon/stylebridge/data/samples/washington-monument.jpg"
ORIGINAL_OBJECTIVE = Problem.objective


def nan_objective(problem: Problem, image: Tensor) -> Tensor:
    return image.sum() * float("nan")


def flat_objective(problem: Problem, image: Tensor) -> Tensor:
    return image.sum() * 0.0 + 1.0


def nan_in_reduced_precision(problem: Problem, image: Tensor) -> Tensor:
    if problem.reduced_precision:
        return nan_objective(problem, image)
    return ORIGINAL_OBJECTIVE(problem, image)


@pytest.fixture(scope="module")
def images() -> tuple[Tensor, Tensor]:
    return load_image(SAMPLE, 32), load_image(resolve_style("starry-night"), 32)


@pytest.mark.parametrize("optimizer", ["lbfgs", "adam"])
@pytest.mark.parametrize(
    ("objective", "reason"), [(nan_objective, "nan"), (flat_objective, "did not fall")]
)
def test_a_nan_or_flat_loss_raises_instead_of_returning_an_image(
    monkeypatch: pytest.MonkeyPatch,
    images: tuple[Tensor, Tensor],
    optimizer: str,
    objective: object,
    reason: str,
) -> None:
    monkeypatch.setattr(Problem, "objective", objective)
    content, style = images
    params = OptimizeParams(steps=3, size=32, optimizer=optimizer, device="cpu")
    with pytest.raises(OptimizationFailed, match=reason):
        stylize_optimize(content, [style], params)


def test_a_failure_in_reduced_precision_is_recovered_in_float32(
    monkeypatch: pytest.MonkeyPatch, images: tuple[Tensor, Tensor]
) -> None:
    monkeypatch.setattr(stylize_problem, "uses_bf16", lambda device_type: True)
    monkeypatch.setattr(Problem, "objective", nan_in_reduced_precision)
    content, style = images
    steps: list[int] = []
    params = OptimizeParams(steps=4, size=32, device="cpu")
    result = stylize_optimize(content, [style], params, progress=lambda p: steps.append(p.total))
    assert bool(torch.isfinite(result).all()) and (result - content).abs().mean() > 0.01
    assert steps and steps[-1] == 8  # the retry's steps are announced, so the ETA stays honest


def test_cli_reports_a_failed_optimization_in_one_line_with_exit_code_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(Problem, "objective", nan_objective)
    out = tmp_path / "out.png"
    argv = ["stylize", SAMPLE, "--style", "starry-night", "--size", "32", "--steps", "2"]
    code = main([*argv, "--daemon", "off", "--device", "cpu", "--quiet", "-o", str(out)])
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert lines[-1].startswith("stylebridge: error: optimization failed")
    assert not out.exists()


def test_a_huge_loss_from_a_saturated_style_still_converges() -> None:
    """Red/green stripes at 48 px: a loss of 1.4e11 whose squared slopes overflowed float32 in
    the line search (NaN in bf16 and float32, seen in GIMP); L-BFGS now sees loss / first loss."""
    across = torch.linspace(0, 1, 48).expand(40, 48)
    down = torch.linspace(0, 1, 40)[:, None].expand(40, 48)
    content = torch.stack([across, down, torch.full((40, 48), 0.4)])[None]
    stripes = torch.zeros(1, 3, 48, 64)
    red = (torch.arange(64) // 4 % 2).float()  # 4 px red, 4 px green, like the GIMP test's layer
    stripes[0, 0], stripes[0, 1] = red.expand(48, 64), (1.0 - red).expand(48, 64)
    params = OptimizeParams(steps=10, size=48, device="cpu")
    result = stylize_optimize(content, [stripes], params)
    assert bool(torch.isfinite(result).all())
    assert (result - content).abs().mean() > 0.02
