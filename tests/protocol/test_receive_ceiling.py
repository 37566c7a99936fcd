"""Nothing silent above the receive ceiling (#13): the daemon announces the ceiling its ZeroMQ
socket drops larger frames at, the client refuses such frames before sending, and a client that
sent one anyway is told within its timeout what probably happened."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from stylebridge.client import Client, DaemonError, DaemonUnavailable
from stylebridge.service import protocol as wire

from .conftest import DaemonProcess, start_daemon

pytestmark = pytest.mark.timeout(300)

SIDE_PX = 64
MESSAGE_BYTES = 1_000_000
# max(max_message_bytes, max_header_bytes 1 MiB, 64 x 64 px x 4 channels x 4 bytes)
CEILING_BYTES = 1024**2


@pytest.fixture(scope="module")
def small_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonProcess]:
    home = tmp_path_factory.mktemp("ceiling") / "home"
    home.mkdir()
    env = {
        "STYLEBRIDGE_MAX_SIDE_PX": str(SIDE_PX),
        "STYLEBRIDGE_MAX_MESSAGE_BYTES": str(MESSAGE_BYTES),
    }
    running = start_daemon(home, None, "--benchmark-ops", env=env)
    yield running
    running.stop()


class UncheckedClient(Client):
    """A client that reads the daemon's limits but sends whatever it is given (as an older or
    third-party client would)."""

    def _check_sizes(self, frames: Sequence[Any], has_mask: bool) -> None:
        self.limits()


def tall(height_px: int) -> tuple[bytes, dict[str, Any]]:
    """An RGB uint8 layer 60 px wide: height_px x 180 bytes (the descriptor itself is refused
    only after the frame sizes are checked)."""
    fmt = {"width": 60, "height": height_px, "channels": "RGB", "dtype": "uint8"}
    return bytes(60 * height_px * 3), fmt


def test_hello_announces_the_receive_ceiling_beside_max_message_bytes(
    small_daemon: DaemonProcess,
) -> None:
    with small_daemon.client() as client:
        limits = client.hello()["limits"]
    assert limits["max_message_bytes"] == MESSAGE_BYTES
    assert limits["receive_ceiling_bytes"] == CEILING_BYTES


def test_the_default_ceiling_is_the_largest_packed_layer(tmp_path: Any) -> None:
    home = tmp_path / "home"
    home.mkdir()
    running = start_daemon(home)
    try:
        with running.client() as client:
            limits = client.hello()["limits"]
    finally:
        running.stop()
    assert limits["receive_ceiling_bytes"] == 16384**2 * 4 * 4  # 4 GiB
    assert limits["receive_ceiling_bytes"] >= limits["max_message_bytes"]


def test_the_client_refuses_before_sending_naming_both_sizes(small_daemon: DaemonProcess) -> None:
    data, fmt = tall(7000)  # 1.2 MB: over the limit and over the ceiling
    with small_daemon.client(timeout_s=10.0) as client, pytest.raises(DaemonError) as info:
        client.stylize(data, fmt, {}, path="echo")
    assert info.value.code == "too_large"
    assert "layer too large: 1.20 MB, limit 0.95 MB" in info.value.message


def test_a_client_that_sends_over_the_ceiling_is_told_why_within_its_timeout(
    small_daemon: DaemonProcess,
) -> None:
    data, fmt = tall(7000)
    timeout_s = 5.0
    client = UncheckedClient(
        small_daemon.endpoint, timeout_s=timeout_s, tries=1, keys_dir=small_daemon.keys_dir
    )
    with client, pytest.raises(DaemonUnavailable) as info:
        started = time.monotonic()
        client.stylize(data, fmt, {}, path="echo")
    waited_s = time.monotonic() - started
    print(f"waited {waited_s:.1f} s for an answer that ZeroMQ had dropped")
    assert timeout_s <= waited_s < timeout_s + 30  # not forever, margin for a loaded machine
    message = str(info.value)
    assert "frame of 1.20 MB is over its receive ceiling (1.00 MB)" in message
    with small_daemon.client() as alive:
        assert alive.ping()


def test_a_frame_between_the_limit_and_the_ceiling_is_answered_not_dropped(
    small_daemon: DaemonProcess,
) -> None:
    data, fmt = tall(5800)  # 1,044,000 bytes: over max_message_bytes, under the ceiling
    client = UncheckedClient(
        small_daemon.endpoint, timeout_s=30.0, tries=1, keys_dir=small_daemon.keys_dir
    )
    with client, pytest.raises(DaemonError) as info:
        client.stylize(data, fmt, {}, path="echo")
    assert info.value.code == "too_large"
    assert "layer too large: 1.00 MB, limit 0.95 MB" in info.value.message


def test_a_ceiling_below_max_message_bytes_is_the_limit_the_client_keeps() -> None:
    # Our daemon's ceiling is never below max_message_bytes; another daemon's may be.
    with pytest.raises(wire.ProtocolError) as info:
        wire.check_frame_sizes([("layer", 3 * 1024**2)], 8 * 1024**2, 2 * 1024**2)
    assert "layer too large: 3.00 MB, limit 2.00 MB" in info.value.message
    assert "receive ceiling" in info.value.message
    wire.check_frame_sizes([("layer", 3 * 1024**2)], 8 * 1024**2, None)
