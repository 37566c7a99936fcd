"""Training and add-style (METHODS §5.3-5.6) on tiny images with the real VGG-19."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from stylebridge.core.model_file import ModelMetadata, load_model
from stylebridge.core.training import (
    TrainConfig,
    compute_losses,
    learn_new_style,
    style_grams,
    train_steps,
)
from stylebridge.core.training_data import CheckpointFiles, random_batch
from stylebridge.core.transformer import StyleNetwork
from stylebridge.core.vgg_weights import load_vgg19
from torch import nn

CONFIG = TrainConfig(
    size_px=32, batch=2, steps=12, lr=1e-2, content_layer="relu2_1",
    style_layers=("relu1_1", "relu2_1"), style_px=32,
)  # fmt: skip


@pytest.fixture(scope="module")
def vgg() -> nn.Module:
    return load_vgg19(pooling="avg")


def _crops() -> np.ndarray:
    rng = np.random.default_rng(0)
    smooth = rng.random((6, 9, 9, 3)).repeat(4, axis=1).repeat(4, axis=2)
    return (smooth * 255).astype(np.uint8)  # (6, 36, 36, 3)


def _styles() -> list[torch.Tensor]:
    torch.manual_seed(1)
    stripes = torch.zeros(1, 3, 32, 32)
    stripes[:, 0, :, ::4] = 1.0
    return [stripes, torch.rand(1, 3, 32, 32)]


def _fixed_loss(net: StyleNetwork, vgg: nn.Module, targets: dict[str, torch.Tensor]) -> float:
    batch = random_batch(_crops(), 4, 32, torch.Generator().manual_seed(99))
    with torch.no_grad():
        total, _, _ = compute_losses(net, vgg, batch, torch.tensor([0, 1, 0, 1]), targets, CONFIG)  # type: ignore[arg-type]
    return float(total)


def test_tiny_training_run_lowers_the_loss(vgg: nn.Module) -> None:
    torch.manual_seed(0)
    net = StyleNetwork(2, width=0.25)
    targets = style_grams(vgg, _styles(), CONFIG.style_layers)  # type: ignore[arg-type]
    before = _fixed_loss(net, vgg, targets)
    optimizer = torch.optim.Adam(net.parameters(), lr=CONFIG.lr)
    done = train_steps(net, vgg, _crops(), targets, CONFIG, optimizer)  # type: ignore[arg-type]
    assert done == CONFIG.steps
    assert _fixed_loss(net, vgg, targets) < 0.85 * before


def test_add_style_changes_only_the_new_styles_gamma_beta(vgg: nn.Module) -> None:
    torch.manual_seed(0)
    net = StyleNetwork(2, width=0.25)
    with torch.no_grad():
        for norm in net.norms():
            norm.gamma.normal_(1.0, 0.3)
    before = {k: v.clone() for k, v in net.state_dict().items()}
    config = TrainConfig(**{**CONFIG.__dict__, "steps": 4})
    learn_new_style(net, vgg, _crops(), _styles()[0], config)  # type: ignore[arg-type]
    after = net.state_dict()
    assert net.num_styles == 3
    for name, old in before.items():
        if name.endswith(("gamma", "beta")):
            assert torch.equal(after[name][:2], old), name
            assert not torch.equal(
                after[name][2], torch.full_like(after[name][2], float(name.endswith("gamma")))
            )
        else:
            assert torch.equal(after[name], old), name


def test_checkpoint_resume_restores_network_and_adam_state(tmp_path: Path, vgg: nn.Module) -> None:
    torch.manual_seed(0)
    net = StyleNetwork(2, width=0.25)
    targets = style_grams(vgg, _styles(), CONFIG.style_layers)  # type: ignore[arg-type]
    optimizer = torch.optim.Adam(net.parameters(), lr=CONFIG.lr)
    config = TrainConfig(**{**CONFIG.__dict__, "steps": 2})
    train_steps(net, vgg, _crops(), targets, config, optimizer)  # type: ignore[arg-type]
    files = CheckpointFiles.for_model(tmp_path / "m.safetensors")
    files.save(net, optimizer, ModelMetadata(("a", "b"), 0.25, recipe={"steps": 2}))
    resumed = load_model(files.checkpoint)
    assert resumed.metadata.recipe["steps"] == 2
    for a, b in zip(net.state_dict().values(), resumed.network.state_dict().values(), strict=True):
        assert torch.equal(a, b)
    fresh = torch.optim.Adam(resumed.network.parameters(), lr=CONFIG.lr)
    fresh.load_state_dict(CheckpointFiles.for_checkpoint(files.checkpoint).load_optimizer())
    saved = optimizer.state_dict()["state"][0]["exp_avg"]
    assert torch.equal(fresh.state_dict()["state"][0]["exp_avg"], saved)


def test_covariance_statistic_is_the_centred_gram_plus_the_means(vgg: nn.Module) -> None:
    style = _styles()[0]
    targets = style_grams(vgg, [style], ("relu1_1",), "covariance")  # type: ignore[arg-type]
    features = vgg(style, ["relu1_1"])["relu1_1"].double()[0].flatten(1)
    means = features.mean(dim=1)
    centred = features - means[:, None]
    expected = centred @ centred.T / centred.shape[1]
    assert torch.allclose(targets["relu1_1"][0].double(), expected, rtol=1e-4, atol=1e-2)
    assert torch.allclose(targets["relu1_1/mean"][0].double(), means, rtol=1e-5, atol=1e-4)
    # The Gram with the mean in it is what the default statistic keeps.
    gram = style_grams(vgg, [style], ("relu1_1",))["relu1_1"][0].double()  # type: ignore[arg-type]
    assert torch.allclose(gram, expected + means[:, None] * means[None, :], rtol=1e-4, atol=1e-2)


def test_covariance_loss_is_zero_on_the_style_and_trains(vgg: nn.Module) -> None:
    config = TrainConfig(**{**CONFIG.recipe(), "style_layers": CONFIG.style_layers,
                            "style_statistic": "covariance"})  # fmt: skip
    torch.manual_seed(0)
    net = StyleNetwork(2, width=0.25)
    targets = style_grams(vgg, _styles(), config.style_layers, "covariance")  # type: ignore[arg-type]
    batch = random_batch(_crops(), 4, 32, torch.Generator().manual_seed(99))
    ids = torch.tensor([0, 1, 0, 1])

    def loss() -> float:
        with torch.no_grad():
            return float(compute_losses(net, vgg, batch, ids, targets, config)[2])  # type: ignore[arg-type]

    before = loss()
    optimizer = torch.optim.Adam(net.parameters(), lr=config.lr)
    train_steps(net, vgg, _crops(), targets, config, optimizer)  # type: ignore[arg-type]
    assert loss() < 0.85 * before
    with pytest.raises(ValueError, match="style statistic"):
        style_grams(vgg, _styles(), ("relu1_1",), "median")  # type: ignore[arg-type]


def test_style_scales_multiply_each_examples_style_loss(vgg: nn.Module) -> None:
    torch.manual_seed(0)
    net = StyleNetwork(2, width=0.25)
    targets = style_grams(vgg, _styles(), CONFIG.style_layers)  # type: ignore[arg-type]
    batch = random_batch(_crops(), 2, 32, torch.Generator().manual_seed(99))
    ids = torch.tensor([0, 1])

    def style_loss(scales: tuple[float, ...]) -> float:
        config = TrainConfig(**{**CONFIG.__dict__, "style_scales": scales})
        with torch.no_grad():
            return float(compute_losses(net, vgg, batch, ids, targets, config)[2])  # type: ignore[arg-type]

    first_only, second_only = style_loss((1.0, 0.0)), style_loss((0.0, 1.0))
    assert first_only > 0 and second_only > 0
    assert style_loss(()) == pytest.approx(first_only + second_only, rel=1e-5)
    assert style_loss((3.0, 0.5)) == pytest.approx(3 * first_only + 0.5 * second_only, rel=1e-5)
    with pytest.raises(ValueError, match="style_scales has 3 values for 2 styles"):
        style_loss((1.0, 1.0, 1.0))
