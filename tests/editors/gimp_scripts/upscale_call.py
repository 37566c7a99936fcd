"""Runs INSIDE GIMP 3 (gimp3-run.sh): stylizes a 48x40 layer at a smaller working size and
prints the new layer's name as JSON {"status": ..., "name": ...} into OUT.json.

    gimp3-run.sh --plugin PLUGIN_DIR upscale_call.py ARGUMENTS_JSON OUT.json
"""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

import json
import sys

import gi

gi.require_version("Gimp", "3.0")
from gi.repository import Gimp  # noqa: E402
from stylize_call import call, make_image, write_report  # noqa: E402


def main() -> int:
    arguments, out_path = json.loads(sys.argv[1]), sys.argv[2]
    image, source = make_image(Gimp.Precision.U8_NON_LINEAR)
    status, message = call(image, source, arguments)
    out = {"status": status, "message": message, "name": image.get_layers()[0].get_name()}
    image.delete()
    write_report(out, out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
