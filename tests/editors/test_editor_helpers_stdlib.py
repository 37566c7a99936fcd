"""The editor helpers run inside Krita's and GIMP's own Pythons: Python 3.8 syntax, the standard
library, each other, the request contract (style_blend), the pixel layout (pixel_layout), the
stroke's processing size (stroke_scale) and (the session only) the client the installer vendors
beside them."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
import stylebridge.editor

EDITOR_DIR = Path(stylebridge.editor.__file__).parent
MODULES = [
    *sorted(EDITOR_DIR.glob("*.py")),
    EDITOR_DIR.parent / "style_blend.py",
    EDITOR_DIR.parent / "pixel_layout.py",
    EDITOR_DIR.parent / "stroke_scale.py",
    EDITOR_DIR.parent / "shot_params.py",
]


# installer/bundle.py SHARED_FILES above editor/; the request contract runs in the editors too.
VENDORED_PARENT_MODULES = {"client", "style_blend", "pixel_layout", "stroke_scale", "shot_params"}


def _imported_roots(tree: ast.AST) -> set[str]:
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_editor_module_parses_as_python_3_8(path: Path) -> None:
    ast.parse(path.read_text(encoding="utf-8"), feature_version=(3, 8))


def _parent_package_imports(tree: ast.AST) -> set[str]:
    """Modules imported relatively from above editor/ (`from ..client import Client`)."""
    return {
        node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level > 1
    }


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_editor_module_imports_only_the_standard_library(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert _imported_roots(tree) <= set(sys.stdlib_module_names)
    assert _parent_package_imports(tree) <= VENDORED_PARENT_MODULES


def test_there_are_helper_modules_to_check() -> None:
    assert {p.name for p in MODULES} >= {"layer_formats.py", "dialog_model.py"}
