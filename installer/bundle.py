"""Assemble a ready-to-run plugin folder: the plugin's own files plus a `vendor/` folder holding the
import-light part of stylebridge the plugin needs inside the editor's Python (the client, the wire
protocol and the editor helpers: stdlib + pyzmq + msgpack only)."""

from __future__ import annotations

import importlib.resources
import json
import os
import shutil
from pathlib import Path
from typing import Literal

Editor = Literal["krita", "gimp"]

# Package-relative files of `stylebridge` that run inside the editors' own Pythons.
SHARED_FILES: tuple[str, ...] = (
    "__init__.py",
    "client.py",
    "service/__init__.py",
    "service/protocol.py",
    "service/loopback_keys.py",
    "style_blend.py",
    "pixel_layout.py",
    "stroke_scale.py",
    "shot_params.py",
    "editor/__init__.py",
)
VENDOR_DIR = "vendor"
# The plugin's Python package folder, which holds `vendor/` and the installer's settings file.
PACKAGE_DIRS: dict[Editor, str] = {"krita": "stylebridge_krita", "gimp": "stylebridge"}
SETTINGS_FILE = "settings.json"


def plugin_source(editor: Editor) -> Path:
    """The plugin's source folder inside the installed `stylebridge_plugins` package."""
    return Path(str(importlib.resources.files("stylebridge_plugins") / editor))


def stylebridge_source() -> Path:
    """The installed `stylebridge` package folder."""
    return Path(str(importlib.resources.files("stylebridge")))


def shared_files() -> list[str]:
    """SHARED_FILES plus every stdlib-only editor helper module."""
    editor_dir = stylebridge_source() / "editor"
    helpers = sorted(f"editor/{p.name}" for p in editor_dir.glob("*.py") if p.name != "__init__.py")
    return [*SHARED_FILES, *helpers]


def copy_shared(vendor_dir: Path) -> list[Path]:
    """Copy the shared modules into `vendor_dir/stylebridge/...`; returns the files written."""
    written = []
    source = stylebridge_source()
    for relative in shared_files():
        target = vendor_dir / "stylebridge" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / relative, target)
        written.append(target)
    return written


def plugin_entries(editor: Editor) -> list[str]:
    """The top-level names `assemble_plugin` creates in the destination folder."""
    source = plugin_source(editor)
    return sorted(
        e.name for e in source.iterdir() if e.name != "__pycache__" and not e.name.startswith(".")
    )


def package_dir(editor: Editor, destination: Path) -> Path:
    """The assembled plugin's package folder inside `destination`."""
    return destination / PACKAGE_DIRS[editor]


def write_settings(editor: Editor, destination: Path, settings: dict[str, object]) -> Path:
    """Write the JSON settings the plugin reads (e.g. `daemon_command`) into its package folder."""
    target = package_dir(editor, destination) / SETTINGS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(settings, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return target


def assemble_plugin(editor: Editor, destination: Path) -> list[Path]:
    """Copy `editor`'s plugin into `destination` (pykrita or plug-ins folder) with its vendor copy.

    Krita: `destination/stylebridge_krita.desktop` + `destination/stylebridge_krita/`.
    GIMP: `destination/stylebridge/stylebridge.py` (executable) + its folder.
    Returns the top-level paths created, which is exactly what an uninstall removes.
    """
    source = plugin_source(editor)
    destination.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []
    for entry in sorted(source.iterdir()):
        if entry.name == "__pycache__" or entry.name.startswith("."):
            continue
        target = destination / entry.name
        if entry.is_dir():
            shutil.copytree(
                entry, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
            )
            copy_shared(target / VENDOR_DIR)
        else:
            shutil.copy2(entry, target)
        created.append(target)
    if editor == "gimp":
        # GIMP runs a plug-in only if its entry script is executable (zip-based wheels and
        # Windows may drop the bit), and re-queries its arguments only when the script's mtime
        # changes (copy2 keeps the packaged one, so an upgrade could keep stale arguments).
        entry_script = destination / "stylebridge" / "stylebridge.py"
        entry_script.chmod(entry_script.stat().st_mode | 0o755)
        os.utime(entry_script)
    return created
