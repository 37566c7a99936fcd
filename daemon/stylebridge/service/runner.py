"""Run one stylize job on a device: decode pixels, call the core, encode the result.

Wire values never reach the file system: style and model names must be listed names, and the
optimisation path's `init` may only be one of protocol.SAFE_INITS (path_parameters.py);
"auto" is resolved by precheck.optimize_params before the run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import torch
from torch import Tensor

from stylebridge.core import pixels
from stylebridge.core.progress import Progress
from stylebridge.pixel_layout import PixelLayout
from stylebridge.service import protocol as wire
from stylebridge.service.jobs import Job
from stylebridge.service.model_cache import ModelCache
from stylebridge.service.protocol import ProtocolError

Report = Callable[[Progress], None]
Result = tuple[Any, dict[str, Any]]
OOM_TILES_PX = (512, 256)
PREVIEW_EVERY_STEPS = 5  # with `preview: true` and no preview_every (the worker sends <= 1/s)
LIBRARY_STYLE_PX = 1024  # optimize path: library styles are resized to this long side


# How allocators say it: CUDA ("CUDA out of memory"), torch's CPU allocator ("DefaultCPUAllocator:
# can't allocate memory ... Error code 12 (Cannot allocate memory)", e.g. under `ulimit -v`).
OUT_OF_MEMORY_TEXTS = ("out of memory", "can't allocate memory", "Cannot allocate memory")


def is_out_of_memory(error: BaseException) -> bool:
    """CUDA or CPU out of memory (torch's errors, or Python's MemoryError from numpy and others)."""
    if isinstance(error, torch.OutOfMemoryError | MemoryError):
        return True
    return any(text in str(error) for text in OUT_OF_MEMORY_TEXTS)


class SourcePixels(NamedTuple):
    """The job's image decoded once, for the core and again for `finish`: its layout, pixels
    and the selection mask (None without one)."""

    layout: PixelLayout
    decoded: pixels.Decoded
    mask: Tensor | None


def source_pixels(job: Job) -> SourcePixels:
    """Decode the job's image frame (and mask frame): once per job."""
    layout = job.spec.image
    decoded = pixels.decode(job.frames[0], layout)
    mask = None
    if job.spec.has_mask:
        mask = pixels.decode_mask(job.frames[1], layout.width, layout.height)
    return SourcePixels(layout, decoded, mask)


def finish(job: Job, source: SourcePixels, result_rgb: Tensor) -> Result:
    """Resize the core's result to the layer's size and encode it in the layer's format, the
    selection keeping `source`'s pixels outside it. The descriptor also says the long side the
    result was made at (`working_px`): an editor whose preset let the daemon pick the size learns
    that the layer was scaled up from it."""
    from stylebridge.core.images import resize

    layout = source.layout
    rgb = resize(result_rgb.float().cpu(), (layout.height, layout.width)).clamp(0, 1)
    selected = pixels.apply_selection(source.decoded, rgb, source.mask)
    descriptor = {**layout.to_wire(), "working_px": max(result_rgb.shape[-2:])}
    return pixels.encode(selected.rgb, selected.alpha, layout), descriptor


def _echo(job: Job, device: str, cache: ModelCache, report: Report) -> Result:
    """The pixels untouched (transport benchmarks only)."""
    return job.frames[0], job.spec.image.to_wire()


def style_images(
    job: Job, size_px: int, library_px: int | None = LIBRARY_STYLE_PX
) -> tuple[list[Tensor], list[float]]:
    """Library styles and custom style frames; custom frames are decoded near `size_px` (the
    long side the core resizes them to), never at their full size. Library styles are resized
    to `library_px`, or with None decoded whole but no smaller than `size_px`."""
    from stylebridge.core.images import load_image
    from stylebridge.core.style_library import list_styles

    library = list_styles()
    images: list[Tensor] = []
    for style in job.spec.styles:
        if style.name is not None:
            if style.name not in library:
                raise ProtocolError(
                    "unknown_style", f"no library style {style.name!r}; known: {sorted(library)}"
                )
            at_least = None if library_px else size_px
            images.append(load_image(library[style.name], library_px, at_least_px=at_least))
        elif style.picture is not None:
            layout = job.spec.style_pictures[style.picture]
            frame = job.frames[job.spec.picture_frame(style.picture)]
            images.append(pixels.decode_at_most(frame, layout, size_px).rgb)
    if not images:
        raise ProtocolError("bad_request", f"the {job.spec.path} path needs at least one style")
    return images, [s.weight for s in job.spec.styles]  # normalised when the request was parsed


