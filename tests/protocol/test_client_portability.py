"""The client and protocol modules run in the editors' Pythons: 3.8 syntax, no torch/numpy."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
import stylebridge

PACKAGE = Path(stylebridge.__file__).parent
VENDORED = ("client.py", "service/protocol.py", "service/loopback_keys.py", "service/__init__.py")
VENDORED += ("__init__.py", "pixel_layout.py")
ALLOWED_IMPORTS = {
    "__future__", "ast", "collections", "dataclasses", "ipaddress", "math", "os", "pathlib",
    "shlex", "stat", "subprocess", "sys", "tempfile", "time", "typing", "uuid", "zmq", "msgpack",
    "stylebridge",
}  # fmt: skip


@pytest.mark.parametrize("name", VENDORED)
def test_vendored_modules_parse_as_python_3_8_and_import_only_light_modules(name: str) -> None:
    source = (PACKAGE / name).read_text(encoding="utf-8")
    tree = ast.parse(source, feature_version=(3, 8))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported <= ALLOWED_IMPORTS, imported - ALLOWED_IMPORTS
    if name.endswith(("client.py", "protocol.py", "loopback_keys.py", "pixel_layout.py")):
        assert "from __future__ import annotations" in source  # annotations stay unevaluated


def test_client_imports_and_finds_an_endpoint_without_torch_numpy_or_platformdirs() -> None:
    code = (
        "import sys\n"
        "for name in ('torch', 'numpy', 'platformdirs', 'PIL'):\n"
        "    sys.modules[name] = None\n"
        "import stylebridge.client as c\n"
        "print(c.default_endpoint())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(("ipc://", "tcp://127.0.0.1:"))
