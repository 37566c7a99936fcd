"""Stylize an image by optimization with any style loss (Gatys, Li, after Cui) or fusion of them."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from torch import Tensor

from stylebridge.cli.main import CliError
from stylebridge.cli.remote import add_daemon_argument, run_through_daemon
from stylebridge.cli.run_report import ProgressBar, report_saved
from stylebridge.cli.stylize_fast import add_fast_arguments, run_fast
from stylebridge.cli.stylize_inputs import (
    NOT_FLAGS,
    STYLE_DECODE_PX,
    check_network_flags,
    check_output_path,
    input_files,
    optimize_size_px,
    optimize_values,
    parse_weights,
    require_styles,
)
from stylebridge.core.optimize_params import OPTIMIZE_PARAMETERS
from stylebridge.core.params import ParameterSpec
from stylebridge.core.progress import Progress
from stylebridge.core.temporal_loss import TemporalTarget

_TYPES = {"int": int, "float": float, "string": str, "choice": str}


def _flag(spec: ParameterSpec) -> str:
    return "--" + spec.name.replace("_", "-")


def add_optimize_arguments(parser: argparse.ArgumentParser) -> None:
    """One flag per optimization parameter; default None so that only given values are passed."""
    group = parser.add_argument_group("optimization")
    for spec in OPTIMIZE_PARAMETERS:
        if spec.name in NOT_FLAGS:
            continue
        group.add_argument(
            _flag(spec),
            dest=spec.name,
            type=_TYPES[spec.kind],
            choices=spec.choices or None,
            default=None,
            help=f"{spec.help} (default: {spec.default})".replace("%", "%%"),
        )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `stylebridge stylize`."""
    parser.add_argument("content", help="content image file")
    parser.add_argument("-o", "--output", required=True, help="result file (.png, .jpg, ...)")
    parser.add_argument(
        "--overwrite", action="store_true", help="allow the output to replace an input file"
    )
    parser.add_argument(
        "--save-every", type=int, default=0, metavar="N",
        help="also save the image every N steps as OUTPUT_stepN.ext",
    )  # fmt: skip
    add_stylize_options(parser)
    add_fast_arguments(parser)


def add_stylize_options(parser: argparse.ArgumentParser) -> None:
    """How to stylize, shared by `stylize` and `batch`: styles, masks, both paths, --daemon."""
    parser.add_argument(
        "--style", action="append", default=[], metavar="NAME|FILE",
        help="style image file or bundled style name (repeat for several styles)",
    )  # fmt: skip
    parser.add_argument("--style-weights", metavar="A,B,...", help="one weight per --style")
    parser.add_argument("--mask", metavar="FILE", help="greyscale image: white = stylize")
    parser.add_argument(
        "--style-mask", action="append", default=[], metavar="FILE",
        help="per-style mask (repeat once per --style, same order)",
    )  # fmt: skip
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_optimize_arguments(parser)
    add_network_arguments(parser)
    add_daemon_argument(parser)


