"""Runs INSIDE GIMP 3 (gimp3-run.sh): calls plug-in-stylebridge in mode arbitrary (any picture as
a style, one pass) with another layer of the image as the only style, once per transform; writes
what it observed as JSON for tests/editors/test_gimp_plugin.py.

    gimp3-run.sh --plugin PLUGIN_DIR arbitrary_layer_call.py ARGUMENTS_JSON OUT.json
"""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

import json
import sys
from typing import Any

import gi

gi.require_version("Gimp", "3.0")
gi.require_version("Gegl", "0.4")
from custom_style_call import STYLE_LAYER, add_style_layer, mean_rgb_difference  # noqa: E402
from gi.repository import Gegl, Gimp  # noqa: E402
from stylize_call import LAYER_H, LAYER_W, LAYER_X, LAYER_Y, RGBA8, call, make_image, read  # noqa: E402

TRANSFORMS = ("intra", "wct")


def inside_mean_rgb(rgba: bytes, mask: bytes) -> list[float]:
    """Mean R, G, B (0..255) over the fully selected pixels."""
    sums, count = [0.0, 0.0, 0.0], 0
    for i, m in enumerate(mask):
        if m == 255:
            count += 1
            for c in range(3):
                sums[c] += rgba[4 * i + c]
    return [s / max(1, count) for s in sums]


def run_case(arguments: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """What the call did, the means of source, style and result, and the result's bytes."""
    image, layer = make_image(Gimp.Precision.U8_NON_LINEAR)
    add_style_layer(image)
    style_layer = next(item for item in image.get_layers() if item.get_name() == STYLE_LAYER)
    style_before, source_before = read(style_layer, RGBA8), read(layer, RGBA8)
    status, message = call(image, layer, arguments)
    layers = image.get_layers()
    out: dict[str, Any] = {"status": status, "message": message}
    out["layers"] = [item.get_name() for item in layers]
    out["source_unchanged"] = read(layer, RGBA8) == source_before
    out["style_unchanged"] = read(style_layer, RGBA8) == style_before
    result = b""
    if status == "success":
        result = read(layers[image.get_item_position(layer) - 1], RGBA8)
        rect = Gegl.Rectangle.new(LAYER_X, LAYER_Y, LAYER_W, LAYER_H)
        mask = read(image.get_selection(), "Y u8", rect)
        out["source_mean"] = inside_mean_rgb(source_before, mask)
        out["result_mean"] = inside_mean_rgb(result, mask)
        full = b"\xff" * (len(style_before) // 4)
        out["style_mean"] = inside_mean_rgb(style_before, full)
        out["difference_from_source"] = mean_rgb_difference(source_before, result)
    image.delete()
    return out, result


def main() -> int:
    common, out_path = json.loads(sys.argv[1]), sys.argv[2]
    report: dict[str, Any] = {}
    results: dict[str, bytes] = {}
    for transform in TRANSFORMS:
        arguments = {**common, "options": json.dumps({"transform": transform})}
        report[transform], results[transform] = run_case(arguments)
        print(transform, json.dumps(report[transform]))
    if all(results.values()):
        report["difference_between_transforms"] = mean_rgb_difference(*results.values())
    with open(out_path, "w") as f:
        json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
