"""CURVE keys for a daemon reachable from the network or on loopback TCP, and the rule that
demands them.

Layout of a keys folder (mode 0700, files 0600): `server.public`, `server.secret`,
`client.public`, `client.secret` (Z85 text), and `authorized/*.key` (ZeroMQ certificate lines
`public-key = "..."`): the client public keys the daemon serves. A client whose key is not
authorized, or that lacks the server's public key, fails the CURVE handshake and never reaches
the request loop.
"""

from __future__ import annotations

import os
import re
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import zmq
import zmq.utils.z85
from zmq.auth.thread import ThreadAuthenticator

from stylebridge import config
from stylebridge.service.loopback_keys import is_loopback, keys_folder, read_private

AUTHORIZED_DIR = "authorized"
KEY_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")  # a certificate's file name, never a path
Z85_ALPHABET = frozenset(
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"
)


class SecurityError(ValueError):
    """A bind that would expose the daemon without CURVE, or unusable keys."""


@dataclass(frozen=True)
class KeyPair:
    """Z85-encoded CURVE keys."""

    public: bytes
    secret: bytes


def _write_private(path: Path, data: bytes) -> None:
    """Write a 0600 file atomically: a temporary file in the same folder, then os.replace, so a
    crash or a full disk leaves the old key or none, never half of one."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if os.name == "posix":
            os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def check_public_key(key: bytes) -> bytes:
    """`key` when it is a 40-character Z85 CURVE public key, else SecurityError."""
    if len(key) != 40 or not set(key) <= Z85_ALPHABET:
        raise SecurityError(
            f"{key[:60]!r} is not a Z85 public key: 40 characters of the Z85 alphabet expected"
        )
    try:
        zmq.utils.z85.decode(key)
    except (ValueError, struct.error):
        raise SecurityError(f"{key!r} is not a valid Z85 public key") from None
    return key


def generate_keys(folder: Path, overwrite: bool = False) -> tuple[KeyPair, KeyPair]:
    """Create server and client key pairs in `folder` and authorize the client; returns both."""
    config.private_dir(folder)
    if (folder / "server.secret").exists() and not overwrite:
        raise SecurityError(f"keys already exist in {folder}; pass --force to replace them")
    pairs = []
    for role in ("server", "client"):
        public, secret = zmq.curve_keypair()
        _write_private(folder / f"{role}.public", public)
        _write_private(folder / f"{role}.secret", secret)
        pairs.append(KeyPair(public, secret))
    authorize_client(folder, pairs[1].public, "client")
    return pairs[0], pairs[1]


def authorize_client(folder: Path, public: bytes, name: str) -> Path:
    """Let the client with this public key in; returns the certificate file written."""
    if not KEY_NAME.fullmatch(name):
        raise SecurityError(f"key name {name!r} must be 1-64 letters, digits, - or _")
    check_public_key(public)
    target = config.private_dir(folder / AUTHORIZED_DIR) / f"{name}.key"
    _write_private(target, b'public-key = "' + public + b'"\n')
    return target


def load_pair(folder: Path, role: str) -> KeyPair:
    """The `role` ("server" or "client") key pair stored in `folder`; SecurityError when the
    files are missing, malformed, or readable by anyone but this user."""
    try:
        public = read_private(folder / f"{role}.public")
        secret = read_private(folder / f"{role}.secret")
    except OSError as e:
        raise SecurityError(f"cannot use the {role} keys in {folder}: {e}") from None
    if len(public) != 40 or len(secret) != 40:
        raise SecurityError(f"the {role} keys in {folder} are not 40-character Z85 keys")
    return KeyPair(public, secret)


def loopback_keys(runtime_dir: Path) -> Path:
    """The loopback keys folder, created with fresh server and client keys on first use."""
    folder = keys_folder(runtime_dir)
    if not (folder / "server.secret").exists():
        generate_keys(folder)
    return folder


def check_bind(endpoint: str, keys_folder: str) -> None:
    """Refuse abstract sockets, and a non-loopback bind unless CURVE keys are configured."""
    if endpoint.startswith("ipc://@"):
        # Linux abstract sockets have no file, hence no permissions: any local user connects.
        raise SecurityError(
            f"refusing to bind {endpoint}: an abstract socket admits every local user; "
            "use an ipc:// path in a private folder"
        )
    if not is_loopback(endpoint) and not keys_folder:
        raise SecurityError(
            f"refusing to bind {endpoint}: it is reachable from the network and no CURVE keys are "
            "configured; run `stylebridge keys` and start the daemon with --curve-keys DIR"
        )


def authorized_keys(folder: Path) -> list[bytes]:
    """The client certificates in `folder`/authorized; SecurityError when there are none, or
    when the folder or a file could have been written by another user (who would let a key in).
    """
    authorized = folder / AUTHORIZED_DIR
    if not authorized.is_dir() or not any(authorized.glob("*.key")):
        raise SecurityError(f"no authorized client keys in {authorized}")
    try:
        return [read_private(path) for path in sorted(authorized.glob("*.key"))]
    except OSError as e:
        raise SecurityError(f"cannot use the authorized client keys in {authorized}: {e}") from None


def secure_server(socket: zmq.Socket, context: zmq.Context, folder: Path) -> ThreadAuthenticator:
    """Make `socket` a CURVE server that only serves the keys in `folder`/authorized."""
    pair = load_pair(folder, "server")
    authorized_keys(folder)
    authenticator = ThreadAuthenticator(context)
    authenticator.start()
    authenticator.configure_curve(domain="*", location=str(folder / AUTHORIZED_DIR))
    socket.curve_server = True
    socket.curve_publickey = pair.public
    socket.curve_secretkey = pair.secret
    return authenticator
