"""Per-user CURVE keys that make a loopback TCP daemon admit only its own user.

Any local user can connect to tcp://127.0.0.1, so a daemon listening there (the default on
Windows) speaks CURVE with keys it creates once in the user's private runtime folder
(`<runtime dir>/loopback-keys`, 0700; files 0600, the layout of `stylebridge keys`). A client of
the same user reads them from there; another user can read neither the folder nor the files.

Runs inside the editors' own Pythons (vendored next to client.py): stdlib + pyzmq, Python 3.8+.
"""

from __future__ import annotations

import ipaddress
import os
import stat
from pathlib import Path

FOLDER_NAME = "loopback-keys"


def tcp_host(endpoint: str) -> str | None:
    """The host part of a tcp:// endpoint (brackets stripped), else None."""
    if not endpoint.startswith("tcp://"):
        return None
    host = endpoint[len("tcp://") :].rsplit(":", 1)[0]
    return host.strip("[]")


def is_loopback(endpoint: str) -> bool:
    """True for ipc://, inproc:// and tcp:// on 127.0.0.0/8, ::1 or localhost."""
    host = tcp_host(endpoint)
    if host is None:
        return endpoint.startswith(("ipc://", "inproc://"))
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # an interface name or '*': not loopback
        return False


def is_loopback_tcp(endpoint: str) -> bool:
    """True for a tcp:// endpoint every local user can reach: it needs the loopback keys."""
    return tcp_host(endpoint) is not None and is_loopback(endpoint)


def keys_folder(runtime_dir: Path) -> Path:
    """The loopback keys folder inside the user's runtime folder."""
    return runtime_dir / FOLDER_NAME


def read_private(path: Path) -> bytes:
    """The stripped contents of a key file that only this user can read.

    PermissionError when the file (or its folder) belongs to another user or is open to the
    group or others: such a secret may be known to someone else, so it is never used.
    """
    if os.name == "posix":
        for item, mask in ((path.parent, 0o077), (path, 0o077)):
            info = item.lstat()
            if item.is_symlink() or info.st_uid != os.geteuid() or info.st_mode & mask:
                raise PermissionError(
                    f"refusing to use {item}: it must belong to this user with mode "
                    f"{'0700' if stat.S_ISDIR(info.st_mode) else '0600'} "
                    f"(it is {stat.filemode(info.st_mode)}, owner id {info.st_uid})"
                )
    return path.read_bytes().strip()


def client_curve(folder: Path) -> tuple[bytes, tuple[bytes, bytes]] | None:
    """(server public key, (client public, client secret)), Z85, as stored in `folder`; None
    when the folder does not hold them all yet (a daemon may be writing them right now; each file
    appears whole, by rename)."""
    paths = [folder / name for name in ("server.public", "client.public", "client.secret")]
    if not all(path.exists() for path in paths):
        return None
    server, public, secret = (read_private(path) for path in paths)
    return server, (public, secret)
