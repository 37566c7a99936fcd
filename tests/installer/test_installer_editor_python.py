"""Probing an editor's Python, the wheel tags asked of pip, and real vendoring for a bare Python."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from stylebridge_installer.editor_python import (
    ProbeError,
    PythonFacts,
    download_command,
    pip_platforms,
    probe,
    vendor_wheels,
)


def facts(
    system: str, machine: str, libc: tuple[str, str] = ("", ""), mac: str = ""
) -> PythonFacts:
    return PythonFacts((3, 10), system, machine, libc, mac, {}, {})


def bare_python(folder: Path) -> tuple[str, ...]:
    """A real interpreter without site-packages: it cannot import zmq or msgpack."""
    script = folder / "bare-python"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -E -s -S "$@"\n')
    script.chmod(0o755)
    return (str(script),)


def test_probe_reports_version_and_where_modules_come_from() -> None:
    found = probe((sys.executable,))
    assert found.version == sys.version_info[:2]
    assert found.system == sys.platform
    assert found.missing == []
    assert found.modules["zmq"] and found.modules["zmq"].endswith("__init__.py")


def test_probe_of_a_python_without_site_packages_finds_the_transport_missing(
    tmp_path: Path,
) -> None:
    found = probe(bare_python(tmp_path))
    assert found.missing == ["zmq", "msgpack"]
    assert "ModuleNotFoundError" in found.errors["zmq"]


def test_probe_of_a_missing_interpreter_raises_probe_error(tmp_path: Path) -> None:
    with pytest.raises(ProbeError, match="cannot run"):
        probe((str(tmp_path / "no-such-python"),))


def test_glibc_linux_asks_for_every_manylinux_level_down_to_2_17() -> None:
    tags = pip_platforms(facts("linux", "x86_64", ("glibc", "2.36")))
    assert tags[0] == "manylinux_2_36_x86_64"
    assert "manylinux_2_28_x86_64" in tags and "manylinux_2_17_x86_64" in tags
    assert "manylinux2014_x86_64" in tags
    assert not any(t.startswith("manylinux_2_16") for t in tags)


def test_other_platforms_get_their_own_wheel_tags() -> None:
    assert pip_platforms(facts("win32", "AMD64")) == ["win_amd64"]
    assert pip_platforms(facts("linux", "aarch64"))[0] == "musllinux_1_2_aarch64"
    mac = pip_platforms(facts("darwin", "arm64", mac="14.2"))
    assert mac[:2] == ["macosx_14_0_arm64", "macosx_14_0_universal2"]
    assert "macosx_11_0_arm64" in mac and not any("x86_64" in t for t in mac)


def test_download_command_pins_version_binary_wheels_and_no_dependencies(tmp_path: Path) -> None:
    command = download_command(facts("win32", "AMD64"), tmp_path, ("pip",))
    assert command[:2] == ["pip", "download"]
    assert "--only-binary=:all:" in command and "--no-deps" in command
    assert command[command.index("--python-version") + 1] == "3.10"
    assert command[command.index("--platform") + 1] == "win_amd64"
    assert command[-2:] == ["pyzmq", "msgpack"]


@pytest.mark.slow
def test_vendored_wheels_make_zmq_and_msgpack_import_in_a_bare_python(tmp_path: Path) -> None:
    python = bare_python(tmp_path)
    vendor = tmp_path / "vendor"
    wheels = vendor_wheels(probe(python), vendor)  # pip download: reaches the package index
    assert sorted(w.split("-")[0] for w in wheels) == ["msgpack", "pyzmq"]
    after = probe(python, path=(vendor,))
    assert after.missing == []
    assert all(Path(where or "").is_relative_to(vendor) for where in after.modules.values())
