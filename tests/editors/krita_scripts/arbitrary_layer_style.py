"""Runs inside Krita (krita-run.sh --gui): ARGS = OUT_DIR IMAGE.

Opens IMAGE, adds a layer of saturated red/green stripes, opens Filter > Neural Style Transfer…,
picks the mode 'Any picture (instant)', adds the stripes layer as the only style ('Style from
layer'), previews and applies once with Match 'Colours and contrast' (intra) and once with
'Textures and patterns' (wct). Writes info.json: what the dialog offered, the layers, whether
source and style stayed unchanged, mean colours of photo, style and both results. Exits 0 when
both results were made."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

import json
import os
import sys

from dialog_apply import wait
from krita import Krita

STYLE_LAYER = "style stripes"
RED, GREEN = (0, 0, 255, 255), (0, 255, 0, 255)  # U8 layers are B, G, R, A


def pixels(node, doc):
    return bytes(node.pixelData(0, 0, doc.width(), doc.height()))


def mean_rgb(data):
    """Mean R, G, B (0..255) of B, G, R, A u8 bytes."""
    count = max(1, len(data) // 4)
    return [sum(data[c::4]) / count for c in (2, 1, 0)]


def mean_difference(a, b):
    """Mean absolute difference of two equally long byte strings."""
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / max(1, len(a))


def add_stripes(app, doc):
    """A paint layer of 4 px red/green stripes below the photo (hidden: only its pixels count)."""
    layer = doc.createNode(STYLE_LAYER, "paintlayer")
    w, h = doc.width(), doc.height()
    layer.setPixelData(
        bytes(v for _ in range(h) for x in range(w) for v in (RED if x // 4 % 2 else GREEN)),
        0,
        0,
        w,
        h,
    )
    doc.rootNode().addChildNode(layer, None)
    layer.setVisible(False)
    doc.refreshProjection()
    return layer


def apply_with(dialog, extension, doc, transform):
    """Set Match to `transform`, preview, apply; (preview shown, the new layer or None)."""
    dialog.options.currentWidget().set_values({"transform": transform})
    dialog.preview.refresh()
    # Also the live preview the option change scheduled (debounced): a preview faster than the
    # debounce shows its result before that one starts, and Apply would then stop it.
    pending = dialog.preview._timer.isActive
    previewed = wait(
        lambda: not pending() and dialog.preview.has_result() and not extension.is_busy()
    )
    before = {n.uniqueId() for n in doc.topLevelNodes()}
    dialog.apply_button.click()
    wait(lambda: not extension.is_busy())
    doc.waitForDone()
    new = [n for n in doc.topLevelNodes() if n.uniqueId() not in before]
    return previewed, (new[0] if new else None)


def offered(dialog):
    form = dialog.options.currentWidget()
    combo = form._rows["transform"][1] if "transform" in form._rows else None
    labels = [combo.itemText(i) for i in range(combo.count())] if combo is not None else []
    return {
        "mode_text": dialog.mode.currentText(),
        "match_labels": labels,
        "custom_enabled": dialog.add_layer.isEnabled(),
        "live": dialog.live.isEnabled(),
    }


def main(out_dir, image):
    app = Krita.instance()
    doc = app.openDocument(image)
    app.activeWindow().addView(doc)
    photo = doc.topLevelNodes()[0]
    style = add_stripes(app, doc)
    doc.setActiveNode(photo)
    photo_before, style_before = pixels(photo, doc), pixels(style, doc)
    extension = next(e for e in app.extensions() if hasattr(e, "is_busy"))
    app.action("stylebridge_style_transfer").trigger()
    dialog = extension.dialog
    info = {"loaded": wait(lambda: dialog.model is not None), "status": dialog.status.text()}
    if info["loaded"]:
        dialog.mode.setCurrentIndex(2)
        dialog.gallery.select_names([])
        dialog.layer_choice.setCurrentText(STYLE_LAYER)
        dialog.add_layer.click()
        info.update(offered(dialog))
        info["blend"] = list(dialog.sliders.blend())
        results = {}
        for transform in ("intra", "wct"):
            previewed, layer = apply_with(dialog, extension, doc, transform)
            info[f"{transform}_previewed"] = previewed
            info[f"{transform}_sent"] = dialog.current_values().options.get("transform")
            if layer is not None:
                results[transform] = pixels(layer, doc)
                info[f"{transform}_mean"] = mean_rgb(results[transform])
                info[f"{transform}_name"] = layer.name()
        dialog.grab().save(os.path.join(out_dir, "dialog.png"))
        info["layers"] = [n.name() for n in doc.topLevelNodes()]
        info["photo_mean"], info["style_mean"] = mean_rgb(photo_before), mean_rgb(style_before)
        info["photo_unchanged"] = pixels(photo, doc) == photo_before
        info["style_unchanged"] = pixels(style, doc) == style_before
        if len(results) == 2:
            a, b = results["intra"], results["wct"]
            info["transforms_differ_by"] = mean_difference(a, b)
            info["intra_differs_from_photo_by"] = mean_difference(a, photo_before)
    info["error"] = extension.last_error
    with open(os.path.join(out_dir, "info.json"), "w") as f:
        json.dump(info, f)
    print(json.dumps(info))
    doc.setModified(False)
    return 0 if "intra_mean" in info and "wct_mean" in info else 3


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
