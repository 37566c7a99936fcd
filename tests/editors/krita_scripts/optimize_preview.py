"""Runs inside Krita (krita-run.sh --gui): ARGS = OUT_DIR IMAGE STYLE.

Opens the dialog in optimize mode and checks that an optimization preview starts only when the
painter asks: slider moves start none (Live is off there), the Preview button starts one and a
second click stops it, and Apply cancels a running preview instead of waiting behind it. Writes
info.json; exits 0 when Apply made its layer."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

import json
import os
import sys
import time

from dialog_apply import drag_slider, open_from_docker, pick, wait
from krita import Krita


def running(dialog):
    return dialog.preview._worker is not None


def main(out_dir, image, style):
    app = Krita.instance()
    doc = app.openDocument(image)
    app.activeWindow().addView(doc)
    doc.setActiveNode(doc.topLevelNodes()[0])
    extension = next(e for e in app.extensions() if hasattr(e, "is_busy"))
    open_from_docker(app.activeWindow().qwindow())
    dialog = extension.dialog
    wait(lambda: dialog.model is not None or not dialog.status.text().startswith("Conn"))
    info = {"loaded": dialog.model is not None, "status": dialog.status.text()}
    if info["loaded"]:
        pick(dialog, "optimize", [style])
        dialog._mixer.set_methods((("gram", 1.0),))  # saved settings of another mode may hold none
        info["live_enabled"] = dialog.live.isEnabled()
        info["previews_after_drag"] = drag_slider(dialog, extension)
        dialog.preview_button.click()
        info["started"] = wait(lambda: running(dialog), 10)
        info["button_while_running"] = dialog.preview_button.text()
        stopped_at = time.monotonic()
        dialog.preview_button.click()
        info["stopped"] = wait(lambda: not running(dialog), 60)
        info["stop_s"] = time.monotonic() - stopped_at
        info["button_after_stop"] = dialog.preview_button.text()
        dialog.preview_button.click()
        wait(lambda: running(dialog), 10)
        before = len(doc.topLevelNodes())
        dialog.apply_button.click()
        info["preview_cancelled_by_apply"] = wait(lambda: not running(dialog), 60)
        wait(lambda: not extension.is_busy(), 180)
        doc.waitForDone()
        info["new_layer"] = len(doc.topLevelNodes()) > before
    info["error"] = extension.last_error
    with open(os.path.join(out_dir, "info.json"), "w") as f:
        json.dump(info, f)
    print(json.dumps(info))
    doc.setModified(False)
    return 0 if info.get("new_layer") else 3


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
