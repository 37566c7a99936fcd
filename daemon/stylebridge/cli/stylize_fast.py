"""`stylebridge stylize --fast`: any picture as a style, in one pass (core/arbitrary.py)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from stylebridge.cli.main import CliError

if TYPE_CHECKING:  # the core imports torch: loaded only when --fast runs
    from stylebridge.core.arbitrary import ArbitraryParams


def add_fast_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags of the arbitrary-style path; --style, --style-weights, --mask, --size, --strength,
    --stroke and --preserve-color are the other paths' flags and mean the same here."""
    group = parser.add_argument_group("arbitrary style in one pass (--fast)")
    group.add_argument(
        "--fast", action="store_true",
        help="any --style picture in one pass (a trained decoder) instead of optimization",
    )  # fmt: skip
    group.add_argument(
        "--transform", default="wct", metavar="SPEC",
        help="inter (= wct: the whole texture), intra (= transport: each feature's values), "
        "bn (= adain: means and deviations), or a fusion such as wct=0.7,intra=0.3",
    )  # fmt: skip
    group.add_argument(
        "--passes", type=int, default=1, metavar="N",
        help="levels the style is matched at, coarse to fine: 1 (the default) is fastest and "
        "softest; 2 and 3 add crisper marks and the style's contrast, and take more of the photo",
    )  # fmt: skip
    group.add_argument(
        "--decoder", metavar="FILE", action="append",
        help="decoder file, repeated for each level --passes uses (default: "
        "decoder-LEVEL.safetensors in the user's models folder, else the shipped one); runs in "
        "this process, never through a daemon",
    )  # fmt: skip


def fast_params(args: argparse.Namespace) -> ArbitraryParams:
    """The run's ArbitraryParams from the flags (in this process or through a daemon alike);
    CliError for flags the arbitrary path cannot use."""
    from stylebridge.core.arbitrary import ArbitraryParams

    if not args.style:
        raise CliError("--fast needs at least one --style (any picture, or a bundled style name)")
    if args.model or args.blend:
        raise CliError("--fast paints --style pictures; --model/--blend belong to the network path")
    params = ArbitraryParams(
        transform=args.transform, strength=args.strength, stroke=args.stroke or 1.0,
        passes=args.passes, size_px=args.size or None,
        preserve_color=args.preserve_color or "none",
    )  # fmt: skip
    params.check()
    return params


def run_fast(args: argparse.Namespace) -> int:
    """Load the photo, styles and decoders, paint, save."""
    from stylebridge.cli.run_report import report_saved
    from stylebridge.cli.stylize_inputs import check_output_path, input_files, parse_weights
    from stylebridge.config import paths
    from stylebridge.core.arbitrary import stylize_arbitrary
    from stylebridge.core.arbitrary_params import style_decode_px
    from stylebridge.core.decoder_file import installed_decoder_path, load_decoder
    from stylebridge.core.decoder_levels import levels_for
    from stylebridge.core.images import fit_long_side, load_image, load_mask, save_image
    from stylebridge.core.resources import resolve_device
    from stylebridge.core.style_library import resolve_style
    from stylebridge.core.vgg_weights import load_vgg19

    params = fast_params(args)
    output = Path(args.output)
    check_output_path(output, input_files(args), args.overwrite)
    weights = parse_weights(args.style_weights, len(args.style))
    decoder_paths = [Path(file) for file in args.decoder or ()] or [
        installed_decoder_path(paths().models_dir, level) for level in levels_for(params.passes)
    ]
    for path in decoder_paths:
        if not path.is_file():
            raise CliError(f"no decoder file at {path}")
    device = resolve_device(args.device or "auto")
    decoders = [load_decoder(path).decoder.to(device) for path in decoder_paths]
    vgg = load_vgg19(pooling="max", device=str(device))
    photo = load_image(args.content, at_least_px=args.size or None)
    height, width = photo.shape[-2:]
    out_hw = fit_long_side(height, width, args.size) if args.size else (height, width)
    # Styles are resized to the result's area times stroke²: decode huge files no larger.
    style_px = style_decode_px(max(out_hw), params.stroke)
    styles = [load_image(resolve_style(s), at_least_px=style_px) for s in args.style]
    mask = load_mask(args.mask, out_hw) if args.mask else None
    started = time.perf_counter()
    result = stylize_arbitrary(photo, styles, decoders, vgg, params, weights, mask)
    save_image(result, output)
    report_saved(args, output, result, started)
    return 0
