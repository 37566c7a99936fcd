"""A frame over the daemon's max_message_bytes is refused by the client before it is sent, with a
message a painter can read; ZeroMQ would drop it with the connection and nothing would answer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from stylebridge.client import DaemonError

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
