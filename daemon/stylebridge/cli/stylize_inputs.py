"""What a stylize run reads, checked before any work, whether this process or a daemon does the
run: the style weights, the optimisation flags given, the input files and the output path."""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PIL import Image

from stylebridge.cli.main import CliError
from stylebridge.core.optimize_params import OPTIMIZE_PARAMETERS
from stylebridge.style_blend import WEIGHTS_RULE, normalised_weights

# Flags generated from OPTIMIZE_PARAMETERS; preview_every is driven by --save-every instead.
NOT_FLAGS = {"preview_every"}
# Style files are decoded at no less than this long side (or the size), as the daemon loads its
# library styles, so that both paths see the same style picture; only huge files shrink.
STYLE_DECODE_PX = 1024


def require_styles(args: argparse.Namespace) -> None:
    """CliError unless the optimisation path was given a --style."""
    if not args.style:
        raise CliError("give at least one --style (a file or a bundled style name)")


def check_network_flags(args: argparse.Namespace) -> None:
    """CliError for flags the network path (--model) cannot take together."""
    if args.style or (args.full and args.size):
        raise CliError("with --model use --blend (not --style), and --size or --full, not both")


def parse_weights(text: str | None, count: int) -> list[float] | None:
    """'7,3' -> [0.7, 0.3] for `count` styles, normalised (style_blend: the core takes weights
    that sum to 1); None when not given; CliError naming the problem."""
    if text is None:
        return None
    try:
        weights = [float(part) for part in text.split(",")]
    except ValueError:
        raise CliError(f"--style-weights {text!r} must be numbers separated by commas") from None
    if len(weights) != count:
        raise CliError(f"--style-weights has {len(weights)} values for {count} --style images")
    try:
        return list(normalised_weights(weights))
    except ValueError:
        raise CliError(f"--style-weights {text!r} must be {WEIGHTS_RULE}") from None


def optimize_values(args: argparse.Namespace) -> dict[str, Any]:
    """The optimization parameters given on the command line (unset flags are left out)."""
    values = {
        spec.name: getattr(args, spec.name)
        for spec in OPTIMIZE_PARAMETERS
        if spec.name not in NOT_FLAGS and getattr(args, spec.name, None) is not None
    }
    if args.save_every:
        if args.save_every < 0:
            raise CliError(f"--save-every must be >= 0, got {args.save_every}")
        values["preview_every"] = args.save_every
    return values


def optimize_size_px(values: dict[str, Any]) -> int:
    """The long side the optimisation works at: --size, else the parameter's default."""
    return values.get("size") or next(s.default for s in OPTIMIZE_PARAMETERS if s.name == "size")


def input_files(args: argparse.Namespace) -> list[str]:
    """The files a stylize run reads (content, style files, masks)."""
    names = [args.content, *args.style, *args.style_mask]
    return [n for n in [*names, args.mask] if n]


def check_output_path(path: Path, inputs: Sequence[str] = (), overwrite: bool = False) -> None:
    """CliError before any work when the result could not be written, or would replace one of
    the `inputs` (unless `overwrite`)."""
    if path.suffix.lower() not in Image.registered_extensions():
        raise CliError(f"cannot tell an image format from the output name {path.name!r}")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise CliError(f"output folder {path.parent} does not exist")
    for name in inputs if not overwrite else ():
        if _same_file(path, Path(name)):
            raise CliError(f"the output {path} is also an input; pass --overwrite to replace it")
    try:  # the only reliable test (root ignores modes, read-only mounts ignore os.access)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        raise CliError(f"cannot write to the output folder {path.parent}: {e.strerror}") from None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False
