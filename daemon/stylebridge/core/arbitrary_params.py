"""ARBITRARY_PARAMETERS: the one declaration of every parameter of the arbitrary-style path (any
picture as a style in one pass, core/arbitrary.py). Names match the fields of `ArbitraryParams`;
the styles themselves travel as the request's styles (library names or custom images)."""

from __future__ import annotations

from stylebridge.core.decoder_levels import MAX_PASSES
from stylebridge.core.network_params import PRESERVE_COLOR_PARAMETER
from stylebridge.core.params import ParameterSpec

# Style images are decoded no smaller than this long side (the CLI's STYLE_DECODE_PX), or the
# result's long side times the stroke when larger: `images.resize_to_area` resizes them from there.
STYLE_DECODE_MIN_PX = 1024

ARBITRARY_PARAMETERS: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        "transform", "string", "wct", "Transform",
        "inter (= wct: the whole texture, full covariance), intra (= transport: each feature's "
        "values), bn (= adain: each feature's mean and deviation), or a fusion with weights "
        "such as wct=0.7,intra=0.3",
    ),
    ParameterSpec(
        "strength", "float", 1.0, "Strength",
        "how far the photo's features move toward the style's (1 = fully stylized)", 0.0, 1.0,
    ),
    ParameterSpec(
        "stroke", "float", 1.0, "Stroke size",
        "size of the brushwork relative to the picture, the same at every output size "
        "(2 = twice as large, 0.5 = half)",
        0.25, 8.0,
    ),
    ParameterSpec(
        "passes", "int", 1, "Detail passes",
        "how many levels the style is matched at, coarse to fine: 1 is fastest and softest; 2 "
        "and 3 add crisper marks and the style's contrast, and take more of the photo",
        1, MAX_PASSES,
    ),
    ParameterSpec(
        "size_px", "int", 0, "Size (px)",
        "long side the picture is painted at, then resized to the layer (0 = the layer's own)",
        0, 16384,
    ),
    PRESERVE_COLOR_PARAMETER,
)  # fmt: skip


def style_decode_px(result_long_px: int, stroke: float) -> int:
    """Long side to decode a style image at for a result of `result_long_px`: never less than
    what `images.resize_to_area` resizes it to, so huge files are decoded small and small ones
    whole."""
    return max(STYLE_DECODE_MIN_PX, round(result_long_px * stroke))
