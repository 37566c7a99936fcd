"""The network path's `shot` on a real daemon (#17): frames of one shot replay the first frame's
instance statistics (as the in-process core does with recorded statistics), so a pan flickers
less than frames sent alone; shots are per client, bound to their settings, bounded in number,
and a bad id is refused before `accepted`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from stylebridge.client import Client, DaemonError
from stylebridge.core import pixels
from stylebridge.core.cin import NormStats
from stylebridge.core.feedforward import prepare_network, stylize_network
from stylebridge.core.images import load_image
from stylebridge.core.model_file import load_model
from stylebridge.core.network_params import NETWORK_PARAMETERS
from stylebridge.core.temporal_flicker import flicker
from stylebridge.editor import session
from stylebridge.editor.frame_loop import in_one_shot, stylize_frames
from stylebridge.editor.request_params import DialogValues, stylize_request
from stylebridge.pixel_layout import result_layout
from stylebridge.service import protocol as wire
from stylebridge.service.catalog import model_path
from stylebridge.service.shots import (
    MAX_SHOTS,
    MAX_SHOTS_PER_CLIENT,
    SHOT_ID_MAX_CHARS,
    SHOT_PARAMETER,
)
from stylebridge.shot_params import AFTER_THE_NETWORK

from .conftest import DaemonProcess, start_daemon
from .test_ops import raw_request

pytestmark = pytest.mark.timeout(300)

PHOTO = Path(__file__).parents[2] / "daemon/stylebridge/data/samples/washington-monument.jpg"
HEIGHT, WIDTH, COUNT, STEP_PX = 96, 128, 8, 4
MARGIN_PX = 16  # the network's borders see padding, not the scene: judged apart
STYLE = "udnie"
PARAMS: dict[str, Any] = {"stroke": 0.0}  # the network at the frame's own size: quick on a CPU


@pytest.fixture(scope="module")
def shots_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonProcess]:
    home = tmp_path_factory.mktemp("shots") / "home"
    home.mkdir()
    running = start_daemon(home)
    yield running
    running.stop()


def pan() -> list[torch.Tensor]:
    """COUNT frames of a camera moving right by STEP_PX a frame, (1, 3, H, W) in [0, 1]."""
    scene = load_image(PHOTO, long_side_px=400)
    return [scene[..., 40 : 40 + HEIGHT, i * STEP_PX : i * STEP_PX + WIDTH] for i in range(COUNT)]


def rgb8(frame: torch.Tensor) -> tuple[bytes, dict[str, Any]]:
    array = (frame[0].permute(1, 2, 0).numpy() * 255).round().astype(np.uint8)
    height, width = array.shape[:2]
    fmt = {"width": width, "height": height, "channels": "RGB", "dtype": "uint8"}
    return array.tobytes(), {**fmt, "stride": width * 3}


def decoded(data: bytes, fmt: dict[str, Any]) -> torch.Tensor:
    return pixels.decode(data, result_layout(fmt)).rgb


def send(client: Client, frame: torch.Tensor, shot: str = "", **params: Any) -> torch.Tensor:
    data, fmt = rgb8(frame)
    values = {**PARAMS, **params, **({"shot": shot} if shot else {})}
    result, _ = client.stylize(data, fmt, values, style_names={STYLE: 1.0})
    return decoded(result, fmt)


def in_process(frames: list[torch.Tensor]) -> list[torch.Tensor]:
    """The core with the first frame's statistics recorded and replayed for every frame, at the
    daemon's pixel round trip (uint8 in and out)."""
    loaded = load_model(model_path("default"))
    network = prepare_network(loaded.network, "cpu")  # as the daemon does
    weights = torch.zeros(len(loaded.metadata.style_names))
    weights[list(loaded.metadata.style_names).index(STYLE)] = 1.0
    recording = NormStats(mode="record")
    out = []
    for frame in frames:
        data, fmt = rgb8(frame)
        stats = recording if not recording.values else recording.replay()
        result = stylize_network(network, decoded(data, fmt), weights, stats=stats, **PARAMS)
        out.append(decoded(*rgb8(result.clamp(0, 1))))
    return out


def same_but_noise(a: torch.Tensor, b: torch.Tensor) -> bool:
    """Equal up to the noise of fused and unfused normalisation (bfloat16 on some CPUs)."""
    return float((a - b).abs().mean()) < 1 / 255


def differ(a: torch.Tensor, b: torch.Tensor) -> bool:
    return float((a - b).abs().mean()) > 2 / 255


def inside(frames: list[torch.Tensor]) -> list[torch.Tensor]:
    return [f[..., MARGIN_PX:-MARGIN_PX, MARGIN_PX:-MARGIN_PX] for f in frames]


@pytest.fixture(scope="module")
def pan_results(shots_daemon: DaemonProcess) -> dict[str, list[torch.Tensor]]:
    """The pan through the daemon alone and as one shot, and in process as one shot."""
    frames = pan()
    with shots_daemon.client(timeout_s=60) as client:
        alone = [send(client, frame) for frame in frames]
        shot = [send(client, frame, shot="pan-1") for frame in frames]
    return {"alone": alone, "shot": shot, "in_process": in_process(frames)}


def test_frames_of_a_shot_equal_the_core_with_the_first_frames_statistics(
    pan_results: dict[str, list[torch.Tensor]],
) -> None:
    for daemon, core in zip(pan_results["shot"], pan_results["in_process"], strict=True):
        assert (daemon - core).abs().max() <= 1.5 / 255  # uint8 rounding at most
    shot, alone = pan_results["shot"], pan_results["alone"]
    assert same_but_noise(shot[0], alone[0])  # the first frame ran with its own statistics
    assert all(differ(s, a) for s, a in zip(shot[1:], alone[1:], strict=True))


