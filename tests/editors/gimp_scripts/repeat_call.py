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
from stylize_call import RGBA8, make_image, read  # noqa: E402


def call(image: Any, layer: Any, mode: Any, arguments: dict[str, Any]) -> str:
    """Run the procedure on `layer` in run mode `mode`; the status nick (and message)."""
    proc = Gimp.get_pdb().lookup_procedure("plug-in-stylebridge")
    config = proc.create_config()
    config.set_property("run-mode", mode)
    config.set_property("image", image)
    config.set_core_object_array("drawables", [layer])
    for name, value in arguments.items():
        config.set_property(name, value)
    result = proc.run(config)
    status = result.index(0)
    message = result.index(1) if status != Gimp.PDBStatusType.SUCCESS else ""
    return f"{status.value_nick} {message or ''}".strip()


def main() -> int:
    arguments, out_path = json.loads(sys.argv[1]), sys.argv[2]
    image, source = make_image(Gimp.Precision.U8_NON_LINEAR)
    Gimp.Selection.none(image)
    first_status = call(image, source, Gimp.RunMode.NONINTERACTIVE, arguments)
    first = image.get_layers()[0]
    image.set_selected_layers([first])  # GIMP selects a new layer; Repeat runs on it
    repeat_status = call(image, first, Gimp.RunMode.WITH_LAST_VALS, arguments)
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
    print(json.dumps(out))
    with open(out_path, "w") as f:
        json.dump(out, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
