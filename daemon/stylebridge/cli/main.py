"""The `stylebridge` command: parse, dispatch to a subcommand, map failures to one-line errors."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from stylebridge import __version__
from stylebridge.core.errors import OptimizationFailed

# Subcommand name -> module under stylebridge.cli. Each module defines
# `add_arguments(parser)` and `run(args) -> int`, plus a one-line module docstring used as help.
SUBCOMMANDS: dict[str, str] = {
    "install": "install",
    "uninstall": "uninstall",
    "doctor": "doctor",
    "stylize": "stylize",
    "batch": "batch",
    "train": "train",
    "train-decoder": "train_decoder",
    "add-style": "add_style",
    "styles": "styles",
    "daemon": "daemon",
    "status": "status",
    "keys": "keys",
}


class CliError(Exception):
    """A user-facing failure: printed as one line, exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    """The full parser; subcommand modules are imported here, never at package import."""
    parser = argparse.ArgumentParser(prog="stylebridge", description=__doc__)
    parser.add_argument("--version", action="version", version=f"stylebridge {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module_name in SUBCOMMANDS.items():
        module = importlib.import_module(f"stylebridge.cli.{module_name}")
        doc = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else ""
        child = sub.add_parser(name, help=doc, description=doc)
        child.add_argument("--debug", action="store_true", default=argparse.SUPPRESS)
        module.add_arguments(child)
        child.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: returns the exit code (0 ok, 1 failure, 2 bad input, 130 interrupted)."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("stylebridge: interrupted", file=sys.stderr)
        return 130
    except (
        CliError, ValueError, OptimizationFailed, FileNotFoundError, PermissionError,
        IsADirectoryError,
    ) as e:  # fmt: skip
        if args.debug:
            raise
        print(f"stylebridge: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # a full disk, a read-only folder: the machine's state, said plainly
        if args.debug:
            raise
        where = f": {e.filename}" if e.filename else ""
        print(f"stylebridge: error: {e.strerror or e}{where}", file=sys.stderr)
        return 2
    except Exception as e:  # the one error boundary of the CLI
        if args.debug:
            raise
        print(f"stylebridge: error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
