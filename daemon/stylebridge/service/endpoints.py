"""Where the daemon listens: the per-user default endpoint, the one-daemon-per-endpoint lock,
stale sockets.

POSIX: `ipc://<runtime dir>/daemon.sock` in a 0700 folder. Windows: `tcp://127.0.0.1:47653`.
Each endpoint has one lock file, held for the daemon's life: next to an ipc:// socket (so every
daemon that would bind that path meets it, whatever its environment or runtime folder), else in
the user's private runtime folder. It is taken before the stale-socket check: two daemons started
at once cannot both find the socket "stale" and take turns unlinking and binding it. A crashed
daemon leaves its socket file behind; whoever next holds the lock removes it, because the kernel
releases the lock with the process, so a held lock proves the old daemon is gone. Lock files are
never deleted: a deleted lock file would let two daemons lock two different files.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from stylebridge import config
from stylebridge.service import protocol

LOCK_SUFFIX = ".lock"
TCP_LOCKS_DIR = "locks"
PID_WAIT_S = 1.0  # how long a refused daemon waits for the holder to write its pid


class AlreadyRunningError(RuntimeError):
    """Another daemon holds this endpoint's lock, or answers on its socket."""


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
        """Take the lock or raise AlreadyRunningError naming the running daemon's pid."""
        handle = _open_private(self.path)
        if not _try_lock(handle):
            handle.close()
            raise AlreadyRunningError(
                f"a daemon is already running on {endpoint} (pid {holder_pid(self.path)}); "
                "stop it with `stylebridge daemon stop`"
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


def lock_path(endpoint: str) -> Path:
    """The lock file of `endpoint`: `<socket>.lock` beside an ipc:// socket; for tcp:// a file
    named after the address in the user's private runtime folder."""
    socket_file = ipc_path(endpoint)
    if socket_file is not None:
        return socket_file.with_name(socket_file.name + LOCK_SUFFIX)
    name = re.sub(r"[^A-Za-z0-9.]+", "-", endpoint).strip("-")
    return config.private_dir(runtime_dir() / TCP_LOCKS_DIR) / (name + LOCK_SUFFIX)


def lock_endpoint(endpoint: str) -> DaemonLock:
    """Hold `endpoint`'s lock (AlreadyRunningError when another daemon has it); a missing
    ipc:// socket folder is created 0700 first."""
    prepare_ipc_dir(endpoint)
    lock = DaemonLock(lock_path(endpoint))
    lock.acquire(endpoint)
    return lock


def holder_pid(path: Path, wait_s: float = PID_WAIT_S) -> str:
    """The pid the lock's holder recorded, as text ('?' when it wrote none within `wait_s`:
    a daemon that has just taken the lock writes its pid a moment later)."""
    deadline = time.monotonic() + wait_s
    while True:
        pid = read_lock_info(path).get("pid")
        if isinstance(pid, int) or time.monotonic() >= deadline:
            return str(pid) if isinstance(pid, int) else "?"
        time.sleep(0.05)


def read_lock_info(path: Path) -> dict[str, Any]:
    """The pid and endpoint the last daemon recorded, or {}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _open_private(path: Path) -> IO[str]:
    """Open (create 0600) a lock file that is this user's own and not a link: in a shared folder
    such as /tmp another user could plant a link to one of ours, or a file we would trust."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o600)
    if os.name == "posix" and os.fstat(fd).st_uid != os.geteuid():
        os.close(fd)
        raise PermissionError(f"refusing the lock file {path}: it belongs to another user")
    return os.fdopen(fd, "r+", encoding="utf-8")


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
    """Remove a socket file left by a crashed daemon; AlreadyRunningError if one answers on it.
    Call it holding the endpoint's lock."""
    path = ipc_path(endpoint)
    if path is None or not path.exists():
        return False
    if answers_ping(endpoint):  # a daemon that does not take the lock (an older version)
        raise AlreadyRunningError(f"a daemon is already running on {endpoint} (pid unknown)")
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
