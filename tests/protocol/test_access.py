"""Who may talk to the daemon: socket files and runtime folders only the user can use, key files
that stay where they belong, and CURVE owners who see and cancel only their own jobs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import zmq
from stylebridge.cli.main import main
from stylebridge.client import Client, DaemonError, JobProgress
from stylebridge.service import security

from .conftest import start_daemon
from .test_lifecycle import start_daemon_with_keys

pytestmark = pytest.mark.timeout(180)

needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="needs root to create a second local user and to chown folders to another user",
)


def test_keys_name_cannot_leave_the_authorized_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = tmp_path / "keys"
    public, _ = zmq.curve_keypair()
    # "=" form: a Z85 key may start with "-", which argparse would take for an option.
    argv = ["keys", "--dir", str(keys), f"--authorize={public.decode()}"]
    assert main([*argv, "--name", "../../x"]) == 2
    assert "must be 1-64 letters" in capsys.readouterr().err
    assert not (tmp_path / "x.key").exists() and not (keys.parent / "x.key").exists()
    assert main([*argv, "--name", "laptop"]) == 0
    assert (keys / "authorized" / "laptop.key").read_bytes() == b'public-key = "%s"\n' % public
    assert [p.name for p in (keys / "authorized").iterdir()] == ["laptop.key"]  # no temp files


@pytest.mark.parametrize("key", ["x" * 39, "#" * 40, "é" * 40, "ab cd" * 8])
def test_authorize_accepts_only_z85_public_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str
) -> None:
    assert main(["keys", "--dir", str(tmp_path), "--authorize", key, "--name", "k"]) == 2
    assert "Z85" in capsys.readouterr().err
    assert not (tmp_path / "authorized" / "k.key").exists()


def test_an_abstract_socket_is_refused(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["daemon", "--endpoint", f"ipc://@stylebridge-{uuid.uuid4().hex}"]) == 2
    assert "abstract socket" in capsys.readouterr().err


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder under /tmp that every user may enter (as a custom socket folder might be)."""
    folder = Path(tempfile.mkdtemp(prefix="sb-open-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def stranger() -> Iterator[str]:
    """A second local user, created for the test and removed after it."""
    if os.geteuid() != 0 or shutil.which("useradd") is None:
        pytest.skip("needs root and useradd to create a second local user")
    name = f"sb{uuid.uuid4().hex[:8]}"
    subprocess.run(["useradd", "--no-create-home", name], check=True)
    yield name
    subprocess.run(["userdel", name], check=False)


# Run by the stranger with the system Python (the project's venv may be closed to others): a
# ZeroMQ ipc:// connect is a Unix socket connect, which needs write permission on the file.
CONNECT_AS_STRANGER = """
import socket, sys
s = socket.socket(socket.AF_UNIX)
try:
    s.connect(sys.argv[1]); print("connected")
except PermissionError:
    print("refused")
"""


def test_the_socket_file_is_0600_whatever_the_umask_and_strangers_get_nothing(
    tmp_path: Path, open_folder: Path, stranger: str
) -> None:
    home = tmp_path / "h"
    home.mkdir()
    endpoint = f"ipc://{open_folder}/daemon.sock"
    umask_0 = ("sh", "-c", 'umask 000; exec "$0" "$@"')
    daemon = start_daemon(home, endpoint, wrapper=umask_0)
    try:
        assert (open_folder / "daemon.sock").stat().st_mode & 0o777 == 0o600
        python = shutil.which("python3", path="/usr/bin:/bin") or sys.executable
        as_stranger = ["runuser", "-u", stranger, "--", python, "-c", CONNECT_AS_STRANGER]
        socket_file = str(open_folder / "daemon.sock")
        result = subprocess.run(
            [*as_stranger, socket_file], capture_output=True, text=True, timeout=60
        )
        assert result.stdout.strip() == "refused", result
        with daemon.client() as client:
            assert client.ping()
    finally:
        daemon.stop()


RUNTIME_PROBE = """
from stylebridge import config
from stylebridge.service.protocol import guess_runtime_dir
print(guess_runtime_dir()); print(config.paths().runtime_dir)
"""


@needs_root
def test_a_runtime_folder_another_user_created_is_never_used(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    planted = temp / f"runtime-{os.geteuid()}"
    (planted / "stylebridge").mkdir(parents=True)
    for folder in (temp, planted, planted / "stylebridge"):
        folder.chmod(0o777)
        os.chown(folder, 54321, 54321)  # another user's, prepared to serve a fake daemon
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_RUNTIME_DIR", "STYLEBRIDGE_HOME")}
    env.update(TMPDIR=str(temp), HOME=str(tmp_path / "home"), XDG_CACHE_HOME="")
    if Path(f"/run/user/{os.geteuid()}").exists():
        pytest.skip("/run/user/UID exists here, so the temporary fallback is never reached")
    probe = subprocess.run(
        [sys.executable, "-c", RUNTIME_PROBE], env=env, capture_output=True, text=True, check=True
    )
    client_dir, daemon_dir = probe.stdout.split()
    assert client_dir == daemon_dir, probe.stdout  # both sides agree
    assert not client_dir.startswith(str(planted))
    assert client_dir.startswith(str(tmp_path / "home"))


@pytest.fixture
def curve_daemon(tmp_path: Path) -> Iterator[tuple[str, Path, security.KeyPair]]:
    """A CURVE daemon on loopback with two authorized clients: `client` and `second`."""
    keys = tmp_path / "keys"
    assert main(["keys", "--dir", str(keys)]) == 0
    second_public, second_secret = zmq.curve_keypair()
    assert main(["keys", "--dir", str(keys), f"--authorize={second_public.decode()}",
                 "--name", "second"]) == 0  # fmt: skip
    home = tmp_path / "h"
    home.mkdir()
    daemon = start_daemon_with_keys(home, keys)
    yield daemon.endpoint, keys, security.KeyPair(second_public, second_secret)
    daemon.stop()


def curve_client(endpoint: str, keys: Path, pair: security.KeyPair | None = None) -> Client:
    server = security.load_pair(keys, "server").public
    pair = pair or security.load_pair(keys, "client")
    return Client(endpoint, 10.0, 1, server_key=server, client_keys=(pair.public, pair.secret))


def test_owners_see_and_cancel_only_their_own_jobs_and_the_cli_reaches_a_curve_daemon(
    curve_daemon: tuple[str, Path, security.KeyPair], capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint, keys, second = curve_daemon
    running = threading.Event()
    seen: list[JobProgress] = []
    outcome: list[BaseException] = []

    def on_progress(progress: JobProgress) -> None:
        seen.append(progress)
        running.set()

    def long_job() -> None:
        data = np.zeros((32, 32, 4), np.uint8).tobytes()
        fmt = {"width": 32, "height": 32, "channels": "RGBA", "dtype": "uint8"}
        params = {"steps": 10000, "size": 32, "optimizer": "adam"}
        with curve_client(endpoint, keys) as owner:
            try:
                owner.stylize(
                    data, fmt, params, path="optimize", style_names={"starry-night": 1.0},
                    on_progress=on_progress,
                )  # fmt: skip
            except BaseException as e:
                outcome.append(e)

    thread = threading.Thread(target=long_job)
    thread.start()
    assert running.wait(60)
    job = seen[-1].job
    with curve_client(endpoint, keys, second) as other:
        assert other.status()["jobs"] == []
        with pytest.raises(DaemonError) as info:
            other.cancel(job)
        assert info.value.code == "unknown_job"
    with curve_client(endpoint, keys) as owner:
        assert [j["job"] for j in owner.status()["jobs"]] == [job]
        assert owner.cancel(job)
    thread.join(30)
    assert isinstance(outcome[0], DaemonError) and outcome[0].code == "cancelled"
    capsys.readouterr()
    assert main(["daemon", "status", "--endpoint", endpoint, "--curve-keys", str(keys)]) == 0
    assert "running" in capsys.readouterr().out
    assert main(["daemon", "stop", "--endpoint", endpoint, "--curve-keys", str(keys)]) == 0
