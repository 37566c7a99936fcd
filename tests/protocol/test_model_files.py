"""The user's models folder as the daemon sees it: broken files get `bad_model` (no server paths),
a rewritten file is used without a restart, and thin layers still run on the network path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from safetensors.torch import save_file
from stylebridge.client import DaemonError, JobProgress
from stylebridge.core.model_file import FORMAT_NAME, ModelMetadata, save_model
from stylebridge.core.transformer import StyleNetwork
from stylebridge.service import protocol as wire

from .conftest import DaemonProcess, start_daemon
from .test_ops import raw_request

pytestmark = pytest.mark.timeout(120)


def tiny_model(path: Path, styles: tuple[str, ...], seed: int = 0) -> None:
    torch.manual_seed(seed)
    save_model(path, StyleNetwork(len(styles), width=0.125).eval(), ModelMetadata(styles, 0.125))


def write_broken_models(models: Path) -> None:
    """corrupt: garbage; truncated: half a model; foreign: another program's safetensors;
    nested: our format with valid JSON metadata nested deeper than Python's recursion limit."""
    (models / "corrupt.safetensors").write_bytes(b"\x13\x00\x00\x00\x00\x00\x00\x00garbage" * 9)
    whole = (models / "tiny.safetensors").read_bytes()
    (models / "truncated.safetensors").write_bytes(whole[: len(whole) // 2])
    save_file({"w": torch.zeros(2)}, str(models / "foreign.safetensors"), metadata={"a": "b"})
    deep = "[" * 100_000 + "]" * 100_000
    metadata = {"format": FORMAT_NAME, "format_version": "1", "sha256": "0", "stylebridge": deep}
    save_file({"w": torch.zeros(2)}, str(models / "nested.safetensors"), metadata=metadata)


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DaemonProcess, Path]]:
    """A daemon whose models folder holds `tiny` (ink, fire) and four broken files."""
    home = tmp_path_factory.mktemp("models") / "home"
    folder = home / "data" / "models"
    tiny_model(folder / "tiny.safetensors", ("ink", "fire"))
    write_broken_models(folder)
    running = start_daemon(home)
    yield running, folder
    running.stop()


def rgba(width: int, height: int) -> tuple[bytes, dict[str, Any]]:
    data = np.random.default_rng(width * height).integers(0, 256, (height, width, 4), np.uint8)
    return data.tobytes(), {"width": width, "height": height, "channels": "RGBA", "dtype": "uint8"}


BROKEN = ("corrupt", "truncated", "foreign", "nested")


@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_model_is_bad_model_for_list_styles_and_stylize(
    models: tuple[DaemonProcess, Path], name: str
) -> None:
    daemon, folder = models
    data, fmt = rgba(8, 8)
    with daemon.client() as client:
        if name != "truncated":  # its header is whole: its styles list, its tensors do not load
            with pytest.raises(DaemonError) as listed:
                client.list_styles(path="network", model=name)
            assert listed.value.code == "bad_model" and str(folder) not in listed.value.message
        with pytest.raises(DaemonError) as stylized:
            client.stylize(data, fmt, {}, model=name, style_names={"ink": 1.0})
        assert stylized.value.code == "bad_model", stylized.value.message
        assert str(folder) not in stylized.value.message and name in stylized.value.message
        assert all(str(folder) not in m["name"] for m in client.status()["models"])


def test_a_broken_model_is_refused_before_accepted(models: tuple[DaemonProcess, Path]) -> None:
    daemon, _ = models
    data, fmt = rgba(8, 8)
    header = wire.request(
        wire.OP_STYLIZE, "r", path="network", model="corrupt", image=fmt, styles=[{"name": "ink"}]
    )
    events = raw_request(daemon, [wire.pack(header), data])
    assert [e[0]["event"] for e in events] == [wire.EVENT_ERROR]
    assert events[0][0]["error"]["code"] == "bad_model"


def test_a_rewritten_model_is_used_without_a_restart(models: tuple[DaemonProcess, Path]) -> None:
    daemon, folder = models
    path = folder / "growing.safetensors"
    tiny_model(path, ("ink",))
    data, fmt = rgba(16, 16)
    with daemon.client() as client:
        client.stylize(data, fmt, {}, model="growing", style_names={"ink": 1.0})  # now cached
        tiny_model(path, ("ink", "fresh"), seed=1)  # what `stylebridge add-style` does
        names = [s["name"] for s in client.list_styles(path="network", model="growing")]
        assert names == ["ink", "fresh"]
        out, _ = client.stylize(data, fmt, {}, model="growing", style_names={"fresh": 1.0})
        assert len(out) == len(data)
        shown = [m["name"] for m in client.status()["models"]]
    assert shown.count("network growing on cpu") == 1  # the stale entry was dropped


@pytest.mark.parametrize(("width", "height"), [(1, 1), (3, 2), (1, 64), (700, 2), (2, 3000)])
@pytest.mark.parametrize("stroke", [1.0, 0.0])
def test_tiny_and_thin_layers_run_on_the_network_path(
    models: tuple[DaemonProcess, Path], width: int, height: int, stroke: float
) -> None:
    daemon, _ = models
    data, fmt = rgba(width, height)
    with daemon.client(timeout_s=30.0) as client:
        out, out_fmt = client.stylize(
            data, fmt, {"stroke": stroke}, model="tiny", style_names={"fire": 1.0}
        )
    assert len(out) == len(data) and (out_fmt["width"], out_fmt["height"]) == (width, height)


def test_a_network_job_reports_real_progress_before_its_result(
    models: tuple[DaemonProcess, Path],
) -> None:
    daemon, _ = models
    data, fmt = rgba(1024, 1024)  # an untiled full-size pass of about a second here
    reports: list[JobProgress] = []
    with daemon.client(timeout_s=30.0) as client:
        client.stylize(
            data, fmt, {"stroke": 0.0, "tile_px": 0}, model="tiny", style_names={"ink": 1.0},
            on_progress=reports.append,
        )  # fmt: skip
    running = [p for p in reports if p.state == wire.STATE_RUNNING]
    assert any(0 < p.step < p.total for p in running), reports  # during the pass, not only after
    assert running[-1].step == running[-1].total > 1
    steps = [p.step for p in running if p.total > 0]
    assert steps == sorted(steps)
