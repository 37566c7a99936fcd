"""The pastiche network (METHODS §5.2, §5.8)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from stylebridge.core.transformer import StyleNetwork, scaled_channels
from torch import nn


def test_output_has_input_size_and_lies_in_0_1() -> None:
    torch.manual_seed(0)
    net = StyleNetwork(num_styles=2, width=0.25)
    with torch.no_grad():
        out = net(torch.rand(2, 3, 32, 48), torch.tensor([1.0, 0.0]))
    assert out.shape == (2, 3, 32, 48)
    assert float(out.min()) > 0.0 and float(out.max()) < 1.0


def test_full_width_has_the_papers_parameter_counts() -> None:
    net = StyleNetwork(num_styles=32, width=1.0)
    convs = sum(m.weight.numel() for m in net.modules() if isinstance(m, nn.Conv2d))
    cin = sum(n.gamma.numel() + n.beta.numel() for n in net.norms())
    assert convs == 1_674_432
    assert cin == 3_206 * 32


def test_convolutions_have_no_bias_and_reflection_padding() -> None:
    net = StyleNetwork(num_styles=1, width=0.25)
    convs = [m for m in net.modules() if isinstance(m, nn.Conv2d)]
    assert len(convs) == 16 and all(c.bias is None for c in convs)
    assert all(c.padding == (0, 0) for c in convs)
    assert sum(isinstance(m, nn.ReflectionPad2d) for m in net.modules()) == 16


def test_pure_weights_reproduce_a_single_style_exactly() -> None:
    torch.manual_seed(1)
    net = StyleNetwork(num_styles=3, width=0.25)
    with torch.no_grad():
        for norm in net.norms():
            norm.gamma.normal_(1.0, 0.3)
            norm.beta.normal_(0.0, 0.3)
    # A one-style network holding only style 1's rows is the reference.
    alone = StyleNetwork(num_styles=1, width=0.25)
    state = {k: v[:1] if k.endswith(("gamma", "beta")) else v for k, v in net.state_dict().items()}
    alone.load_state_dict(state)
    x = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        first = net(x, torch.tensor([1.0, 0.0, 0.0]))
        assert torch.equal(first, alone(x, torch.tensor([1.0])))
        assert not torch.allclose(first, net(x, torch.tensor([0.0, 1.0, 0.0])))


def test_width_multiplier_scales_channels() -> None:
    assert scaled_channels(1.0) == (32, 64, 128)
    assert scaled_channels(0.5) == (16, 32, 64)
    with pytest.raises(ValueError, match="width"):
        scaled_channels(0.0)


def test_bad_inputs_are_rejected_with_clear_errors() -> None:
    net = StyleNetwork(num_styles=2, width=0.25)
    with pytest.raises(ValueError, match="multiples of 4"):
        net(torch.rand(1, 3, 30, 32), torch.tensor([1.0, 0.0]))
    with pytest.raises(ValueError, match="2 entries"):
        net(torch.rand(1, 3, 32, 32), torch.tensor([1.0, 0.0, 0.0]))


def test_lite_shape_runs_round_trips_and_pads_with_zeros_inside(tmp_path: Path) -> None:
    from stylebridge.core.model_file import ModelMetadata, load_model, save_model
    from stylebridge.core.transformer import NetworkShape

    shape = NetworkShape.lite()
    net = StyleNetwork(2, shape=shape).eval()
    assert isinstance(net.down[0].pad, nn.ReflectionPad2d)  # the photo's border is not black
    inner = [m for m in net.modules() if isinstance(m, nn.Conv2d) and m.kernel_size == (3, 3)]
    assert inner and all(conv.padding == (1, 1) for conv in inner)
    image = torch.rand(1, 3, 32, 48)
    out = net(image, torch.tensor([1.0, 0.0]))
    assert out.shape == image.shape
    save_model(
        tmp_path / "m.safetensors", net, ModelMetadata(("a", "b"), shape=shape), torch.float32
    )
    loaded = load_model(tmp_path / "m.safetensors")
    assert loaded.network.shape == shape and loaded.metadata.shape == shape
    torch.testing.assert_close(loaded.network(image, torch.tensor([1.0, 0.0])), out)


def test_network_shapes_from_files_are_checked() -> None:
    from stylebridge.core.transformer import NetworkShape

    good = NetworkShape.lite().to_dict()
    assert NetworkShape.from_dict(good) == NetworkShape.lite()
    for bad in ({**good, "encoder": [16, 32]}, {**good, "padding": "wrap"}, {"encoder": 1}):
        with pytest.raises(ValueError, match=r"shape|channel|padding"):
            NetworkShape.from_dict(bad)
