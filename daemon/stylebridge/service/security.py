"""CURVE keys for a daemon reachable from the network, and the rule that demands them.

Layout of a keys folder (mode 0700, files 0600): `server.public`, `server.secret`,
`client.public`, `client.secret` (Z85 text), and `authorized/*.key` (ZeroMQ certificate lines
`public-key = "..."`): the client public keys the daemon serves. A client whose key is not
authorized, or that lacks the server's public key, fails the CURVE handshake and never reaches
the request loop.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import zmq
from zmq.auth.thread import ThreadAuthenticator

from stylebridge import config
from stylebridge.service.endpoints import is_loopback

AUTHORIZED_DIR = "authorized"


class SecurityError(ValueError):
    """A bind that would expose the daemon without CURVE, or unusable keys."""


@dataclass(frozen=True)
class KeyPair:
    """Z85-encoded CURVE keys."""

    public: bytes
    secret: bytes


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    if os.name == "posix":
        os.chmod(path, 0o600)


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
    target = config.private_dir(folder / AUTHORIZED_DIR) / f"{name}.key"
    _write_private(target, b'public-key = "' + public + b'"\n')
    return target


def load_pair(folder: Path, role: str) -> KeyPair:
    """The `role` ("server" or "client") key pair stored in `folder`."""
    try:
        public = (folder / f"{role}.public").read_bytes().strip()
        secret = (folder / f"{role}.secret").read_bytes().strip()
    except OSError as e:
        raise SecurityError(f"cannot read the {role} keys in {folder}: {e}") from None
    if len(public) != 40 or len(secret) != 40:
        raise SecurityError(f"the {role} keys in {folder} are not 40-character Z85 keys")
    return KeyPair(public, secret)


def check_bind(endpoint: str, keys_folder: str) -> None:
    """Refuse a non-loopback bind unless CURVE keys are configured."""
    if not is_loopback(endpoint) and not keys_folder:
        raise SecurityError(
            f"refusing to bind {endpoint}: it is reachable from the network and no CURVE keys are "
            "configured; run `stylebridge keys` and start the daemon with --curve-keys DIR"
        )


def secure_server(socket: zmq.Socket, context: zmq.Context, folder: Path) -> ThreadAuthenticator:
    """Make `socket` a CURVE server that only serves the keys in `folder`/authorized."""
    pair = load_pair(folder, "server")
    authorized = folder / AUTHORIZED_DIR
    if not authorized.is_dir() or not any(authorized.glob("*.key")):
        raise SecurityError(f"no authorized client keys in {authorized}")
    authenticator = ThreadAuthenticator(context)
    authenticator.start()
    authenticator.configure_curve(domain="*", location=str(authorized))
    socket.curve_server = True
    socket.curve_publickey = pair.public
    socket.curve_secretkey = pair.secret
    return authenticator
