"""The request loop parses a stylize request and checks the network path's parameters without
torch: service/server.py and service/path_parameters.py load the core only when a job needs it."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
for name in ("torch", "numpy", "PIL"):
    sys.modules[name] = None  # any import of them now fails
import stylebridge.service.server
from stylebridge.service.path_parameters import checked_params
from stylebridge.service.protocol import Limits
from stylebridge.service.requests import parse_stylize

image = {"width": 2, "height": 1, "channels": "RGB", "dtype": "uint8"}
header = {"op": "stylize", "image": image, "styles": [{"name": "a"}], "params": {"strength": 0.5}}
spec = parse_stylize(header, [6], Limits())
print(spec.image.stride, checked_params(spec.path, spec.params, spec.styles)["strength"])
"""


def test_the_server_parses_and_checks_a_network_request_without_torch_numpy_or_pillow() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["6", "0.5"]
