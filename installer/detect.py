"""Is Krita / GIMP 3 installed, how (native, AppImage, Flatpak), which Python runs its plugins."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from stylebridge_installer.bundle import Editor
from stylebridge_installer.locations import FLATPAK_IDS, Flavour, Platform

PythonCommand = tuple[str, ...]  # an argv prefix: ("/usr/bin/python3",) or ("flatpak", "run", ...)


@dataclass(frozen=True)
class EditorInstall:
    """One installation of an editor. `python` is None when its Python cannot be run from here."""

    editor: Editor
    flavour: Flavour
    location: str
    python: PythonCommand | None


def _run(argv: list[str], timeout_s: float = 20.0) -> str:
    """stdout of a short command, or "" when it is missing, fails or hangs."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout_s, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout if done.returncode == 0 else ""


def flatpak_apps() -> set[str]:
    """Application ids installed with Flatpak (empty without flatpak)."""
    if shutil.which("flatpak") is None:
        return set()
    return set(_run(["flatpak", "list", "--app", "--columns=application"]).split())


def krita_python(executable: Path) -> PythonCommand | None:
    """The system Python that Krita embeds: the libpython its pykrita module links (Linux)."""
    prefix = executable.resolve().parent.parent
    for module in sorted(prefix.glob("lib*/**/kritaplugins/kritapykrita.so")):
        found = re.search(rb"libpython(3\.\d+)", module.read_bytes())
        if found:
            version = found.group(1).decode()
            for candidate in (
                prefix / "bin" / f"python{version}",
                Path(f"/usr/bin/python{version}"),
            ):
                if candidate.is_file():
                    return (str(candidate),)
    return None


def gimp_python(platform: Platform) -> PythonCommand | None:
    """GIMP 3 runs plug-ins through `#!/usr/bin/env python3`: the desktop PATH's python3."""
    if platform.system == "win32":
        bundled = Path(platform.env.get("ProgramFiles", r"C:\Program Files")) / "GIMP 3" / "bin"
        for name in ("python3.exe", "python.exe"):
            if (bundled / name).is_file():
                return (str(bundled / name),)
        return None
    if platform.system == "darwin":  # GIMP.app bundles its own Python
        bundled = sorted(Path("/Applications/GIMP.app/Contents/MacOS").glob("python3*"))
        return (str(bundled[0]),) if bundled else None
    # A desktop session's PATH starts with the system folders, not a developer's pyenv or venv.
    for candidate in (Path("/usr/bin/python3"), Path("/usr/local/bin/python3")):
        if candidate.is_file():
            return (str(candidate),)
    found = shutil.which("python3")
    return (found,) if found else None


def _is_gimp3(executable: str) -> bool:
    name = Path(executable).name
    if re.match(r"gimp(-console)?-3", name):
        return True
    return bool(re.search(r"version 3\.", _run([executable, "--version"])))


def _native_krita(platform: Platform) -> EditorInstall | None:
    executable = shutil.which("krita")
    if executable:
        return EditorInstall("krita", "native", executable, krita_python(Path(executable)))
    known = [
        Path(platform.env.get("ProgramFiles", r"C:\Program Files")) / "Krita (x64)" / "bin",
        Path("/Applications/krita.app"),
        *platform.home.glob("Applications/*rita*.AppImage"),
        *platform.home.glob("Downloads/*rita*.AppImage"),
    ]
    # Bundled Pythons (Windows, macOS, AppImage) cannot be run from outside the editor.
    found = next((p for p in known if p.exists()), None)
    return EditorInstall("krita", "native", str(found), None) if found else None


def _native_gimp(platform: Platform) -> EditorInstall | None:
    names = ("gimp-3.0", "gimp-3", "gimp-console-3.0", "gimp")
    for executable in filter(None, (shutil.which(n) for n in names)):
        if _is_gimp3(executable):
            return EditorInstall("gimp", "native", executable, gimp_python(platform))
    known = [
        Path(platform.env.get("ProgramFiles", r"C:\Program Files")) / "GIMP 3" / "bin",
        Path("/Applications/GIMP.app"),
    ]
    found = next((p for p in known if p.exists()), None)
    return EditorInstall("gimp", "native", str(found), gimp_python(platform)) if found else None


def detect(editor: Editor, platform: Platform) -> list[EditorInstall]:
    """Every installation of `editor` found: native (or AppImage) first, then Flatpak."""
    native = _native_krita(platform) if editor == "krita" else _native_gimp(platform)
    found = [native] if native else []
    app_id = FLATPAK_IDS[editor]
    if app_id in flatpak_apps():
        python = ("flatpak", "run", "--command=python3", app_id)
        found.append(EditorInstall(editor, "flatpak", f"flatpak {app_id}", python))
    return found
