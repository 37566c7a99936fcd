"""The in-process frame stylizers of `stylebridge batch`: everything loaded once per batch (model,
styles), then one call per frame; `begin_shot` prepares what the frames of a shot share."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from torch import Tensor

from stylebridge.cli.main import CliError
from stylebridge.core.cin import NormStats
from stylebridge.core.frame_io import LoadedFrame, read_frame
from stylebridge.core.frames import Frame, Shot
from stylebridge.core.temporal_loss import TemporalTarget

if TYPE_CHECKING:
    from stylebridge.core.temporal_flow import FlowState


class FrameRunner(Protocol):
    """Stylizes the frames of a batch, one shot after another."""

    def begin_shot(self, shot: Shot) -> None: ...

    def stylize(self, frame: Frame, loaded: LoadedFrame) -> Tensor: ...


class NetworkRunner:
    """The network path; with temporal "stats" the shot's frames share instance statistics."""

    def __init__(self, args: argparse.Namespace) -> None:
        from stylebridge.cli.stylize import load_network

        self.network, self.weights = load_network(args)
        self.args = args
        self.shares_stats = args.temporal == "stats"
        self.stats: NormStats | None = None

    def _run(self, rgb: Tensor, stats: NormStats | None) -> Tensor:
        from stylebridge.core.feedforward import stylize_network

        a = self.args
        return stylize_network(
            self.network, rgb, self.weights, a.strength, tile_px=a.tile, size_px=a.size,
            preserve_color=a.preserve_color or "none", stroke=a.stroke, stats=stats,
        )  # fmt: skip

    def begin_shot(self, shot: Shot) -> None:
        from stylebridge.core.temporal import sample_indices, shot_stats

        if not self.shares_stats:
            return
        samples = [shot.frames[i].source for i in sample_indices(len(shot.frames))]
        readable = [rgb for rgb in map(_try_read, samples) if rgb is not None]
        self.stats = shot_stats(readable, self._run) if readable else None

    def stylize(self, frame: Frame, loaded: LoadedFrame) -> Tensor:
        return self._run(loaded.rgb, self.stats)


def _try_read(path: Path) -> Tensor | None:
    """The frame's pixels, or None when it cannot be read (it fails on its own turn)."""
    try:
        return read_frame(path).rgb
    except (ValueError, OSError):
        return None


class OptimizeRunner:
    """The optimization path; temporal "flow" starts each frame from the previous result warped
    by optical flow and adds a temporal loss (`temporal_flow.py`)."""

    def __init__(self, args: argparse.Namespace) -> None:
        from stylebridge.cli.stylize import STYLE_DECODE_PX, optimize_values, parse_weights
        from stylebridge.core.images import load_image
        from stylebridge.core.method_names import parse_method_spec
        from stylebridge.core.optimize_params import OPTIMIZE_PARAMETERS
        from stylebridge.core.style_library import resolve_style

        if not args.style:
            raise CliError("give at least one --style (a file or a bundled style name)")
        if args.style_mask and len(args.style_mask) != len(args.style):
            raise CliError(
                f"{len(args.style_mask)} --style-mask files for {len(args.style)} styles"
            )
        self.weights = parse_weights(args.style_weights, len(args.style))
        self.values = optimize_values(args)
        parse_method_spec(self.values.get("method", "gram"))
        default_size = next(s.default for s in OPTIMIZE_PARAMETERS if s.name == "size")
        style_px = max(self.values.get("size") or default_size, STYLE_DECODE_PX)
        self.styles = [load_image(resolve_style(s), at_least_px=style_px) for s in args.style]
        self.args = args
        self.temporal = _flow_state(args)

    def begin_shot(self, shot: Shot) -> None:
        if self.temporal is not None:
            self.temporal.reset()

    def stylize(self, frame: Frame, loaded: LoadedFrame) -> Tensor:
        from stylebridge.cli.stylize import stylize_in_process
        from stylebridge.core.images import load_mask

        rgb = loaded.rgb
        size_hw = (rgb.shape[-2], rgb.shape[-1])
        mask = load_mask(self.args.mask, size_hw) if self.args.mask else None
        style_masks = [load_mask(m, size_hw) for m in self.args.style_mask] or None

        def run(target: TemporalTarget | None) -> Tensor:
            return stylize_in_process(
                rgb, self.styles, self.values, self.weights, (mask, style_masks), None,
                self.args.style, temporal=target,
            )  # fmt: skip

        return run(None) if self.temporal is None else self.temporal.stylize(rgb, run)


def _flow_state(args: argparse.Namespace) -> FlowState | None:
    """The optical-flow state of temporal "flow", or None."""
    if args.temporal != "flow":
        return None
    from stylebridge.core.temporal_flow import FlowState

    return FlowState(args.temporal_weight)
