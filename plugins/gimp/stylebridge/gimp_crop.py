"""The 100 % preview's pixels: the part of the layer Apply stylizes, and a crop of it read at
real pixel size (the crop itself is chosen by stylebridge.editor.crop_preview)."""

# pyright: reportMissingImports=false
# (gi, GIMP's GObject bindings, exists only inside GIMP's Python.)

from __future__ import annotations

from typing import Any

import gi

gi.require_version("Gegl", "0.4")
from gi.repository import Gegl  # noqa: E402

PIXEL_FORMAT = "R'G'B'A u8"


def layer_region(layer: Any) -> tuple[int, int, int, int]:
    """(x, y, w, h) in layer px that Apply stylizes: the selection's bounds on the layer, or
    the whole layer without a selection (as gimp_pixels.thumbnail reads it)."""
    meets, x, y, width, height = layer.mask_intersect()
    if meets:
        return (x, y, width, height)
    return (0, 0, layer.get_width(), layer.get_height())


def crop_pixels(layer: Any, crop: tuple[int, int, int, int]) -> bytes:
    """The crop's R'G'B'A u8 pixels at scale 1 (real pixels, not a scaled thumbnail)."""
    rect = Gegl.Rectangle.new(*crop)
    return bytes(layer.get_buffer().get(rect, 1.0, PIXEL_FORMAT, Gegl.AbyssPolicy.CLAMP))
