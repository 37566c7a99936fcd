"""Where Krita and GIMP 3 keep user plugins and settings, per platform and packaging.

Native Krita and the Krita AppImage share one folder; Flatpak apps keep theirs under
`~/.var/app/<app id>/`. All functions take the environment, platform and home explicitly so that
tests can ask about any platform.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from stylebridge_installer.bundle import Editor

Flavour = Literal["native", "flatpak"]

FLATPAK_IDS: dict[Editor, str] = {"krita": "org.kde.krita", "gimp": "org.gimp.GIMP"}
GIMP_SERIES = "3.0"


@dataclass(frozen=True)
class Platform:
    """What the folder rules depend on: `sys.platform`, the environment and the home folder."""

    system: str
    env: Mapping[str, str]
    home: Path

    def env_path(self, name: str, default: Path) -> Path:
        """An absolute path from the environment (XDG: empty or relative is ignored), or default."""
        value = self.env.get(name, "")
        return Path(value) if value and Path(value).is_absolute() else default

    @property
    def appdata(self) -> Path:
        """Windows %APPDATA% (roaming)."""
        return Path(self.env.get("APPDATA") or self.home / "AppData" / "Roaming")

    @property
    def local_appdata(self) -> Path:
        """Windows %LOCALAPPDATA%."""
        return Path(self.env.get("LOCALAPPDATA") or self.home / "AppData" / "Local")

    @property
    def mac_support(self) -> Path:
        return self.home / "Library" / "Application Support"


def _flatpak_root(platform: Platform, editor: Editor) -> Path:
    return platform.home / ".var" / "app" / FLATPAK_IDS[editor]


def krita_plugin_dir(platform: Platform, flavour: Flavour = "native") -> Path:
    """Krita's user `pykrita` folder."""
    if flavour == "flatpak":
        return _flatpak_root(platform, "krita") / "data" / "krita" / "pykrita"
    if platform.system == "win32":
        return platform.appdata / "krita" / "pykrita"
    if platform.system == "darwin":
        return platform.mac_support / "krita" / "pykrita"
    data = platform.env_path("XDG_DATA_HOME", platform.home / ".local" / "share")
    return data / "krita" / "pykrita"


def gimp_profile_dir(platform: Platform, flavour: Flavour = "native") -> Path:
    """GIMP 3's user profile folder; GIMP3_DIRECTORY replaces it entirely (native GIMP only)."""
    if flavour == "flatpak":
        return _flatpak_root(platform, "gimp") / "config" / "GIMP" / GIMP_SERIES
    override = platform.env.get("GIMP3_DIRECTORY", "")
    if override:
        return Path(override)
    if platform.system == "win32":
        return platform.appdata / "GIMP" / GIMP_SERIES
    if platform.system == "darwin":
        return platform.mac_support / "GIMP" / GIMP_SERIES
    config = platform.env_path("XDG_CONFIG_HOME", platform.home / ".config")
    return config / "GIMP" / GIMP_SERIES


def gimp_plugin_dir(platform: Platform, flavour: Flavour = "native") -> Path:
    """GIMP 3's user `plug-ins` folder."""
    return gimp_profile_dir(platform, flavour) / "plug-ins"


def plugin_dir(editor: Editor, platform: Platform, flavour: Flavour = "native") -> Path:
    """The user plugin folder of `editor`."""
    if editor == "krita":
        return krita_plugin_dir(platform, flavour)
    return gimp_plugin_dir(platform, flavour)


def kritarc_path(platform: Platform, flavour: Flavour = "native") -> Path:
    """Krita's main configuration file (KConfig), where plugins are enabled."""
    if flavour == "flatpak":
        return _flatpak_root(platform, "krita") / "config" / "kritarc"
    if platform.system == "win32":
        return platform.local_appdata / "kritarc"
    if platform.system == "darwin":
        return platform.home / "Library" / "Preferences" / "kritarc"
    return platform.env_path("XDG_CONFIG_HOME", platform.home / ".config") / "kritarc"


def systemd_user_dir(platform: Platform) -> Path:
    """Where systemd --user looks for the user's own units."""
    config = platform.env_path("XDG_CONFIG_HOME", platform.home / ".config")
    return config / "systemd" / "user"


def current_platform() -> Platform:
    """This machine: `sys.platform`, `os.environ` and the home folder."""
    return Platform(sys.platform, dict(os.environ), Path.home())
