"""Runs inside Krita (krita-run.sh --gui): ARGS = OUT_DIR STYLE_A STYLE_B.

Applies STYLE_A from the dialog on one document and STYLE_B on a second, then opens the dialog
on the first again and records what it picked. Writes info.json."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

import json
import os
import sys

from apply_again import find_extension
from dialog_apply import wait
from krita import Krita


def open_dialog(app, extension, doc):
    app.activeWindow().addView(doc)
    doc.setActiveNode(doc.topLevelNodes()[0])
    app.action("stylebridge_style_transfer").trigger()
    dialog = extension.dialog
    wait(lambda: dialog.model is not None or not dialog.status.text().startswith("Conn"))
    return dialog


def apply_style(app, extension, doc, style):
    dialog = open_dialog(app, extension, doc)
    dialog.live.setChecked(False)
    dialog.gallery.clearSelection()
    dialog.gallery.select_names([style])
    dialog.apply_button.click()
    wait(lambda: not extension.is_busy(), 240)
    doc.waitForDone()


def main(out_dir, style_a, style_b):
    app = Krita.instance()
    extension = find_extension(app)
    first = app.createDocument(64, 48, "first", "RGBA", "U8", "", 72.0)
    second = app.createDocument(64, 48, "second", "RGBA", "U8", "", 72.0)
    apply_style(app, extension, first, style_a)
    apply_style(app, extension, second, style_b)
    dialog = open_dialog(app, extension, first)
    info = {"picked": [name for name, _ in dialog.sliders.blend()], "error": extension.last_error}
    with open(os.path.join(out_dir, "info.json"), "w") as f:
        json.dump(info, f)
    print(json.dumps(info))
    for doc in (first, second):
        doc.setModified(False)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
