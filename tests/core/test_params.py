"""Declared parameters: values checked against their specs, and named-weight specs parsed once."""

from __future__ import annotations

import pytest
from stylebridge.core.params import ParameterSpec, parse_named_weights, validate


def test_named_weights_default_to_one_and_keep_their_order() -> None:
    assert parse_named_weights("gram=0.5, bn", "method") == (("gram", 0.5), ("bn", 1.0))


@pytest.mark.parametrize(
    ("spec", "message"),
    [("a=x", "blend weight in 'a=x' is not a number"), ("a=-1", "finite number >= 0"),
     ("a=inf", "finite number >= 0"), ("a=nan", "finite number >= 0"), ("a,,b", "without a name")],
)  # fmt: skip
def test_bad_named_weights_name_the_entry(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_named_weights(spec, "blend")


def test_validate_fills_defaults_and_refuses_unknown_or_out_of_range_values() -> None:
    specs = [ParameterSpec("steps", "int", 300, "Steps", minimum=1, maximum=5000)]
    assert validate(specs, {}) == {"steps": 300}
    assert validate(specs, {"steps": 10.0}) == {"steps": 10}
    for values, message in [({"steps": 0}, ">= 1"), ({"nope": 1}, "unknown parameter")]:
        with pytest.raises(ValueError, match=message):
            validate(specs, values)
