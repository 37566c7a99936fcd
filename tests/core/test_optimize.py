"""End-to-end optimization on the CPU at 64 px: every method stylizes and keeps the content."""

from __future__ import annotations

import pytest
import torch
from stylebridge.core.errors import Cancelled
from stylebridge.core.images import load_image, resize
from stylebridge.core.method_names import METHOD_NAMES
from stylebridge.core.optimize import OptimizeParams, scale_plan, stylize_optimize
from stylebridge.core.progress import Progress
from stylebridge.core.style_library import resolve_style
from stylebridge.core.stylize_problem import build_problem, prepare_inputs
from torch import Tensor

SAMPLE = "daemon/stylebridge/data/samples/washington-monument.jpg"
SIZE = 64


@pytest.fixture(scope="module")
def content() -> Tensor:
    return load_image(SAMPLE, SIZE)


@pytest.fixture(scope="module")
def style() -> Tensor:
    return load_image(resolve_style("starry-night"), SIZE)


def style_loss(image: Tensor, content: Tensor, style: Tensor, method: str) -> float:
    """The method's own style loss of `image` (content weight 0, fixed random draws)."""
    params = OptimizeParams(method=method, content_weight=0.0, size=SIZE, device="cpu")
    inputs = prepare_inputs(content, [style], None, None, None, method)
    problem = build_problem(inputs, params, torch.device("cpu"), (image.shape[-2], image.shape[-1]))
    problem.context.generator.manual_seed(123)
    draws = 8 if method in ("mmd-gauss", "inter") else 1  # stochastic estimators: average
    with torch.no_grad():
        return sum(problem.objective(image).item() for _ in range(draws)) / draws


def correlation(a: Tensor, b: Tensor) -> float:
    x, y = a.mean(1).flatten(), b.mean(1).flatten()
    x, y = x - x.mean(), y - y.mean()
    return (x @ y / (x.norm() * y.norm())).item()


@pytest.mark.parametrize("method", [*METHOD_NAMES, "gram=0.5,bn=0.5"])
def test_every_method_lowers_its_style_loss_and_keeps_the_content(
    method: str, content: Tensor, style: Tensor
) -> None:
    params = OptimizeParams(method=method, steps=15, size=SIZE, device="cpu")
    result = stylize_optimize(content, [style], params)
    assert result.shape == content.shape
    before = style_loss(content, content, style, method)
    after = style_loss(result, content, style, method)
    assert after < 0.5 * before, (before, after)
    assert correlation(result, content) > 0.6
    assert (result - content).abs().mean() > 0.02  # visibly changed


def test_progress_reports_every_step_with_previews_and_cancel_stops(
    content: Tensor, style: Tensor
) -> None:
    reports: list[Progress] = []
    params = OptimizeParams(steps=4, size=32, preview_every=2, device="cpu", optimizer="adam")
    stylize_optimize(content, [style], params, progress=reports.append)
    assert [p.step for p in reports] == [1, 2, 3, 4]
    assert [p.preview is not None for p in reports] == [False, True, False, True]
    assert all(p.total == 4 and p.loss is not None for p in reports)
    calls = iter([False, False, True])
    with pytest.raises(Cancelled):
        stylize_optimize(content, [style], params, should_cancel=lambda: next(calls))


def test_coarse_to_fine_plan_and_result_size(content: Tensor, style: Tensor) -> None:
    assert scale_plan(48, 64, 64, 2, 10) == [(24, 32, 10), (48, 64, 4)]
    params = OptimizeParams(steps=2, size=48, scales=2, device="cpu")
    assert stylize_optimize(content, [style], params).shape == (1, 3, 36, 48)


def test_mask_keeps_unmasked_pixels_and_luminance_keeps_content_colour(
    content: Tensor, style: Tensor
) -> None:
    mask = torch.ones(1, 1, *content.shape[-2:])
    mask[..., : content.shape[-1] // 2] = 0.0
    params = OptimizeParams(steps=3, size=SIZE, device="cpu")
    result = stylize_optimize(content, [style], params, mask=mask)
    left = content.shape[-1] // 2
    assert torch.allclose(result[..., :left], content[..., :left], atol=1e-6)
    assert not torch.allclose(result[..., left:], content[..., left:], atol=1e-2)
    grey = stylize_optimize(
        content,
        [style],
        OptimizeParams(steps=3, size=SIZE, preserve_color="luminance", device="cpu"),
    )
    from stylebridge.core.color import rgb_to_yuv

    chroma_gap = (rgb_to_yuv(grey)[:, 1:] - rgb_to_yuv(content)[:, 1:]).abs().mean()
    assert chroma_gap < 0.01


def test_seeded_noise_init_is_deterministic_and_zero_weight_style_changes_nothing(
    content: Tensor, style: Tensor
) -> None:
    params = OptimizeParams(steps=2, size=32, init="noise", seed=3, device="cpu")
    first = stylize_optimize(content, [style], params)
    assert torch.equal(first, stylize_optimize(content, [style], params))
    other = load_image(resolve_style("udnie"), SIZE)
    both = stylize_optimize(content, [style, other], params, style_weights=[1.0, 0.0])
    assert torch.allclose(both, first, atol=1e-5)


def test_bad_inputs_are_refused_naming_the_problem(content: Tensor, style: Tensor) -> None:
    params = OptimizeParams(steps=1, size=32, device="cpu")
    with pytest.raises(ValueError, match="2 style weights given for 1 styles"):
        stylize_optimize(content, [style], params, style_weights=[0.5, 0.5])
    with pytest.raises(ValueError, match="content must be a"):
        stylize_optimize(content[0], [style], params)
    with pytest.raises(ValueError, match="at least one style"):
        stylize_optimize(content, [], params)
    small = resize(torch.zeros(1, 1, 8, 8), (8, 8))
    with pytest.raises(ValueError, match="selects no area"):
        stylize_optimize(content, [style], params, style_masks=[small])


def test_style_mask_concentrates_the_change_in_its_region(content: Tensor, style: Tensor) -> None:
    half = content.shape[-1] // 2
    left = torch.zeros(1, 1, *content.shape[-2:])
    left[..., :half] = 1.0
    params = OptimizeParams(steps=5, size=SIZE, device="cpu")
    result = stylize_optimize(content, [style], params, style_masks=[left])
    change = (result - content).abs()
    assert change[..., :half].mean() > 2 * change[..., half:].mean()
