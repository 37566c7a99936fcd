"""Krita nodes <-> wire frames: read a layer's native bytes and the selection, write a result
layer. The layout choice lives in stylebridge.editor.layer_formats; nothing is converted here."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

from dataclasses import dataclass

from PyQt5.QtCore import Qt
from PyQt5.QtGui import QImage
from stylebridge.editor.layer_formats import descriptor, krita_descriptor
from stylebridge.editor.regions import fit_within, work_region

TILE_PX = 64  # Krita's paint devices grow in tiles of this side


@dataclass(frozen=True)
class Source:
    """The pixels to stylize: native bytes of `rect` (x, y, w, h), their descriptor, the mask."""

    pixels: bytes
    fmt: dict
    mask: bytes | None
    rect: tuple


def _rect(qrect) -> tuple:
    return (qrect.x(), qrect.y(), qrect.width(), qrect.height())


def source_region(doc, node, in_selection: bool = True) -> tuple:
    """(x, y, w, h) a job works on: the layer's pixels on the canvas, inside the selection's
    bounds (unless `in_selection` is False); ValueError when that is empty."""
    selection = doc.selection() if in_selection else None
    sel_rect = None
    if selection is not None:
        sel_rect = (selection.x(), selection.y(), selection.width(), selection.height())
    canvas = (0, 0, doc.width(), doc.height())
    return work_region(_rect(node.bounds()), canvas, sel_rect)


def read_source(doc, node) -> Source:
    """The node's pixels inside the canvas and the selection; ValueError when there are none."""
    if node is None or node.type() != "paintlayer":
        raise ValueError("select a paint layer to stylize")
    selection = doc.selection()
    x, y, w, h = source_region(doc, node)
    fmt = krita_descriptor(w, h, node.colorModel(), node.colorDepth(), node.colorProfile())
    pixels = bytes(node.pixelData(x, y, w, h))
    mask = bytes(selection.pixelData(x, y, w, h)) if selection is not None else None
    return Source(pixels, fmt, mask, (x, y, w, h))


def qimage_frame(image: QImage) -> tuple:
    """(bytes, descriptor) of a QImage as 8-bit sRGB: ARGB32 is B,G,R,A bytes in memory."""
    image = image.convertToFormat(QImage.Format_ARGB32)
    ptr = image.constBits()
    ptr.setsize(image.byteCount())
    fmt = descriptor(image.width(), image.height(), "BGRA", "uint8", stride=image.bytesPerLine())
    return bytes(ptr), fmt


# uint8 frame channel order -> QImage format with the same memory layout (little-endian).
QIMAGE_FORMATS = {"BGRA": QImage.Format_ARGB32, "RGB": QImage.Format_RGB888}


def frame_qimage(pixels: bytes, fmt: dict) -> QImage:
    """A QImage (owning its memory) of a BGRA or RGB uint8 frame (preview results)."""
    if fmt.get("dtype") != "uint8" or fmt.get("channels") not in QIMAGE_FORMATS:
        raise ValueError(f"cannot show a {fmt.get('channels')} {fmt.get('dtype')} frame")
    stride = fmt.get("stride") or fmt["width"] * len(fmt["channels"])
    image = QImage(pixels, fmt["width"], fmt["height"], stride, QIMAGE_FORMATS[fmt["channels"]])
    return image.copy()


def _tile_extent(bounds: tuple) -> tuple:
    """The 64 px tiles covering `bounds`: what node.thumbnail() scales into its w x h (verified
    in Krita 5.1.5: a 96x72 layer's thumbnail is a 128x128 extent, squashed)."""
    x, y, w, h = bounds
    left, top = x // TILE_PX * TILE_PX, y // TILE_PX * TILE_PX
    right, bottom = -(-(x + w) // TILE_PX) * TILE_PX, -(-(y + h) // TILE_PX) * TILE_PX
    return (left, top, right - left, bottom - top)


def thumbnail_frame(node, max_side_px: int, region=None) -> tuple:
    """(bytes, descriptor) of a small 8-bit sRGB copy of `node` (Krita converts the colours),
    of `region` (x, y, w, h; default: the node's bounds) only, in its own shape."""
    x, y, w, h = region or _rect(node.bounds())
    extent = _tile_extent(_rect(node.bounds()))
    width, height = fit_within(max(1, w), max(1, h), max_side_px)
    scale_x, scale_y = width / max(1, w), height / max(1, h)
    whole = node.thumbnail(max(1, round(extent[2] * scale_x)), max(1, round(extent[3] * scale_y)))
    left, top = round((x - extent[0]) * scale_x), round((y - extent[1]) * scale_y)
    return qimage_frame(whole.copy(left, top, width, height))


def file_frame(path: str, max_side_px: int) -> tuple:
    """(bytes, descriptor) of an image file, at most `max_side_px`; ValueError if unreadable."""
    image = QImage(path)
    if image.isNull():
        raise ValueError(f"cannot read an image from {path}")
    width, height = fit_within(image.width(), image.height(), max_side_px)
    image = image.scaled(width, height, Qt.IgnoreAspectRatio, Qt.SmoothTransformation)
    return qimage_frame(image)


def add_result_layer(doc, source_node, name: str, pixels: bytes, rect: tuple):
    """A new paint layer above `source_node` holding `pixels` at `rect`: one undo step
    (the pixels are written before the node joins the document; the source is never touched)."""
    layer = doc.createNode(name, "paintlayer")
    if layer.colorDepth() != source_node.colorDepth() or layer.colorProfile() != (
        source_node.colorProfile()
    ):
        layer.setColorSpace(
            source_node.colorModel(), source_node.colorDepth(), source_node.colorProfile()
        )
    x, y, w, h = rect
    layer.setPixelData(pixels, x, y, w, h)
    source_node.parentNode().addChildNode(layer, source_node)
    doc.setActiveNode(layer)
    doc.refreshProjection()
    return layer
