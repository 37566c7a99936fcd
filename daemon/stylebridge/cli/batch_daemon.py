"""Frames of `stylebridge batch` stylized by a running daemon, one job per frame, with the
requests `stylize --daemon` builds; 16-bit frames travel as uint16 pixels and come back so."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from typing import Any

from torch import Tensor

from stylebridge.cli.batch_runners import FrameRunner
from stylebridge.cli.main import CliError
from stylebridge.client import Client, DaemonError, DaemonUnavailable
from stylebridge.core import pixels
from stylebridge.core.frame_io import LoadedFrame
from stylebridge.core.frames import Frame, Shot
from stylebridge.core.images import resize
from stylebridge.pixel_layout import packed_layout, result_layout

log = logging.getLogger(__name__)


def frame_args(args: argparse.Namespace, frame: Frame) -> argparse.Namespace:
    """The batch's options as a `stylize` run of one frame."""
    return argparse.Namespace(**{**vars(args), "content": str(frame.source)})


def sixteen_bit_image(rgb: Tensor, image_format: dict[str, Any]) -> dict[str, Any]:
    """Request fields sending `rgb` as uint16 at the size the 8-bit request chose."""
    layout = packed_layout(image_format["width"], image_format["height"], "RGB", "uint16")
    image = pixels.encode(resize(rgb, (layout.height, layout.width)), None, layout)
    return {"image": image, "image_format": layout.to_wire()}


class DaemonRunner:
    """Each frame a job on the daemon (which keeps its model warm between them). When the daemon
    goes away, `fallback()` (if given) makes the in-process runner that does the rest."""

    def __init__(
        self,
        args: argparse.Namespace,
        client: Client,
        fallback: Callable[[], FrameRunner] | None = None,
    ) -> None:
        self.args, self.client, self.fallback = args, client, fallback
        self.local: FrameRunner | None = None

    def begin_shot(self, shot: Shot) -> None:
        """Nothing is shared between a shot's frames on this path (--temporal runs locally)."""

    def stylize(self, frame: Frame, loaded: LoadedFrame) -> Tensor:
        if self.local is not None:
            return self.local.stylize(frame, loaded)
        try:
            return self._on_daemon(frame, loaded)
        except DaemonUnavailable as e:
            if self.fallback is None:
                raise CliError(str(e)) from None
            log.warning("the daemon went away (%s); the rest runs in this process", e)
            self.local = self.fallback()
            return self.local.stylize(frame, loaded)

    def _on_daemon(self, frame: Frame, loaded: LoadedFrame) -> Tensor:
        from stylebridge.cli.remote import network_request, optimize_request

        one = frame_args(self.args, frame)
        try:
            request = network_request(one, self.client) if one.model else optimize_request(one)
            if loaded.bits == 16:
                request.update(sixteen_bit_image(loaded.rgb, request["image_format"]))
            data, fmt = self.client.stylize(**request)
        except DaemonError as e:
            raise CliError(f"the daemon refused it: {e.message} ({e.code})") from None
        return pixels.decode(data, result_layout(fmt)).rgb
