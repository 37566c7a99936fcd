"""`train --style-scales`: one positive multiplier per style, or a clear error."""

from __future__ import annotations

import pytest
from stylebridge.cli.train import parse_style_scales


def test_style_scales_parse_and_default_to_none() -> None:
    assert parse_style_scales(None) == ()
    assert parse_style_scales("1,2,1.5") == (1.0, 2.0, 1.5)


@pytest.mark.parametrize("text", ["1,x", "1,,2", "1,-2", "0", "nan", "1,inf"])
def test_bad_style_scales_name_the_problem(text: str) -> None:
    with pytest.raises(ValueError, match="--style-scales"):
        parse_style_scales(text)
