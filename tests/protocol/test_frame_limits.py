"""A frame over the daemon's max_message_bytes is refused with a message a painter can read: by
the client before it is sent, and by the daemon when a peer sends it anyway."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from stylebridge.client import DaemonError
from stylebridge.service import protocol as wire

from .conftest import DaemonProcess, start_daemon

pytestmark = pytest.mark.timeout(120)

LIMIT_BYTES = 2 * 1024**2


@pytest.fixture(scope="module")
def small_limit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonProcess]:
    home = tmp_path_factory.mktemp("frames") / "home"
    home.mkdir()
    env = {"STYLEBRIDGE_MAX_MESSAGE_BYTES": str(LIMIT_BYTES)}
    running = start_daemon(home, None, "--benchmark-ops", env=env)
    yield running
    running.stop()


def rgba(side_px: int) -> tuple[bytes, dict[str, object]]:
    fmt = {"width": side_px, "height": side_px, "channels": "RGBA", "dtype": "uint8"}
    return bytes(side_px * side_px * 4), fmt


def test_a_layer_over_the_limit_is_a_readable_error_not_silence(small_limit: DaemonProcess) -> None:
    data, fmt = rgba(1024)  # 4 MiB
    with small_limit.client(timeout_s=10.0) as client:
        with pytest.raises(DaemonError) as info:
            client.stylize(data, fmt, {}, path="echo")
        assert info.value.code == "too_large"
        assert "layer too large: 4.00 MB, limit 2.00 MB" in info.value.message
        small, small_fmt = rgba(600)  # 1.4 MiB: under the limit, sent and answered
        assert client.stylize(small, small_fmt, {}, path="echo")[0] == small


def test_a_selection_over_the_limit_is_named(small_limit: DaemonProcess) -> None:
    data, fmt = rgba(600)  # the layer fits; the (wrongly sized) selection does not
    with small_limit.client() as client, pytest.raises(DaemonError) as info:
        client.stylize(data, fmt, {}, mask=bytes(3 * 1024**2), path="echo")
    assert info.value.code == "too_large" and "selection too large: 3.00 MB" in info.value.message


def test_a_peer_that_skips_the_check_is_answered_too_large_and_its_frame_freed(
    small_limit: DaemonProcess,
) -> None:
    data, fmt = rgba(4096)  # 64 MiB, 32 times the limit
    header = wire.request(wire.OP_STYLIZE, "big", path="echo", image=fmt)
    raw = small_limit.dealer()
    try:
        before = small_limit.memory_bytes("VmHWM"), small_limit.memory_bytes("VmRSS")
        raw.send_multipart([wire.pack(header), data])
        assert raw.poll(60_000), "no answer: the frame was dropped unread"
        event = wire.unpack(raw.recv_multipart()[0])
    finally:
        raw.close()
    assert event["id"] == "big" and event["event"] == "error", event
    assert event["error"]["code"] == "too_large"
    assert event["error"]["message"].startswith("layer too large: 64 MB, limit 2.00 MB")
    peak_growth = small_limit.memory_bytes("VmHWM") - before[0]
    with small_limit.client() as client:  # alive, and the frame is gone
        assert client.ping()
    kept = small_limit.memory_bytes("VmRSS") - before[1]
    print(f"64 MiB frame: peak RSS +{peak_growth / 2**20:.0f} MiB, kept +{kept / 2**20:.0f} MiB")
    assert peak_growth < 64 * 2**20 + 48 * 2**20  # received once, never copied
    assert kept < 16 * 2**20
