"""Layer pixels and the selection through GEGL buffers, and the result layer (GIMP API only)."""

# pyright: reportMissingImports=false
# (gi, GIMP's GObject bindings, exists only inside GIMP's Python.)

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gi

gi.require_version("Gimp", "3.0")
gi.require_version("Gegl", "0.4")
gi.require_version("Babl", "0.1")
from gi.repository import Babl, Gegl, Gimp  # noqa: E402
from gimp_formats import request_format  # noqa: E402
from stylebridge.editor.layer_formats import gimp_descriptor  # noqa: E402

MASK_FORMAT = "Y u8"
# On each result layer: the tattoo (GIMP's lasting id) of the layer it was made from, so that
# Repeat and Re-Show, which GIMP runs on the selected layer (the result), stylize the source.
SOURCE_PARASITE = "stylebridge-source"


@dataclass(frozen=True)
class LayerPixels:
    """A layer's pixels as sent to the daemon: bytes, wire descriptor, babl name, offsets."""

    data: bytes
    wire_format: dict[str, Any]
    babl_format: str
    x: int
    y: int


def read_layer(layer: Gimp.Drawable) -> LayerPixels:
    """The whole layer in its own precision and encoding (gimp_formats.request_format)."""
    babl_format = request_format(Babl.get_name(layer.get_format()))
    width, height = layer.get_width(), layer.get_height()
    rect = Gegl.Rectangle.new(0, 0, width, height)
    data = bytes(layer.get_buffer().get(rect, 1.0, babl_format, Gegl.AbyssPolicy.CLAMP))
    _, x, y = layer.get_offsets()
    return LayerPixels(data, gimp_descriptor(width, height, babl_format), babl_format, x, y)


def read_selection(image: Gimp.Image, layer: Gimp.Drawable) -> bytes | None:
    """The selection cropped to the layer, one byte per pixel; None when nothing is selected.

    ValueError when a selection exists but does not touch the layer (the result would be empty).
    """
    if Gimp.Selection.is_empty(image):
        return None
    touches = layer.mask_intersect()[0]
    if not touches:
        raise ValueError("the selection does not touch this layer: nothing to stylize")
    _, x, y = layer.get_offsets()
    rect = Gegl.Rectangle.new(x, y, layer.get_width(), layer.get_height())
    buffer = image.get_selection().get_buffer()
    # Outside the image the selection is empty: the abyss reads as 0.
    return bytes(buffer.get(rect, 1.0, MASK_FORMAT, Gegl.AbyssPolicy.NONE))


def thumbnail(
    layer: Gimp.Drawable, max_side_px: int, in_selection: bool = False
) -> tuple[bytes, int, int]:
    """The layer (only the selection's bounds on it, if `in_selection` and they meet it) scaled
    down to fit `max_side_px`, as R'G'B'A u8 bytes, width, height."""
    x, y, width, height = 0, 0, layer.get_width(), layer.get_height()
    if in_selection:
        meets, sx, sy, sw, sh = layer.mask_intersect()  # the whole layer without a selection
        if meets:
            x, y, width, height = sx, sy, sw, sh
    scale = min(1.0, max_side_px / max(width, height))
    w, h = max(1, int(width * scale)), max(1, int(height * scale))
    rect = Gegl.Rectangle.new(int(x * scale), int(y * scale), w, h)
    data = layer.get_buffer().get(rect, scale, "R'G'B'A u8", Gegl.AbyssPolicy.CLAMP)
    return bytes(data), w, h


def add_result_layer(
    image: Gimp.Image, source: Gimp.Drawable, pixels: LayerPixels, data: bytes, name: str
) -> Gimp.Layer:
    """A new layer holding `data` right above `source`, in one undo group; source untouched."""
    width, height = pixels.wire_format["width"], pixels.wire_format["height"]
    image.undo_group_start()
    try:
        layer = Gimp.Layer.new(
            image, name, width, height, Gimp.ImageType.RGBA_IMAGE, 100.0, Gimp.LayerMode.NORMAL
        )
        image.insert_layer(layer, source.get_parent(), image.get_item_position(source))
        layer.set_offsets(pixels.x, pixels.y)
        buffer = layer.get_buffer()
        buffer.set(Gegl.Rectangle.new(0, 0, width, height), pixels.babl_format, data)
        buffer.flush()
        layer.update(0, 0, width, height)
        tattoo = str(source.get_tattoo()).encode()
        layer.attach_parasite(Gimp.Parasite.new(SOURCE_PARASITE, 0, list(tattoo)))
    finally:
        image.undo_group_end()
    return layer


def stylized_source(image: Gimp.Image, layer: Gimp.Drawable) -> Gimp.Drawable:
    """The layer a result layer of this plug-in was made from, while it still exists; any other
    layer is itself."""
    parasite = layer.get_parasite(SOURCE_PARASITE)
    text = bytes(parasite.get_data()).decode(errors="replace") if parasite else ""
    source = image.get_layer_by_tattoo(int(text)) if text.isdigit() else None
    return source if source is not None else layer
