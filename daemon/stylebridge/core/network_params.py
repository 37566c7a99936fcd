"""NETWORK_PARAMETERS: the one declaration of every parameter of the network path (multi-style
network inference). Names match keyword arguments of `feedforward.stylize_network`, except
`shot`, which the daemon turns into that function's `stats`; the style blend itself travels as the
request's styles (name + weight), not as a parameter."""

from __future__ import annotations

from stylebridge.core.params import ParameterSpec

# A one-pass path sees no colour option while it runs: colour is restored from the photo after.
PRESERVE_COLOR_PARAMETER = ParameterSpec(
    "preserve_color", "choice", "none", "Preserve colour",
    "keep the photo's colours: its chroma under the stylized luminance, or its colour "
    "statistics matched onto the result",
    choices=("none", "luminance", "histogram"),
)  # fmt: skip

NETWORK_PARAMETERS: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        "strength", "float", 1.0, "Strength",
        "mix of the stylized result with the original (1 = fully stylized)", 0.0, 1.0,
    ),
    PRESERVE_COLOR_PARAMETER,
    ParameterSpec(
        "stroke", "float", 1.0, "Stroke size",
        "size of the brushwork relative to the picture, the same in the preview and the result "
        "(2 = twice as large, 0.5 = half; 0 = the network's own stroke in pixels)",
        0.0, 8.0,
    ),
    ParameterSpec(
        "picture_px", "int", 0, "Picture size (px)",
        "for a crop (a 100 % preview): the long side of the whole picture it was cut from, so "
        "its strokes match the whole picture's result (0 = the image is the whole picture)",
        0, 65536,
    ),
    ParameterSpec(
        "size_px", "int", 0, "Size (px)",
        "long side of the result (0 = full resolution)",
        0, 16384,
    ),
    # 2048, not 1024: on the 2-core CPU 1024 px tiles plus their statistics pass took 2.7x as
    # long as one untiled 2048 px pass (benchmarks/RESULTS.md); the lite network needs < 1 GB there.
    ParameterSpec(
        "tile_px", "int", 2048, "Tile size (px)",
        "images larger than this run in seamless tiles (bounded memory); 0 = never tile",
        0, 8192,
    ),
    # Set by the editors' frame commands, not shown (service/shots.py keeps the statistics).
    ParameterSpec(
        "shot", "string", "", "Shot",
        "frames of one shot: this client's jobs with the same id (1..64 of A-Z a-z 0-9 . _ : -) "
        "replay the normalisation statistics of the first, so an animation does not flicker "
        "('' = none)",
    ),
)  # fmt: skip
