"""`stylebridge uninstall`: remove exactly what the manifest says the installer added."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from stylebridge_installer import kritarc, service
from stylebridge_installer import manifest as records

Say = Callable[[str], None]


def _stop_service(unit: Path, dry_run: bool, say: Say) -> None:
    if unit.name != service.UNIT_NAME or dry_run or not service.user_manager_works():
        return
    ok, message = service.systemctl_user("disable", "--now", service.UNIT_NAME)
    say(f"service: systemctl --user disable --now: {'ok' if ok else message}")


def uninstall(config_dir: Path, say: Say, dry_run: bool = False) -> bool:
    """Undo every recorded change; True when something was recorded (and is now undone)."""
    path = records.manifest_path(config_dir)
    manifest = records.load(config_dir)
    if not path.exists():
        say(f"nothing to uninstall: no manifest at {path}")
        return False
    verb = "would remove" if dry_run else "removed"
    for name in (*manifest.trees, *manifest.files):
        entry = Path(name)
        _stop_service(entry, dry_run, say)
        if dry_run:
            say(f"{verb} {entry}" if entry.exists() else f"already gone: {entry}")
        elif records.remove_path(entry):
            say(f"{verb} {entry}")
    for change in manifest.kritarc:
        if dry_run:
            say(f"would restore {change.key} in {change.path}")
        elif kritarc.revert(change):
            say(f"restored {change.key} in {change.path}")
    if dry_run:
        say("dry run: nothing was changed")
        return True
    path.unlink()
    say(f"{verb} {path}")
    for folder in records.remove_empty_dirs(manifest.dirs):
        say(f"{verb} empty folder {folder}")
    if any(Path(f).name == service.UNIT_NAME for f in manifest.files):
        service.systemctl_user("daemon-reload")
    return True
