"""`stylebridge install` / `uninstall` against a temporary HOME: exact, idempotent, dry-run safe."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable

from installer_helpers import TempHome
from stylebridge_installer import manifest
from stylebridge_installer.bundle import plugin_entries

Cli = Callable[..., tuple[int, str]]
USER_KRITARC = b"[General]\nfoo=bar\n\n[python]\nenable_scripter=true\n\n[MainWindow]\nState=AA\n"


def prepare_user_files(temp_home: TempHome) -> None:
    """A kritarc and someone else's plugin that must survive install + uninstall untouched."""
    (temp_home.home / ".config").mkdir()
    (temp_home.home / ".config/kritarc").write_bytes(USER_KRITARC)
    other = temp_home.home / ".local/share/krita/pykrita/other_plugin"
    other.mkdir(parents=True)
    (other / "__init__.py").write_text("# not ours\n")


def install_both(cli: Cli, *extra: str) -> tuple[int, str]:
    return cli("install", "--krita", "--gimp", "--python-for-editor", sys.executable, *extra)


def test_dry_run_changes_nothing(temp_home: TempHome, cli: Cli) -> None:
    prepare_user_files(temp_home)
    before = temp_home.snapshot()
    code, out = install_both(cli, "--service", "--dry-run")
    assert code == 0
    assert "would copy the krita plugin" in out and "would set [python]" in out
    assert "dry run: nothing was changed" in out
    assert temp_home.snapshot() == before


def test_install_puts_both_plugins_in_the_default_folders(temp_home: TempHome, cli: Cli) -> None:
    code, out = install_both(cli)
    assert code == 0, out
    pykrita = temp_home.home / ".local/share/krita/pykrita"
    plug_ins = temp_home.home / ".config/GIMP/3.0/plug-ins"
    assert {p.name for p in pykrita.iterdir()} == set(plugin_entries("krita"))
    assert {p.name for p in plug_ins.iterdir()} == set(plugin_entries("gimp"))
    assert (pykrita / "stylebridge_krita/vendor/stylebridge/client.py").is_file()
    assert os.access(plug_ins / "stylebridge/stylebridge.py", os.X_OK)
    assert b"enable_stylebridge_krita=true" in (temp_home.home / ".config/kritarc").read_bytes()
    settings = json.loads((plug_ins / "stylebridge/settings.json").read_text())
    assert settings["daemon_command"].endswith(" -m stylebridge daemon --detach")
    assert settings["python"] == sys.executable
    recorded = manifest.load(temp_home.config_dir)
    assert set(recorded.trees) == {
        *(str(pykrita / n) for n in plugin_entries("krita")),
        *(str(plug_ins / n) for n in plugin_entries("gimp")),
    }


def test_second_install_leaves_everything_as_the_first(temp_home: TempHome, cli: Cli) -> None:
    prepare_user_files(temp_home)
    assert install_both(cli)[0] == 0
    first = temp_home.snapshot()
    code, out = install_both(cli)
    assert code == 0
    assert "removed the previous" in out
    assert temp_home.snapshot() == first


def test_uninstall_restores_every_file_and_the_kritarc_bytes(temp_home: TempHome, cli: Cli) -> None:
    prepare_user_files(temp_home)
    before = temp_home.snapshot()
    assert install_both(cli, "--service")[0] == 0
    assert install_both(cli, "--service")[0] == 0
    assert (temp_home.home / ".config/systemd/user/stylebridge.service").is_file()
    code, out = cli("uninstall")
    assert code == 0
    assert "restored enable_stylebridge_krita" in out
    assert temp_home.snapshot() == before


def test_uninstall_dry_run_and_uninstall_without_install_change_nothing(
    temp_home: TempHome, cli: Cli
) -> None:
    prepare_user_files(temp_home)
    code, out = cli("uninstall")
    assert code == 0 and "nothing to uninstall" in out
    assert install_both(cli)[0] == 0
    installed = temp_home.snapshot()
    code, out = cli("uninstall", "--dry-run")
    assert "would remove" in out and temp_home.snapshot() == installed


def test_service_unit_runs_the_daemon_in_the_foreground(temp_home: TempHome, cli: Cli) -> None:
    code, out = cli("install", "--gimp", "--service", "--python-for-editor", sys.executable)
    assert code == 0
    unit = (temp_home.home / ".config/systemd/user/stylebridge.service").read_text()
    assert f"ExecStart={sys.executable} -m stylebridge daemon\n" in unit
    assert "systemctl --user" in out  # enabled, or how to enable it by hand
