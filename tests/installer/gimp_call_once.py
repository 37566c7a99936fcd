"""Runs INSIDE GIMP 3 (gimp3-run.sh): is plug-in-stylebridge registered, and does one call on an
8-bit layer add a stylized layer above it and leave the source alone? Writes JSON to OUT.

    gimp3-run.sh --plugin PLUGIN_DIR gimp_call_once.py ARGUMENTS_JSON OUT.json
"""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

import json
import sys

import gi

gi.require_version("Gimp", "3.0")
gi.require_version("Gegl", "0.4")
from gi.repository import Gegl, Gimp  # noqa: E402

W, H = 48, 40
RGBA8 = "R'G'B'A u8"


def pixels(drawable: object) -> bytes:
    rect = Gegl.Rectangle.new(0, 0, W, H)
    return bytes(drawable.get_buffer().get(rect, 1.0, RGBA8, Gegl.AbyssPolicy.NONE))


def main(arguments: dict, out_path: str) -> int:
    proc = Gimp.get_pdb().lookup_procedure("plug-in-stylebridge")
    report: dict = {"registered": proc is not None}
    if proc is not None:
        image = Gimp.Image.new(W, H, Gimp.ImageBaseType.RGB)
        layer = Gimp.Layer.new(image, "source", W, H, Gimp.ImageType.RGBA_IMAGE, 100.0,
                               Gimp.LayerMode.NORMAL)  # fmt: skip
        image.insert_layer(layer, None, 0)
        source = bytes(v for y in range(H) for x in range(W) for v in (x * 5, y * 6, 90, 255))
        layer.get_buffer().set(Gegl.Rectangle.new(0, 0, W, H), RGBA8, source)
        config = proc.create_config()
        config.set_property("run-mode", Gimp.RunMode.NONINTERACTIVE)
        config.set_property("image", image)
        config.set_core_object_array("drawables", [layer])
        for name, value in arguments.items():
            config.set_property(name, value)
        result = proc.run(config)
        status = result.index(0)
        report["status"] = status.value_nick
        report["message"] = str(result.index(1) or "") if status.value_nick != "success" else ""
        layers = image.get_layers()
        report["layers"] = [item.get_name() for item in layers]
        report["source_unchanged"] = pixels(layer) == source
        styled = pixels(layers[0]) if len(layers) == 2 else source
        report["changed_bytes"] = sum(a != b for a, b in zip(styled, source, strict=True))
        image.delete()
    with open(out_path, "w") as f:
        json.dump(report, f)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(sys.argv[1]), sys.argv[2]))
