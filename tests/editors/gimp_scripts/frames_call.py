"""Runs INSIDE GIMP 3 (gimp3-run.sh): calls plug-in-stylebridge-frames non-interactively on an
image of three layers (frames) and writes what it observed as JSON for test_gimp_frames.py.

    gimp3-run.sh --plugin PLUGIN_DIR frames_call.py ARGUMENTS_JSON OUT.json
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

WIDTH, HEIGHT, FRAMES = 40, 32, 3
RGBA8 = "R'G'B'A u8"


def pixels(layer: Any) -> bytes:
    rect = Gegl.Rectangle.new(0, 0, layer.get_width(), layer.get_height())
    return bytes(layer.get_buffer().get(rect, 1.0, RGBA8, Gegl.AbyssPolicy.NONE))


def make_image() -> Any:
    """Frames 'frame 1' (bottom) to 'frame 3' (top): a gradient moving right 4 px per frame."""
    image = Gimp.Image.new(WIDTH, HEIGHT, Gimp.ImageBaseType.RGB)
    for index in range(FRAMES):
        layer = Gimp.Layer.new(
            image, f"frame {index + 1}", WIDTH, HEIGHT, Gimp.ImageType.RGBA_IMAGE, 100.0,
            Gimp.LayerMode.NORMAL,
        )  # fmt: skip
        image.insert_layer(layer, None, 0)
        data = bytes(
            v
            for y in range(HEIGHT)
            for x in range(WIDTH)
            for v in ((x + 4 * index) * 6 % 256, y * 7, 180 - y, 255)
        )
        buffer = layer.get_buffer()
        buffer.set(Gegl.Rectangle.new(0, 0, WIDTH, HEIGHT), RGBA8, data)
        buffer.flush()
    return image


def call(image: Any, arguments: dict[str, Any]) -> tuple[str, str]:
    proc = Gimp.get_pdb().lookup_procedure("plug-in-stylebridge-frames")
    config = proc.create_config()
    config.set_property("run-mode", Gimp.RunMode.NONINTERACTIVE)
    config.set_property("image", image)
    config.set_core_object_array("drawables", [])
    for name, value in arguments.items():
        config.set_property(name, value)
    result = proc.run(config)
    status = result.index(0)
    message = result.index(1) if status != Gimp.PDBStatusType.SUCCESS else ""
    return status.value_nick, str(message or "")


def main() -> None:
    arguments, out = json.loads(sys.argv[1]), sys.argv[2]
    image = make_image()
    before = [pixels(layer) for layer in image.get_layers()]
    status, message = call(image, arguments)
    others = [i for i in Gimp.get_images() if i.get_id() != image.get_id()]
    report: dict[str, Any] = {"status": status, "message": message, "new_images": len(others)}
    report["source_unchanged"] = [pixels(layer) for layer in image.get_layers()] == before
    if others:
        layers = others[0].get_layers()
        report["names"] = [layer.get_name() for layer in layers]
        report["sizes"] = [[layer.get_width(), layer.get_height()] for layer in layers]
        report["changed"] = [pixels(new) != old for new, old in zip(layers, before, strict=False)]
        report["distinct"] = len({pixels(layer) for layer in layers})
    empty = Gimp.Image.new(8, 8, Gimp.ImageBaseType.RGB)
    report["empty"] = call(empty, arguments)
    with open(out, "w") as handle:
        json.dump(report, handle)


main()
