"""Jobs on a real daemon: concurrent clients, fairness of delivery, progress, cancel, vanishing."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pytest
from stylebridge.client import Client, DaemonError, JobProgress
from stylebridge.core import pixels
from stylebridge.core.images import load_image, resize
from stylebridge.core.optimize import OptimizeParams, stylize_optimize
from stylebridge.core.style_library import list_styles
from stylebridge.pixel_layout import layout_from_wire
from stylebridge.service import protocol as wire

from .conftest import DaemonProcess, run_concurrent_clients

pytestmark = pytest.mark.timeout(150)

# init "content": the reference below is the core alone, without the network start "auto" takes.
QUICK = {"steps": 2, "size": 32, "optimizer": "adam", "init": "content"}
LONG = {"steps": 10000, "size": 48, "optimizer": "adam"}
STYLE = {"starry-night": 1.0}


def image(seed: int, size_px: int = 32) -> tuple[bytes, dict[str, Any]]:
    rgba = np.random.default_rng(seed).integers(0, 256, (size_px, size_px, 4), dtype=np.uint8)
    fmt = {"width": size_px, "height": size_px, "channels": "RGBA", "dtype": "uint8"}
    return rgba.tobytes(), fmt


def reference(data: bytes, fmt: dict[str, Any], params: dict[str, Any]) -> np.ndarray:
    """What the daemon should answer, computed in this process with the core."""
    layout = layout_from_wire(fmt)
    source = pixels.decode(data, layout)
    style = load_image(list_styles()["starry-night"], long_side_px=1024)
    values = OptimizeParams.from_values({**params, "device": "cpu"})
    result = stylize_optimize(source.rgb, [style], values, [1.0])
    rgb = resize(result, (layout.height, layout.width)).clamp(0, 1)
    return np.frombuffer(pixels.encode(rgb, source.alpha, layout), np.uint8)


def test_eight_clients_get_their_own_correct_results(daemon: DaemonProcess) -> None:
    def stylize_one(client: Client, index: int, n: int) -> bytes:
        data, fmt = image(100 * index + n)
        out, out_fmt = client.stylize(data, fmt, QUICK, path="optimize", style_names=STYLE)
        assert out_fmt["width"] == 32 and out_fmt["channels"] == "RGBA"
        return out

    results = run_concurrent_clients(daemon, clients=8, jobs=3, job=stylize_one, timeout_s=60)
    for (index, job), out in results.items():
        data, fmt = image(100 * index + job)
        expected = reference(data, fmt, QUICK)
        got = np.frombuffer(out, np.uint8)
        assert np.abs(got.astype(int) - expected.astype(int)).max() <= 2, (index, job)
        # alpha is the source's, untouched: the result belongs to this client's image
        np.testing.assert_array_equal(got[3::4], np.frombuffer(data, np.uint8)[3::4])


def test_progress_arrives_at_least_every_half_second_and_cancel_stops_the_job(
    daemon: DaemonProcess,
) -> None:
    data, fmt = image(7, 48)
    arrivals: list[float] = []
    reports: list[JobProgress] = []

    def on_progress(report: JobProgress) -> None:
        arrivals.append(time.monotonic())
        reports.append(report)

    started = time.monotonic()
    with daemon.client(timeout_s=5) as client, pytest.raises(DaemonError) as info:
        client.stylize(
            data,
            fmt,
            LONG,
            path="optimize",
            style_names=STYLE,
            on_progress=on_progress,
            should_cancel=lambda: len(reports) >= 8 and reports[-1].step > 0,
        )
    assert info.value.code == "cancelled"
    assert time.monotonic() - arrivals[-1] < 5  # stopped at the next step, not after 10,000
    gaps = np.diff([started, *arrivals])
    # A 0.5 s heartbeat; the slack is for a loaded 2-core machine shared with other processes.
    assert len(arrivals) >= 5 and np.median(gaps[1:]) <= 0.6 and gaps[1:].max() < 2.0
    assert reports[-1].total == 10000 and 0 < reports[-1].step < 10000
    with daemon.client() as client:
        status = client.status()
    assert status["jobs"] == []
    assert any("vgg19" in model["name"] and model["size_mb"] > 50 for model in status["models"])


def test_jobs_of_a_vanished_client_are_cancelled(daemon: DaemonProcess) -> None:
    data, fmt = image(8, 48)
    header = wire.request(
        wire.OP_STYLIZE, "gone", path="optimize", image=fmt, params=LONG,
        styles=[{"name": "starry-night"}],
    )  # fmt: skip
    gone = daemon.dealer()
    gone.send_multipart([wire.pack(header), data])
    assert gone.poll(10_000)
    assert wire.unpack(gone.recv_multipart()[0])["event"] == wire.EVENT_ACCEPTED
    with daemon.client() as observer:
        deadline = time.monotonic() + 30
        while observer.status()["running"] == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert observer.status()["running"] == 1
        gone.close(linger=0)  # the client vanishes without cancelling
        deadline = time.monotonic() + 10
        while observer.status()["jobs"] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert observer.status()["jobs"] == []
