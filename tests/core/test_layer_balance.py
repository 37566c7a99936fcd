"""Each style layer pulls on the image with its calibrated share (methods.py, "Calibration"): the
deep layers most, relu1_1 least. Under the papers' 1e3/N_l² on the Caffe weights relu5_1 had a
thousandth of relu4_1's pull, so the optimizer never matched the painting's largest marks."""

from __future__ import annotations

import pytest
import torch
from stylebridge.core.images import load_image
from stylebridge.core.layer_pull import layer_pulls
from stylebridge.core.methods import STYLE_LAYERS, get_method
from stylebridge.core.style_library import resolve_style
from stylebridge.core.style_targets import extract, style_samples
from stylebridge.core.vgg_weights import load_vgg19

SAMPLE = "daemon/stylebridge/data/samples/washington-monument.jpg"
SIZE = 128


@pytest.fixture(scope="module")
def pulls_by_method() -> dict[str, dict[str, float]]:
    """{method: {layer: gradient norm of its weighted loss at the photo}} (deterministic ones)."""
    vgg = load_vgg19()
    photo = load_image(SAMPLE, SIZE).requires_grad_(True)
    with torch.no_grad():
        targets_in = style_samples(vgg, load_image(resolve_style("starry-night"), SIZE))
    features = extract(vgg, photo, STYLE_LAYERS, reduced=False)
    out: dict[str, dict[str, float]] = {}
    for name in ("gram", "mmd-linear", "bn", "intra"):
        method = get_method(name)
        pulls = layer_pulls(photo, features, targets_in, method)
        weights = dict(zip(STYLE_LAYERS, method.layer_weights, strict=True))
        out[name] = {layer: weights[layer] * pull for layer, pull in pulls.items()}
    return out


@pytest.mark.parametrize("method", ["gram", "mmd-linear", "bn", "intra"])
def test_deep_layers_pull_alike_and_shallow_ones_less(
    method: str, pulls_by_method: dict[str, dict[str, float]]
) -> None:
    pull = pulls_by_method[method]
    assert 0.2 < pull["relu5_1"] / pull["relu4_1"] < 5
    for layer in ("relu2_1", "relu3_1"):
        assert 0.01 < pull[layer] / pull["relu4_1"] < 0.5
    assert pull["relu1_1"] / pull["relu4_1"] < 0.1
