"""Runs inside Krita (krita-run.sh --gui): ARGS = OUT_DIR MODE IMAGE [STYLE...].

Opens IMAGE, opens Filter > Neural Style Transfer…, waits for the daemon's schema, picks the
STYLEs in MODE, waits for the live preview, saves screenshots (dialog.png, preview.png), presses
Apply and waits for the new layer. Writes info.json; exits 0 when the layer was made."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

import json
import os
import sys
import time

from krita import Krita
from PyQt5.QtCore import QEvent, QPointF, Qt
from PyQt5.QtGui import QColor, QMouseEvent
from PyQt5.QtWidgets import QApplication, QDockWidget, QPushButton, QSlider

TIMEOUT_S = float(os.environ.get("STYLEBRIDGE_TEST_TIMEOUT_S", "240"))


def wait(condition, timeout_s=TIMEOUT_S):
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)
    QApplication.processEvents()
    return condition()


def pick(dialog, mode, styles):
    dialog.mode.setCurrentIndex(["network", "optimize"].index(mode))
    wait(lambda: dialog.gallery.count() > 0, 5)
    dialog.gallery.select_names(styles)
    options = dialog.options.currentWidget().values()
    if "steps" in options:  # keep optimization previews and results quick on a CPU
        dialog.options.currentWidget().set_values({"steps": 8})
    dialog.preset.setCurrentIndex(dialog.preset.findData("draft"))


def split_check(pane):
    """The picture's centre with the split line at the right edge (all before) and at the left
    edge (all after), and where a click at a quarter of the width puts the line."""
    rect = pane.picture_rect()
    x, y = rect.left() + rect.width() // 2, rect.top() + rect.height() // 2
    colours = {}
    for split in (1.0, 0.0):
        pane.set_split(split)
        wait(lambda: False, 0.2)
        colours[split] = list(QColor(pane.grab().toImage().pixel(x, y)).getRgb()[:3])
    shot = pane.grab().toImage()  # all after: its corner is picture, not padding
    corner = QColor(shot.pixel(rect.right() - 2, rect.bottom() - 2)).getRgb()[:3]
    outside = QColor(shot.pixel(0, 0)).getRgb()[:3]
    point = QPointF(rect.left() + rect.width() / 4, y)
    press = QMouseEvent(QEvent.MouseButtonPress, point, Qt.LeftButton, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(pane, press)
    after = pane._after
    size = [after.width(), after.height()]
    shown = {"before": colours[1.0], "after": colours[0.0], "clicked_split": pane.split}
    return {**shown, "size": size, "corner_is_picture": corner != outside}


def open_from_docker(qwindow):
    """Click the docker's 'Neural Style Transfer…' button; True when the docker was there."""
    docks = [d for d in qwindow.findChildren(QDockWidget) if d.objectName() == "stylebridge_docker"]
    buttons = docks[0].findChildren(QPushButton) if docks else []
    if not buttons:
        Krita.instance().action("stylebridge_style_transfer").trigger()
        return False
    buttons[0].click()
    return True


def drag_slider(dialog, extension):
    """Move the first blend slider through 10 values quickly; previews sent because of it."""
    before = dialog.preview.jobs_started
    slider = dialog.sliders.findChildren(QSlider)[0]
    for value in range(50, 100, 5):
        slider.setValue(value)
        wait(lambda: False, 0.03)
    wait(lambda: dialog.preview.jobs_started > before and not extension.is_busy(), 30)
    wait(lambda: False, 1.0)  # no late extra preview
    return dialog.preview.jobs_started - before


def preview_latency_s(dialog, extension):
    """Seconds from one slider move to its preview on screen (debounce included)."""
    before = dialog.preview.jobs_started
    slider = dialog.sliders.findChildren(QSlider)[0]
    moved = time.monotonic()
    slider.setValue(slider.value() - 10)
    wait(lambda: dialog.preview.jobs_started > before and not extension.is_busy(), 60)
    return round(time.monotonic() - moved, 2)


def grab_window(qwindow, out_dir):
    """Screenshots of the main window and of the Filter menu with the plugin's actions."""
    wait(lambda: False, 1.0)  # let the layer docker catch up
    qwindow.grab().save(os.path.join(out_dir, "window.png"))
    bar = qwindow.menuBar()
    action = next(a for a in bar.actions() if a.objectName().lower() == "filter")
    menu = action.menu()
    menu.popup(qwindow.mapToGlobal(bar.actionGeometry(action).bottomLeft()))
    wait(lambda: False, 0.5)
    menu.grab().save(os.path.join(out_dir, "filter_menu.png"))
    menu.hide()


def main(out_dir, mode, image, *styles):
    app = Krita.instance()
    doc = app.openDocument(image)
    app.activeWindow().addView(doc)
    doc.setActiveNode(doc.topLevelNodes()[0])
    extension = next(e for e in app.extensions() if hasattr(e, "is_busy"))
    opened_from_docker = open_from_docker(app.activeWindow().qwindow())
    dialog = extension.dialog
    loaded = wait(lambda: dialog.model is not None or not dialog.status.text().startswith("Conn"))
    info = {"loaded": loaded and dialog.model is not None, "status": dialog.status.text()}
    info["opened_from_docker"] = opened_from_docker
    if info["loaded"]:
        pick(dialog, mode, styles)
        dialog.preview.refresh()
        wait(lambda: dialog.preview.has_result() and not extension.is_busy())
        dialog.options.currentWidget().advanced_button.setChecked(True)  # in the screenshot
        wait(lambda: False, 0.5)
        dialog.grab().save(os.path.join(out_dir, "dialog.png"))
        dialog.options.currentWidget().advanced_button.setChecked(False)
        info["gallery"] = dialog.gallery.count()
        info["blend"] = list(dialog.sliders.blend())
        info["options"] = sorted(dialog.options.currentWidget().values())
        info["has_preview"] = dialog.preview.has_result()
        info["split"] = split_check(dialog.preview)
        info["previews_after_drag"] = drag_slider(dialog, extension)
        info["preview_latency_s"] = preview_latency_s(dialog, extension)
        before = len(doc.topLevelNodes())
        dialog.apply_button.click()
        wait(lambda: not extension.is_busy())
        doc.waitForDone()
        info["layers"] = [n.name() for n in doc.topLevelNodes()]
        info["new_layer"] = len(doc.topLevelNodes()) > before
        grab_window(app.activeWindow().qwindow(), out_dir)
    info["error"] = extension.last_error
    with open(os.path.join(out_dir, "info.json"), "w") as f:
        json.dump(info, f)
    print(json.dumps(info))
    doc.setModified(False)
    return 0 if info.get("new_layer") else 3


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
