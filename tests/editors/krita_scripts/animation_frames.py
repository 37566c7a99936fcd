"""Runs inside Krita (krita-run.sh --gui): ARGS = OUT_DIR SETTINGS_JSON.

Makes a U8 document whose layer has keyframes at TIMES, each with its own pixels (made with the
GUI's add_blank_frame action, which needs the view), presets the plugin's last settings,
triggers Filter > Stylize Animation Frames in batch mode, waits, undoes once, and writes what the
test checks into OUT_DIR: source_T.bin / result_T.bin / source_after_T.bin for each keyframe
time T, and info.json. Exits 0 when a layer was made, 3 on an error, 4 on a timeout."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

import json
import os
import sys
import time

from krita import Krita
from PyQt5.QtWidgets import QApplication

W, H = 48, 40
TIMES = (0, 3, 6)
TIMEOUT_S = float(os.environ.get("STYLEBRIDGE_TEST_TIMEOUT_S", "300"))


def pattern(index):
    """An opaque B,G,R,A gradient that differs per frame."""
    return bytes(
        v
        for y in range(H)
        for x in range(W)
        for v in ((x * 5 + 80 * index) % 256, (y * 6 * (index + 1)) % 256, 200 - 60 * index, 255)
    )


def settle(doc):
    QApplication.processEvents()
    doc.waitForDone()


def make_animated_document(app):
    """A document in the window whose only layer has a keyframe with pattern(i) at TIMES[i]."""
    doc = app.createDocument(W, H, "animation", "RGBA", "U8", "", 72.0)
    app.activeWindow().addView(doc)
    layer = doc.rootNode().childNodes()[0]
    doc.setActiveNode(layer)
    layer.enableAnimation()
    settle(doc)
    for index, t in enumerate(TIMES):
        doc.setCurrentTime(t)
        settle(doc)
        if not layer.hasKeyframeAtTime(t):
            app.action("add_blank_frame").trigger()
            settle(doc)
        layer.setPixelData(pattern(index), 0, 0, W, H)
        settle(doc)
    doc.setCurrentTime(0)
    settle(doc)
    return doc, layer


def frames(node):
    return {t: bytes(node.pixelDataAtTime(0, 0, W, H, t)) for t in TIMES}


def wait_for(extension, doc):
    deadline = time.monotonic() + TIMEOUT_S
    while extension.is_busy() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)
    settle(doc)
    return not extension.is_busy()


def main(out_dir, settings_json):
    app = Krita.instance()
    app.setBatchmode(True)  # the plugin must not open any dialog or message box
    app.writeSetting("stylebridge", "last_values", settings_json)
    doc, layer = make_animated_document(app)
    files = {f"source_{t}.bin": data for t, data in frames(layer).items()}
    extension = next(e for e in app.extensions() if hasattr(e, "is_busy"))
    started = time.monotonic()
    app.action("stylebridge_stylize_animation").trigger()
    texts = []
    if extension.workers:
        next(iter(extension.workers)).progressed.connect(lambda _, text: texts.append(text))
    finished = wait_for(extension, doc)
    info = {"seconds": time.monotonic() - started, "error": extension.last_error}
    info["progress"] = texts
    info["layers"] = [n.name() for n in doc.rootNode().childNodes()]
    info["source_keyframes"] = [t for t in range(10) if layer.hasKeyframeAtTime(t)]
    files.update({f"source_after_{t}.bin": data for t, data in frames(layer).items()})
    result = extension.last_layer
    if result is not None:
        info["result_animated"] = result.animated()
        info["result_keyframes"] = [t for t in range(10) if result.hasKeyframeAtTime(t)]
        files.update({f"result_{t}.bin": data for t, data in frames(result).items()})
        app.action("edit_undo").trigger()
        settle(doc)
        info["layers_after_undo"] = [n.name() for n in doc.rootNode().childNodes()]
    for name, data in files.items():
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)
    with open(os.path.join(out_dir, "info.json"), "w") as f:
        json.dump(info, f)
    print(json.dumps(info))
    doc.setModified(False)
    if not finished:
        return 4
    return 0 if result is not None and not extension.last_error else 3


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
