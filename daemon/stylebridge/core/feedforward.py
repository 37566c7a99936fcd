"""Network inference: style blends, strength, per-pixel blend maps, and seamless tiling with
instance-norm statistics shared by every tile (Dumoulin et al. 2017, METHODS §5.7)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import torch
from torch import Tensor
from torch.nn import functional

from stylebridge.core import stroke as stroke_size
from stylebridge.core.cin import NormStats
from stylebridge.core.color import combine_luminance, match_histogram
from stylebridge.core.errors import Cancelled
from stylebridge.core.images import fit_long_side
from stylebridge.core.network_progress import block_progress, network_blocks
from stylebridge.core.params import parse_named_weights
from stylebridge.core.progress import Progress
from stylebridge.core.style_weights import checked_style_weights
from stylebridge.core.tiling import GRID_PX, Tile, run_tiled
from stylebridge.core.transformer import StyleNetwork
from stylebridge.stroke_scale import processing_long_side

DEFAULT_OVERLAP_PX = 64
# Instance statistics for tiled runs are measured on the whole image downscaled to this side.
DEFAULT_STATS_PX = 1024
MIN_SIDE_PX = 2 * GRID_PX  # smaller inputs are padded up to it (replicated edge) and cropped back


def weight_row(style_weights: Tensor, num_styles: int) -> Tensor:
    """(S,) weights that sum to 1 -> (1, S) float32; checked, never re-scaled: the caller
    normalised them (core/style_weights.py)."""
    checked_style_weights(style_weights, num_styles)
    return torch.as_tensor(style_weights, dtype=torch.float32).flatten()[None]


def _pad_to_grid(image: Tensor) -> tuple[Tensor, int, int]:
    h, w = image.shape[-2:]
    # At least MIN_SIDE_PX: the network's reflection padding fails on sides under 5 px.
    pad_h, pad_w = max(-h % GRID_PX, MIN_SIDE_PX - h), max(-w % GRID_PX, MIN_SIDE_PX - w)
    if pad_h or pad_w:
        mode = "reflect" if min(h, w) > max(pad_h, pad_w) else "replicate"
        image = functional.pad(image, (0, pad_w, 0, pad_h), mode=mode)
    return image, h, w


def _resize_long_side(image: Tensor, size_px: int) -> Tensor:
    h, w = image.shape[-2:]
    if size_px < GRID_PX:
        raise ValueError(f"size must be >= {GRID_PX} px, got {size_px}")
    scale = size_px / max(h, w)
    size = (max(1, round(h * scale)), max(1, round(w * scale)))
    if size == (h, w):
        return image
    mode = "area" if scale < 1 else "bicubic"
    return functional.interpolate(image, size=size, mode=mode).clamp(0, 1)


def _downscale(image: Tensor, max_side_px: int) -> Tensor:
    h, w = image.shape[-2:]
    scale = min(1.0, max_side_px / max(h, w))
    size = (
        max(MIN_SIDE_PX, round(h * scale / GRID_PX) * GRID_PX),
        max(MIN_SIDE_PX, round(w * scale / GRID_PX) * GRID_PX),
    )
    if size == (h, w):
        return image
    return functional.interpolate(image, size=size, mode="area")


def shared_stats(network: StyleNetwork, image: Tensor, weights: Tensor, stats_px: int) -> NormStats:
    """Every CIN layer's statistics, measured once on the whole image (downscaled to stats_px)."""
    small = _downscale(image, stats_px)
    if weights.dim() == 4:
        weights = functional.interpolate(weights, size=small.shape[-2:], mode="bilinear")
    stats = NormStats(mode="record")
    network(small, weights, stats)
    return stats


