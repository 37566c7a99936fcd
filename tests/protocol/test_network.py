"""The network path on a real daemon with a tiny random model: styles, results, mask, errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from stylebridge.client import Client, DaemonError
from stylebridge.core import pixels
from stylebridge.core.feedforward import prepare_network, stylize_network
from stylebridge.core.model_file import ModelMetadata, load_model, save_model, thumbnail_base64
from stylebridge.core.transformer import StyleNetwork
from stylebridge.pixel_layout import layout_from_wire

from .conftest import DaemonProcess, run_concurrent_clients, start_daemon

pytestmark = pytest.mark.timeout(120)

STYLES = ("ink", "fire", "moss")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DaemonProcess, Path]]:
    """A daemon whose user models folder holds `tiny`: a random 3-style network of width 0.125."""
    home = tmp_path_factory.mktemp("network") / "home"
    torch.manual_seed(0)
    network = StyleNetwork(len(STYLES), width=0.125).eval()
    thumbs = {name: thumbnail_base64(torch.rand(1, 3, 16, 16)) for name in STYLES}
    path = home / "data" / "models" / "tiny.safetensors"
    save_model(path, network, ModelMetadata(STYLES, width=0.125, thumbnails=thumbs))
    running = start_daemon(home)
    yield running, path
    running.stop()


def image(seed: int, size_px: int = 32) -> tuple[bytes, dict[str, Any]]:
    rgba = np.random.default_rng(seed).integers(0, 256, (size_px, size_px, 4), dtype=np.uint8)
    return rgba.tobytes(), {
        "width": size_px,
        "height": size_px,
        "channels": "RGBA",
        "dtype": "uint8",
    }


def reference(
    path: Path, data: bytes, fmt: dict[str, Any], weights: list[float], stroke: float = 1.0
) -> np.ndarray:
    """The same inference in this process."""
    network = prepare_network(load_model(path).network, "cpu")  # as the daemon does
    layout = layout_from_wire(fmt)
    source = pixels.decode(data, layout)
    with torch.no_grad():
        result = stylize_network(
            network, source.rgb, torch.tensor(weights), tile_px=1024, stroke=stroke
        )
    return np.frombuffer(pixels.encode(result.clamp(0, 1), source.alpha, layout), np.uint8)


def off_reference_by(
    out: bytes, path: Path, data: bytes, fmt: dict[str, Any], weights: list[float]
) -> int:
    """The largest difference of the daemon's result from the same inference in this process."""
    expected = reference(path, data, fmt, weights).astype(int)
    return int(np.abs(np.frombuffer(out, np.uint8).astype(int) - expected).max())


def test_list_styles_of_a_model_has_names_and_thumbnails(tiny: tuple[DaemonProcess, Path]) -> None:
    daemon, _ = tiny
    with daemon.client() as client:
        styles = client.list_styles(path="network", model="tiny")
        assert [s["name"] for s in styles] == list(STYLES)
        assert all(s["source"] == "model" and s["thumbnail"][:2] == b"\xff\xd8" for s in styles)
        schema = client.list_methods()["paths"]["network"]["parameters"]
        assert {p["name"] for p in schema} >= {"strength", "tile_px"}


def test_eight_clients_get_their_own_network_results(tiny: tuple[DaemonProcess, Path]) -> None:
    daemon, path = tiny

    def stylize_one(client: Client, index: int, n: int) -> bytes:
        data, fmt = image(10 * index + n)
        return client.stylize(data, fmt, {}, model="tiny", style_names={"fire": 1.0})[0]

    results = run_concurrent_clients(daemon, clients=8, jobs=4, job=stylize_one, timeout_s=30)
    for (index, job), out in results.items():
        data, fmt = image(10 * index + job)
        assert off_reference_by(out, path, data, fmt, [0.0, 1.0, 0.0]) <= 1


def test_stroke_travels_on_the_wire_and_matches_the_in_process_result(
    tiny: tuple[DaemonProcess, Path],
) -> None:
    daemon, path = tiny
    data, fmt = image(5)
    with daemon.client() as client:
        assert "stroke" in {
            p["name"] for p in client.list_methods()["paths"]["network"]["parameters"]
        }
        out = {
            stroke: client.stylize(
                data, fmt, {"stroke": stroke}, model="tiny", style_names={"fire": 1.0}
            )[0]
            for stroke in (0.5, 4.0)
        }
    fine, coarse = (np.frombuffer(out[s], np.uint8).astype(int) for s in (0.5, 4.0))
    assert np.abs(fine - coarse).mean() > 1.0
    expected = reference(path, data, fmt, [0.0, 1.0, 0.0], stroke=4.0)
    assert np.abs(coarse - expected.astype(int)).max() <= 1


def test_selection_mask_becomes_the_result_alpha(tiny: tuple[DaemonProcess, Path]) -> None:
    daemon, _ = tiny
    data, fmt = image(3)
    mask = np.zeros((32, 32), np.uint8)
    mask[:, 16:] = 255
    mask[:, 15] = 128
    with daemon.client() as client:
        out, out_fmt = client.stylize(
            data, fmt, {"strength": 0.5}, mask=mask.tobytes(), model="tiny",
            style_names={"ink": 0.3, "moss": 0.7},
        )  # fmt: skip
    assert out_fmt == {**fmt, "stride": 128, "transfer": "srgb", "working_px": 32}
    alpha_in = np.frombuffer(data, np.uint8)[3::4].reshape(32, 32).astype(float)
    alpha_out = np.frombuffer(out, np.uint8)[3::4].reshape(32, 32).astype(float)
    expected = np.rint(alpha_in * mask / 255)
    assert np.abs(alpha_out - expected).max() <= 1


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"model": "tiny", "style_names": {"nope": 1.0}}, "unknown_style"),
        ({"model": "absent", "style_names": {"ink": 1.0}}, "unknown_model"),
        ({"model": "../tiny", "style_names": {"ink": 1.0}}, "unknown_model"),
        ({"model": "tiny", "style_names": {"ink": 0.0}}, "bad_request"),
        (
            {"model": "tiny", "style_names": {"ink": 1.0}, "params": {"strength": 2.0}},
            "bad_parameter",
        ),
        ({"model": "tiny", "style_names": {"ink": 1.0}, "params": {"stroke": 50}}, "bad_parameter"),
    ],
)
def test_network_errors_have_their_codes(
    tiny: tuple[DaemonProcess, Path], kwargs: dict[str, Any], code: str
) -> None:
    daemon, _ = tiny
    data, fmt = image(4)
    params = kwargs.pop("params", {})
    with daemon.client() as client, pytest.raises(DaemonError) as info:
        client.stylize(data, fmt, params, **kwargs)
    assert info.value.code == code


def test_weights_are_normalised_by_the_daemon_before_the_network_runs(
    tiny: tuple[DaemonProcess, Path],
) -> None:
    daemon, path = tiny
    data, fmt = image(8)
    with daemon.client() as client:
        out = client.stylize(data, fmt, {}, model="tiny", style_names={"ink": 3.0, "moss": 1.0})[0]
    assert off_reference_by(out, path, data, fmt, [0.75, 0.0, 0.25]) <= 1
