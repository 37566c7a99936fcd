"""Filters > Animation > Stylize Layers as Frames: every layer of an image is a frame; each is
stylized with the same request into a new image with the same layers (names, offsets, order),
so the result plays and exports like the source."""

# pyright: reportMissingImports=false

from __future__ import annotations

from typing import Any

import gi

gi.require_version("Gimp", "3.0")
gi.require_version("Gegl", "0.4")
from gi.repository import Gegl, Gimp  # noqa: E402
from gimp_job import Report, connect, prepare_request, send  # noqa: E402
from gimp_pixels import LayerPixels, read_layer  # noqa: E402
from stylebridge.editor.frame_loop import in_one_shot, stylize_frames  # noqa: E402


def frame_layers(image: Gimp.Image) -> list[Gimp.Layer]:
    """The image's top-level layers that hold pixels, top to bottom (GIMP plays them upwards)."""
    return [layer for layer in image.get_layers() if not layer.is_group()]


def _add_frame(target: Gimp.Image, source: Gimp.Layer, pixels: LayerPixels, data: bytes) -> None:
    """`data` as a layer named like `source`, below the frames already in `target`."""
    width, height = pixels.wire_format["width"], pixels.wire_format["height"]
    layer = Gimp.Layer.new(
        target, source.get_name(), width, height, Gimp.ImageType.RGBA_IMAGE, 100.0,
        Gimp.LayerMode.NORMAL,
    )  # fmt: skip
    target.insert_layer(layer, None, len(target.get_layers()))
    layer.set_offsets(pixels.x, pixels.y)
    buffer = layer.get_buffer()
    buffer.set(Gegl.Rectangle.new(0, 0, width, height), pixels.babl_format, data)
    buffer.flush()


def stylize_frames_image(image: Gimp.Image, args: dict[str, Any], report: Report) -> Gimp.Image:
    """A new image holding every frame layer of `image` stylized as `args` say."""
    layers = frame_layers(image)
    if not layers:
        raise ValueError("the image has no layers to stylize as frames")
    with connect(args, report) as client:
        model, request, customs = prepare_request(client, image, args)
        request = in_one_shot(request, model)  # the frames share statistics: no flicker
        target = Gimp.Image.new_with_precision(
            image.get_width(), image.get_height(), Gimp.ImageBaseType.RGB, image.get_precision()
        )
        try:
            target.undo_disable()  # built from nothing: no history to keep

            def one(index: int, part: Report) -> None:
                pixels = read_layer(layers[index])
                data, _ = send(client, pixels, None, request, part, None, customs)
                _add_frame(target, layers[index], pixels, data)

            stylize_frames(len(layers), one, report)
            target.undo_enable()
        except BaseException:
            target.delete()
            raise
    return target
