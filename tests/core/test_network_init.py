"""init 'network': the optimization starts from the shipped network's result for the same styles
and refines it; styles the network cannot paint are refused by name."""

from __future__ import annotations

import pytest
import torch
from stylebridge.core.images import load_image
from stylebridge.core.network_init import check_network_styles, network_start
from stylebridge.core.optimize import OptimizeParams, stylize_optimize
from stylebridge.core.style_library import resolve_style
from stylebridge.core.stylize_problem import build_problem, prepare_inputs
from torch import Tensor

SAMPLE = "daemon/stylebridge/data/samples/washington-monument.jpg"
STYLE = "starry-night"


def gram_objective(image: Tensor, content: Tensor, style: Tensor) -> float:
    params = OptimizeParams(device="cpu")
    inputs = prepare_inputs(content, [style], None, None, None, "gram")
    problem = build_problem(inputs, params, torch.device("cpu"), (image.shape[-2], image.shape[-1]))
    with torch.no_grad():
        return problem.objective(image).item()


def test_network_init_refines_the_networks_result() -> None:
    content = load_image(SAMPLE, 64)
    style = load_image(resolve_style(STYLE), 256)
    start = network_start(content, [STYLE], None, torch.device("cpu"))
    assert start.shape == content.shape and (start - content).abs().mean() > 0.05
    params = OptimizeParams(steps=5, size=64, init="network", device="cpu")
    result = stylize_optimize(content, [style], params, init_image=start)
    assert (result - start).abs().mean() > 0.005  # the steps changed it
    before = gram_objective(start, content, style)
    assert gram_objective(result, content, style) < 0.5 * before


def test_network_init_refuses_styles_the_network_cannot_paint() -> None:
    with pytest.raises(ValueError, match="cannot paint 'vallotton-camille-mauclair'"):
        check_network_styles(["starry-night", "vallotton-camille-mauclair"])
    with pytest.raises(ValueError, match="cannot paint a custom style image"):
        check_network_styles([None])
    content, style = load_image(SAMPLE, 32), load_image(resolve_style(STYLE), 32)
    params = OptimizeParams(steps=1, size=32, init="network", device="cpu")
    with pytest.raises(ValueError, match="'network' needs that path's result"):
        stylize_optimize(content, [style], params)
