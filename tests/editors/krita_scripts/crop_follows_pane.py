"""Runs inside Krita (krita-run.sh --gui): ARGS = OUT_DIR IMAGE STYLE.

Opens IMAGE, opens the dialog (fast network, live preview on, full size), picks STYLE, presses
"100 %", double-clicks the crop off its centre, then widens the dialog in ten quick steps (a
dragged window edge) and waits for the crop to follow the pane by itself. Then presses Apply
and, while it runs, narrows the dialog: no preview may start until the Apply has ended (the
follow tries and waits), and the crop follows after it. Writes info.json (the pane's sizes,
the crops, previews started, seconds)."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

import json
import os
import sys
import time

from crop_preview import double_click, open_dialog, preview_once, settled, state
from dialog_apply import wait
from PyQt5.QtWidgets import QApplication

FOLLOW_TIMEOUT_S = 90  # a loaded CPU previews a crop in seconds; a crop that never follows fails


def pane_size(pane):
    return [pane.width(), pane.height()]


def follows(pane, extension):
    """True once the preview shown is a crop of the pane's present size and nothing runs."""
    shown = pane.shown_rect
    return list(shown[2:]) == pane_size(pane) and not extension.is_busy() and pane.has_result()


def record_refreshes(dialog):
    """Wrap the pane's refresh: the log says, per call, whether an Apply was running."""
    pane, log = dialog.preview, []
    refresh = pane.refresh

    def logged():
        log.append(not dialog.apply_button.isEnabled())
        refresh()

    pane.refresh = logged
    return log


def widen(dialog, steps=10, step_px=24):
    """Grow the dialog a little at a time, letting Qt lay out after each step."""
    width, height = dialog.width(), dialog.height()
    for step in range(1, steps + 1):
        dialog.resize(width + step * step_px, height + step * step_px // 2)
        QApplication.processEvents()


def follow_after_widening(dialog, extension, info):
    pane = dialog.preview
    before, started = pane.jobs_started, time.monotonic()
    widen(dialog)
    info["widened_size"] = settled(pane)
    followed = lambda: follows(pane, extension) and pane.jobs_started > before  # noqa: E731
    info["followed"] = wait(followed, FOLLOW_TIMEOUT_S)
    info["follow_s"] = round(time.monotonic() - started, 2)
    wait(lambda: False, 1.5)  # a late extra preview would be counted
    info["follow_jobs"] = pane.jobs_started - before
    info["widened"] = state(pane, dialog.doc.topLevelNodes()[0])


def record_follows(dialog):
    """Reconnect the follower's timer through a log of whether an Apply ran at each try."""
    follower, log = dialog.preview.follower, []
    follower._timer.timeout.disconnect()
    follower._timer.timeout.connect(
        lambda: (log.append(not dialog.apply_button.isEnabled()), follower.follow())
    )
    return log


def follow_after_apply(dialog, extension, info):
    pane, log, tries = dialog.preview, record_refreshes(dialog), record_follows(dialog)
    before, started = pane.jobs_started, time.monotonic()
    dialog.apply_button.click()
    dialog.resize(dialog.width() - 160, dialog.height())
    QApplication.processEvents()
    info["apply_running_after_resize"] = not dialog.apply_button.isEnabled()
    info["narrowed_size"] = settled(pane)
    wait(lambda: dialog.apply_button.isEnabled())
    info["apply_s"] = round(time.monotonic() - started, 2)
    info["refreshes_during_apply"] = sum(log)
    info["follow_tries_during_apply"] = sum(tries)
    followed = lambda: follows(pane, extension) and pane.jobs_started > before  # noqa: E731
    info["after_apply_followed"] = wait(followed, FOLLOW_TIMEOUT_S)
    info["narrowed"] = state(pane, dialog.doc.topLevelNodes()[0])


def main(out_dir, image, style):
    doc, extension, dialog, info = open_dialog(image)
    node = doc.topLevelNodes()[0]
    if info["loaded"]:
        dialog.mode.setCurrentIndex(0)
        dialog.live.setChecked(True)
        wait(lambda: dialog.gallery.count() > 0, 5)
        dialog.gallery.select_names([style])
        dialog.preset.setCurrentIndex(dialog.preset.findData("full"))  # a long enough Apply
        settled(dialog.preview)
        wait(lambda: dialog.preview.has_result() and not extension.is_busy())
        info["crop_s"] = preview_once(dialog, extension, lambda: dialog.zoom.setChecked(True))
        moved = lambda: double_click(dialog.preview, 0.35, 0.35)  # noqa: E731
        info["moved_s"] = preview_once(dialog, extension, moved)
        settled(dialog.preview)
        wait(lambda: follows(dialog.preview, extension), FOLLOW_TIMEOUT_S)
        info["moved"] = state(dialog.preview, node)
        follow_after_widening(dialog, extension, info)
        follow_after_apply(dialog, extension, info)
        info["region"] = [0, 0, doc.width(), doc.height()]
        dialog.grab().save(os.path.join(out_dir, "followed.png"))
    info["error"] = extension.last_error
    info["preview_text"] = dialog.preview.text()
    with open(os.path.join(out_dir, "info.json"), "w") as f:
        json.dump(info, f)
    print(json.dumps(info))
    doc.setModified(False)
    return 0 if info.get("loaded") else 3


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
