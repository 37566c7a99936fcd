"""Install the Krita and GIMP 3 plugins (and optionally a systemd --user service for the daemon)."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from stylebridge_installer.bundle import Editor
from stylebridge_installer.detect import PythonCommand
from stylebridge_installer.install import InstallOptions, install
from stylebridge_installer.locations import current_platform
from stylebridge_installer.targets import EDITORS, plan_targets

from stylebridge.cli.main import CliError
from stylebridge.config import paths


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--krita", action="store_true", help="install the Krita plugin")
    parser.add_argument("--gimp", action="store_true", help="install the GIMP 3 plug-in")
    parser.add_argument("--service", action="store_true", help="add a systemd --user service")
    parser.add_argument("--dry-run", action="store_true", help="say what would be done, do nothing")
    parser.add_argument("--krita-dir", type=Path, help="Krita's pykrita folder (default: found)")
    parser.add_argument("--gimp-dir", type=Path, help="GIMP 3's plug-ins folder (default: found)")
    parser.add_argument(
        "--python-for-editor",
        metavar="PATH",
        help="the Python the editor runs plugins with (a path, or a command such as "
        "'flatpak run --command=python3 org.kde.krita')",
    )


def editor_python(value: str | None) -> PythonCommand | None:
    """--python-for-editor as an argv prefix: an existing path as is, else split like a shell."""
    if not value:
        return None
    return (value,) if Path(value).exists() else tuple(shlex.split(value))


def daemon_command() -> tuple[str, ...]:
    """How the plugins start a daemon: this interpreter, which has stylebridge and torch."""
    return (sys.executable, "-m", "stylebridge")


def run(args: argparse.Namespace) -> int:
    platform = current_platform()
    requested: dict[Editor, Path | None] = {"krita": args.krita_dir, "gimp": args.gimp_dir}
    dirs: dict[Editor, Path] = {e: p for e, p in requested.items() if p is not None}
    editors: tuple[Editor, ...] = tuple(e for e in EDITORS if getattr(args, e) or e in dirs)
    if args.service and platform.system != "linux":
        raise CliError("--service installs a systemd --user unit: Linux only")
    targets = plan_targets(platform, editors, dirs, editor_python(args.python_for_editor))
    if not targets:
        raise CliError("found neither Krita nor GIMP 3; name one with --krita or --gimp")
    options = InstallOptions(
        targets=tuple(targets),
        daemon_command=daemon_command(),
        config_dir=paths().config_dir,
        platform=platform,
        service=args.service,
        dry_run=args.dry_run,
    )
    return 0 if install(options, print) else 1
