"""The arbitrary-style path's job: the feature decoders and VGG-19 (max pooling) kept warm in the
model cache, any style picture painted in one pass (core/arbitrary.py).

Which decoders: those of the levels the job's `passes` uses, each from
`core.decoder_file.installed_decoder_path` (the user's models folder, else the one shipped in the
package). A wire client can never name a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from stylebridge.service.jobs import Job
from stylebridge.service.model_cache import ModelCache
from stylebridge.service.protocol import ProtocolError
from stylebridge.service.runner import (
    Report,
    Result,
    cached_file_model,
    cached_vgg,
    finish,
    is_out_of_memory,
    source_pixels,
    style_images,
)


def decoder_file(level: str = "relu4_1") -> Path:
    """A level's decoder file; ProtocolError(bad_model) when there is none."""
    from stylebridge.config import paths
    from stylebridge.core.decoder_file import installed_decoder_path

    path = installed_decoder_path(paths().models_dir, level)
    if not path.is_file():
        raise ProtocolError(
            "bad_model",
            f"model {path.stem!r} cannot be used: no decoder file is installed (neither shipped "
            "with the package nor in the user's models folder)",
        )
    return path


def load_cached_decoders(passes: int, device: str, cache: ModelCache) -> list[Any]:
    """The FeatureDecoders of the levels `passes` uses, on `device`, through the cache;
    ProtocolError(bad_model) with the reason when a file is missing, corrupt or not a decoder."""
    from stylebridge.core.decoder_file import load_decoder
    from stylebridge.core.decoder_levels import levels_for
    from stylebridge.service.catalog import bad_model

    decoders = []
    for path in map(decoder_file, levels_for(passes)):

        def load(path: Path = path) -> Any:
            try:
                return load_decoder(path).decoder.to(device)
            except (ValueError, RecursionError, OSError) as e:
                raise bad_model(path.stem, path, e) from None

        name = f"decoder {path.stem.removeprefix('decoder-')} on {device}"
        decoders.append(cached_file_model("decoder", path, device, cache, load, name))
    return decoders


def run_arbitrary(job: Job, device: str, cache: ModelCache, report: Report) -> Result:
    """Paint the layer with the job's styles; the selection is applied by `finish`."""
    from stylebridge.core.arbitrary import ArbitraryParams, stylize_arbitrary
    from stylebridge.core.arbitrary_params import style_decode_px

    params = ArbitraryParams.from_values(job.values)
    decoders = load_cached_decoders(params.passes, device, cache)
    vgg = cached_vgg("caffe", "max", device, cache)
    source = source_pixels(job)
    result_long_px = params.size_px or max(source.decoded.rgb.shape[-2:])
    # Library styles decoded whole (no smaller than needed), as `stylize --fast` reads them.
    styles, weights = style_images(job, style_decode_px(result_long_px, params.stroke), None)
    try:
        result = stylize_arbitrary(
            source.decoded.rgb, styles, decoders, vgg, params, weights,
            progress=report, should_cancel=job.should_cancel,
        )  # fmt: skip
    except (RuntimeError, MemoryError) as e:
        if is_out_of_memory(e) and device.startswith("cuda"):
            torch.cuda.empty_cache()  # the worker answers out_of_memory and empties the cache
        raise
    return finish(job, source, result)
