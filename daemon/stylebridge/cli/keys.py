"""Generate CURVE keys so the daemon may listen on a network address."""

from __future__ import annotations

import argparse
from pathlib import Path

from stylebridge import config
from stylebridge.service import security


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--dir, --force, --authorize."""
    parser.add_argument("--dir", type=Path, help="keys folder (default: the per-user keys dir)")
    parser.add_argument("--force", action="store_true", help="replace existing keys")
    parser.add_argument(
        "--authorize",
        metavar="PUBLIC_KEY",
        help="also let the client with this Z85 public key (40 characters) in",
    )
    parser.add_argument("--name", default="extra", help="file name for --authorize")


def run(args: argparse.Namespace) -> int:
    """`stylebridge keys`."""
    folder = args.dir or config.paths().keys_dir
    if args.authorize:
        key = security.check_public_key(args.authorize.strip().encode("utf-8", "replace"))
        print(f"authorized: {security.authorize_client(folder, key, args.name)}")
        return 0
    server, client = security.generate_keys(folder, overwrite=args.force)
    print(f"keys written to {folder} (folder 0700, files 0600)")
    print(f"server public key: {server.public.decode()}")
    print(f"client public key: {client.public.decode()} (authorized)")
    print(
        f"start a networked daemon with: stylebridge daemon --endpoint tcp://0.0.0.0:47653 "
        f"--curve-keys {folder}"
    )
    return 0
