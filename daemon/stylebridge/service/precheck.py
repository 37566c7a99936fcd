"""What a stylize request can be refused for before it is queued, so it gets its error as the
only event instead of after `accepted` (weights were normalised when it was parsed): styles,
model and library names (the model files' metadata answers those), the optimize path's method,
images too thin to optimize, and the arbitrary path's decoder file.

The runner checks the same things again when the job runs: a model file can change meanwhile.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from stylebridge.service import protocol as wire
from stylebridge.service.protocol import ProtocolError
from stylebridge.service.requests import StylizeSpec

if TYPE_CHECKING:  # the core imports torch: loaded only when a check needs it
    from stylebridge.core.optimize import OptimizeParams


def _check_network(spec: StylizeSpec, values: dict[str, Any], device_type: str) -> None:
    from stylebridge.service.catalog import model_style_entries

    if not spec.styles:
        raise ProtocolError("bad_request", "the network path needs at least one style")
    if any(style.is_custom for style in spec.styles):
        raise ProtocolError(
            "bad_request",
            "the network path takes only the model's styles; custom style images need "
            "path 'optimize'",
        )
    picture_px = int(values.get("picture_px") or 0)
    long_side = max(spec.image.height, spec.image.width)
    if 0 < picture_px < long_side:
        raise ProtocolError(
            "bad_parameter",
            f"picture_px ({picture_px}) must be at least the image's long side ({long_side})",
        )
    known = [name for name, _ in model_style_entries(spec.model)]
    for style in spec.styles:
        if style.name not in known:
            raise ProtocolError(
                "unknown_style",
                f"the model has no style {wire.shown(style.name)}; known: {known}",
            )


def _library_sizes(spec: StylizeSpec) -> list[tuple[str, tuple[int, int]]]:
    """(name, (H, W)) of every style, library ones read from their file headers."""
    from PIL import Image

    from stylebridge.core.style_library import list_styles

    library = list_styles()
    sizes: list[tuple[str, tuple[int, int]]] = []
    for index, style in enumerate(spec.styles):
        if style.name is not None:
            if style.name not in library:
                raise ProtocolError(
                    "unknown_style",
                    f"no library style {wire.shown(style.name)}; known: {sorted(library)}",
                )
            with Image.open(library[style.name]) as picture:  # reads the header only
                sizes.append((style.name, (picture.height, picture.width)))
        elif style.picture is not None:
            fmt = spec.style_pictures[style.picture]
            sizes.append((f"image {index + 1}", (fmt.height, fmt.width)))
    return sizes


def optimize_params(
    spec: StylizeSpec, device_type: str, extra: dict[str, Any] | None = None
) -> OptimizeParams:
    """The OptimizeParams an optimize job runs with, for the runner and the checks alike: a
    preset fills size and scales for the device. Without an explicit size the job works at the
    layer's long side when that is smaller (a preset never scales a small layer up), enlarged
    only as far as keeping 16 px on every side of the layer and styles needs; without explicit
    scales it drops the coarse ones that could not keep them, and without explicit steps a
    preset's smaller size gets more of them (optimize_presets.steps_at_size)."""
    from stylebridge.core.optimize import OptimizeParams

    given = {**spec.params, **(extra or {})}
    names = [style.name for style in spec.styles]  # None: a picture the network cannot paint
    params = OptimizeParams.from_values({**given, "device": device_type}, names)
    if "size" in given:
        return params
    hw, sizes = (spec.image.height, spec.image.width), _library_sizes(spec)
    size = min(params.size, max(hw))
    while size < params.size and not _fits(hw, sizes, size, 1):
        size += 1
    if size != params.size:  # as if given: a preset's steps follow it (steps_at_size)
        params = OptimizeParams.from_values({**given, "device": device_type, "size": size}, names)
    if "scales" in given:
        return params
    scales = next((n for n in range(params.scales, 1, -1) if _fits(hw, sizes, size, n)), 1)
    return dataclasses.replace(params, scales=scales)


def _fits(
    hw: tuple[int, int], sizes: list[tuple[str, tuple[int, int]]], size: int, scales: int
) -> bool:
    """True when the layer and every style keep 16 px a side at every scale."""
    from stylebridge.core.image_sides import check_optimize_sides

    try:
        check_optimize_sides(hw, sizes, size, scales)
    except ValueError:
        return False
    return True


def _check_optimize(spec: StylizeSpec, values: dict[str, Any], device_type: str) -> None:
    from stylebridge.core.image_sides import check_optimize_sides
    from stylebridge.core.method_names import parse_method_spec
    from stylebridge.service.runner import torchvision_weights_file

    if not spec.styles:
        raise ProtocolError("bad_request", "the optimize path needs at least one style")
    try:
        parse_method_spec(str(values.get("method", "gram")))
    except ValueError as e:
        raise ProtocolError("unknown_method", str(e)) from None
    sizes = _library_sizes(spec)
    try:
        params = optimize_params(spec, device_type)  # as the runner builds them
        hw = (spec.image.height, spec.image.width)
        check_optimize_sides(hw, sizes, params.size, params.scales)
    except ValueError as e:
        raise ProtocolError("bad_pixels", str(e)) from None
    if params.vgg == "torchvision":
        torchvision_weights_file()  # missing: refused now, never downloaded at job time


def _check_arbitrary(spec: StylizeSpec, values: dict[str, Any], device_type: str) -> None:
    """Styles and library names; the decoders of the levels `passes` uses installed. Any layer
    size works: a thin one is padded for the encoder and cropped back."""
    from stylebridge.core.decoder_levels import levels_for
    from stylebridge.service.arbitrary_runner import decoder_file

    if not spec.styles:
        raise ProtocolError("bad_request", "the arbitrary path needs at least one style")
    _library_sizes(spec)  # unknown_style for a name that is not in the library
    for level in levels_for(int(values.get("passes", 1))):
        decoder_file(level)


CHECKS: dict[str, Callable[[StylizeSpec, dict[str, Any], str], None]] = {
    wire.PATH_NETWORK: _check_network,
    wire.PATH_OPTIMIZE: _check_optimize,
    wire.PATH_ARBITRARY: _check_arbitrary,
}


def _device_type(devices: tuple[str, ...]) -> str:
    return devices[0].split(":")[0] if devices else "cpu"


def effective_values(
    spec: StylizeSpec, values: dict[str, Any], devices: tuple[str, ...]
) -> dict[str, Any]:
    """The values the job will run with, for the memory check: on the optimize path those of
    `optimize_params` replace the defaults that `checked_params` filled in."""
    if spec.path != wire.PATH_OPTIMIZE:
        return values
    return dataclasses.asdict(optimize_params(spec, _device_type(devices)))


def check_before_queue(spec: StylizeSpec, values: dict[str, Any], devices: tuple[str, ...]) -> None:
    """ProtocolError for anything wrong with the request that needs no pixels decoded; `values`
    are the checked parameters, `devices` the daemon's (a preset depends on the device type)."""
    check = CHECKS.get(spec.path)
    if check is not None:
        check(spec, values, _device_type(devices))