def torchvision_weights_file() -> Any:
    """The cached torchvision VGG-19 file; ProtocolError when absent: the daemon never downloads
    (a job must not reach the network), and the message names no server path."""
    from stylebridge.config import paths
    from stylebridge.core.vgg_weights import TORCHVISION_WEIGHTS_FILE

    path = paths().weights_cache_dir / TORCHVISION_WEIGHTS_FILE
    if not path.is_file():
        raise ProtocolError(
            "bad_parameter",
            "vgg 'torchvision': its VGG-19 weights are not on the daemon's machine and the daemon "
            "never downloads; use vgg 'caffe' (shipped), or run one optimization with "
            "`stylebridge stylize --vgg torchvision` there first",
        )
    return path


def _cached_vgg(params: Any, cache: ModelCache) -> Any:
    """The optimize job's VGG-19 (its `vgg`, `pooling` and `device`), through the cache."""
    from stylebridge.core.resources import resolve_device

    return cached_vgg(params.vgg, params.pooling, str(resolve_device(params.device)), cache)


def cached_vgg(source: str, pooling: str, device: str, cache: ModelCache) -> Any:
    """VGG-19 built uncached and kept only by the daemon's LRU cache, so eviction frees it."""
    from stylebridge.core.vgg_weights import build_vgg19

    key = ("vgg19", source, pooling, device)
    weights = torchvision_weights_file() if source == "torchvision" else None
    return cache.get(
        key,
        lambda: build_vgg19(source, pooling, weights_file=weights).to(device),  # type: ignore[arg-type]
        name=f"vgg19 {source} {pooling} on {device}",
    )


def _optimize(job: Job, device: str, cache: ModelCache, report: Report) -> Result:
    from stylebridge.core.optimize import stylize_optimize
    from stylebridge.core.optimize_start import start_picture
    from stylebridge.service.precheck import optimize_params

    extra: dict[str, Any] = {}  # the request's own values: filled-in defaults would beat a preset
    if job.spec.preview and not job.spec.params.get("preview_every"):  # preview: true alone
        extra["preview_every"] = PREVIEW_EVERY_STEPS  # asks for previews
    params = optimize_params(job.spec, device.split(":")[0], extra)
    source = source_pixels(job)
    vgg = _cached_vgg(params, cache)
    styles, weights = style_images(job, params.size)
    init_image = start_picture(
        params.init, source.decoded.rgb, styles, [style.name for style in job.spec.styles],
        weights, params.size, torch.device(device), _start_models(params.init, device, cache),
    )  # fmt: skip
    result = stylize_optimize(
        source.decoded.rgb,
        styles,
        params,
        weights,
        progress=report,
        should_cancel=job.at_step_boundary,  # a long optimization yields to other clients
        vgg=vgg,
        init_image=init_image,
    )
    return finish(job, source, result)


def _start_models(init: str, device: str, cache: ModelCache) -> Any:
    """The warm models (optimize_start.StartModels) the optimization's start needs."""
    from stylebridge.core.arbitrary_init import ARBITRARY_INIT, START_PASSES
    from stylebridge.core.network_init import NETWORK_INIT
    from stylebridge.core.optimize_start import StartModels

    if init == NETWORK_INIT:
        return StartModels(network=load_network("default", device, cache))
    if init == ARBITRARY_INIT:
        from stylebridge.service.arbitrary_runner import load_cached_decoders

        decoder = load_cached_decoders(START_PASSES, device, cache)[0]
        return StartModels(decoder=decoder, vgg=cached_vgg("caffe", "max", device, cache))
    return StartModels()