def _run_network(
    network: StyleNetwork,
    image: Tensor,
    weights: Tensor,
    tile_px: int | None,
    stats_px: int,
    progress: Callable[[Progress], None] | None,
    should_cancel: Callable[[], bool] | None,
    given: NormStats | None = None,
) -> Tensor:
    h, w = image.shape[-2:]
    if given is not None and given.mode == "replay":
        given = given.replay()  # a fresh cursor: the same statistics may serve many runs
    if tile_px is None or max(h, w) <= tile_px:
        return network(image, weights, given).float()
    stats = given if given is not None and given.mode == "replay" else None
    if stats is None:
        stats = shared_stats(network, image, weights, stats_px)
        if given is not None:
            given.values.extend(stats.values)

    def run(tile: Tile) -> Tensor:
        rows = slice(tile.top, tile.top + tile.height)
        cols = slice(tile.left, tile.left + tile.width)
        tile_weights = weights[:, :, rows, cols] if weights.dim() == 4 else weights
        return network(image[:, :, rows, cols], tile_weights, stats.replay())

    overlap = min(DEFAULT_OVERLAP_PX, tile_px // 4)
    return run_tiled(run, h, w, tile_px, overlap, image.device, progress, should_cancel)


def _check_inputs(image: Tensor, strength: float) -> None:
    if not 0.0 <= strength <= 1.0:
        raise ValueError(f"strength must be in [0, 1], got {strength}")
    if image.dim() != 4 or image.shape[:2] != (1, 3):
        raise ValueError(f"image must be (1, 3, H, W), got {tuple(image.shape)}")


# A network sees no colour option while it runs, so colour is restored afterwards from the input.
PRESERVE_COLOR: dict[str, Callable[[Tensor, Tensor], Tensor]] = {
    "none": lambda out, _image: out,
    "luminance": lambda out, image: combine_luminance(out, image).clamp(0, 1),
    "histogram": lambda out, image: match_histogram(out, image).clamp(0, 1),
}


def stylize_network(
    model: StyleNetwork,
    image: Tensor,
    style_weights: Tensor,
    strength: float = 1.0,
    tile_px: int | None = None,
    blend_map: Tensor | None = None,
    progress: Callable[[Progress], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    size_px: int | None = None,
    stats_px: int = DEFAULT_STATS_PX,
    preserve_color: str = "none",
    stroke: float = 1.0,
    stats: NormStats | None = None,
    picture_px: int = 0,
) -> Tensor:
    """(1, 3, H, W) RGB [0, 1] -> stylized (1, 3, H', W') float32 on the image's device.

    style_weights (S,) sum to 1 (the caller normalised them; checked here). blend_map
    (1, S, H, W), if given, varies them per pixel (normalised per pixel). strength in [0, 1]
    mixes the result with the input. size_px (None or 0: full size) resizes the long side
    first (H', W' follow). stroke sets the size of the brushwork relative to the picture
    (`stroke.py`): the network runs at
    stroke.processing_long_side(stroke) whatever H', W'; 0 runs it at H' x W' itself (strokes
    fixed in pixels). With tile_px (None or 0: never), a larger processing size runs in
    overlapping tiles sharing one set of norm statistics.
    preserve_color: "luminance" or "histogram" recolours the result from the input (METHODS §2.1).
    stats: a recording NormStats receives the run's instance statistics; a replaying one is used
    instead of measuring them (the frames of one shot share them: `temporal.py`).
    picture_px (0: the image is the whole picture): the long side of the picture the image was
    cut from, so that a crop (a 100 % preview) gets the strokes the whole picture's result has.
    """
    _check_inputs(image, strength)
    if preserve_color not in PRESERVE_COLOR:
        raise ValueError(f"preserve_color must be one of {sorted(PRESERVE_COLOR)}")
    original = image
    if size_px:
        image = _resize_long_side(image, size_px)
    work = image
    if stroke:  # from the caller's pixels, not the resized ones: one resampling, not two
        height, width = original.shape[-2:]
        side = _processing_side(stroke, max(height, width), picture_px)
        work = stroke_size.resize(original, fit_long_side(height, width, side))
        if blend_map is not None:
            blend_map = functional.interpolate(blend_map.float(), size=work.shape[-2:], mode="area")
    out = _stylize_at_size(
        model, work, style_weights, tile_px, blend_map, progress, should_cancel, stats_px, stats
    )
    if out.shape[-2:] != image.shape[-2:]:
        image_here = image.to(out.device)
        if out.shape[-2] < image.shape[-2]:
            out = stroke_size.enlarge(out, image_here)
        else:
            out = stroke_size.resize(out, (image.shape[-2], image.shape[-1]))
    out = PRESERVE_COLOR[preserve_color](out, image.to(out.device))
    result = strength * out + (1.0 - strength) * image.to(out.device, torch.float32)
    return result.to(image.device).clamp_(0, 1)


def _processing_side(stroke: float, long_side_px: int, picture_px: int) -> int:
    """The long side the network runs at: the stroke's processing size for the whole picture,
    scaled down by the share of the picture's long side this image (a crop) covers."""
    if not picture_px:
        return processing_long_side(stroke)
    if picture_px < long_side_px:
        raise ValueError(
            f"picture_px ({picture_px}) must be at least the image's long side ({long_side_px})"
        )
    return max(1, round(processing_long_side(stroke) * long_side_px / picture_px))


def _stylize_at_size(
    model: StyleNetwork,
    image: Tensor,
    style_weights: Tensor,
    tile_px: int | None,
    blend_map: Tensor | None,
    progress: Callable[[Progress], None] | None,
    should_cancel: Callable[[], bool] | None,
    stats_px: int,
    stats: NormStats | None = None,
) -> Tensor:
    """The network on `image` at its own size: padded to the grid, tiled above tile_px."""
    tile_px = tile_px or None
    parameter = next(model.parameters())
    weights = weight_row(style_weights, model.num_styles).to(parameter.device)
    padded, h, w = _pad_to_grid(image.to(parameter.device, parameter.dtype))
    if blend_map is not None:
        weights = _blend_weights(blend_map, weights, (padded.shape[-2], padded.shape[-1]))
    if should_cancel is not None and should_cancel():
        raise Cancelled()
    started = time.monotonic()
    if is_channels_last(model):
        padded = padded.contiguous(memory_format=torch.channels_last)
    untiled = tile_px is None or max(h, w) <= tile_px  # tiled runs report per tile
    per_block = block_progress(model, progress if untiled else None)
    bf16 = torch.autocast("cpu", torch.bfloat16, enabled=_cpu_bf16(model))
    with torch.inference_mode(), bf16, per_block:
        out = _run_network(
            model, padded, weights, tile_px, stats_px, progress, should_cancel, stats
        )
    if progress is not None and untiled:
        last = len(network_blocks(model)) + 1
        progress(Progress(last, last, None, time.monotonic() - started, 0.0))
    return out[:, :, :h, :w].float()


def _blend_weights(blend_map: Tensor, fallback: Tensor, size: tuple[int, int]) -> Tensor:
    """(1, S, H, W) non-negative map -> per-pixel weights summing to 1 (fallback where all 0)."""
    if blend_map.dim() != 4 or blend_map.shape[:2] != fallback.shape[:2]:
        raise ValueError(
            f"blend map must be (1, {fallback.shape[1]}, H, W), got {tuple(blend_map.shape)}"
        )
    if (blend_map < 0).any():
        raise ValueError("blend map weights must be >= 0")
    m = blend_map.to(fallback.device, torch.float32)
    m = functional.pad(m, (0, size[1] - m.shape[-1], 0, size[0] - m.shape[-2]), mode="replicate")
    total = m.sum(dim=1, keepdim=True)
    empty = total <= 0
    m = torch.where(empty, fallback[:, :, None, None].expand_as(m), m / total.clamp_min(1e-8))
    return m


def is_channels_last(network: StyleNetwork) -> bool:
    """Whether prepare_network (or the caller) put the convolutions in channels_last."""
    weight = network.out.conv.weight
    return weight.is_contiguous(memory_format=torch.channels_last) and not weight.is_contiguous()


def _cpu_bf16(network: StyleNetwork) -> bool:
    """bfloat16 autocast for float32 CPU networks that prepare_network marked for it."""
    return (
        bool(getattr(network, "cpu_bf16", False)) and network.out.conv.weight.device.type == "cpu"
    )


def cpu_has_fast_bf16() -> bool:
    """oneDNN runs bfloat16 natively here (avx512_bf16 / AMX); elsewhere it is slower than fp32."""
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def prepare_network(
    network: StyleNetwork, device: str | torch.device, half: bool | None = None
) -> StyleNetwork:
    """Eval mode on `device`, channels_last; CUDA: fp16 weights; CPU: bf16 autocast if native.

    half=None picks per device; False keeps float32 everywhere (reference results).
    """
    device = torch.device(device)
    network = network.eval().to(device)
    network = network.to(memory_format=torch.channels_last)  # type: ignore[call-overload]
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
        if half is not False:
            network = network.half()
    else:
        network.cpu_bf16 = cpu_has_fast_bf16() if half is None else half  # type: ignore[attr-defined]
    return network


def blend_vector(blend: str | None, names: Sequence[str]) -> Tensor:
    """'a=0.7,b=0.3' -> (S,) weights over the model's style names as given (the caller
    normalises them: stylebridge.style_blend); None or '' -> the first style."""
    weights = torch.zeros(len(names))
    if not blend:
        weights[0] = 1.0
        return weights
    for name, weight in parse_named_weights(blend, "blend"):
        if name not in names:
            raise ValueError(f"the model has no style {name!r}; its styles: {', '.join(names)}")
        weights[names.index(name)] += weight
    return weights
