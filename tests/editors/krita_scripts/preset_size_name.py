"""Runs inside Krita (krita-run.sh --gui): ARGS = OUT_DIR SETTINGS_JSON WIDTH HEIGHT.

Makes a WIDTH x HEIGHT U8 document (a gradient, no selection), presets the plugin's last
settings, triggers Filter > Apply Neural Style Again in batch mode and writes the layer names
to OUT_DIR/info.json. Exits 0 when the plugin made a layer, 3 on an error, 4 on timeout."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

import json
import os
import sys
import time

from krita import Krita
from PyQt5.QtWidgets import QApplication

TIMEOUT_S = float(os.environ.get("STYLEBRIDGE_TEST_TIMEOUT_S", "240"))


def main(out_dir, settings_json, width, height):
    width, height = int(width), int(height)
    app = Krita.instance()
    app.setBatchmode(True)  # the plugin must not open any dialog or message box
    app.writeSetting("stylebridge", "last_values", settings_json)
    doc = app.createDocument(width, height, "preset-size", "RGBA", "U8", "", 72.0)
    app.activeWindow().addView(doc)
    layer = doc.rootNode().childNodes()[0]
    pixels = bytes(
        v for y in range(height) for x in range(width) for v in (x % 256, y % 256, 90, 255)
    )
    layer.setPixelData(pixels, 0, 0, width, height)
    doc.setActiveNode(layer)
    doc.waitForDone()
    extension = next(e for e in app.extensions() if hasattr(e, "is_busy"))
    app.action("stylebridge_apply_again").trigger()
    deadline = time.monotonic() + TIMEOUT_S
    while extension.is_busy() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)
    QApplication.processEvents()
    doc.waitForDone()
    info = {"layers": [n.name() for n in doc.rootNode().childNodes()]}
    info["error"] = extension.last_error
    with open(os.path.join(out_dir, "info.json"), "w") as f:
        json.dump(info, f)
    print(json.dumps(info))
    doc.setModified(False)
    if extension.is_busy():
        return 4
    return 3 if extension.last_error else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
