"""Where docs/protocol.md and the daemon used to disagree: each rule as the document states it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import zmq
from stylebridge.cli.main import main
from stylebridge.client import DaemonError, JobProgress
from stylebridge.core.optimize import scale_plan
from stylebridge.core.optimize_presets import preset_values
from stylebridge.service import protocol as wire
from stylebridge.service.protocol import is_private_dir

from .conftest import DaemonProcess
from .test_ops import RGBA8, raw_request

pytestmark = pytest.mark.timeout(180)


def only_event(daemon: DaemonProcess, header: dict[str, Any], frames: list[bytes]) -> Any:
    events = raw_request(daemon, [wire.pack(header), *frames], timeout_s=30.0)
    assert len(events) == 1, events
    return events[0][0]


def photo(side_px: int = 32) -> tuple[bytes, dict[str, Any]]:
    data = np.random.default_rng(2).integers(0, 256, (side_px, side_px, 4), np.uint8)
    return data.tobytes(), {**RGBA8, "width": side_px, "height": side_px}


def test_versions_are_integers_and_hello_answers_with_one(daemon: DaemonProcess) -> None:
    hello = only_event(daemon, wire.request(wire.OP_HELLO, "h", versions=[1.0]), [])
    assert hello["error"]["code"] == "unsupported_version"
    ping = only_event(daemon, {"op": "ping", "id": "p", "v": 1.0}, [])
    assert ping["error"]["code"] == "unsupported_version"
    reply = only_event(daemon, wire.request(wire.OP_HELLO, "h", versions=[1]), [])
    assert reply["version"] == 1 and isinstance(reply["version"], int)


def test_an_id_out_of_range_is_named_as_such(daemon: DaemonProcess) -> None:
    error = only_event(daemon, {"op": "ping", "id": 2**63}, [])["error"]
    assert error["code"] == "bad_request" and "integer in -2**63 .. 2**63-1" in error["message"]


def test_error_messages_never_echo_a_huge_request(daemon: DaemonProcess) -> None:
    error = only_event(daemon, {"op": "x" * 500_000, "id": "big"}, [])["error"]
    assert error["code"] == "unknown_op" and len(error["message"]) < 1100
    params = {"preserve_color": "y" * 500_000}
    header = wire.request(wire.OP_STYLIZE, "s", path="network", image=dict(RGBA8), params=params)
    error = only_event(daemon, header, [bytes(128)])["error"]
    assert error["code"] == "bad_parameter" and len(error["message"]) < 1100


def test_the_daemons_own_parameters_are_not_offered(daemon: DaemonProcess) -> None:
    header = wire.request(
        wire.OP_STYLIZE, "s", path="optimize", image=dict(RGBA8), params={"teleport": 1},
        styles=[{"name": "starry-night"}],
    )  # fmt: skip
    error = only_event(daemon, header, [bytes(128)])["error"]
    assert error["code"] == "bad_parameter" and "device" not in error["message"]
    with daemon.client() as client:
        specs = {s["name"]: s for s in client.list_methods()["paths"]["optimize"]["parameters"]}
    assert "the path of an image" not in specs["init"]["help"]
    assert "no image paths" in specs["init"]["help"]


def test_missing_torchvision_weights_are_refused_before_accepted(daemon: DaemonProcess) -> None:
    header = wire.request(
        wire.OP_STYLIZE, "s", path="optimize", image=dict(RGBA8), params={"vgg": "torchvision"},
        styles=[{"name": "starry-night"}],
    )  # fmt: skip
    error = only_event(daemon, header, [bytes(128)])["error"]
    assert error["code"] == "bad_parameter" and "never downloads" in error["message"]
    assert str(daemon.home) not in error["message"]


def test_preview_true_alone_sends_previews(daemon: DaemonProcess) -> None:
    data, fmt = photo()
    reports: list[JobProgress] = []
    params = {"steps": 6, "size": 32, "optimizer": "adam"}
    with daemon.client(timeout_s=60.0) as client:
        client.stylize(
            data, fmt, params, path="optimize", style_names={"starry-night": 1.0}, preview=True,
            on_progress=reports.append,
        )  # fmt: skip
    assert any(r.preview is not None for r in reports)


def test_a_preset_sets_the_steps_of_a_daemon_job(daemon: DaemonProcess) -> None:
    data, fmt = photo(400)  # larger than the preset's size: the plan is the preset's own
    # starry-night is one of the network's styles, so init "auto" refines its result: the
    # preset's one-scale refining values.
    preset = preset_values("draft", "cpu", "network")
    steps, size, scales = (int(str(preset[k])) for k in ("steps", "size", "scales"))
    expected = sum(n for _, _, n in scale_plan(400, 400, size, scales, steps))
    totals: list[int] = []

    def seen(report: JobProgress) -> None:
        if report.total:
            totals.append(report.total)

    with daemon.client(timeout_s=60.0) as client, pytest.raises(DaemonError) as info:
        client.stylize(
            data, fmt, {"preset": "draft"}, path="optimize", style_names={"starry-night": 1.0},
            on_progress=seen, should_cancel=lambda: bool(totals),
        )  # fmt: skip
    assert info.value.code == "cancelled" and totals[0] == expected != 300


def test_daemon_help_lists_benchmark_ops(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["daemon", "--help"])
    assert "--benchmark-ops" in capsys.readouterr().out


def test_without_a_runtime_folder_the_endpoint_is_in_the_cache_and_nothing_warns(
    tmp_path: Path,
) -> None:
    uid = os.geteuid()
    if any(is_private_dir(Path(p)) for p in (f"/run/user/{uid}", f"/tmp/runtime-{uid}")):
        pytest.skip("this machine has a private runtime folder")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "STYLEBRIDGE_"))}
    code = (
        "from stylebridge.config import paths; run = paths().runtime_dir; "  # first, as the daemon
        "from stylebridge.client import default_endpoint; print(default_endpoint()); print(run)"
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], env={**env, "HOME": str(tmp_path)},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0 and not done.stderr, done.stderr
    expected = tmp_path / ".cache" / "stylebridge" / "run"
    assert done.stdout.split() == [f"ipc://{expected / 'daemon.sock'}", str(expected)]


def events_until(sock: zmq.Socket, done: Any, timeout_s: float = 60.0) -> list[dict[str, Any]]:
    """Headers received on `sock` until `done(header)` is true for one of them."""
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout_s
    while not seen or not done(seen[-1]):
        assert sock.poll(max(1, int((deadline - time.monotonic()) * 1000))), seen
        seen.append(wire.unpack(sock.recv_multipart()[0]))
    return seen


def test_position_counts_the_round_robin_between_clients(daemon: DaemonProcess) -> None:
    first, second = daemon.dealer(), daemon.dealer()
    echo = wire.request(wire.OP_STYLIZE, "", path="echo", image=dict(RGBA8))
    try:
        params = {"steps": 10000, "size": 48, "optimizer": "adam"}
        long = {**echo, "id": "long", "path": "optimize", "params": params}
        first.send_multipart(
            [wire.pack({**long, "styles": [{"name": "starry-night"}]}), bytes(128)]
        )
        running = events_until(first, lambda h: h.get("state") == wire.STATE_RUNNING)
        job = running[0]["job"]
        positions = {}
        for sock, request_id in ((first, "a1"), (first, "a2"), (second, "b1")):
            sock.send_multipart([wire.pack({**echo, "id": request_id}), bytes(128)])
            accepted = events_until(sock, lambda h: h["event"] == wire.EVENT_ACCEPTED)[-1]
            positions[request_id] = accepted["position"]
        # The worker serves a1, then b1 (the second client's turn), then a2.
        assert positions == {"a1": 0, "a2": 1, "b1": 1}
        first.send_multipart([wire.pack(wire.request(wire.OP_CANCEL, "c", job=job))])
        events_until(first, lambda h: h["id"] == "a2" and h["event"] == wire.EVENT_RESULT)
        events_until(second, lambda h: h["event"] == wire.EVENT_RESULT)
    finally:
        first.close()
        second.close()


def test_job_errors_name_no_server_folders(
    daemon: DaemonProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch
    from stylebridge.config import paths
    from stylebridge.core.vgg_weights import TORCHVISION_WEIGHTS_FILE

    monkeypatch.setenv("STYLEBRIDGE_HOME", str(daemon.home))
    weights = paths().weights_cache_dir / TORCHVISION_WEIGHTS_FILE
    weights.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"features.0.weight": torch.zeros(1)}, weights)  # not VGG-19: fails at job time
    data, fmt = photo()
    try:
        with daemon.client(timeout_s=60.0) as client, pytest.raises(DaemonError) as info:
            params = {"vgg": "torchvision", "steps": 1, "size": 32}
            client.stylize(data, fmt, params, path="optimize", style_names={"starry-night": 1.0})
    finally:
        weights.unlink()
    assert info.value.code == "bad_parameter", info.value.message
    assert str(daemon.home) not in info.value.message
    assert f"<cache>/weights/{TORCHVISION_WEIGHTS_FILE}" in info.value.message
