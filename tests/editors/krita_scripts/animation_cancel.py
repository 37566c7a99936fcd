"""Runs inside Krita (krita-run.sh --gui): ARGS = OUT_DIR SETTINGS_JSON.

Starts Filter > Stylize Animation Frames on the 3-keyframe layer of animation_frames.py with
slow settings, presses Cancel (worker.cancel(), what the Cancel buttons call) at the second
frame's first progress event, waits, and writes result_T.bin for each keyframe time T and
info.json (the note, the layers, the progress texts). Exits 0 when it ended, 4 on a timeout."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

import json
import os
import sys

from animation_frames import frames, make_animated_document, wait_for
from krita import Krita


def main(out_dir, settings_json):
    app = Krita.instance()
    app.setBatchmode(True)
    app.writeSetting("stylebridge", "last_values", settings_json)
    doc, layer = make_animated_document(app)
    extension = next(e for e in app.extensions() if hasattr(e, "is_busy"))
    app.action("stylebridge_stylize_animation").trigger()
    worker = next(iter(extension.workers))
    texts = []

    def on_progress(_percent, text):
        texts.append(text)
        if text.startswith("Frame 2 of 3") and not worker.is_cancelled():
            worker.cancel()

    worker.progressed.connect(on_progress)
    finished = wait_for(extension, doc)
    info = {"error": extension.last_error, "progress": texts}
    info["layers"] = [n.name() for n in doc.rootNode().childNodes()]
    result = extension.last_layer
    if result is not None:
        info["result_keyframes"] = [t for t in range(10) if result.hasKeyframeAtTime(t)]
        for t, data in frames(result).items():
            with open(os.path.join(out_dir, f"result_{t}.bin"), "wb") as f:
                f.write(data)
    for t, data in frames(layer).items():
        with open(os.path.join(out_dir, f"source_{t}.bin"), "wb") as f:
            f.write(data)
    with open(os.path.join(out_dir, "info.json"), "w") as f:
        json.dump(info, f)
    print(json.dumps(info))
    doc.setModified(False)
    return 0 if finished else 4


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
