"""The optimization path converges end to end at 64 px and at 384 px (where L-BFGS without a line
search used to diverge to inf/NaN and hand back the photo): its loss falls by a large factor and
the image's Gram distance to the style falls too, in whatever precision the CPU runs VGG."""

from __future__ import annotations

import pytest
import torch
from stylebridge.core.images import load_image
from stylebridge.core.optimize import OptimizeParams, stylize_optimize
from stylebridge.core.style_library import resolve_style
from stylebridge.core.stylize_problem import build_problem, prepare_inputs
from torch import Tensor

SAMPLE = "daemon/stylebridge/data/samples/washington-monument.jpg"
METHODS = ("gram", "mmd-linear", "intra")


def loss_of(image: Tensor, content: Tensor, style: Tensor, method: str, style_only: bool) -> float:
    """The objective of `method` at `image`'s size (style only: content weight 0), fixed draws."""
    params = OptimizeParams(method=method, content_weight=0.0 if style_only else 1.0, device="cpu")
    inputs = prepare_inputs(content, [style], None, None, None, method)
    problem = build_problem(inputs, params, torch.device("cpu"), (image.shape[-2], image.shape[-1]))
    with torch.no_grad():
        return problem.objective(image).item()


def check_converges(method: str, size_px: int, steps: int, loss_factor: float) -> None:
    content = load_image(SAMPLE, size_px)
    style = load_image(resolve_style("red-texture"), size_px)  # diverged at 64 px before the fix
    params = OptimizeParams(method=method, steps=steps, size=size_px, device="cpu")
    result = stylize_optimize(content, [style], params)
    assert result.shape == content.shape and bool(torch.isfinite(result).all())
    before = loss_of(content, content, style, method, style_only=False)
    after = loss_of(result, content, style, method, style_only=False)
    assert after * loss_factor < before, (before, after)
    gram_before = loss_of(content, content, style, "gram", style_only=True)
    gram_after = loss_of(result, content, style, "gram", style_only=True)
    assert gram_after < 0.7 * gram_before, (gram_before, gram_after)
    assert (result - content).abs().mean() > 0.02  # not the photo handed back


@pytest.mark.parametrize("method", METHODS)
def test_converges_at_64_px(method: str) -> None:
    check_converges(method, 64, steps=20, loss_factor=4.0)


@pytest.mark.slow
@pytest.mark.parametrize("method", METHODS)
def test_converges_at_384_px(method: str) -> None:
    torch.set_num_threads(min(2, torch.get_num_threads()))
    check_converges(method, 384, steps=5, loss_factor=2.0)
