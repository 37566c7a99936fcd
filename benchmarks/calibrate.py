"""Measure each method's per-layer balance weights (methods.StyleMethod.layer_weights).

For every method and style layer: the norm of d(layer loss)/d(image) at the content image
(the bundled sample, 256 px) against three bundled styles; stochastic methods average 4 seeds;
styles combine by geometric mean. A layer's weight makes its gradient norm (its pull on the
image at --style-weight 1) equal its LAYER_SHARE of the deep layers' pull, the same for every
method. Prints the tuples to paste into methods.py.

    .venv/bin/python benchmarks/calibrate.py [--size 256]
"""

from __future__ import annotations

import argparse
import math

import torch
from stylebridge.core.images import load_image
from stylebridge.core.layer_pull import layer_pulls
from stylebridge.core.methods import METHOD_NAMES, STYLE_LAYERS, get_method
from stylebridge.core.style_library import list_styles
from stylebridge.core.style_targets import extract, style_samples
from stylebridge.core.vgg import CHANNELS
from stylebridge.core.vgg_weights import load_vgg19

SAMPLE = "daemon/stylebridge/data/samples/washington-monument.jpg"
STYLES = ("starry-night", "the-scream", "composition-vii")
# Each layer's pull as a share of the deepest layers'. The papers' 1e3/N_l² assumes Gatys'
# normalised VGG; with the unnormalised Caffe weights it gave relu4_1 50-5000x the pull of every
# other layer, so the optimizer matched relu4_1 alone and relu5_1, the layer that carries the
# painting's largest marks, not at all (benchmarks/RESULTS.md, "Layer balance").
LAYER_SHARE = dict(zip(STYLE_LAYERS, (0.01, 0.1, 0.1, 1.0, 1.0), strict=True))
# The deep layers' pull: twice what relu4_1 had under 1e3/N_l², so that content weight 1 keeps
# about the balance it had.
DEEP_PULL_FACTOR = 2.0 * 1e3 / CHANNELS["relu4_1"] ** 2


def gradient_norms(size_px: int, methods: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """{method: {layer: geometric-mean gradient norm of the unweighted layer loss}}."""
    vgg = load_vgg19()
    content = load_image(SAMPLE, size_px).requires_grad_(True)
    logs: dict[str, dict[str, list[float]]] = {m: {ly: [] for ly in STYLE_LAYERS} for m in methods}
    for style_name in STYLES:
        style = load_image(list_styles()[style_name], size_px)
        with torch.no_grad():
            targets_in = style_samples(vgg, style)
        features = extract(vgg, content, STYLE_LAYERS)
        for name in methods:
            seeds = 4 if name in ("mmd-gauss", "inter") else 1
            pulls = layer_pulls(content, features, targets_in, get_method(name), seeds)
            for layer, pull in pulls.items():
                logs[name][layer].append(pull)
            print(f"{style_name} {name} done", flush=True)
    return {
        m: {ly: math.exp(sum(math.log(v) for v in vs) / len(vs)) for ly, vs in per.items()}
        for m, per in logs.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument(
        "--method",
        action="append",
        choices=METHOD_NAMES,
        help="only these (repeat; gram, the reference, is always measured)",
    )
    args = parser.parse_args()
    methods = tuple(dict.fromkeys(["gram", *(args.method or METHOD_NAMES)]))
    norms = gradient_norms(args.size, methods)
    deep_pull = DEEP_PULL_FACTOR * norms["gram"]["relu4_1"]
    for name in methods:
        weights = [deep_pull * LAYER_SHARE[layer] / norms[name][layer] for layer in STYLE_LAYERS]
        print(f'"{name}": ({", ".join(f"{w:.3g}" for w in weights)}),')


if __name__ == "__main__":
    main()