def cached_file_model(
    kind: str, path: Path, device: str, cache: ModelCache, load: Callable[[], Any], name: str
) -> Any:
    """load() of the model file at `path` for `device`, through the cache; a file that changed
    since it was cached (`stylebridge add-style`, a new decoder) is loaded again."""
    from stylebridge.service.catalog import file_signature

    place = (kind, str(path), device)
    key = (*place, file_signature(path))
    cache.discard_if(lambda k: isinstance(k, tuple) and k[:3] == place and k != key)
    return cache.get(key, load, name=name)


def load_network(name: str, device: str, cache: ModelCache) -> Any:
    """The named model (core.model_file.LoadedModel) on `device`, through the cache."""
    from stylebridge.core.model_file import load_model
    from stylebridge.service.catalog import bad_model, model_path

    path = model_path(name)

    def load() -> Any:
        from stylebridge.core.feedforward import prepare_network

        try:
            loaded = load_model(path)
        except (ValueError, RecursionError, OSError) as e:
            raise bad_model(name, path, e) from None
        return dataclasses.replace(loaded, network=prepare_network(loaded.network, device))

    return cached_file_model("network", path, device, cache, load, f"network {name} on {device}")


def _style_vector(job: Job, style_names: tuple[str, ...]) -> Tensor:
    """(S,) weights over the model's styles; they sum to 1 as the request's (normalised) do."""
    weights = torch.zeros(len(style_names))
    for style in job.spec.styles:
        if style.name is None:
            raise ProtocolError("bad_request", "the network path takes only the model's styles")
        if style.name not in style_names:
            raise ProtocolError(
                "unknown_style",
                f"the model has no style {style.name!r}; known: {list(style_names)}",
            )
        weights[style_names.index(style.name)] += style.weight
    return weights


def _network(job: Job, device: str, cache: ModelCache, report: Report) -> Result:
    from functools import partial

    from stylebridge.core.feedforward import stylize_network
    from stylebridge.service.shots import SHOT_PARAMETER, run_in_shot

    # The job's shot (job.shot) carries the shot parameter: its statistics.
    values = {k: v for k, v in job.values.items() if k != SHOT_PARAMETER}
    loaded = load_network(job.spec.model, device, cache)
    weights = _style_vector(job, tuple(loaded.metadata.style_names)).to(device)
    source = source_pixels(job)
    image = source.decoded.rgb.to(device)
    tries = (values.get("tile_px"), *OOM_TILES_PX)
    for attempt, tile_px in enumerate(tries):
        try:
            run_once = partial(
                stylize_network,
                loaded.network,
                image,
                weights,
                **{**values, "tile_px": tile_px},
                progress=report,
                should_cancel=job.should_cancel,
            )
            return finish(job, source, run_in_shot(job.shot, run_once, device, job.should_cancel))
        except (RuntimeError, MemoryError) as e:
            if not is_out_of_memory(e) or attempt == len(tries) - 1:
                raise
            if device.startswith("cuda"):
                torch.cuda.empty_cache()
    raise AssertionError("unreachable")


def _arbitrary(job: Job, device: str, cache: ModelCache, report: Report) -> Result:
    from stylebridge.service.arbitrary_runner import run_arbitrary

    return run_arbitrary(job, device, cache, report)


RUNNERS: dict[str, Callable[[Job, str, ModelCache, Report], Result]] = {
    wire.PATH_ECHO: _echo,
    wire.PATH_OPTIMIZE: _optimize,
    wire.PATH_NETWORK: _network,
    wire.PATH_ARBITRARY: _arbitrary,
}


def run_job(job: Job, device: str, cache: ModelCache, report: Report) -> Result:
    """(result pixels, format) for `job`; raises ProtocolError, Cancelled, ValueError, OOM."""
    return RUNNERS[job.spec.path](job, device, cache, report)
