"""Runs inside Krita (krita-run.sh --gui): ARGS = OUT_DIR.

Opens the style dialog on a new document, then Settings… and Restart engine, and waits for the
settings window to say how it went. Writes info.json (the texts shown, the new engine's pid)."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

import json
import os
import sys

from apply_again import find_extension, make_document
from dialog_apply import wait
from krita import Krita


def main(out_dir):
    app = Krita.instance()
    doc, _ = make_document(app, "U8")
    extension = find_extension(app)
    app.action("stylebridge_style_transfer").trigger()
    dialog = extension.dialog
    wait(lambda: dialog.model is not None or not dialog.status.text().startswith("Conn"))
    info = {"dialog_status": dialog.status.text()}
    dialog.settings_button.click()
    window = dialog.engine_settings
    window.restart_button.click()
    wait(lambda: window.restart_button.isEnabled(), 180)
    info.update(settings_status=window.status.text(), pid=window.last_pid)
    with open(os.path.join(out_dir, "info.json"), "w") as f:
        json.dump(info, f)
    print(json.dumps(info))
    doc.setModified(False)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
