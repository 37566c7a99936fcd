"""Runs INSIDE GIMP 3 (gimp3-run.sh) with an X display (Xvfb): the dialog's "100 %" preview,
driven through the dialog's own run loop as a painter would; writes what it saw as JSON.

    GIMP3_RUN_BIND=/tmp/.X11-unix:... gimp3-run.sh crop_preview.py \
        DISPLAY PLUGIN_DIR PHOTO ARGUMENTS_JSON OUT.json

With a selection on the photo: Preview (fitted), then the 100 % toggle, then a double-click
near the picture's top-left corner; after each, the part of the layer shown and whether the
'before' picture is the layer's own pixels there.
"""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

import faulthandler
import json
import os
import sys
import time
from types import SimpleNamespace
from typing import Any

import gi

DISPLAY, PLUGIN_DIR, PHOTO, ARGUMENTS, OUT = sys.argv[1:6]
os.environ["DISPLAY"] = DISPLAY  # before Gtk is imported: gimp3-run.sh clears the environment
sys.path[:0] = [os.path.join(PLUGIN_DIR, "vendor"), PLUGIN_DIR]
gi.require_version("Gimp", "3.0")
gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
gi.require_version("GimpUi", "3.0")
import gimp_dialog  # noqa: E402
from gi.repository import Gdk, Gimp, GimpUi, Gio, GLib  # noqa: E402
from gimp_args import dialog_values  # noqa: E402
from gimp_crop import crop_pixels  # noqa: E402
from gimp_dialog import RESPONSE_PREVIEW, StyleDialog  # noqa: E402
from gimp_job import connect, load_model  # noqa: E402
from stylize_call import write_report  # noqa: E402

SELECTION = (32, 16, 448, 352)
TIMEOUT_S = 240
WATCHDOG_S = 200  # before the runner's 240 s: a hung run prints every thread's Python stack


def state(dialog: Any) -> dict[str, Any]:
    pane = dialog.pane
    x, y, w, h = pane.shown_rect
    before = pane.before
    rows = before.get_pixels()
    stride = before.get_rowstride()
    packed = b"".join(bytes(rows[r * stride : r * stride + w * 4]) for r in range(h))
    return {
        "shown_rect": [x, y, w, h],
        "before_size": [before.get_width(), before.get_height()],
        "shown_size": [pane.shown().get_width(), pane.shown().get_height()],
        "before_is_layer": (before.get_width(), before.get_height()) == (w, h)
        and packed == crop_pixels(dialog.layer, (x, y, w, h)),
        "text": dialog.progress.get_text(),
    }


def record_sent(sizes: list) -> None:
    """Append the size of each picture the dialog sends (a crop with its context) to `sizes`."""
    send = gimp_dialog.send

    def recording(client: Any, pixels: Any, *rest: Any) -> Any:
        sizes.append([pixels.wire_format["width"], pixels.wire_format["height"]])
        return send(client, pixels, *rest)

    gimp_dialog.send = recording


def script(dialog: Any, report: dict[str, Any]) -> Any:
    """The painter's steps, one per idle call; each waits for the preview it started."""
    pane = dialog.pane
    sent: list = []
    record_sent(sent)
    started = time.monotonic()
    dialog.dialog.response(RESPONSE_PREVIEW)  # the Preview button
    yield lambda: pane.shown_rect is not None and pane.after is not None
    report["fitted"] = state(dialog)
    pane.after = None
    pane.zoom.set_active(True)  # the 100 % toggle
    yield lambda: pane.after is not None
    report["crop"] = {**state(dialog), "sent_size": sent[-1]}
    pane.after = None
    left, top, w, h = pane.picture_rect()
    click = SimpleNamespace(x=left + w * 0.1, y=top + h * 0.1, type=Gdk.EventType._2BUTTON_PRESS)
    pane.drag(None, click)  # a double-click near the top-left corner
    yield lambda: pane.after is not None
    report["moved"] = {**state(dialog), "sent_size": sent[-1]}
    report["seconds"] = round(time.monotonic() - started, 1)
    yield from close(dialog)


def close(dialog: Any) -> Any:
    """Cancel the dialog once no preview runs: during a preview Cancel only stops the preview
    and the dialog stays open (a follow may have started one after the last step's)."""
    yield lambda: not dialog.follower.busy
    dialog.dialog.response(-6)


def drive(dialog: Any, report: dict[str, Any], steps: Any, timeout_s: float) -> None:
    """Advance `steps` (a painter's script) whenever the condition it yielded holds."""
    started = time.monotonic()
    deadline = started + timeout_s
    waiting = [next(steps)]
    done = [0]

    def tick() -> bool:
        if time.monotonic() > deadline:
            report["timed_out"] = True
            dialog.dialog.response(-6)
            return dialog.follower.busy  # a Cancel that only stopped a preview: once more
        if not waiting[0]():
            return True
        done[0] += 1  # on stderr, so a run that hangs shows how far it got
        print(f"painter step {done[0]} at {time.monotonic() - started:.1f} s", file=sys.stderr)
        try:
            waiting[0] = next(steps)
        except StopIteration:
            return False
        return True

    GLib.timeout_add(100, tick)


def run(app: str, painter: Any, timeout_s: float = TIMEOUT_S) -> int:
    """Open the dialog on the photo with a selection, let `painter(dialog, report)` drive it,
    write the report."""
    faulthandler.dump_traceback_later(WATCHDOG_S)
    GimpUi.init(app)
    image = Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path(PHOTO))
    layer = image.get_layers()[0]
    image.select_rectangle(Gimp.ChannelOps.REPLACE, *SELECTION)
    args = json.loads(ARGUMENTS)
    report: dict[str, Any] = {}
    with connect(args, lambda _f, _t: None) as client:
        model = load_model(client, str(args.get("model") or "default"), args["mode"])
        dialog = StyleDialog(layer, model, dialog_values(args, model), client)
        steps = painter(dialog, report)
        GLib.idle_add(lambda: drive(dialog, report, steps, timeout_s) and False)
        report["chosen"] = dialog.run() is not None
    print("dialog closed", file=sys.stderr)
    image.delete()
    write_report(report, OUT)
    return 0


if __name__ == "__main__":
    sys.exit(run("stylebridge-crop", script))
