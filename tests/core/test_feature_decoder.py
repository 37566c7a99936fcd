"""The feature decoder, its file format, and its training (reconstruction from photos alone)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from stylebridge.core.decoder_file import load_decoder, save_decoder
from stylebridge.core.decoder_training import (
    DecoderConfig,
    decoder_losses,
    feature_layers,
    train_decoder_steps,
    transfer_errors,
)
from stylebridge.core.feature_decoder import DecoderShape, FeatureDecoder
from stylebridge.core.model_file import ModelMetadata, save_model
from stylebridge.core.quality_scores import covariance, relative_distance
from stylebridge.core.training_data import random_batch
from stylebridge.core.transformer import StyleNetwork
from stylebridge.core.vgg import VGG19Features

TINY = DecoderShape("relu2_1", (16, 8))


def _crops() -> np.ndarray:
    rng = np.random.default_rng(0)
    smooth = rng.random((6, 9, 9, 3)).repeat(4, axis=1).repeat(4, axis=2)
    return (smooth * 255).astype(np.uint8)  # (6, 36, 36, 3)


def test_shape_checks_level_and_widths() -> None:
    assert DecoderShape().scale == 8 and TINY.scale == 2
    with pytest.raises(ValueError, match="needs 4 widths"):
        DecoderShape("relu4_1", (64, 32)).check()
    with pytest.raises(ValueError, match="level must be one of"):
        DecoderShape("relu4_2", (1, 2, 3, 4)).check()
    with pytest.raises(ValueError, match="bad decoder shape"):
        DecoderShape.from_dict({"level": "relu2_1"})
    assert DecoderShape.from_dict(TINY.to_dict()) == TINY


def test_decoder_maps_features_back_to_image_size() -> None:
    decoder = FeatureDecoder(DecoderShape("relu4_1", (8, 8, 8, 8)))
    out = decoder.decode(torch.rand(2, 512, 5, 7) * 900)
    assert out.shape == (2, 3, 40, 56) and 0.0 <= float(out.min()) <= float(out.max()) <= 1.0
    with pytest.raises(ValueError, match="relu4_1 features must be"):
        decoder(torch.rand(1, 256, 5, 5))


def test_file_round_trip_and_refusals(tmp_path: Path) -> None:
    decoder = FeatureDecoder(TINY)
    path = tmp_path / "d.safetensors"
    save_decoder(path, decoder, {"steps": 3}, torch.float16)
    loaded = load_decoder(path)
    assert loaded.decoder.shape == TINY and loaded.recipe == {"steps": 3}
    features = torch.rand(1, 128, 6, 6) * 200
    expected = FeatureDecoder(TINY)
    expected.load_state_dict({k: v.half().float() for k, v in decoder.state_dict().items()})
    assert torch.allclose(loaded.decoder.decode(features), expected.decode(features), atol=1e-5)
    corrupt = tmp_path / "corrupt.safetensors"
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF
    corrupt.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="checksum"):
        load_decoder(corrupt)
    model = tmp_path / "model.safetensors"
    save_model(model, StyleNetwork(1, width=0.125), ModelMetadata(("a",), width=0.125))
    with pytest.raises(ValueError, match="not a stylebridge feature decoder"):
        load_decoder(model)


def test_training_lowers_the_reconstruction_error(vgg_max: VGG19Features) -> None:
    torch.manual_seed(0)
    decoder = FeatureDecoder(TINY)
    config = DecoderConfig(size_px=32, batch=2, steps=40, lr=3e-3)
    photos = random_batch(_crops(), 4, 32, torch.Generator().manual_seed(9))
    with torch.no_grad():
        before = [float(x) for x in decoder_losses(decoder, vgg_max, photos, config)]
    optimizer = torch.optim.Adam(decoder.parameters(), lr=config.lr)
    seen: list[int] = []
    last = train_decoder_steps(
        decoder, vgg_max, _crops(), config, optimizer, on_step=lambda s, _l, _p: seen.append(s)
    )
    with torch.no_grad():
        after = [float(x) for x in decoder_losses(decoder, vgg_max, photos, config)]
    assert last == 40 and seen == list(range(1, 41))
    assert after[0] < 0.5 * before[0]  # total
    assert after[1] < 0.5 * before[1]  # pixel error
    assert feature_layers("relu3_1") == ["relu1_1", "relu2_1", "relu3_1"]


def test_the_transfer_errors_are_the_decoders_miss_of_the_coloured_features_and_style(
    vgg_max: VGG19Features,
) -> None:
    torch.manual_seed(0)
    decoder = FeatureDecoder(TINY).eval()
    crop = random_batch(_crops(), 1, 32, torch.Generator().manual_seed(3))
    layers = feature_layers("relu2_1")
    with torch.no_grad():
        features = vgg_max(crop, layers)
        # A photo coloured with itself is itself: the errors are the reconstruction's.
        itself = transfer_errors(
            decoder, vgg_max, {name: f.repeat(2, 1, 1, 1) for name, f in features.items()}
        )
        decoded = vgg_max(decoder(features["relu2_1"]), layers)
        missed = (decoded["relu2_1"] - features["relu2_1"]).pow(2).mean()
        assert float(itself[0]) == pytest.approx(
            float(missed / features["relu2_1"].pow(2).mean()), rel=1e-3
        )
        texture = [
            relative_distance(covariance(decoded[name]), covariance(features[name]))
            for name in layers
        ]
        assert float(itself[1]) == pytest.approx(sum(texture) / len(texture), rel=1e-3)
        photos = random_batch(_crops(), 2, 32, torch.Generator().manual_seed(4))
        plain = decoder_losses(decoder, vgg_max, photos, DecoderConfig(size_px=32))
        mixed = decoder_losses(
            decoder,
            vgg_max,
            photos,
            DecoderConfig(size_px=32, transfer_weight=0.5, texture_weight=0.25),
        )
    assert float(plain[3]) == float(plain[4]) == 0.0  # off unless weighted
    assert float(mixed[3]) > 0.0 and float(mixed[4]) > 0.0
    expected = float(plain[0]) + 0.5 * float(mixed[3]) + 0.25 * float(mixed[4])
    assert float(mixed[0]) == pytest.approx(expected, rel=1e-5)
