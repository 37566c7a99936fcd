"""The thinnest images the optimization accepts, at every scale, for the layer and each style."""

from __future__ import annotations

import pytest
from stylebridge.core.image_sides import MIN_SIDE_PX, check_optimize_sides


def test_a_thin_layer_is_refused_naming_its_size_and_what_to_change() -> None:
    with pytest.raises(ValueError, match=r"the image is 64x1 px; .* 512x8 px") as info:
        check_optimize_sides((1, 64), [], size=512, scales=1)
    assert "use a larger size" in str(info.value)


def test_the_coarsest_scale_counts() -> None:
    check_optimize_sides((32, 64), [], size=64, scales=1)  # 32x64
    with pytest.raises(ValueError, match="16x8 px"):
        check_optimize_sides((32, 64), [], size=64, scales=3)  # 16x8, 16x8, 32x64


def test_a_thin_style_is_named() -> None:
    with pytest.raises(ValueError, match="style starry is 400x2 px"):
        check_optimize_sides((64, 64), [("starry", (2, 400))], size=512, scales=1)


def test_small_but_not_thin_images_are_enlarged_and_pass() -> None:
    check_optimize_sides((4, 4), [("dot", (1, 1))], size=MIN_SIDE_PX, scales=1)
    check_optimize_sides((16, 512), [], size=512, scales=1)
