"""The vendored copy the installer puts beside a plugin holds the request contract: the editor
helpers that build a request, and the pixel-layout type, import in a bare Python (no
site-packages) from that copy alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from stylebridge_installer.bundle import copy_shared

CODE = """
import sys
sys.path.insert(0, sys.argv[1])
import stylebridge
from stylebridge.editor.request_params import normalized_blend
from stylebridge.editor.layer_names import layer_name
from stylebridge.pixel_layout import layout_from_wire
assert stylebridge.__file__.startswith(sys.argv[1]), stylebridge.__file__
print(normalized_blend((("a", 3.0), ("b", 1.0), ("c", 0.0))))
print(layout_from_wire({"width": 2, "height": 1, "channels": "RGB", "dtype": "uint8"}).stride)
"""


def test_editor_request_helpers_import_from_the_vendored_copy_alone(tmp_path: Path) -> None:
    copy_shared(tmp_path)
    bare = [sys.executable, "-S", "-I", "-c", CODE, str(tmp_path)]
    done = subprocess.run(bare, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["{'a': 0.75, 'b': 0.25}", "6"]
