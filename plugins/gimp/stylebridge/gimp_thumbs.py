"""Small pictures in the dialog: the daemon's style thumbnails (encoded JPEG/PNG bytes), image
files, layers, and raw R'G'B'A u8 previews, as GdkPixbufs."""

# pyright: reportMissingImports=false
# (gi, GIMP's GObject bindings, exists only inside GIMP's Python.)

from __future__ import annotations

from typing import Any

import gi

gi.require_version("GdkPixbuf", "2.0")
from gi.repository import GdkPixbuf, GLib  # noqa: E402
from gimp_pixels import thumbnail  # noqa: E402

THUMB_PX = 48


def rgba_pixbuf(data: bytes, width: int, height: int) -> GdkPixbuf.Pixbuf:
    """A pixbuf of R'G'B'A u8 bytes (previews, layer thumbnails)."""
    return GdkPixbuf.Pixbuf.new_from_bytes(
        GLib.Bytes.new(data), GdkPixbuf.Colorspace.RGB, True, 8, width, height, width * 4
    )


def fit_pixbuf(pixbuf: GdkPixbuf.Pixbuf, side: int, grow: bool = False) -> GdkPixbuf.Pixbuf:
    """`pixbuf` scaled so that its longer side is at most `side` (exactly `side` if `grow`)."""
    scale = side / max(pixbuf.get_width(), pixbuf.get_height())
    scale = scale if grow else min(1.0, scale)
    width = max(1, int(pixbuf.get_width() * scale))
    height = max(1, int(pixbuf.get_height() * scale))
    return pixbuf.scale_simple(width, height, GdkPixbuf.InterpType.BILINEAR)


def encoded_pixbuf(data: bytes | None, side: int = THUMB_PX) -> GdkPixbuf.Pixbuf | None:
    """A list_styles thumbnail (JPEG/PNG bytes) fitted to `side`; None if absent or unreadable."""
    if not data:
        return None
    loader = GdkPixbuf.PixbufLoader()
    try:
        loader.write(data)
        loader.close()
    except GLib.Error:
        return None
    pixbuf = loader.get_pixbuf()
    return fit_pixbuf(pixbuf, side) if pixbuf is not None else None


def source_pixbuf(image: Any, source: str, side: int = THUMB_PX) -> GdkPixbuf.Pixbuf | None:
    """A thumbnail of a custom style source ("file:PATH" or "layer:NAME"); None if unreadable."""
    kind, _, value = source.partition(":")
    try:
        if kind == "file":
            return GdkPixbuf.Pixbuf.new_from_file_at_size(value, side, side)
        layer = image.get_layer_by_name(value) if kind == "layer" else None
    except GLib.Error:
        return None
    return rgba_pixbuf(*thumbnail(layer, side)) if layer is not None else None
