"""Which plugin folders to install into: flags first, then the editors found, then the defaults."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stylebridge_installer.bundle import Editor
from stylebridge_installer.detect import EditorInstall, PythonCommand, detect, gimp_python
from stylebridge_installer.locations import Flavour, Platform, kritarc_path, plugin_dir

EDITORS: tuple[Editor, ...] = ("krita", "gimp")


@dataclass(frozen=True)
class Target:
    """One plugin installation to make: where, for which Python, and Krita's kritarc."""

    editor: Editor
    flavour: Flavour
    plugin_dir: Path
    python: PythonCommand | None
    kritarc: Path | None
    found: str  # where the editor was found, or "" when it was not


def _target(
    editor: Editor, platform: Platform, install: EditorInstall | None, python: PythonCommand | None
) -> Target:
    flavour = install.flavour if install else "native"
    return Target(
        editor=editor,
        flavour=flavour,
        plugin_dir=plugin_dir(editor, platform, flavour),
        python=python or (install.python if install else None),
        kritarc=kritarc_path(platform, flavour) if editor == "krita" else None,
        found=install.location if install else "",
    )


def plan_targets(
    platform: Platform,
    editors: tuple[Editor, ...],
    dirs: dict[Editor, Path],
    python: PythonCommand | None = None,
) -> list[Target]:
    """Targets for the requested editors (all found ones when none are requested).

    An explicit folder (`dirs`) gives one target there; an editor requested but not found is
    installed into its native default folder, so it works once the editor is installed.
    """
    targets: list[Target] = []
    for editor in editors or EDITORS:
        found = detect(editor, platform)
        if editor in dirs:
            base = _target(editor, platform, found[0] if found else None, python)
            if editor == "gimp" and base.python is None:
                base = _target(editor, platform, None, gimp_python(platform))
            targets.append(_with_dir(base, dirs[editor]))
        elif found:
            targets += [_target(editor, platform, install, python) for install in found]
        elif editor in editors:
            default_python = python or (gimp_python(platform) if editor == "gimp" else None)
            targets.append(_target(editor, platform, None, default_python))
    return targets


def _with_dir(target: Target, folder: Path) -> Target:
    return Target(
        target.editor, target.flavour, folder.expanduser().absolute(), target.python,
        target.kritarc, target.found,
    )  # fmt: skip
