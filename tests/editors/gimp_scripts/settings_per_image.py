"""Runs INSIDE GIMP 3 (gimp3-run.sh) with an X display (Xvfb): opens the plug-in's dialog three
times, pressing OK for the painter: on a first image with style A, on it again with GIMP's last
values naming style B, and on a second image with B. Writes the styles each dialog returned.

    gimp3-run.sh settings_per_image.py DISPLAY PLUGIN_DIR PHOTO ARGUMENTS_JSON STYLE_B OUT.json
"""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

import json
import os
import sys
from typing import Any

import gi

DISPLAY, PLUGIN_DIR, PHOTO, ARGUMENTS, STYLE_B, OUT = sys.argv[1:7]
os.environ["DISPLAY"] = DISPLAY  # before Gtk is imported: gimp3-run.sh clears the environment
sys.path[:0] = [os.path.join(PLUGIN_DIR, "vendor"), PLUGIN_DIR]
gi.require_version("Gimp", "3.0")
gi.require_version("Gtk", "3.0")
from gi.repository import Gimp, Gio, GLib, Gtk  # noqa: E402
from gimp_dialog import run_dialog  # noqa: E402
from stylize_call import write_report  # noqa: E402

PRESS_EVERY_MS = 500


def press_ok_soon() -> None:
    """Press OK in the next dialog that shows up (as the painter would)."""

    def press() -> bool:
        shown = [w for w in Gtk.Window.list_toplevels() if isinstance(w, Gtk.Dialog)]
        for dialog in (w for w in shown if w.get_visible()):
            dialog.response(Gtk.ResponseType.OK)
            return False
        return True  # not shown yet: try again

    GLib.timeout_add(PRESS_EVERY_MS, press)


def chosen_styles(image: Any, args: dict[str, Any]) -> str:
    press_ok_soon()
    chosen = run_dialog(image, image.get_layers()[0], args)
    return str((chosen or {}).get("styles"))


def main() -> int:
    args = json.loads(ARGUMENTS)
    first, second = (
        Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path(PHOTO)) for _ in "12"
    )
    with_b = {**args, "styles": STYLE_B}  # GIMP's last values, set by another image
    report = {
        "first": chosen_styles(first, args),
        "first_again": chosen_styles(first, with_b),
        "second": chosen_styles(second, with_b),
    }
    for image in (first, second):
        image.delete()
    write_report(report, OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
