"""Runs INSIDE GIMP 3 (gimp3-run.sh) with an X display (Xvfb): the dialog's "100 %" crop
follows the preview pane when the dialog is resized; writes what it saw as JSON.

    GIMP3_RUN_BIND=/tmp/.X11-unix:... gimp3-run.sh crop_follows_pane.py \
        DISPLAY PLUGIN_DIR PHOTO ARGUMENTS_JSON OUT.json

With a selection on the photo: the 100 % toggle, a double-click a little off the crop's centre,
then the dialog widened in ten quick steps (a dragged window edge) with nothing else pressed,
then narrowed a little: the crops that follow, the previews they took, and whether the 'before'
picture is the layer's own pixels there.
"""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

import sys
import time
from types import SimpleNamespace
from typing import Any

# crop_preview reads the arguments, sets the display and the plug-in path, and pins the GI
# versions before anything from gi.repository is imported.
from crop_preview import close, run, state
from gi.repository import Gdk, Gtk

TIMEOUT_S = 150  # the steps take seconds; a crop that never follows fails before the runner's 240 s
WIDEN_STEPS, WIDEN_PX = 10, 30
UNSETTLED: list[int] = []  # resize steps after which GTK still had events after 200 turns


def count_previews(dialog: Any) -> list[float]:
    """Wrap the dialog's preview(): the list gets each start's time."""
    starts: list[float] = []
    preview = dialog.preview

    def counted() -> None:
        starts.append(time.monotonic())
        preview()

    dialog.preview = counted
    return starts


def widen(dialog: Any, step_px: int = WIDEN_PX) -> None:
    """Resize the window a little at a time (narrow it with a negative `step_px`), letting GTK
    lay out after each step."""
    window = dialog.dialog
    width, height = window.get_size()
    for step in range(1, WIDEN_STEPS + 1):
        window.resize(width + step * step_px, height)
        for _ in range(200):  # bounded: a layout that never settles must not hang the script
            if not Gtk.events_pending():
                break
            Gtk.main_iteration_do(False)  # never blocks: a pending event may be gone by now
        else:
            UNSETTLED.append(step)


def follows(pane: Any) -> bool:
    """The picture shown is a finished crop of the pane's present size."""
    return pane.after is not None and list(pane.shown_rect[2:]) == list(pane.size())


def script(dialog: Any, report: dict[str, Any]) -> Any:
    """The painter's steps, one per idle call; each waits for the preview it started."""
    pane = dialog.pane
    starts = count_previews(dialog)
    pane.zoom.set_active(True)  # the 100 % toggle
    yield lambda: pane.after is not None and pane.crop_region is not None
    report["crop"] = state(dialog)
    pane.after = None
    left, top, w, h = pane.picture_rect()
    click = SimpleNamespace(x=left + w * 0.45, y=top + h * 0.45, type=Gdk.EventType._2BUTTON_PRESS)
    pane.drag(None, click)  # a double-click a little above and left of the centre
    yield lambda: pane.after is not None
    report["moved"] = state(dialog)
    report["moved_pane"] = list(pane.size())
    pane.after = None
    before, started = len(starts), time.monotonic()
    widen(dialog)
    yield lambda: follows(pane) and len(starts) > before
    report["follow_s"] = round(time.monotonic() - started, 2)
    settle = time.monotonic() + 1.5
    yield lambda: time.monotonic() > settle  # a late extra preview would be counted
    report["follow_previews"] = len(starts) - before
    report["widened"] = state(dialog)
    report["widened_pane"] = list(pane.size())
    report["region"] = list(pane.crop_region)
    pane.after = None
    before = len(starts)
    widen(dialog, -WIDEN_PX // 2)  # narrower again: the pane shrinks, the crop follows
    yield lambda: follows(pane) and len(starts) > before
    report["narrowed"] = state(dialog)
    report["unsettled_steps"] = UNSETTLED
    report["narrowed_pane"] = list(pane.size())
    yield from close(dialog)


if __name__ == "__main__":
    sys.exit(run("stylebridge-crop-follow", script, TIMEOUT_S))
