"""The arbitrary-style path on the wire: a real daemon painting with a tiny decoder trained here
and placed in its user's models folder (which wins over the shipped decoder)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from stylebridge.cli.main import main
from stylebridge.client import DaemonError, JobProgress
from stylebridge.core.decoder_file import DECODER_FILE_NAME
from stylebridge.service import protocol as wire

from .conftest import DaemonProcess, start_daemon
from .test_ops import raw_request

pytestmark = pytest.mark.timeout(300)


def rgba(width: int, height: int, seed: int = 1) -> tuple[bytes, dict[str, Any]]:
    data = np.random.default_rng(seed).integers(0, 256, (height, width, 4), np.uint8)
    fmt = {"width": width, "height": height, "channels": "RGBA", "dtype": "uint8"}
    return data.tobytes(), fmt


@pytest.fixture(scope="module")
def tiny_decoder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A relu4_1 decoder with 8 channels a level, trained 2 steps by `stylebridge train-decoder`."""
    folder = tmp_path_factory.mktemp("decoder")
    photos = folder / "photos"
    photos.mkdir()
    for i, colour in enumerate([(200, 120, 40), (30, 90, 200)]):
        Image.new("RGB", (48, 40), colour).save(photos / f"p{i}.png")
    out = folder / "tiny.safetensors"
    argv = [
        "train-decoder", "--content", str(photos), "--out", str(out), "--widths", "8,8,8,8",
        "--size", "32", "--batch", "1", "--steps", "2", "--threads", "1",
        "--crop-cache", str(folder / "cache"),
    ]  # fmt: skip
    assert main(argv) == 0
    return out


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, tiny_decoder: Path) -> Path:
    home = tmp_path_factory.mktemp("arbitrary") / "home"
    models = home / "data" / "models"
    models.mkdir(parents=True)
    shutil.copy(tiny_decoder, models / DECODER_FILE_NAME)
    return home


@pytest.fixture(scope="module")
def daemon(home: Path) -> Iterator[DaemonProcess]:
    """A daemon on the user's default endpoint of `home`, where `stylize --daemon` finds it."""
    running = start_daemon(home, f"ipc://{home}/run/daemon.sock")
    yield running
    running.stop()


def only_event(daemon: DaemonProcess, header: dict[str, Any], frames: list[bytes]) -> Any:
    events = raw_request(daemon, [wire.pack(header), *frames], timeout_s=60.0)
    assert len(events) == 1, events
    return events[0][0]


def stylize_header(**fields: Any) -> dict[str, Any]:
    _, fmt = rgba(8, 4)
    fields = {"path": "arbitrary", "image": fmt, "styles": [{"name": "udnie"}], **fields}
    return wire.request(wire.OP_STYLIZE, "a", **fields)


def test_the_path_is_offered_with_its_schema_and_library_styles(daemon: DaemonProcess) -> None:
    with daemon.client(timeout_s=30.0) as client:
        assert wire.PATH_ARBITRARY in client.hello()["paths"]
        specs = client.list_methods()["paths"]["arbitrary"]["parameters"]
        styles = client.list_styles(path="arbitrary")
    assert [s["name"] for s in specs] == [
        "transform", "strength", "stroke", "passes", "size_px", "preserve_color",
    ]  # fmt: skip
    assert {s["source"] for s in styles} == {"library"}
    assert "udnie" in {s["name"] for s in styles}


def test_library_and_custom_styles_paint_a_result_of_the_layers_size(
    daemon: DaemonProcess,
) -> None:
    image, fmt = rgba(40, 28)
    style, style_fmt = rgba(90, 70, seed=3)
    reports: list[JobProgress] = []
    params = {"transform": "inter=0.6,intra=0.4", "strength": 0.9, "size_px": 24}
    with daemon.client(timeout_s=120.0) as client:
        data, out = client.stylize(
            image, fmt, params, path="arbitrary", style_names={"udnie": 0.7},
            styles=[(style, style_fmt, 0.3)], on_progress=reports.append,
        )  # fmt: skip
        models = {m["name"] for m in client.status()["models"]}
    assert (out["width"], out["height"], out["channels"]) == (40, 28, "RGBA")
    result = np.frombuffer(data, np.uint8).reshape(28, 40, 4)
    source = np.frombuffer(image, np.uint8).reshape(28, 40, 4)
    assert np.array_equal(result[..., 3], source[..., 3])  # the layer's alpha is kept
    assert not np.array_equal(result[..., :3], source[..., :3])
    running = [r for r in reports if r.total]
    assert running and running[-1].step == running[-1].total == 4  # encode, 2 styles, decode
    assert {"decoder relu4_1 on cpu", "vgg19 caffe max on cpu"} <= models  # kept warm