def add_network_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags of the network path (--model switches to it; --size and --device are shared)."""
    group = parser.add_argument_group("network (fast multi-style model, instead of optimization)")
    group.add_argument("--model", metavar="NAME|FILE", help="'default', a user model or a file")
    group.add_argument("--blend", metavar="NAME=W,...", help="e.g. starry-night=0.7,the-scream=0.3")
    group.add_argument("--strength", type=float, default=1.0, help="0..1 mix with the photo")
    group.add_argument("--full", action="store_true", help="full resolution (the default)")
    group.add_argument("--tile", type=int, default=2048, metavar="PX", help="tile size, 0 = none")
    group.add_argument(
        "--stroke", type=float, default=1.0,
        help="brushwork size relative to the picture (2 = larger, 0.5 = finer; 0 = in pixels)",
    )  # fmt: skip


def stylize_in_process(
    content: Tensor,
    styles: Sequence[Tensor],
    values: dict[str, Any],
    style_weights: Sequence[float] | None,
    masks: tuple[Tensor | None, list[Tensor] | None],
    on_progress: Any,
    style_names: Sequence[str] = (),
    temporal: TemporalTarget | None = None,
) -> Tensor:
    """The optimization run in this process (the one place a daemon path would replace).
    `style_names`: the --style values, which init 'auto' and 'network' look up (the network
    paints named styles); `temporal`: a video frame's start and temporal loss (`batch
    --temporal flow`)."""
    from stylebridge.core.image_sides import check_optimize_sides
    from stylebridge.core.optimize import OptimizeParams, stylize_optimize
    from stylebridge.core.optimize_start import start_picture
    from stylebridge.core.resources import resolve_device

    params = OptimizeParams.from_values(values, style_names)
    names = list(style_names) or [str(n + 1) for n in range(len(styles))]
    style_hws = [(name, (s.shape[-2], s.shape[-1])) for name, s in zip(names, styles, strict=True)]
    hw = (content.shape[-2], content.shape[-1])
    check_optimize_sides(hw, style_hws, params.size, params.scales)  # thin images: one line
    device = resolve_device(params.device)
    init_image = start_picture(
        params.init, content, styles, style_names, style_weights, params.size, device
    )
    mask, style_masks = masks
    return stylize_optimize(
        content, styles, params, style_weights, mask, style_masks, progress=on_progress,
        init_image=init_image, temporal=temporal,
    )  # fmt: skip


def _saver(output: Path, bar: ProgressBar | None) -> Any:
    from stylebridge.core.images import save_image

    def on_progress(p: Progress) -> None:
        if p.preview is not None and p.step != p.total:
            save_image(p.preview, output.with_name(f"{output.stem}_step{p.step}{output.suffix}"))
        if bar is not None:
            bar.update(p)

    return on_progress


def run_optimize(args: argparse.Namespace) -> int:
    """The optimization path: load and check everything, run, save."""
    from stylebridge.core.images import load_image, load_mask, save_image
    from stylebridge.core.method_names import parse_method_spec
    from stylebridge.core.style_library import resolve_style

    require_styles(args)
    output = Path(args.output)
    check_output_path(output, input_files(args), args.overwrite)
    weights = parse_weights(args.style_weights, len(args.style))
    values = optimize_values(args)
    parse_method_spec(values.get("method", "gram"))
    if args.style_mask and len(args.style_mask) != len(args.style):
        raise CliError(f"{len(args.style_mask)} --style-mask files for {len(args.style)} styles")
    size = optimize_size_px(values)
    content = load_image(args.content, at_least_px=size)  # the core resizes to `size` anyway
    style_px = max(size, STYLE_DECODE_PX)
    styles = [load_image(resolve_style(s), at_least_px=style_px) for s in args.style]
    size_hw = (content.shape[-2], content.shape[-1])
    mask = load_mask(args.mask, size_hw) if args.mask else None
    style_masks = [load_mask(m, size_hw) for m in args.style_mask] or None
    bar = None if args.quiet else ProgressBar()
    started = time.perf_counter()
    result = stylize_in_process(
        content, styles, values, weights, (mask, style_masks), _saver(output, bar), args.style
    )
    save_image(result, output)
    report_saved(args, output, result, started)
    return 0


def load_network(args: argparse.Namespace) -> tuple[Any, Tensor]:
    """The --model network prepared for --device, and the --blend weights (S,), normalised."""
    import torch

    from stylebridge.core.feedforward import blend_vector, prepare_network
    from stylebridge.core.model_file import load_model, resolve_model
    from stylebridge.core.resources import resolve_device
    from stylebridge.style_blend import normalised_weights

    check_network_flags(args)
    path = resolve_model(args.model)
    if not path.is_file():
        raise CliError(f"no model {args.model!r} (looked for {path})")
    loaded = load_model(path)
    given = blend_vector(args.blend, loaded.metadata.style_names)
    weights = torch.tensor(normalised_weights(given.tolist()))  # the core takes them summing to 1
    return prepare_network(loaded.network, resolve_device(args.device or "auto")), weights


def run_network(args: argparse.Namespace) -> int:
    """The network path: one pass of a multi-style model (tiled when large)."""
    from stylebridge.core.feedforward import stylize_network
    from stylebridge.core.images import load_image, save_image

    check_network_flags(args)
    output = Path(args.output)
    check_output_path(output, input_files(args), args.overwrite)
    network, weights = load_network(args)
    bar = None if args.quiet else ProgressBar()
    started = time.perf_counter()
    result = stylize_network(
        network, load_image(args.content, at_least_px=args.size or None), weights, args.strength,
        tile_px=args.tile,
        size_px=args.size, preserve_color=args.preserve_color or "none", stroke=args.stroke,
        progress=bar.update if bar else None,
    )  # fmt: skip
    save_image(result, output)
    report_saved(args, output, result, started)
    return 0


def run(args: argparse.Namespace) -> int:
    """Entry point of `stylebridge stylize`: a running daemon if any (--daemon), else in-process."""
    done = run_through_daemon(args)
    if done is not None:
        return done
    if getattr(args, "fast", False):
        return run_fast(args)
    return run_network(args) if args.model else run_optimize(args)
