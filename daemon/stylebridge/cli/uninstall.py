"""Remove exactly what `stylebridge install` added (plugins, kritarc key, service, its record)."""

from __future__ import annotations

import argparse

from stylebridge_installer.uninstall import uninstall

from stylebridge.config import paths


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="say what would be done, do nothing")


def run(args: argparse.Namespace) -> int:
    uninstall(paths().config_dir, print, dry_run=args.dry_run)
    return 0
