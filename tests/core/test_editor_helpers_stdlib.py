"""The editor helpers run inside Krita's and GIMP's own Pythons: stdlib only, Python 3.8 syntax."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
import stylebridge.editor

EDITOR_DIR = Path(stylebridge.editor.__file__).parent
MODULES = sorted(EDITOR_DIR.glob("*.py"))


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


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_editor_module_imports_only_the_standard_library(path: Path) -> None:
    roots = _imported_roots(ast.parse(path.read_text(encoding="utf-8")))
    assert roots <= set(sys.stdlib_module_names)


def test_there_are_helper_modules_to_check() -> None:
    assert {p.name for p in MODULES} >= {"layer_formats.py", "dialog_model.py"}
