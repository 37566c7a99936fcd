"""Plugin folders per platform and packaging, with the XDG / GIMP3_DIRECTORY overrides."""

from __future__ import annotations

from pathlib import Path

from stylebridge_installer.locations import (
    Platform,
    gimp_plugin_dir,
    krita_plugin_dir,
    kritarc_path,
    systemd_user_dir,
)

HOME = Path("/home/ada")


def linux(**env: str) -> Platform:
    return Platform("linux", env, HOME)


def test_linux_defaults_follow_xdg_base_directories() -> None:
    assert krita_plugin_dir(linux()) == HOME / ".local/share/krita/pykrita"
    assert gimp_plugin_dir(linux()) == HOME / ".config/GIMP/3.0/plug-ins"
    assert kritarc_path(linux()) == HOME / ".config/kritarc"
    assert systemd_user_dir(linux()) == HOME / ".config/systemd/user"


def test_xdg_variables_move_the_folders_and_relative_ones_are_ignored() -> None:
    moved = linux(XDG_DATA_HOME="/data", XDG_CONFIG_HOME="/conf")
    assert krita_plugin_dir(moved) == Path("/data/krita/pykrita")
    assert gimp_plugin_dir(moved) == Path("/conf/GIMP/3.0/plug-ins")
    assert kritarc_path(moved) == Path("/conf/kritarc")
    relative = linux(XDG_DATA_HOME="data", XDG_CONFIG_HOME="")
    assert krita_plugin_dir(relative) == HOME / ".local/share/krita/pykrita"
    assert kritarc_path(relative) == HOME / ".config/kritarc"


def test_gimp3_directory_replaces_the_whole_gimp_profile() -> None:
    platform = linux(GIMP3_DIRECTORY="/profiles/gimp", XDG_CONFIG_HOME="/conf")
    assert gimp_plugin_dir(platform) == Path("/profiles/gimp/plug-ins")


def test_flatpak_folders_live_under_var_app() -> None:
    platform = linux(XDG_DATA_HOME="/elsewhere")
    assert krita_plugin_dir(platform, "flatpak") == (
        HOME / ".var/app/org.kde.krita/data/krita/pykrita"
    )
    assert kritarc_path(platform, "flatpak") == HOME / ".var/app/org.kde.krita/config/kritarc"
    assert gimp_plugin_dir(platform, "flatpak") == (
        HOME / ".var/app/org.gimp.GIMP/config/GIMP/3.0/plug-ins"
    )


def test_windows_uses_appdata_and_localappdata() -> None:
    platform = Platform(
        "win32", {"APPDATA": "C:/Users/ada/AppData/Roaming", "LOCALAPPDATA": "C:/L"}, HOME
    )
    assert krita_plugin_dir(platform) == Path("C:/Users/ada/AppData/Roaming/krita/pykrita")
    assert gimp_plugin_dir(platform) == Path("C:/Users/ada/AppData/Roaming/GIMP/3.0/plug-ins")
    assert kritarc_path(platform) == Path("C:/L/kritarc")


def test_macos_uses_application_support() -> None:
    platform = Platform("darwin", {}, HOME)
    support = HOME / "Library/Application Support"
    assert krita_plugin_dir(platform) == support / "krita/pykrita"
    assert gimp_plugin_dir(platform) == support / "GIMP/3.0/plug-ins"
    assert kritarc_path(platform) == HOME / "Library/Preferences/kritarc"
