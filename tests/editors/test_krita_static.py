"""The Krita plugin's files, checked without Krita: Python 3.8 syntax (Krita bundles old Pythons),
thin modules, a .desktop file pykrita accepts, and menu actions in the Filter menu."""

from __future__ import annotations

import ast
import configparser
from pathlib import Path

import pytest

PLUGIN = Path(__file__).resolve().parents[2] / "plugins" / "krita"
MODULES = sorted((PLUGIN / "stylebridge_krita").glob("*.py"))
MAX_LINES = 150


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_plugin_module_is_python_3_8_and_thin(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    ast.parse(text, feature_version=(3, 8))
    assert len(text.splitlines()) < MAX_LINES


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_plugin_imports_no_daemon_internals(path: Path) -> None:
    """Only the vendored client and editor helpers exist inside Krita: no core/service/torch."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    stylebridge = {m for m in modules if m.startswith("stylebridge")}
    allowed = ("stylebridge.client", "stylebridge.editor.")
    assert all(m.startswith(allowed) for m in stylebridge), stylebridge
    assert not modules & {"torch", "numpy", "PIL", "stylebridge.core"}


def test_desktop_file_names_the_package_for_pykrita() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment]  # keys are case-sensitive
    parser.read(PLUGIN / "stylebridge_krita.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["ServiceTypes"] == "Krita/PythonPlugin" and entry["Type"] == "Service"
    assert entry["X-Python-2-Compatible"] == "false"
    assert (PLUGIN / entry["X-KDE-Library"] / "__init__.py").is_file()


def test_actions_sit_in_the_filter_menu() -> None:
    tree = ast.parse((PLUGIN / "stylebridge_krita" / "actions.py").read_text(encoding="utf-8"))
    values = {
        t.id: ast.literal_eval(n.value)
        for n in tree.body
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant)
    }
    assert values["MENU_LOCATION"] == "filter"
    assert {values["DIALOG_ID"], values["APPLY_AGAIN_ID"]} == {
        "stylebridge_style_transfer",
        "stylebridge_apply_again",
    }
