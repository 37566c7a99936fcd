"""Runs inside Krita (krita-run.sh --gui): ARGS = DEPTH OUT_DIR SETTINGS_JSON.

Makes a DEPTH (U8/U16/F16/F32) document with a known layer and a feathered selection, presets
the plugin's last settings, triggers Filter > Apply Neural Style Again in batch mode, waits for
the job, undoes once, and writes what the test checks into OUT_DIR (source_before/after.bin,
result.bin, mask.bin, source_after_undo.bin, info.json). Exits 0 when the plugin made a layer,
3 when it reported an error, 4 on timeout."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

import json
import os
import struct
import sys
import time

from krita import Krita, Selection
from PyQt5.QtWidgets import QApplication

W, H = 48, 40
SEL = (10, 8, 28, 24)
FEATHER_PX = 4
TIMEOUT_S = float(os.environ.get("STYLEBRIDGE_TEST_TIMEOUT_S", "240"))


def pattern(depth):
    """An opaque gradient in the depth's memory layout: B,G,R,A for U8/U16, R,G,B,A for floats."""
    if depth == "U8":
        return bytes(v for y in range(H) for x in range(W) for v in (x * 5, y * 6, 200, 255))
    if depth == "U16":
        values = [v for y in range(H) for x in range(W) for v in (x * 1300, y * 1600, 50000, 65535)]
        return struct.pack(f"<{len(values)}H", *values)
    floats = [v for y in range(H) for x in range(W) for v in (0.7, y / H, x / W, 1.0)]
    return struct.pack(f"<{len(floats)}{'e' if depth == 'F16' else 'f'}", *floats)


def find_extension(app):
    found = [e for e in app.extensions() if hasattr(e, "is_busy")]
    if not found:
        sys.exit("stylebridge_krita extension not loaded")
    return found[0]


def wait_for(extension, doc):
    deadline = time.monotonic() + TIMEOUT_S
    while extension.is_busy() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)
    QApplication.processEvents()
    doc.waitForDone()
    return not extension.is_busy()


def make_document(app, depth):
    """A DEPTH document in the window with the pattern layer and a feathered selection."""
    doc = app.createDocument(W, H, "apply-" + depth, "RGBA", depth, "", 72.0)
    app.activeWindow().addView(doc)
    layer = doc.rootNode().childNodes()[0]
    layer.setPixelData(pattern(depth), 0, 0, W, H)
    doc.setActiveNode(layer)
    selection = Selection()
    selection.select(*SEL, 255)
    selection.feather(FEATHER_PX)
    doc.setSelection(selection)
    doc.waitForDone()
    return doc, layer


def result_layer(doc):
    made = [n for n in doc.rootNode().childNodes() if n.type() == "paintlayer"]
    return made[1] if len(made) > 1 else None


def undo(app, doc, layer):
    """Layer names and source bytes after one Edit > Undo."""
    app.action("edit_undo").trigger()
    doc.waitForDone()
    return [n.name() for n in doc.rootNode().childNodes()], bytes(layer.pixelData(0, 0, W, H))


def write(out_dir, files, info):
    for name, data in files.items():
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)
    with open(os.path.join(out_dir, "info.json"), "w") as f:
        json.dump(info, f)
    print(json.dumps(info))


def main(depth, out_dir, settings_json):
    app = Krita.instance()
    app.setBatchmode(True)  # the plugin must not open any dialog or message box
    app.writeSetting("stylebridge", "last_values", settings_json)
    doc, layer = make_document(app, depth)
    files = {
        "source_before.bin": bytes(layer.pixelData(0, 0, W, H)),
        "mask.bin": bytes(doc.selection().pixelData(0, 0, W, H)),
    }
    extension = find_extension(app)
    started = time.monotonic()
    app.action("stylebridge_apply_again").trigger()
    finished = wait_for(extension, doc)
    info = {"seconds": time.monotonic() - started, "error": extension.last_error, "size": [W, H]}
    info["layers"] = [n.name() for n in doc.rootNode().childNodes()]
    files["source_after.bin"] = bytes(layer.pixelData(0, 0, W, H))
    result = result_layer(doc)
    if result is not None:
        info["result_depth"] = result.colorDepth()
        files["result.bin"] = bytes(result.pixelData(0, 0, W, H))
        info["layers_after_undo"], files["source_after_undo.bin"] = undo(app, doc, layer)
    write(out_dir, files, info)
    doc.setModified(False)
    if not finished:
        return 4
    return 0 if result is not None and not extension.last_error else 3


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
