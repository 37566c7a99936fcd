"""Runs inside Krita (krita-run.sh --gui): ARGS = OUT_DIR IMAGE STYLE.

Opens IMAGE, opens the dialog, picks STYLE (fast network), waits for the fitted preview,
presses "100 %", waits for the crop's preview, then double-clicks the picture's top-left
quarter and waits again. Writes info.json (sizes, the crop rectangles, whether the 'before'
picture is the layer's own pixels, seconds, the shot each preview sent) and crop.png (a
screenshot of the dialog)."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

import json
import os
import sys
import time

from dialog_apply import wait
from krita import Krita
from PyQt5.QtCore import QEvent, QPointF, Qt
from PyQt5.QtGui import QImage, QMouseEvent
from PyQt5.QtWidgets import QApplication


def preview_once(dialog, extension, start):
    """Run `start()` and wait for the preview job it starts; seconds it took."""
    before = dialog.preview.jobs_started
    started = time.monotonic()
    start()
    wait(lambda: dialog.preview.jobs_started > before and not extension.is_busy())
    wait(lambda: dialog.preview.has_result(), 10)
    return round(time.monotonic() - started, 2)


def settled(widget, quiet_s=0.5, timeout_s=10):
    """Process events until `widget` kept one size for `quiet_s` (the dialog re-lays out after a
    mode or style change; a 100 % crop is cut to the pane's size at the time it is asked)."""
    size, since = widget.size(), time.monotonic()
    deadline = since + timeout_s
    while time.monotonic() < deadline and time.monotonic() - since < quiet_s:
        QApplication.processEvents()
        time.sleep(0.02)
        if widget.size() != size:
            size, since = widget.size(), time.monotonic()
    return [size.width(), size.height()]


def is_layer_pixels(pane, node):
    """True when the 'before' picture is the layer's own pixels at the shown rectangle."""
    x, y, w, h = pane.shown_rect
    image = pane._before.toImage().convertToFormat(QImage.Format_ARGB32)
    layer = bytes(node.pixelData(x, y, w, h))  # U8 RGBA document: B, G, R, A like ARGB32
    rows = [bytes(image.constScanLine(r).asstring(w * 4)) for r in range(h)]
    return (image.width(), image.height()) == (w, h) and b"".join(rows) == layer


def state(pane, node):
    after = pane._after
    rect = pane.picture_rect()
    return {
        "shown_rect": list(pane.shown_rect),
        "after_size": [after.width(), after.height()],
        "drawn_size": [rect.width(), rect.height()],
        "widget_size": [pane.width(), pane.height()],
        "before_is_layer": is_layer_pixels(pane, node),
    }


def double_click(pane, fx, fy):
    rect = pane.picture_rect()
    point = QPointF(rect.left() + rect.width() * fx, rect.top() + rect.height() * fy)
    event = QMouseEvent(
        QEvent.MouseButtonDblClick, point, Qt.LeftButton, Qt.LeftButton, Qt.NoModifier
    )
    QApplication.sendEvent(pane, event)


def open_dialog(image):
    """The photo opened in a view with its layer active, and the plugin's dialog on it:
    (document, extension, dialog, info with 'loaded')."""
    app = Krita.instance()
    doc = app.openDocument(image)
    app.activeWindow().addView(doc)
    node = doc.topLevelNodes()[0]
    doc.setActiveNode(node)
    extension = next(e for e in app.extensions() if hasattr(e, "is_busy"))
    app.action("stylebridge_style_transfer").trigger()
    dialog = extension.dialog
    info: dict = {"loaded": wait(lambda: dialog.model is not None)}
    return doc, extension, dialog, info


def record_shots(extension, sent, sizes=None):
    """Append the `shot` parameter of every preview job the dialog sends to `sent`, and the
    size of its picture (a crop with its context) to `sizes`."""
    tasks = sys.modules[type(extension).__module__.rsplit(".", 1)[0] + ".daemon_tasks"]
    stylize_kept = tasks.stylize_kept

    def recording(settings, job, worker, kept):
        sent.append(job.request.params.get("shot", ""))
        if sizes is not None:
            sizes.append([job.fmt["width"], job.fmt["height"]])
        return stylize_kept(settings, job, worker, kept)

    tasks.stylize_kept = recording


def main(out_dir, image, style):
    doc, extension, dialog, info = open_dialog(image)
    node = doc.topLevelNodes()[0]
    sent, sizes = [], []
    record_shots(extension, sent, sizes)
    if info["loaded"]:
        dialog.live.setChecked(False)  # only the previews this script starts
        dialog.mode.setCurrentIndex(0)
        wait(lambda: dialog.gallery.count() > 0, 5)
        dialog.gallery.select_names([style])
        info["settled_size"] = settled(dialog.preview)
        info["fitted_s"] = preview_once(dialog, extension, dialog.preview.refresh)
        info["fitted"] = state(dialog.preview, node)
        info["fitted_shot"] = sent[-1] if sent else None
        info["crop_s"] = preview_once(dialog, extension, lambda: dialog.zoom.setChecked(True))
        info["crop"] = state(dialog.preview, node)
        info["crop_shot"] = sent[-1] if sent else None
        info["crop_sent_size"] = sizes[-1] if sizes else None
        dialog.grab().save(os.path.join(out_dir, "crop.png"))
        moved = lambda: double_click(dialog.preview, 0.1, 0.1)  # noqa: E731
        info["moved_s"] = preview_once(dialog, extension, moved)
        info["moved"] = state(dialog.preview, node)
        info["moved_shot"] = sent[-1] if sent else None
        info["region"] = [0, 0, doc.width(), doc.height()]
    info["error"] = extension.last_error
    info["preview_text"] = dialog.preview.text()
    with open(os.path.join(out_dir, "info.json"), "w") as f:
        json.dump(info, f)
    print(json.dumps(info))
    doc.setModified(False)
    return 0 if info.get("loaded") else 3


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
