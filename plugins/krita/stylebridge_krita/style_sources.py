"""Custom styles for the optimization path: an image file or another layer of the document,
named in the settings as "file:PATH" or "layer:NAME" and sent as 8-bit sRGB frames."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

import os

from PyQt5.QtGui import QIcon, QPixmap
from PyQt5.QtWidgets import QFileDialog

from .gallery import style_icon
from .layer_io import file_frame, source_region, thumbnail_frame

STYLE_MAX_SIDE_PX = 512
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.webp *.tif *.bmp)"


def job_inputs(doc, read, values) -> tuple:
    """(active layer, `read(doc, layer)`, custom style frames) for a job on `doc` with `values`;
    ValueError saying what is missing (no document, a layer or style that cannot be read)."""
    if doc is None:
        raise ValueError("Open a document first.")
    node = doc.activeNode()
    return node, read(doc, node), custom_frames(doc, values.custom_styles)


def custom_frames(doc, sources: tuple) -> tuple:
    """(bytes, descriptor) per source, in order; ValueError naming a source that cannot be read."""
    frames = []
    for source in sources:
        kind, _, value = source.partition(":")
        if kind == "file":
            frames.append(file_frame(value, STYLE_MAX_SIDE_PX))
        elif kind == "layer":
            node = doc.nodeByName(value)
            if node is None:
                raise ValueError(f"the style layer {value!r} is not in this document")
            region = source_region(doc, node, in_selection=False)
            frames.append(thumbnail_frame(node, STYLE_MAX_SIDE_PX, region))
        else:
            raise ValueError(f"custom style {source!r} must start with 'file:' or 'layer:'")
    return tuple(frames)


def source_icon(doc, source: str) -> QIcon:
    """A gallery icon for a custom style source (the file, or the layer's thumbnail)."""
    kind, _, value = source.partition(":")
    if kind == "file":
        return QIcon(value)
    node = doc.nodeByName(value) if kind == "layer" else None
    return QIcon(QPixmap.fromImage(node.thumbnail(64, 64))) if node else style_icon(None)


def add_file_style(dialog) -> None:
    """'Style from file…': ask for an image and add it to the dialog's gallery."""
    path, _ = QFileDialog.getOpenFileName(dialog, "Style image", "", IMAGE_FILTER)
    if path:
        dialog.add_custom(f"file:{path}", os.path.basename(path))


def add_layer_style(dialog) -> None:
    """'Style from layer': add the layer chosen beside the button."""
    name = dialog.layer_choice.currentText()
    if name:
        dialog.add_custom(f"layer:{name}", name)
