"""Runs INSIDE GIMP 3 (gimp3-run.sh): calls plug-in-stylebridge in optimize mode with a library
style, a custom style from another layer, one from an image file, and a missing layer; writes what
it observed as JSON for tests/editors/test_gimp_plugin.py.

    gimp3-run.sh --plugin PLUGIN_DIR custom_style_call.py ARGUMENTS_JSON STYLE_FILE OUT.json
"""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

import json
import sys
from typing import Any

import gi

gi.require_version("Gimp", "3.0")
gi.require_version("Gegl", "0.4")
from gi.repository import Gegl, Gimp  # noqa: E402
from stylize_call import (  # noqa: E402  (this script's folder is on sys.path)
    LAYER_H,
    LAYER_W,
    LAYER_X,
    LAYER_Y,
    RGBA8,
    call,
    compare,
    make_image,
    read,
)

STYLE_LAYER = "style stripes"


def add_style_layer(image: Any) -> None:
    """Saturated red/green stripes below the source: nothing like the library styles."""
    width, height = image.get_width(), image.get_height()
    layer = Gimp.Layer.new(
        image, STYLE_LAYER, width, height, Gimp.ImageType.RGBA_IMAGE, 100.0, Gimp.LayerMode.NORMAL
    )
    image.insert_layer(layer, None, 1)
    stripes = bytes(
        v
        for _ in range(height)
        for x in range(width)
        for v in ((255, 0, 0, 255) if x // 4 % 2 else (0, 255, 0, 255))
    )
    buffer = layer.get_buffer()
    buffer.set(Gegl.Rectangle.new(0, 0, width, height), RGBA8, stripes)
    buffer.flush()


def run_case(name: str, arguments: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """What the call did, and the result layer's R'G'B'A u8 bytes (b"" on failure)."""
    image, layer = make_image(Gimp.Precision.U8_NON_LINEAR)
    add_style_layer(image)
    before, source_rgba = read(layer, RGBA8), read(layer, RGBA8)
    status, message = call(image, layer, arguments)
    layers = image.get_layers()
    out: dict[str, Any] = {"status": status, "message": message}
    out["layers"] = [item.get_name() for item in layers]
    out["source_unchanged"] = read(layer, RGBA8) == before
    result_rgba = b""
    if status == "success":
        result_rgba = read(layers[image.get_item_position(layer) - 1], RGBA8)
        rect = Gegl.Rectangle.new(LAYER_X, LAYER_Y, LAYER_W, LAYER_H)
        out.update(compare(source_rgba, result_rgba, read(image.get_selection(), "Y u8", rect)))
    image.delete()
    print(name, json.dumps(out))
    return out, result_rgba


def mean_rgb_difference(a: bytes, b: bytes) -> float:
    """Mean absolute R, G, B difference of two equally sized R'G'B'A u8 buffers."""
    deltas = [abs(x - y) for i, (x, y) in enumerate(zip(a, b, strict=True)) if i % 4 != 3]
    return sum(deltas) / max(1, len(deltas))


def main() -> int:
    common, style_file, out_path = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
    cases = {
        "library": common,
        "layer": {**common, "styles": "", "custom-styles": f"layer:{STYLE_LAYER}"},
        "file": {**common, "styles": "", "custom-styles": f"file:{style_file}=1"},
        "missing-layer": {**common, "custom-styles": "layer:no such layer"},
    }
    report: dict[str, Any] = {}
    results: dict[str, bytes] = {}
    for name, arguments in cases.items():
        report[name], results[name] = run_case(name, arguments)
    for name in ("layer", "file"):
        if results[name] and results["library"]:
            difference = mean_rgb_difference(results[name], results["library"])
            report[name]["difference_from_library"] = difference
            print(name, "mean RGB difference from the library style:", round(difference, 2))
    with open(out_path, "w") as f:
        json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
