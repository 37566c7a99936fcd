"""Custom style images ("file:PATH" or "layer:NAME") read as wire frames (GIMP API only).

A file is opened by GIMP itself (Gimp.file_load): every format GIMP reads works, with its colour
profile, and the pixels then travel like a layer's (the wire carries raw pixels, never PNG)."""

# pyright: reportMissingImports=false
# (gi, GIMP's GObject bindings, exists only inside GIMP's Python.)

from __future__ import annotations

from typing import Any

import gi

gi.require_version("Gimp", "3.0")
gi.require_version("Gegl", "0.4")
gi.require_version("Babl", "0.1")
from gi.repository import Babl, Gegl, Gimp, Gio  # noqa: E402
from gimp_formats import request_format  # noqa: E402
from stylebridge.editor.layer_formats import gimp_descriptor  # noqa: E402

# Styles are matched at a few hundred pixels: a larger image only costs transfer time.
STYLE_MAX_SIDE_PX = 512


def scaled_frame(layer: Any, max_side_px: int = STYLE_MAX_SIDE_PX) -> tuple[bytes, dict]:
    """(bytes, descriptor) of `layer` fitting `max_side_px`, in its own precision (as the source
    is read: gimp_pixels.read_layer)."""
    babl_format = request_format(Babl.get_name(layer.get_format()))
    width, height = layer.get_width(), layer.get_height()
    scale = min(1.0, max_side_px / max(width, height))
    w, h = max(1, int(width * scale)), max(1, int(height * scale))
    rect = Gegl.Rectangle.new(0, 0, w, h)
    data = bytes(layer.get_buffer().get(rect, scale, babl_format, Gegl.AbyssPolicy.CLAMP))
    return data, gimp_descriptor(w, h, babl_format)


def find_layer(image: Any, name: str) -> Any:
    """The layer of `image` called `name`; ValueError when there is none."""
    layer = image.get_layer_by_name(name)
    if layer is None:
        raise ValueError(f"the style layer {name!r} is not in this image")
    return layer


def file_frame(path: str) -> tuple[bytes, dict]:
    """(bytes, descriptor) of an image file, opened by GIMP and flattened; ValueError if
    GIMP cannot open it."""
    try:
        image = Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path(path))
    except Exception as e:  # GLib.Error: GIMP's own message (no such file, unknown format)
        raise ValueError(f"cannot open the style image {path}: {e}") from None
    if image is None:
        raise ValueError(f"cannot open the style image {path}")
    try:
        if image.get_base_type() != Gimp.ImageBaseType.RGB:
            image.convert_rgb()  # grey or indexed files
        return scaled_frame(image.flatten())
    finally:
        image.delete()


def custom_frames(image: Any, sources: tuple[str, ...]) -> list[tuple[bytes, dict]]:
    """One frame per source, in order; ValueError naming a source that cannot be read."""
    frames = []
    for source in sources:
        kind, _, value = source.partition(":")
        if kind == "file":
            frames.append(file_frame(value))
        elif kind == "layer":
            frames.append(scaled_frame(find_layer(image, value)))
        else:
            raise ValueError(f"custom style {source!r} must start with 'file:' or 'layer:'")
    return frames
