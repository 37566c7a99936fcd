"""`stylebridge stylize --daemon auto|require|off`: the same run through a running daemon.

auto (the default) uses a daemon when one answers at the default endpoint and the flags can travel
over the wire, else runs in this process; require fails without one; off never asks. The content
is sent at the size the in-process run would produce, so both give the same picture.
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path
from typing import Any

from torch import Tensor

from stylebridge.cli import stylize_inputs as inputs
from stylebridge.cli.main import CliError
from stylebridge.cli.run_report import ProgressBar, report_saved
from stylebridge.client import Client, DaemonError, DaemonUnavailable, JobProgress, default_endpoint
from stylebridge.core import pixels
from stylebridge.pixel_layout import PixelLayout, packed_layout, result_layout

log = logging.getLogger(__name__)
MODES = ("auto", "require", "off")
PROBE_TIMEOUT_S = 0.5
JOB_SILENCE_S = 30.0


def add_daemon_argument(parser: argparse.ArgumentParser) -> None:
    """The --daemon flag."""
    parser.add_argument(
        "--daemon", choices=MODES, default="auto",
        help="auto: use a running daemon if there is one (default); require; off: in-process",
    )  # fmt: skip


def why_local(args: argparse.Namespace) -> str | None:
    """The flag that cannot travel to a daemon, or None."""
    from stylebridge.service.protocol import SAFE_INITS, is_model_name

    for flag, given in (
        ("--decoder FILE", bool(getattr(args, "decoder", None))),
        ("--style-mask", bool(args.style_mask)),
        ("--save-every", bool(args.save_every)),
        ("--device", bool(args.device)),
        ("--init FILE", getattr(args, "init", None) not in (None, *SAFE_INITS)),
        ("--model FILE", bool(args.model) and not is_model_name(args.model)),
    ):
        if given:
            return flag
    return None


def connect(mode: str) -> Client | None:
    """A client of the running daemon, or None (auto) / CliError (require) when none answers."""
    from stylebridge.service.endpoints import ipc_path

    endpoint = default_endpoint()
    socket_file = ipc_path(endpoint)
    client = None
    if socket_file is None or socket_file.exists():
        client = Client(endpoint, timeout_s=PROBE_TIMEOUT_S, tries=1)
        try:
            client.ping()
            client.timeout_s = JOB_SILENCE_S
            return client
        except DaemonUnavailable:
            client.close()
    if mode == "require":
        raise CliError(f"no daemon is answering on {endpoint} (start one: stylebridge daemon)")
    return None


def rgb8(image: Tensor) -> tuple[bytes, PixelLayout]:
    """(1, 3, H, W) in [0, 1] -> packed RGB uint8 pixels and their layout."""
    layout = packed_layout(image.shape[-1], image.shape[-2], "RGB", "uint8")
    return pixels.encode(image, None, layout), layout


def style_fields(styles: list[str], weights: list[float], style_px: int) -> dict[str, Any]:
    """Client.stylize's style_names (bundled styles, by name) and styles (files, as pixels
    decoded no smaller than `style_px`)."""
    from stylebridge.core.images import load_image
    from stylebridge.core.style_library import list_styles

    library = list_styles()
    pairs = list(zip(styles, weights, strict=True))
    names = {s: w for s, w in pairs if s in library and not Path(s).exists()}
    custom = []
    for style, weight in pairs:
        if style not in names:
            data, layout = rgb8(load_image(style, at_least_px=style_px))
            custom.append((data, layout.to_wire(), weight))
    return {"style_names": names, "styles": custom}


def mask_field(args: argparse.Namespace, layout: PixelLayout) -> dict[str, Any]:
    """Client.stylize's mask (one byte per pixel of the sent image) when --mask is given."""
    from stylebridge.core.images import load_mask

    if not args.mask:
        return {}
    mask = load_mask(args.mask, (layout.height, layout.width))
    return {"mask": mask.mul(255).round().byte().numpy().tobytes()}


def optimize_request(args: argparse.Namespace) -> dict[str, Any]:
    """Client.stylize keyword arguments for the optimization path."""
    from stylebridge.core.images import load_image

    inputs.require_styles(args)
    values = inputs.optimize_values(args)
    size = inputs.optimize_size_px(values)
    content = load_image(args.content, long_side_px=size, at_least_px=size)
    weights = inputs.parse_weights(args.style_weights, len(args.style)) or [1.0] * len(args.style)
    image, layout = rgb8(content)
    request: dict[str, Any] = {"image": image, "image_format": layout.to_wire(), "params": values}
    style_px = max(size, inputs.STYLE_DECODE_PX)
    request.update(path="optimize", **style_fields(args.style, weights, style_px))
    return {**request, **mask_field(args, layout)}


