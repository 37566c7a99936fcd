"""`stylebridge install`: copy the plugins, vendor what the editors' Pythons lack, enable, record.

Every step says what it does through `say`; with `dry_run` it only says it. Everything added is
merged into the manifest so that `uninstall` removes exactly that.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from stylebridge import __version__
from stylebridge_installer import kritarc, service
from stylebridge_installer import manifest as records
from stylebridge_installer.bundle import (
    PACKAGE_DIRS,
    VENDOR_DIR,
    assemble_plugin,
    package_dir,
    plugin_entries,
    write_settings,
)
from stylebridge_installer.editor_python import ProbeError, VendorError, probe, vendor_wheels
from stylebridge_installer.locations import FLATPAK_IDS, Platform, systemd_user_dir
from stylebridge_installer.manifest import Manifest
from stylebridge_installer.targets import Target

Say = Callable[[str], None]


@dataclass(frozen=True)
class InstallOptions:
    """Everything the install needs, resolved by the CLI."""

    targets: tuple[Target, ...]
    daemon_command: tuple[str, ...]  # the argv prefix before `daemon`: python -m stylebridge
    config_dir: Path
    platform: Platform
    service: bool = False
    dry_run: bool = False


def plugin_settings(daemon_command: tuple[str, ...], target: Target) -> dict[str, object]:
    """settings.json for the plugins: `daemon_command` is one shell-quoted command line."""
    return {
        "daemon_command": shlex.join([*daemon_command, "daemon", "--detach"]),
        "python": daemon_command[0],
        "installed_version": __version__,
        "editor_python": list(target.python) if target.python else None,
    }


def _copy_plugin(target: Target, options: InstallOptions, say: Say) -> Manifest:
    """Replace the plugin's files in the target folder by a fresh copy (no stale files)."""
    folder = target.plugin_dir
    new_dirs = tuple(str(d) for d in records.missing_dirs(folder))
    entries = [folder / name for name in plugin_entries(target.editor)]
    verb = "would copy" if options.dry_run else "copied"
    if not options.dry_run:
        for entry in entries:
            if records.remove_path(entry):
                say(f"  removed the previous {entry}")
        created = assemble_plugin(target.editor, folder)
        settings = plugin_settings(options.daemon_command, target)
        settings_file = write_settings(target.editor, folder, settings)
        entries = list(dict.fromkeys([*created, settings_file.parent]))
    say(f"  {verb} the {target.editor} plugin into {folder}: {', '.join(e.name for e in entries)}")
    return Manifest(trees=tuple(str(e) for e in entries), dirs=new_dirs)


def _vendor(target: Target, options: InstallOptions, say: Say) -> bool:
    """Make pyzmq + msgpack importable in the editor's Python; False when that failed."""
    if target.python is None:
        say(
            f"  cannot run {target.editor}'s own Python from here (bundled Python); if the plugin "
            "reports missing zmq/msgpack, rerun with --python-for-editor"
        )
        return True
    shown = " ".join(target.python)
    try:
        facts = probe(target.python)
    except ProbeError as e:
        say(f"  FAILED: {e}")
        return False
    version = f"{facts.version[0]}.{facts.version[1]}"
    if not facts.missing:
        say(f"  {shown} (Python {version}) imports zmq and msgpack: nothing to vendor")
        return True
    vendor_dir = package_dir(target.editor, target.plugin_dir) / VENDOR_DIR
    say(f"  {shown} (Python {version}) lacks {', '.join(facts.missing)}")
    if options.dry_run:
        say(f"  would download pyzmq + msgpack wheels for Python {version} into {vendor_dir}")
        return True
    try:
        wheels = vendor_wheels(facts, vendor_dir)
        after = probe(target.python, path=(vendor_dir,))
    except (VendorError, ProbeError) as e:
        say(f"  FAILED: {e}; install them into that Python yourself (e.g. its pip or apt)")
        return False
    say(f"  vendored {', '.join(wheels)} into {vendor_dir}")
    if after.missing:
        say(f"  FAILED: still cannot import {', '.join(after.missing)}: {after.errors}")
        return False
    return True


def _enable_krita(target: Target, options: InstallOptions, say: Say) -> Manifest:
    if target.kritarc is None:
        return Manifest()
    plugin = PACKAGE_DIRS["krita"]
    if options.dry_run:
        say(f"  would set [python] {kritarc.enable_key(plugin)}=true in {target.kritarc}")
        return Manifest()
    new_dirs = tuple(str(d) for d in records.missing_dirs(target.kritarc.parent))
    change = kritarc.enable(target.kritarc, plugin)
    say(f"  set [python] {change.key}=true in {target.kritarc}")
    return Manifest(kritarc=(change,), dirs=new_dirs)


def flatpak_advice(target: Target) -> str:
    """Sandboxed editors cannot start host programs or see the daemon's socket by default."""
    app_id = FLATPAK_IDS[target.editor]
    return (
        f"  Flatpak: let {app_id} reach the daemon's socket with `flatpak override --user "
        f"--filesystem=xdg-run/stylebridge {app_id}`, and run the daemon outside the sandbox "
        "(stylebridge install --service, or stylebridge daemon --detach before starting it)"
    )


def install_target(target: Target, options: InstallOptions, say: Say) -> tuple[Manifest, bool]:
    """Install one plugin; (what was added, whether everything worked)."""
    where = f"found: {target.found}" if target.found else "not found; default folder"
    say(f"{target.editor} ({target.flavour}, {where})")
    added = _copy_plugin(target, options, say)
    ok = _vendor(target, options, say)
    added = added.merged(_enable_krita(target, options, say))
    if target.flavour == "flatpak":
        say(flatpak_advice(target))
    editors = {str(target.plugin_dir): {"editor": target.editor, "python": target.python}}
    return replace(added, editors=editors), ok


def install_service(options: InstallOptions, say: Say) -> Manifest:
    """Write the systemd --user unit and enable it when a user manager answers."""
    unit = systemd_user_dir(options.platform) / service.UNIT_NAME
    if options.dry_run:
        say(f"service: would write {unit} and enable it with systemctl --user")
        return Manifest()
    new_dirs = tuple(str(d) for d in records.missing_dirs(unit.parent))
    unit.parent.mkdir(parents=True, exist_ok=True)
    unit.write_text(service.unit_text(options.daemon_command), encoding="utf-8")
    say(f"service: wrote {unit}")
    if service.user_manager_works():
        for args in (("daemon-reload",), ("enable", "--now", service.UNIT_NAME)):
            ok, message = service.systemctl_user(*args)
            say(f"service: systemctl --user {' '.join(args)}: {'ok' if ok else message}")
    else:
        say(f"service: systemd --user is not reachable here; to start it: {service.manual_steps()}")
    return Manifest(files=(str(unit),), dirs=new_dirs)


def install(options: InstallOptions, say: Say) -> bool:
    """Run the whole install; True when every step worked."""
    previous = records.load(options.config_dir)
    added, all_ok = Manifest(), True
    for target in options.targets:
        done, ok = install_target(target, options, say)
        added, all_ok = added.merged(done), all_ok and ok
    if options.service:
        added = added.merged(install_service(options, say))
    if options.dry_run:
        say("dry run: nothing was changed")
        return all_ok
    config_dirs = tuple(str(d) for d in records.missing_dirs(options.config_dir))
    options.config_dir.mkdir(parents=True, exist_ok=True)
    manifest = previous.merged(added).merged(Manifest(dirs=config_dirs))
    say(f"recorded what was added in {records.save(options.config_dir, manifest)}")
    return all_ok
