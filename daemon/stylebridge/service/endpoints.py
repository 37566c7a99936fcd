"""Where the daemon listens: the per-user default endpoint, the one-daemon lock, stale sockets.

POSIX: `ipc://<runtime dir>/daemon.sock` in a 0700 folder. Windows: `tcp://127.0.0.1:47653`.
A crashed daemon leaves its socket file behind; whoever next holds the lock removes it, because
the kernel releases the lock with the process, so a held lock proves the old daemon is gone.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from stylebridge import config
from stylebridge.service import protocol

LOCK_NAME = "daemon.lock"


class AlreadyRunningError(RuntimeError):
    """Another daemon of this user holds the lock."""


def default_endpoint() -> str:
    """The per-user default endpoint (STYLEBRIDGE_ENDPOINT overrides it)."""
    configured = os.environ.get(config.ENV_PREFIX + "ENDPOINT")
    if configured:
        return configured
    if sys.platform == "win32":
        return f"tcp://127.0.0.1:{protocol.DEFAULT_TCP_PORT}"
    return "ipc://" + str(config.private_dir(runtime_dir()) / protocol.SOCKET_NAME)


def runtime_dir() -> Path:
    """config.paths().runtime_dir, without platformdirs' warning about a missing XDG_RUNTIME_DIR
    (its fallback is fine for a socket in a 0700 folder)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return config.paths().runtime_dir


def ipc_path(endpoint: str) -> Path | None:
    """The socket file of an ipc:// endpoint, else None."""
    return Path(endpoint[len("ipc://") :]) if endpoint.startswith("ipc://") else None


@dataclass
class DaemonLock:
    """An exclusive, process-lifetime lock file recording the daemon's pid and endpoint."""

    path: Path
    handle: IO[str] | None = None

    def acquire(self, endpoint: str) -> None:
        """Take the lock or raise AlreadyRunningError naming the running daemon."""
        config.private_dir(self.path.parent)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 (held for the lifetime)
        if not _try_lock(handle):
            handle.close()
            info = read_lock_info(self.path)
            raise AlreadyRunningError(
                f"a stylebridge daemon is already running (pid {info.get('pid', '?')}, "
                f"endpoint {info.get('endpoint', '?')}); stop it with `stylebridge daemon stop`"
            )
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "endpoint": endpoint}))
        handle.flush()
        self.handle = handle

    def release(self) -> None:
        """Drop the lock (the kernel also drops it when the process dies)."""
        if self.handle is not None:
            self.handle.close()
            self.handle = None


def lock_path() -> Path:
    """The per-user lock file."""
    return runtime_dir() / LOCK_NAME


def read_lock_info(path: Path) -> dict[str, Any]:
    """The pid and endpoint the last daemon recorded, or {}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _try_lock(handle: IO[str]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def remove_stale_socket(endpoint: str) -> bool:
    """Remove a socket file left by a crashed daemon; AlreadyRunningError if one answers on it."""
    path = ipc_path(endpoint)
    if path is None or not path.exists():
        return False
    if answers_ping(endpoint):
        raise AlreadyRunningError(f"another stylebridge daemon is serving on {endpoint}")
    path.unlink()
    return True


def answers_ping(endpoint: str, timeout_s: float = 0.5) -> bool:
    """True when a daemon answers a ping on `endpoint` (used before replacing its socket)."""
    import zmq

    context = zmq.Context.instance()
    sock = context.socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    try:
        sock.connect(endpoint)
        sock.send(protocol.pack(protocol.request(protocol.OP_PING, "probe")))
        return bool(sock.poll(int(timeout_s * 1000)))
    finally:
        sock.close(linger=0)


def bind_private(socket: Any, endpoint: str) -> None:
    """Bind; an ipc:// socket file is created 0600 whatever the process umask (connecting to a
    socket file needs write permission on it, so only its owner can)."""
    path = ipc_path(endpoint)
    if path is None:
        socket.bind(endpoint)
        return
    previous = os.umask(0o177)
    try:
        socket.bind(endpoint)
    finally:
        os.umask(previous)
    os.chmod(path, 0o600)


def prepare_ipc_dir(endpoint: str) -> None:
    """Create a missing socket folder with mode 0700 (an existing folder is left as it is)."""
    path = ipc_path(endpoint)
    if path is not None and not path.parent.exists():
        config.private_dir(path.parent)
