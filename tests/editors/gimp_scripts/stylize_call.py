"""Runs INSIDE GIMP 3 (gimp3-run.sh): calls plug-in-stylebridge non-interactively on images of
several precisions with a known layer and a feathered selection, and writes what it observed as
JSON for tests/editors/test_gimp_plugin.py to check.

    gimp3-run.sh --plugin PLUGIN_DIR stylize_call.py ARGUMENTS_JSON OUT.json

ARGUMENTS_JSON: the procedure arguments every call shares, e.g. {"endpoint": ..., "mode": ...}.
"""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

import json
import sys
from typing import Any

import gi

gi.require_version("Gimp", "3.0")
gi.require_version("Gegl", "0.4")
gi.require_version("Babl", "0.1")
from gi.repository import Babl, Gegl, Gimp  # noqa: E402

IMAGE_W, IMAGE_H = 64, 48
LAYER_X, LAYER_Y, LAYER_W, LAYER_H = 8, 4, 48, 40  # the layer does not cover the whole image
SELECTION = (16, 12, 32, 24)  # x, y, w, h in image coordinates, then feathered
FEATHER_PX = 4.0
RGBA8 = "R'G'B'A u8"
PRECISIONS = {
    "u8": Gimp.Precision.U8_NON_LINEAR,
    "u16": Gimp.Precision.U16_NON_LINEAR,
    "float-linear": Gimp.Precision.FLOAT_LINEAR,
}


def read(drawable: Any, fmt: str, rect: Any = None) -> bytes:
    rect = rect or Gegl.Rectangle.new(0, 0, drawable.get_width(), drawable.get_height())
    return bytes(drawable.get_buffer().get(rect, 1.0, fmt, Gegl.AbyssPolicy.NONE))


def make_image(precision: Any) -> tuple[Any, Any]:
    """An image with a patterned, opaque layer at an offset and a feathered selection."""
    image = Gimp.Image.new_with_precision(IMAGE_W, IMAGE_H, Gimp.ImageBaseType.RGB, precision)
    layer = Gimp.Layer.new(
        image, "source", LAYER_W, LAYER_H, Gimp.ImageType.RGBA_IMAGE, 100.0, Gimp.LayerMode.NORMAL
    )
    image.insert_layer(layer, None, 0)
    layer.set_offsets(LAYER_X, LAYER_Y)
    pattern = bytes(
        v for y in range(LAYER_H) for x in range(LAYER_W) for v in (x * 5, y * 6, 200 - x - y, 255)
    )
    buffer = layer.get_buffer()
    buffer.set(Gegl.Rectangle.new(0, 0, LAYER_W, LAYER_H), RGBA8, pattern)
    buffer.flush()
    image.select_rectangle(Gimp.ChannelOps.REPLACE, *SELECTION)
    Gimp.Selection.feather(image, FEATHER_PX)
    return image, layer


def call(
    image: Any, layer: Any, arguments: dict[str, Any], run_mode: Any = Gimp.RunMode.NONINTERACTIVE
) -> tuple[str, str]:
    """Run the procedure like a Python-Fu script; (status nick, error message or "")."""
    proc = Gimp.get_pdb().lookup_procedure("plug-in-stylebridge")
    config = proc.create_config()
    config.set_property("run-mode", run_mode)
    config.set_property("image", image)
    config.set_core_object_array("drawables", [layer])
    for name, value in arguments.items():
        config.set_property(name, value)
    result = proc.run(config)
    status = result.index(0)
    message = result.index(1) if status != Gimp.PDBStatusType.SUCCESS else ""
    return status.value_nick, str(message or "")


def write_report(report: dict[str, Any], path: str) -> None:
    """Print `report` and write it as JSON to `path` (what the test reads)."""
    print(json.dumps(report))
    with open(path, "w") as f:
        json.dump(report, f)


def compare(source_rgba: bytes, result_rgba: bytes, mask: bytes) -> dict[str, Any]:
    """Alpha against the selection and RGB change, per region of the mask."""
    stats = {"outside_max_alpha": 0, "inside_min_alpha": 255, "feather_partial": 0}
    stats.update({"feather_pixels": 0, "max_alpha_error": 0, "inside": 0, "inside_changed": 0})
    for i, m in enumerate(mask):
        alpha = result_rgba[4 * i + 3]
        source, styled = source_rgba[4 * i : 4 * i + 3], result_rgba[4 * i : 4 * i + 3]
        rgb_delta = max(abs(a - b) for a, b in zip(source, styled, strict=True))
        stats["max_alpha_error"] = max(stats["max_alpha_error"], abs(alpha - m))
        if m == 0:
            stats["outside_max_alpha"] = max(stats["outside_max_alpha"], alpha)
        elif m == 255:
            stats["inside"] += 1
            stats["inside_min_alpha"] = min(stats["inside_min_alpha"], alpha)
            stats["inside_changed"] += rgb_delta > 4
        else:
            stats["feather_pixels"] += 1
            stats["feather_partial"] += 0 < alpha < 255
    return stats


def run_case(
    name: str, precision: Any, arguments: dict[str, Any], selected: bool = True
) -> dict[str, Any]:
    image, layer = make_image(precision)
    if not selected:
        Gimp.Selection.none(image)
    native = Babl.get_name(layer.get_format())
    before = read(layer, native)
    source_rgba = read(layer, RGBA8)
    status, message = call(image, layer, arguments)
    layers = image.get_layers()
    out: dict[str, Any] = {"status": status, "message": message, "native": native}
    out["layers"] = [item.get_name() for item in layers]
    out["source_unchanged"] = read(layer, native) == before
    if status == "success":
        result = layers[image.get_item_position(layer) - 1]
        rect = Gegl.Rectangle.new(LAYER_X, LAYER_Y, LAYER_W, LAYER_H)
        mask = (
            read(image.get_selection(), "Y u8", rect) if selected else b"\xff" * LAYER_W * LAYER_H
        )
        out["result_native"] = Babl.get_name(result.get_format())
        out["result_geometry"] = [
            *result.get_offsets()[1:],
            result.get_width(),
            result.get_height(),
        ]
        out.update(compare(source_rgba, read(result, RGBA8), mask))
    image.delete()
    print(name, json.dumps(out))
    return out


def main() -> int:
    common, out_path = json.loads(sys.argv[1]), sys.argv[2]
    report = {name: run_case(name, p, common) for name, p in PRECISIONS.items()}
    report["no-selection"] = run_case("no-selection", PRECISIONS["u8"], common, selected=False)
    bad = {**common, "styles": "no-such-style"}
    report["unknown-style"] = run_case("unknown-style", Gimp.Precision.U8_NON_LINEAR, bad)
    with open(out_path, "w") as f:
        json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
