"""List the styles of a multi-style network model (default: the shipped one)."""

from __future__ import annotations

import argparse

from stylebridge.cli.main import CliError
from stylebridge.core.model_file import read_metadata, resolve_model
from stylebridge.editor.style_names import style_title


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model", default="default", metavar="NAME|FILE",
        help="'default' (shipped), a name in the user models folder, or a .safetensors file",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    path = resolve_model(args.model)
    if not path.is_file():
        raise CliError(f"no model {args.model!r} (looked for {path})")
    metadata = read_metadata(path)
    recipe = metadata.recipe
    print(f"{path}: {len(metadata.style_names)} styles")
    width = max((len(style_title(name)) for name in metadata.style_names), default=0)
    for name in metadata.style_names:  # the title the dialogs show, then the name to type
        print(f"  {style_title(name):<{width}}  {name}")
    if recipe:
        steps, size, device = (
            recipe.get("steps", "?"),
            recipe.get("size_px", "?"),
            recipe.get("device", "?"),
        )
        print(f"trained {steps} steps at {size} px on {device}")
    return 0
