"""Finding the editors and their Pythons on this machine, and the advice for sandboxed editors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from stylebridge_installer.detect import detect, gimp_python, krita_python
from stylebridge_installer.editor_python import probe
from stylebridge_installer.install import flatpak_advice
from stylebridge_installer.locations import Platform, current_platform
from stylebridge_installer.targets import Target, plan_targets


@pytest.mark.skipif(shutil.which("krita") is None, reason="Krita is not installed here")
def test_native_krita_is_found_with_the_python_it_embeds() -> None:
    found = detect("krita", current_platform())
    assert found[0].flavour == "native" and found[0].location == shutil.which("krita")
    python = krita_python(Path(found[0].location))
    assert python is not None and Path(python[0]).name.startswith("python3.")
    assert probe(python).version[0] == 3


@pytest.mark.skipif(not Path("/usr/bin/python3").is_file(), reason="no system python3")
def test_gimp_plugins_run_with_the_system_python3_not_a_developer_one() -> None:
    assert gimp_python(Platform("linux", {}, Path("/nonexistent"))) == ("/usr/bin/python3",)


def test_explicit_folders_give_one_target_each_even_for_editors_not_found(tmp_path: Path) -> None:
    platform = Platform("linux", {}, tmp_path)
    targets = plan_targets(
        platform, ("krita", "gimp"), {"krita": tmp_path / "k", "gimp": tmp_path / "g"}, ("py",)
    )
    assert [(t.editor, t.plugin_dir, t.python) for t in targets] == [
        ("krita", tmp_path / "k", ("py",)),
        ("gimp", tmp_path / "g", ("py",)),
    ]
    assert targets[0].kritarc == tmp_path / ".config/kritarc" and targets[1].kritarc is None


def test_flatpak_targets_are_told_how_to_reach_the_daemon(tmp_path: Path) -> None:
    target = Target("krita", "flatpak", tmp_path, None, None, "flatpak org.kde.krita")
    advice = flatpak_advice(target)
    assert "flatpak override --user --filesystem=xdg-run/stylebridge org.kde.krita" in advice


def test_python_for_editor_is_a_path_or_a_command_line(tmp_path: Path) -> None:
    from stylebridge.cli.install import editor_python

    spaced = tmp_path / "Program Files" / "python.exe"
    spaced.parent.mkdir()
    spaced.touch()
    assert editor_python(str(spaced)) == (str(spaced),)
    assert editor_python("flatpak run --command=python3 org.kde.krita") == (
        "flatpak", "run", "--command=python3", "org.kde.krita",
    )  # fmt: skip
    assert editor_python(None) is None
