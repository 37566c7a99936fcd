"""Runs INSIDE GIMP 3 (gimp3-run.sh) with an X display (Xvfb): opens the plug-in's dialog on a
photo, runs a preview against a real daemon and saves a PNG of the dialog window.

    GIMP3_RUN_BIND=/tmp/.X11-unix:OUT_DIR gimp3-run.sh dialog_screenshot.py \
        DISPLAY PLUGIN_DIR PHOTO ARGUMENTS_JSON OUT.png
"""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

import json
import os
import sys
import time

import gi

DISPLAY, PLUGIN_DIR, PHOTO, ARGUMENTS, OUT = sys.argv[1:6]
os.environ["DISPLAY"] = DISPLAY  # before Gtk is imported: gimp3-run.sh clears the environment
sys.path[:0] = [os.path.join(PLUGIN_DIR, "vendor"), PLUGIN_DIR]
gi.require_version("Gimp", "3.0")
gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
gi.require_version("GimpUi", "3.0")
from gi.repository import Gdk, Gimp, GimpUi, Gio, Gtk  # noqa: E402
from gimp_args import dialog_values  # noqa: E402
from gimp_dialog import StyleDialog  # noqa: E402
from gimp_job import connect, load_model  # noqa: E402
from gimp_pixels import thumbnail  # noqa: E402
from stylebridge.editor.request_params import PREVIEW_SIZE_PX  # noqa: E402


def pump(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        while Gtk.events_pending():
            Gtk.main_iteration_do(False)  # never blocks: a pending event may be gone by now
        time.sleep(0.02)


def main() -> int:
    GimpUi.init("stylebridge-screenshot")
    image = Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path(PHOTO))
    layer = image.get_layers()[0]
    args = json.loads(ARGUMENTS)
    if "layer:Sketch" in args.get("custom-styles", ""):  # another layer to use as a style
        sketch = layer.copy()
        image.insert_layer(sketch, None, 1)
        sketch.set_name("Sketch")
        sketch.desaturate(Gimp.DesaturateMode.LUMINANCE)
    with connect(args, lambda _f, _t: None) as client:
        model = load_model(client, str(args.get("model") or "default"), args["mode"])
        dialog = StyleDialog(layer, model, dialog_values(args, model), client)
        dialog.dialog.show_all()
        # Keep Xvfb's pointer off the dialog: a tooltip would cover part of the screenshot.
        pointer = Gdk.Display.get_default().get_default_seat().get_pointer()
        pointer.warp(Gdk.Screen.get_default(), 0, 0)
        dialog.dialog.move(40, 40)
        pump(1.0)
        tiles = list(dialog.blend.buttons.values())
        pictures = [tile.get_child().get_children()[0] for tile in tiles]
        thumbnails = sum(p.get_pixbuf() is not None for p in pictures)
        print(f"style thumbnails: {thumbnails} of {len(tiles)}")
        print("picked:", len(dialog.blend.blend()))
        print("custom rows:", len(dialog.custom.rows) if dialog.custom else 0)
        before = thumbnail(layer, PREVIEW_SIZE_PX)[0]
        dialog.preview()
        print("preview changed:", bytes(dialog.pane.after.get_pixels()) != before)
        dialog.progress.set_text("Preview ready")
        dialog.advanced.set_expanded(args["mode"] == "optimize")  # both sections in the docs
        pump(1.0)
    window = dialog.dialog.get_window()
    width, height = window.get_width(), window.get_height()
    Gdk.pixbuf_get_from_window(window, 0, 0, width, height).savev(OUT, "png", [], [])
    print("saved", OUT, width, height)
    dialog.dialog.destroy()
    image.delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
