"""An animated layer's keyframes in and out of Krita 5: read each keyframe's pixels, write a new
animated layer. Verified in Krita 5.1.5: libkis cannot add a keyframe without the GUI's
"add_blank_frame" action (and Document.importAnimation needs a view), so the new layer is a
duplicate of the source, which has the same keyframes, and each of its frames is overwritten
before the layer joins the document: one undo step, and the source is never touched."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

from dataclasses import dataclass

from stylebridge.editor.layer_formats import krita_descriptor


@dataclass(frozen=True)
class AnimationFrames:
    """Native bytes of the whole canvas at each keyframe time (frames), their wire format."""

    times: tuple
    frames: tuple
    fmt: dict
    rect: tuple


def keyframe_times(doc, node) -> list:
    """The times (frames) within the document's animation range where `node` has a keyframe."""
    start, end = doc.fullClipRangeStartTime(), doc.fullClipRangeEndTime()
    return [t for t in range(start, end + 1) if node.hasKeyframeAtTime(t)]


def read_frames(doc, node) -> AnimationFrames:
    """Every keyframe of `node` over the canvas; ValueError when it is no animated paint layer."""
    if node is None or node.type() != "paintlayer":
        raise ValueError("select an animated paint layer to stylize its frames")
    times = keyframe_times(doc, node) if node.animated() else []
    if not times:
        raise ValueError("the layer has no animation keyframes in the document's range")
    rect = (0, 0, doc.width(), doc.height())
    fmt = krita_descriptor(rect[2], rect[3], node.colorModel(), node.colorDepth(),
                           node.colorProfile())  # fmt: skip
    frames = tuple(bytes(node.pixelDataAtTime(*rect, t)) for t in times)
    return AnimationFrames(tuple(times), frames, fmt, rect)


def add_animated_layer(doc, source, name: str, source_frames: AnimationFrames, done: list):
    """A new animated layer above `source`: done[i] at source_frames.times[i]; keyframes past
    the ones done (a cancel) are left transparent, since libkis cannot remove a keyframe."""
    layer = source.duplicate()
    layer.setName(name)
    x, y, w, h = source_frames.rect
    empty = bytes(len(source_frames.frames[0]))
    was_at = doc.currentTime()
    # A detached animated node's pixels follow the document's time (checked in Krita 5.1.5);
    # the time switch is an asynchronous stroke, so each waits until it is done.
    for index, time in enumerate(source_frames.times):
        doc.setCurrentTime(time)
        doc.waitForDone()
        layer.setPixelData(done[index] if index < len(done) else empty, x, y, w, h)
    doc.setCurrentTime(was_at)
    doc.waitForDone()
    source.parentNode().addChildNode(layer, source)
    doc.refreshProjection()
    return layer
