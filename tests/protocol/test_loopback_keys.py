"""A daemon on loopback TCP (which every local user can reach) speaks CURVE with keys it made for
its own user: that user's clients (the CLI, the vendored editor client) find them by themselves;
a client without them, with other keys, or as another local user gets no answer."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import zmq
from stylebridge.cli.main import main
from stylebridge.client import Client, DaemonUnavailable
from stylebridge.service import loopback_keys
from stylebridge.service import protocol as wire
from stylebridge_installer.bundle import assemble_plugin

from .conftest import DaemonProcess, dealer, free_port, start_daemon

pytestmark = pytest.mark.timeout(240)

KEY_FILES = ("server.public", "server.secret", "client.public", "client.secret")


@pytest.fixture(scope="module")
def tcp_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonProcess]:
    home = tmp_path_factory.mktemp("loopback") / "home"
    home.mkdir()
    running = start_daemon(home)  # tcp://127.0.0.1:<free port>, no --curve-keys
    yield running
    running.stop()


def answered(sock: zmq.Socket, timeout_s: float = 3.0) -> bool:
    """Send a ping on a raw socket: True when the daemon answers within `timeout_s`."""
    sock.send(wire.pack(wire.request(wire.OP_PING, "p")))
    try:
        return bool(sock.poll(int(timeout_s * 1000)))
    finally:
        sock.close()


def test_the_daemon_made_private_keys_and_serves_only_clients_holding_them(
    tcp_daemon: DaemonProcess, tmp_path: Path
) -> None:
    folder = tcp_daemon.keys_dir
    assert folder.stat().st_mode & 0o777 == 0o700
    for name in KEY_FILES:
        assert (folder / name).stat().st_mode & 0o777 == 0o600, name
    with tcp_daemon.client() as client:
        assert client.ping()
    assert answered(tcp_daemon.dealer(), timeout_s=30.0)  # a margin for a loaded machine
    assert not answered(dealer(tcp_daemon.endpoint))  # no CURVE at all
    other = tmp_path / "other-keys"  # a key pair the daemon did not authorize
    other.mkdir(mode=0o700)
    (other / "server.public").write_bytes((folder / "server.public").read_bytes())  # it leaked
    for role, key in zip(("client.public", "client.secret"), zmq.curve_keypair(), strict=True):
        (other / role).write_bytes(key)
        (other / role).chmod(0o600)
    (other / "server.public").chmod(0o600)
    assert not answered(dealer(tcp_daemon.endpoint, other))
    empty = tmp_path / "no-keys"
    keyless = Client(tcp_daemon.endpoint, 1.0, 1, keys_dir=empty)
    with keyless, pytest.raises(DaemonUnavailable) as info:
        keyless.ping()
    assert f"no CURVE keys in {empty}" in str(info.value)


def test_the_cli_and_the_vendored_editor_client_find_the_keys_themselves(
    tcp_daemon: DaemonProcess,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("STYLEBRIDGE_HOME", str(tcp_daemon.home))  # the daemon's user, as it were
    assert main(["status", "--endpoint", tcp_daemon.endpoint, "--timeout", "10"]) == 0
    assert "running, pid" in capsys.readouterr().out
    # The copy the installer puts into a plugin, run by another Python without platformdirs.
    assemble_plugin("gimp", tmp_path)
    vendor = tmp_path / "stylebridge" / "vendor"
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(vendor)!r}); sys.modules['platformdirs'] = None\n"
        "from stylebridge.client import Client\n"
        f"print(Client({tcp_daemon.endpoint!r}, timeout_s=10, tries=1).ping())\n"
    )
    env = {**os.environ, "STYLEBRIDGE_HOME": str(tcp_daemon.home)}
    result = subprocess.run(
        [editor_python(), "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip() == "True", result.stderr


def editor_python() -> str:
    """The system Python (as an editor's would be) when it has pyzmq and msgpack, else ours."""
    system = shutil.which("python3", path="/usr/bin:/bin")
    if system:
        probe = subprocess.run([system, "-c", "import zmq, msgpack"], capture_output=True)
        if probe.returncode == 0:
            return system
    return sys.executable


def test_key_files_others_could_read_are_refused_by_client_and_daemon(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    daemon = start_daemon(home)
    try:
        secret = daemon.keys_dir / "client.secret"
        secret.chmod(0o640)
        with pytest.raises(PermissionError, match=r"client\.secret: it must belong to this user"):
            daemon.client()
        secret.chmod(0o600)
        with daemon.client() as client:
            client.shutdown()
        daemon.process.wait(60)
    finally:
        daemon.stop()
    (daemon.keys_dir / "server.secret").chmod(0o644)
    with pytest.raises(RuntimeError, match=r"server\.secret: it must belong to this user"):
        start_daemon(home, daemon.endpoint)


# Run as another local user, with the system Python: read the keys, then ask without them.
STRANGER = """
import sys, zmq
folder, endpoint, server_public = sys.argv[1], sys.argv[2], sys.argv[3].encode()
for name in ("client.secret", "server.secret", "client.public"):
    try:
        open(folder + "/" + name, "rb").read(); print("read", name)
    except PermissionError:
        print("cannot read", name)
for curve in (False, True):
    s = zmq.Context.instance().socket(zmq.DEALER); s.setsockopt(zmq.LINGER, 0)
    if curve:
        s.curve_serverkey = server_public
        s.curve_publickey, s.curve_secretkey = zmq.curve_keypair()
    s.connect(endpoint)
    s.send_multipart([b"\\x81\\xa2op\\xa6status"])  # msgpack {"op": "status"}
    print("answered" if s.poll(5000) else "silence", "curve" if curve else "plain")
"""


@pytest.fixture
def stranger() -> Iterator[str]:
    """A second local user, created for the test and removed after it."""
    if os.geteuid() != 0 or shutil.which("useradd") is None:
        pytest.skip("needs root and useradd to create a second local user")
    if editor_python() == sys.executable:
        pytest.skip("needs a system python3 with pyzmq for the second user")
    name = f"sb{uuid.uuid4().hex[:8]}"
    subprocess.run(["useradd", "--no-create-home", name], check=True)
    yield name
    subprocess.run(["userdel", name], check=False)


@pytest.fixture
def open_home() -> Iterator[Path]:
    """A daemon home under /tmp that every user may enter: only the keys' modes protect them."""
    folder = Path(tempfile.mkdtemp(prefix="sb-open-", dir="/tmp"))
    (folder / "home").mkdir()
    for path in (folder, folder / "home"):
        path.chmod(0o755)
    yield folder / "home"
    shutil.rmtree(folder, ignore_errors=True)


def test_another_local_user_can_neither_read_the_keys_nor_drive_the_daemon(
    open_home: Path, stranger: str
) -> None:
    daemon = start_daemon(open_home)
    try:
        folder = daemon.keys_dir
        server_public = (folder / "server.public").read_text()
        argv = [str(folder), daemon.endpoint, server_public]
        as_stranger = ["runuser", "-u", stranger, "--", editor_python(), "-c", STRANGER, *argv]
        seen = subprocess.run(as_stranger, capture_output=True, text=True, timeout=120)
        assert seen.stdout.split("\n")[:5] == [
            "cannot read client.secret", "cannot read server.secret",
            "cannot read client.public", "silence plain", "silence curve",
        ], seen  # fmt: skip
        with daemon.client() as owner:  # the owner is still served
            assert owner.status()["jobs"] == []
    finally:
        daemon.stop()
    assert loopback_keys.client_curve(folder) is not None


def test_a_client_started_before_the_keys_existed_auto_starts_the_daemon_and_uses_them(
    isolated_home: Path,
) -> None:
    endpoint = f"tcp://127.0.0.1:{free_port()}"
    command = [sys.executable, "-m", "stylebridge"]
    assert not (isolated_home / "run" / loopback_keys.FOLDER_NAME).exists()
    with Client(endpoint, 2.0, 2, auto_start=True, daemon_command=command) as client:
        assert client.ping()  # the daemon it started made the keys; the client read them
        client.shutdown()
        assert client.daemon_process is not None and client.daemon_process.wait(60) == 0
    assert loopback_keys.client_curve(isolated_home / "run" / loopback_keys.FOLDER_NAME)