def test_the_selection_keeps_the_layer_outside_it(daemon: DaemonProcess) -> None:
    source = np.random.default_rng(4).integers(0, 256, (16, 32, 3), np.uint8)
    fmt = {"width": 32, "height": 16, "channels": "RGB", "dtype": "uint8"}
    mask = np.zeros((16, 32), np.uint8)
    mask[:, 16:] = 255
    with daemon.client(timeout_s=120.0) as client:
        data, _ = client.stylize(
            source.tobytes(), fmt, {}, mask=mask.tobytes(), path="arbitrary",
            style_names={"udnie": 1.0},
        )  # fmt: skip
    result = np.frombuffer(data, np.uint8).reshape(16, 32, 3)
    assert np.array_equal(result[:, :16], source[:, :16])  # without alpha: blended over it
    assert not np.array_equal(result[:, 16:], source[:, 16:])


@pytest.mark.parametrize(
    ("fields", "code", "words"),
    [
        ({"params": {"transform": "gram"}}, "bad_parameter", "unknown transform 'gram'"),
        ({"params": {"transform": "wct=0"}}, "bad_parameter", "needs a weight above 0"),
        ({"params": {"stroke": 20}}, "bad_parameter", "'stroke'"),
        ({"params": {"tile_px": 512}}, "bad_parameter", "unknown parameter"),
        ({"styles": []}, "bad_request", "needs at least one style"),
        ({"styles": [{"name": "udnie", "weight": 0}]}, "bad_request", "weight above 0"),
        ({"styles": [{"name": "nope"}]}, "unknown_style", "no library style 'nope'"),
        ({"params": {"size_px": 16384, "stroke": 8}}, "too_large", "largest size_px"),
    ],
)
def test_bad_requests_are_refused_before_accepted(
    daemon: DaemonProcess, fields: dict[str, Any], code: str, words: str
) -> None:
    error = only_event(daemon, stylize_header(**fields), [bytes(128)])["error"]
    assert error["code"] == code and words in error["message"], error


def test_a_running_job_is_cancelled_between_stages(daemon: DaemonProcess) -> None:
    image, fmt = rgba(256, 256)
    names = {"udnie": 1.0, "starry-night": 1.0, "the-scream": 1.0}
    started: list[JobProgress] = []

    def seen(report: JobProgress) -> None:
        if report.total:
            started.append(report)

    with daemon.client(timeout_s=120.0) as client, pytest.raises(DaemonError) as info:
        client.stylize(
            image, fmt, {"stroke": 4.0}, path="arbitrary", style_names=names,
            on_progress=seen, should_cancel=lambda: bool(started),
        )  # fmt: skip
    assert info.value.code == "cancelled"
    assert started[-1].step < started[-1].total


def test_a_corrupt_decoder_is_bad_model_naming_no_server_path(
    daemon: DaemonProcess, home: Path, tiny_decoder: Path
) -> None:
    installed = home / "data" / "models" / DECODER_FILE_NAME
    installed.write_bytes(b"not a decoder" * 100)
    image, fmt = rgba(16, 16)
    try:
        with daemon.client(timeout_s=120.0) as client, pytest.raises(DaemonError) as info:
            client.stylize(image, fmt, {}, path="arbitrary", style_names={"udnie": 1.0})
    finally:
        shutil.copy(tiny_decoder, installed)
    assert info.value.code == "bad_model", info.value.message
    assert "decoder-relu4_1" in info.value.message and str(home) not in info.value.message


def test_stylize_fast_through_the_daemon_matches_the_run_in_this_process(
    daemon: DaemonProcess, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STYLEBRIDGE_HOME", str(home))  # the daemon's endpoint and decoder
    content, style = tmp_path / "photo.png", tmp_path / "my painting.png"
    rng = np.random.default_rng(5)
    Image.fromarray(rng.integers(0, 256, (30, 40, 3), dtype=np.uint8)).save(content)
    Image.fromarray(rng.integers(0, 256, (70, 90, 3), dtype=np.uint8)).save(style)
    flags = ["--fast", "--style", str(style), "--style", "udnie", "--style-weights", "0.4,0.6",
             "--transform", "wct=0.5,bn=0.5", "--strength", "0.8"]  # fmt: skip
    results = {}
    for mode in ("require", "off"):
        out = tmp_path / f"{mode}.png"
        argv = ["stylize", str(content), *flags, "-o", str(out), "--quiet", "--daemon", mode]
        assert main(argv) == 0
        with Image.open(out) as picture:
            results[mode] = np.asarray(picture.convert("RGB"), dtype=int)
    assert results["require"].shape == results["off"].shape == (30, 40, 3)
    difference = np.abs(results["require"] - results["off"])
    assert difference.mean() < 0.5 and difference.max() <= 2
