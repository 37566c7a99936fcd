"""Network inference: blends, strength, size, blend maps, the shipped default model.

Most tests run the network at the image's own size (stroke=0) to compare with a direct call;
tests/core/test_stroke.py covers the processing size."""

from __future__ import annotations

import pytest
import torch
from stylebridge.core.color import rgb_to_yuv
from stylebridge.core.feedforward import stylize_network
from stylebridge.core.images import load_image
from stylebridge.core.model_file import default_model_path, load_model
from stylebridge.core.style_library import styles_dir
from stylebridge.core.transformer import StyleNetwork


def _network() -> StyleNetwork:
    torch.manual_seed(0)
    net = StyleNetwork(3, width=0.25)
    with torch.no_grad():
        for norm in net.norms():
            norm.gamma.normal_(1.0, 0.5)
            norm.beta.normal_(0.0, 0.5)
    return net.eval()


def test_strength_zero_returns_the_input_and_one_the_network_output() -> None:
    net, image = _network(), torch.rand(1, 3, 32, 40)
    weights = torch.tensor([1.0, 0.0, 0.0])
    torch.testing.assert_close(stylize_network(net, image, weights, strength=0.0), image)
    with torch.no_grad():
        direct = net(image, weights)
    torch.testing.assert_close(stylize_network(net, image, weights, stroke=0), direct)
    half = stylize_network(net, image, weights, strength=0.5, stroke=0)
    torch.testing.assert_close(half, 0.5 * direct + 0.5 * image)


def test_odd_sizes_are_padded_and_cropped_back() -> None:
    out = stylize_network(_network(), torch.rand(1, 3, 33, 47), torch.tensor([0.0, 1.0, 0.0]))
    assert out.shape == (1, 3, 33, 47)


def test_size_px_resizes_the_long_side() -> None:
    out = stylize_network(_network(), torch.rand(1, 3, 40, 80), torch.ones(3) / 3, size_px=32)
    assert out.shape == (1, 3, 16, 32)


def test_weights_must_arrive_normalised_and_are_never_rescaled() -> None:
    image = torch.rand(1, 3, 8, 8)
    unnormalised = ([2.0, 2.0, 0.0], [0.0, 0.0, 0.0], [-1.0, 2.0, 0.0], [float("nan"), 1.0, 0.0])
    for bad in ([1.0], *unnormalised):
        with pytest.raises(ValueError, match="weights"):
            stylize_network(_network(), image, torch.tensor(bad))
    with pytest.raises(ValueError, match="strength"):
        stylize_network(_network(), image, torch.ones(3) / 3, strength=1.5)


def test_blend_map_applies_each_style_where_its_weight_is() -> None:
    net, image = _network(), torch.rand(1, 3, 32, 64)
    left_right = torch.zeros(1, 3, 32, 64)
    left_right[:, 0, :, :32] = 1.0
    left_right[:, 2, :, 32:] = 1.0
    mixed = stylize_network(net, image, torch.ones(3) / 3, blend_map=left_right, stroke=0)
    first = stylize_network(net, image, torch.tensor([1.0, 0.0, 0.0]), stroke=0)
    third = stylize_network(net, image, torch.tensor([0.0, 0.0, 1.0]), stroke=0)
    # Away from the border (receptive field) each half looks like its own style, not the other.
    assert (mixed[..., :8] - first[..., :8]).abs().mean() < (
        mixed[..., :8] - third[..., :8]
    ).abs().mean()
    assert (mixed[..., -8:] - third[..., -8:]).abs().mean() < (
        mixed[..., -8:] - first[..., -8:]
    ).abs().mean()


def test_default_model_loads_and_stylizes_a_photo_on_the_cpu() -> None:
    loaded = load_model(default_model_path())
    names = loaded.metadata.style_names
    assert len(names) >= 10 and len(set(names)) == len(names)
    assert set(names) <= {p.stem for p in styles_dir().glob("*.jpg")}
    recipe = loaded.metadata.recipe
    assert recipe["steps"] > 0 and "research" in recipe["data"] and recipe["final_losses"]
    photo = load_image(styles_dir().parent / "samples" / "washington-monument.jpg", 128)
    weights = torch.zeros(len(names))
    weights[0] = 1.0
    out = stylize_network(loaded.network, photo, weights)
    assert out.shape == photo.shape and torch.isfinite(out).all()
    # Stylized means changed: far from the photo, and different styles differ.
    weights2 = torch.zeros(len(names))
    weights2[names.index("starry-night") if "starry-night" in names else 1] = 1.0
    other = stylize_network(loaded.network, photo, weights2)
    assert float((out - photo).abs().mean()) > 0.05
    assert float((out - other).abs().mean()) > 0.02


def test_prepared_cpu_network_matches_float32_reference() -> None:
    from stylebridge.core.feedforward import is_channels_last, prepare_network

    image, weights = torch.rand(1, 3, 64, 64), torch.tensor([0.2, 0.3, 0.5])
    reference = stylize_network(_network(), image, weights, stroke=0)
    fast = prepare_network(_network(), "cpu", half=True)  # channels_last + bf16 autocast
    assert is_channels_last(fast)
    out = stylize_network(fast, image, weights, stroke=0)
    assert out.dtype == torch.float32
    assert float((out - reference).abs().mean()) < 2 / 255


def test_preserve_color_keeps_the_photos_chroma_or_colour_statistics() -> None:
    net, weights = _network(), torch.tensor([1.0, 0.0, 0.0])
    image = 0.3 + 0.4 * torch.rand(1, 3, 48, 48)
    plain = stylize_network(net, image, weights, stroke=0)
    luminance = stylize_network(net, image, weights, preserve_color="luminance", stroke=0)
    histogram = stylize_network(net, image, weights, preserve_color="histogram", stroke=0)

    def chroma_error(out: torch.Tensor) -> float:
        return float((rgb_to_yuv(out)[:, 1:] - rgb_to_yuv(image)[:, 1:]).abs().mean())

    assert chroma_error(luminance) < 0.01 < chroma_error(plain)
    mean_error = (histogram.mean(dim=(2, 3)) - image.mean(dim=(2, 3))).abs().max()
    assert float(mean_error) < 0.01 < float((plain.mean((2, 3)) - image.mean((2, 3))).abs().max())
    with pytest.raises(ValueError, match="preserve_color"):
        stylize_network(net, image, weights, preserve_color="sepia")