def test_a_shot_flickers_less_than_frames_sent_alone(
    pan_results: dict[str, list[torch.Tensor]],
) -> None:
    shifts = [(0, -STEP_PX)] * (COUNT - 1)
    alone, shot = pan_results["alone"], pan_results["shot"]
    assert flicker(shot, shifts) < flicker(alone, shifts)
    assert flicker(inside(shot), shifts) <= 0.5 * flicker(inside(alone), shifts)


def test_another_clients_same_shot_id_records_its_own(shots_daemon: DaemonProcess) -> None:
    first, other = pan()[0], torch.flip(pan()[-1], dims=(-1,))
    with shots_daemon.client(timeout_s=60) as a, shots_daemon.client(timeout_s=60) as b:
        send(a, first, shot="same")
        a_replayed = send(a, other, shot="same")  # with the first frame's statistics
        b_own = send(b, other, shot="same")  # b's first frame of its own shot "same"
        alone = send(b, other)
    assert same_but_noise(b_own, alone) and differ(b_own, a_replayed)


def test_oldest_shot_of_a_client_is_dropped(shots_daemon: DaemonProcess) -> None:
    first, other = pan()[0], torch.flip(pan()[-1], dims=(-1,))
    with shots_daemon.client(timeout_s=60) as client:
        for n in range(MAX_SHOTS_PER_CLIENT + 1):
            send(client, first, shot=f"s{n}")
        kept = send(client, other, shot=f"s{MAX_SHOTS_PER_CLIENT}")
        dropped = send(client, other, shot="s0")  # forgotten: records `other` as its first
        alone = send(client, other)
    assert same_but_noise(dropped, alone) and differ(kept, alone)


def only_event(daemon: DaemonProcess, params: dict[str, Any], frame: torch.Tensor) -> Any:
    data, fmt = rgb8(frame)
    styles = [{"name": STYLE}]
    header = wire.request(
        wire.OP_STYLIZE, "s", path="network", image=fmt, params=params, styles=styles
    )
    events = raw_request(daemon, [wire.pack(header), data], timeout_s=60.0)
    assert len(events) == 1, [e[0] for e in events]  # no `accepted` before it
    return events[0][0]


@pytest.mark.parametrize("shot", ["two words", "x" * 65, "é", 7, "../up"])
def test_a_bad_shot_id_is_refused_before_accepted(shots_daemon: DaemonProcess, shot: Any) -> None:
    error = only_event(shots_daemon, {"shot": shot}, pan()[0][..., :16, :16])["error"]
    assert error["code"] == "bad_parameter" and "shot" in error["message"]


def test_a_shot_keeps_its_settings(shots_daemon: DaemonProcess) -> None:
    small = pan()[0][..., :16, :16]
    with shots_daemon.client(timeout_s=60) as client:
        send(client, small, shot="kept")
        with pytest.raises(DaemonError) as info:
            send(client, small, shot="kept", stroke=0.5)
        assert info.value.code == "bad_parameter" and "new shot id" in info.value.message
        send(client, small, shot="kept", strength=0.5)  # applied after the network: allowed


def test_the_schema_declares_shot_as_a_string(shots_daemon: DaemonProcess) -> None:
    with shots_daemon.client() as client:
        specs = client.list_methods()["paths"]["network"]["parameters"]
    shot = next(spec for spec in specs if spec["name"] == "shot")
    assert shot["kind"] == "string" and shot["default"] == ""


def editor_frames(daemon: DaemonProcess, as_one_shot: bool) -> list[torch.Tensor]:
    """The pan through the editors' shared frame loop (frame_loop.py, session.py), as Krita's
    and GIMP's frames commands send it."""
    frames, done = pan(), []
    with daemon.client(timeout_s=60) as client:
        model = session.load_dialog_model(client, "default")
        values = DialogValues("network", ((STYLE, 1.0),), options=dict(PARAMS), preset="full")
        request = stylize_request(values, model, WIDTH)
        request = in_one_shot(request, model) if as_one_shot else request

        def one(index: int, report: Any) -> None:
            data, fmt = rgb8(frames[index])
            job = session.StylizeJob(data, fmt, None, request)
            done.append(decoded(session.stylize(client, job)[0], fmt))

        assert stylize_frames(COUNT, one, lambda fraction, text: None) == COUNT
    return done


def test_the_editors_frame_loop_sends_its_frames_as_one_shot(shots_daemon: DaemonProcess) -> None:
    shifts = [(0, -STEP_PX)] * (COUNT - 1)
    alone, shot = editor_frames(shots_daemon, False), editor_frames(shots_daemon, True)
    assert flicker(inside(shot), shifts) <= 0.5 * flicker(inside(alone), shifts)


def test_the_protocol_document_states_the_daemons_shot_rules() -> None:
    text = (Path(__file__).parents[2] / "docs/protocol.md").read_text()
    network = text.split("- Network path:")[1].split("- Optimize path:")[0]
    assert all(f"`{spec.name}`" in network for spec in NETWORK_PARAMETERS)
    section = text.split("#### Shots (network path)")[1].split("Events, all with")[0]
    rules = " ".join(section.split())
    assert f"of 1 to {SHOT_ID_MAX_CHARS} characters from `A-Z a-z 0-9 . _ : -`" in rules
    assert f"{MAX_SHOTS_PER_CLIENT} shots a client and {MAX_SHOTS} in all" in rules
    assert all(f"`{name}`" in rules for name in AFTER_THE_NETWORK if name != SHOT_PARAMETER)
