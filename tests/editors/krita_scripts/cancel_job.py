"""Runs inside Krita (krita-run.sh --gui): ARGS = OUT_DIR SETTINGS_JSON.

Starts 'Apply Neural Style Again' with long-running settings, presses Cancel (worker.cancel(),
what the Cancel buttons call) after the first progress event, waits, and writes info.json:
the error text, the layers, and how long the job ran after Cancel."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

import sys
import time

from apply_again import find_extension, make_document, wait_for, write
from krita import Krita


def main(out_dir, settings_json):
    app = Krita.instance()
    app.setBatchmode(True)
    app.writeSetting("stylebridge", "last_values", settings_json)
    doc, _ = make_document(app, "U8")
    extension = find_extension(app)
    app.action("stylebridge_apply_again").trigger()
    worker = next(iter(extension.workers))
    steps = []
    cancelled_at = []

    def on_progress(percent, text):
        steps.append(text)
        if not cancelled_at and text.startswith("Step"):
            cancelled_at.append(time.monotonic())
            worker.cancel()

    worker.progressed.connect(on_progress)
    finished = wait_for(extension, doc)
    info = {
        "error": extension.last_error,
        "layers": [n.name() for n in doc.rootNode().childNodes()],
        "progress": steps[:5],
        "after_cancel_s": time.monotonic() - cancelled_at[0] if cancelled_at else None,
    }
    write(out_dir, {}, info)
    doc.setModified(False)
    return 0 if finished else 4


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
