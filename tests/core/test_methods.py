"""Method registry, fusion parsing and the fused loss (METHODS §3.7, §9)."""

from __future__ import annotations

import pytest
import torch
from stylebridge.core.method_names import METHOD_NAMES, parse_method_spec
from stylebridge.core.methods import (
    STYLE_LAYERS,
    LossContext,
    fused_style_loss,
    get_method,
    make_targets,
)
from stylebridge.core.optimize import OptimizeParams
from stylebridge.core.optimize_params import OPTIMIZE_PARAMETERS


def samples(seed: int) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return {
        layer: torch.rand(1, 6, 1, 40, generator=g, dtype=torch.float64) for layer in STYLE_LAYERS
    }


def context() -> LossContext:
    return LossContext(torch.Generator().manual_seed(0))


def test_registry_has_every_method_with_a_class_and_five_layer_weights() -> None:
    assert set(METHOD_NAMES) == {
        "gram",
        "mmd-linear",
        "mmd-poly",
        "mmd-gauss",
        "bn",
        "intra",
        "inter",
    }
    for name in METHOD_NAMES:
        method = get_method(name)
        assert method.relation in ("inter", "intra")
        assert len(method.layer_weights) == len(STYLE_LAYERS)
        assert all(w > 0 for w in method.layer_weights)


def test_parse_method_spec_accepts_single_names_and_weighted_fusions() -> None:
    assert parse_method_spec("gram") == (("gram", 1.0),)
    assert parse_method_spec("gram=0.5, bn=0.5") == (("gram", 0.5), ("bn", 0.5))
    assert parse_method_spec("intra=1,inter") == (("intra", 1.0), ("inter", 1.0))


@pytest.mark.parametrize(
    ("spec", "complaint"),
    [
        ("", "empty"),
        ("nope", "unknown method 'nope'"),
        ("gram=abc", "not a number"),
        ("gram=-1", ">= 0"),
        ("gram=nan", ">= 0"),
        ("gram=1,gram=2", "twice"),
        ("gram=0,bn=0", "all zero"),
    ],
)
def test_parse_method_spec_rejects_bad_specs_naming_the_problem(spec: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        parse_method_spec(spec)


def test_fusion_with_weights_one_zero_equals_the_first_method() -> None:
    generated, style = samples(1), samples(2)
    fusion = parse_method_spec("bn=1,gram=0")
    targets = make_targets(fusion, style)
    fused = fused_style_loss(fusion, generated, targets, context())
    alone = fused_style_loss(
        (("bn", 1.0),), generated, make_targets((("bn", 1.0),), style), context()
    )
    assert fused.item() == alone.item()


def test_fusion_is_the_weighted_sum_of_method_losses() -> None:
    generated, style = samples(3), samples(4)
    fusion = parse_method_spec("gram=0.3,intra=0.7")
    fused = fused_style_loss(fusion, generated, make_targets(fusion, style), context())
    parts = [
        w * fused_style_loss(((n, 1.0),), generated, make_targets(((n, 1.0),), style), context())
        for n, w in fusion
    ]
    assert fused.item() == pytest.approx(sum(p.item() for p in parts), rel=1e-12)


def test_optimize_params_mirror_the_declared_parameters() -> None:
    from dataclasses import fields

    declared = {spec.name: spec.default for spec in OPTIMIZE_PARAMETERS}
    assert {f.name: f.default for f in fields(OptimizeParams)} == declared


def test_optimize_params_reject_values_outside_the_declaration() -> None:
    with pytest.raises(ValueError, match="'steps'"):
        OptimizeParams(steps=0)
    with pytest.raises(ValueError, match="'optimizer'"):
        OptimizeParams.from_values({"optimizer": "sgd"})
    assert OptimizeParams.from_values({"steps": 5}).steps == 5
