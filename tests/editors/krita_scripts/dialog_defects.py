"""Runs inside Krita (krita-run.sh --gui, interactive: no batch mode): ARGS = OUT_DIR IMAGE
STYLE_A STYLE_B.

Walks the dialog as a painter would while a watch closes and records every message box (a modal
box would otherwise hang the run): the ready text against the gallery, Apply pressed four times
with no style, two styles at 90 and 50 applied on the network path (the progress bar's values,
the layer's name), then an optimization Apply cancelled after its first steps. Writes info.json;
exits 0 when it got through (the test judges the values)."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

import json
import os
import sys

from dialog_apply import open_from_docker, wait
from krita import Krita
from PyQt5.QtCore import QTimer
from PyQt5.QtWidgets import QApplication, QMessageBox


def watch_message_boxes(seen):
    """Every 50 ms: close any visible message box and record its text in `seen`."""
    timer = QTimer()
    timer.setInterval(50)

    def check():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                seen.append(widget.text())
                widget.done(0)

    timer.timeout.connect(check)
    timer.start()
    return timer


def step_of(text):
    """3 for 'Step 3/3000, 1:02 left'; 0 for any other text."""
    head = text.split("/", 1)[0]
    return int(head[5:]) if head.startswith("Step ") and head[5:].isdigit() else 0


def idle(extension, timeout_s=240):
    return wait(lambda: not extension.is_busy(), timeout_s)


def empty_applies(dialog, extension, seen):
    dialog.gallery.clearSelection()
    for _ in range(4):
        dialog.apply_button.click()
        wait(lambda: False, 0.3)
    idle(extension)
    wait(lambda: False, 1.0)
    return {
        "apply_enabled": dialog.apply_button.isEnabled(),
        "cancel_enabled": dialog.cancel.isEnabled(),
        "status": dialog.status.text(),
        "boxes": list(seen),
    }


def blend_apply(dialog, extension, doc, styles):
    dialog.preset.setCurrentIndex(dialog.preset.findData("draft"))
    dialog.gallery.select_names(styles)
    wait(lambda: len(dialog.sliders.blend()) == 2, 5)
    for (_, slider), value in zip(dialog.sliders._sliders, (90, 50), strict=True):
        slider.setValue(value)
    dialog.live.setChecked(False)
    dialog.preview.cancel()
    idle(extension)
    shown = getattr(dialog.sliders, "shown_percents", list)()  # none before issue 15
    values = []
    dialog.progress.valueChanged.connect(values.append)
    dialog.apply_button.click()
    idle(extension)
    doc.waitForDone()
    return {
        "percents": shown,
        "layers": [node.name() for node in doc.topLevelNodes()],
        "progress_values": values,
        "status": dialog.status.text(),
    }


def cancelled_optimize(dialog, extension, styles, seen):
    dialog.mode.setCurrentIndex(1)
    wait(lambda: dialog.gallery.count() > 0, 5)
    dialog.gallery.select_names(styles[:1])
    dialog._mixer.set_methods((("gram", 1.0),))
    form = dialog.options.currentWidget()
    shown = {"advanced_closed": not form.advanced_button.isChecked()}
    shown["steps_with_preset"] = form.is_visible_row("steps")
    shown["adam_step_with_lbfgs"] = form.is_visible_row("learning_rate")
    form.set_values({"optimizer": "adam"})
    shown["adam_step_with_adam"] = form.is_visible_row("learning_rate")
    shown["quality_with_preset"] = dialog.preset.isEnabled()
    form.set_values({"optimizer": "lbfgs", "preset": "none", "steps": 3000})
    shown["quality_without_preset"] = dialog.preset.isEnabled()
    texts = []
    before = len(seen)
    dialog.apply_button.click()
    worker = next(iter(extension.workers), None)
    if worker is not None:
        worker.progressed.connect(lambda _, text: texts.append(text))
    wait(lambda: any(step_of(t) >= 3 for t in texts), 240)
    dialog.cancel.click()
    idle(extension, 60)
    wait(lambda: False, 1.0)
    return {
        "progress_texts": texts[:6],
        "status": dialog.status.text(),
        "apply_enabled": dialog.apply_button.isEnabled(),
        "boxes": seen[before:],
        "error": extension.last_error,
        "shown": shown,
    }


def main(out_dir, image, *styles):
    app = Krita.instance()
    doc = app.openDocument(image)
    app.activeWindow().addView(doc)
    doc.setActiveNode(doc.topLevelNodes()[0])
    extension = next(e for e in app.extensions() if hasattr(e, "is_busy"))
    seen = []
    watch = watch_message_boxes(seen)
    open_from_docker(app.activeWindow().qwindow())
    dialog = extension.dialog
    wait(lambda: dialog.model is not None or not dialog.status.text().startswith("Conn"))
    info: dict = {"loaded": dialog.model is not None}
    if info["loaded"]:
        wait(lambda: False, 0.5)
        info["ready"] = {"status": dialog.status.text(), "gallery": dialog.gallery.count()}
        info["empty"] = empty_applies(dialog, extension, seen)
        info["blend"] = blend_apply(dialog, extension, doc, list(styles))
        info["cancel"] = cancelled_optimize(dialog, extension, list(styles), seen)
    watch.stop()
    with open(os.path.join(out_dir, "info.json"), "w") as f:
        json.dump(info, f)
    print(json.dumps(info))
    doc.setModified(False)
    return 0 if info["loaded"] else 3


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