def arbitrary_request(args: argparse.Namespace) -> dict[str, Any]:
    """Client.stylize keyword arguments for the arbitrary-style path (--fast): the photo at the
    result's size, as the in-process run paints it."""
    from stylebridge.cli.stylize_fast import fast_params
    from stylebridge.core.arbitrary_params import style_decode_px
    from stylebridge.core.images import load_image

    params = fast_params(args)
    size = args.size or None
    image, layout = rgb8(load_image(args.content, long_side_px=size, at_least_px=size))
    weights = inputs.parse_weights(args.style_weights, len(args.style)) or [1.0] * len(args.style)
    style_px = style_decode_px(max(layout.width, layout.height), params.stroke)
    values = {"transform": params.transform, "strength": params.strength, "stroke": params.stroke,
              "passes": params.passes, "size_px": 0,
              "preserve_color": params.preserve_color}  # fmt: skip
    request: dict[str, Any] = {"image": image, "image_format": layout.to_wire(), "params": values}
    request.update(path="arbitrary", **style_fields(args.style, weights, style_px))
    return {**request, **mask_field(args, layout)}


def request_for(args: argparse.Namespace, client: Client) -> dict[str, Any]:
    """Client.stylize keyword arguments for the path the flags choose."""
    if getattr(args, "fast", False):
        return arbitrary_request(args)
    return network_request(args, client) if args.model else optimize_request(args)


def network_request(args: argparse.Namespace, client: Client) -> dict[str, Any]:
    """Client.stylize keyword arguments for the network path."""
    from stylebridge.core.images import load_image
    from stylebridge.core.params import parse_named_weights

    inputs.check_network_flags(args)
    blend: dict[str, float] = {}
    for name, weight in parse_named_weights(args.blend, "blend") if args.blend else ():
        blend[name] = blend.get(name, 0.0) + weight
    if not blend:
        blend = {client.list_styles(path="network", model=args.model)[0]["name"]: 1.0}
    size = args.size or None
    image, layout = rgb8(load_image(args.content, long_side_px=size, at_least_px=size))
    params = {"strength": args.strength, "tile_px": args.tile, "size_px": 0,
              "preserve_color": args.preserve_color or "none", "stroke": args.stroke}  # fmt: skip
    return {"image": image, "image_format": layout.to_wire(), "params": params, "path": "network",
            "style_names": blend, "model": args.model}  # fmt: skip


def stylize(args: argparse.Namespace, client: Client) -> int:
    """Run the job on the daemon and save the result like the in-process path."""
    from stylebridge.core.images import save_image
    from stylebridge.core.progress import Progress

    output = Path(args.output)
    inputs.check_output_path(output, inputs.input_files(args), args.overwrite)
    bar = None if args.quiet else ProgressBar()
    started = time.perf_counter()

    def on_progress(p: JobProgress) -> None:
        if bar is not None and p.total > 0:
            bar.update(Progress(p.step, p.total, p.loss, time.perf_counter() - started, p.eta_s))

    try:  # list_styles (network_request) can be refused too, e.g. bad_model
        request = request_for(args, client)
        data, fmt = client.stylize(on_progress=on_progress, **request)
    except DaemonError as e:
        raise CliError(f"the daemon refused the job: {e.message} ({e.code})") from None
    result = pixels.decode(data, result_layout(fmt)).rgb
    save_image(result, output)
    report_saved(args, output, result, started, ", via the daemon")
    return 0


def run_through_daemon(args: argparse.Namespace) -> int | None:
    """The exit code of a run done by a daemon, or None when this process should do it."""
    mode = getattr(args, "daemon", "off")
    if mode == "off":
        return None
    reason = why_local(args)
    if reason is not None:
        if mode == "require":
            raise CliError(f"{reason} cannot be used through the daemon; use --daemon off")
        return None
    client = connect(mode)
    if client is None:
        return None
    with client:
        try:
            return stylize(args, client)
        except DaemonUnavailable as e:
            if mode == "require":
                raise CliError(str(e)) from None
            log.warning("the daemon went away (%s); running in this process", e)
            return None
