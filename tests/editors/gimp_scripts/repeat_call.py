"""Runs INSIDE GIMP 3 (gimp3-run.sh): stylizes a layer, then does what Filters > Repeat does,
a WITH_LAST_VALS run on the selected layer (the result), and writes what it observed as JSON.

    gimp3-run.sh --plugin PLUGIN_DIR repeat_call.py ARGUMENTS_JSON OUT.json
"""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

import json
import sys
from typing import Any

import gi

gi.require_version("Gimp", "3.0")
from gi.repository import Gimp  # noqa: E402
from stylize_call import RGBA8, call, make_image, read, write_report  # noqa: E402


def call_text(image: Any, layer: Any, mode: Any, arguments: dict[str, Any]) -> str:
    """The status nick of a run in run mode `mode`, and its message if any."""
    return " ".join(call(image, layer, arguments, mode)).strip()


def main() -> int:
    arguments, out_path = json.loads(sys.argv[1]), sys.argv[2]
    image, source = make_image(Gimp.Precision.U8_NON_LINEAR)
    Gimp.Selection.none(image)
    first_status = call_text(image, source, Gimp.RunMode.NONINTERACTIVE, arguments)
    first = image.get_layers()[0]
    image.set_selected_layers([first])  # GIMP selects a new layer; Repeat runs on it
    repeat_status = call_text(image, first, Gimp.RunMode.WITH_LAST_VALS, arguments)
    layers = image.get_layers()
    new = [layer for layer in layers if layer.get_id() not in (first.get_id(), source.get_id())]
    out = {"first": first_status, "repeat": repeat_status, "layers": len(layers)}
    if new:
        # The repeat's layer sits right above the source and holds the same picture as the first
        # result (the fast network is deterministic); a result of the result would differ.
        out["new_above_source"] = image.get_item_position(new[0]) + 1 == (
            image.get_item_position(source)
        )
        out["same_as_first"] = read(new[0], RGBA8) == read(first, RGBA8)
    image.delete()
    write_report(out, out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
