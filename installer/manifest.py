"""The record of everything `stylebridge install` added, so that `uninstall` removes exactly that.

Stored as JSON in the stylebridge config folder. Re-installing merges into it and keeps the first
record of each kritarc change (the state before stylebridge ever touched the file).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from stylebridge_installer.kritarc import KritarcChange

MANIFEST_NAME = "installed.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Manifest:
    """Paths are absolute strings. `trees`: plugin entries owned whole (removed with contents);
    `files`: single files; `dirs`: folders created, removed afterwards only if empty."""

    trees: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    dirs: tuple[str, ...] = ()
    kritarc: tuple[KritarcChange, ...] = ()
    editors: dict[str, Any] = field(default_factory=dict)

    def merged(self, other: Manifest) -> Manifest:
        """This record plus `other`'s new entries; an earlier kritarc record wins."""
        known_rc = {c.path for c in self.kritarc}
        return Manifest(
            trees=_union(self.trees, other.trees),
            files=_union(self.files, other.files),
            dirs=_union(self.dirs, other.dirs),
            kritarc=(*self.kritarc, *(c for c in other.kritarc if c.path not in known_rc)),
            editors={**self.editors, **other.editors},
        )


def _union(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*first, *second)))


def manifest_path(config_dir: Path) -> Path:
    return config_dir / MANIFEST_NAME


def load(config_dir: Path) -> Manifest:
    """The manifest in `config_dir`, or an empty one; ValueError when it is unreadable."""
    path = manifest_path(config_dir)
    if not path.exists():
        return Manifest()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        changes = tuple(
            KritarcChange(**{**c, "path": Path(c["path"])}) for c in data.get("kritarc", [])
        )
        return Manifest(
            trees=tuple(data.get("trees", ())),
            files=tuple(data.get("files", ())),
            dirs=tuple(data.get("dirs", ())),
            kritarc=changes,
            editors=dict(data.get("editors", {})),
        )
    except (OSError, ValueError, TypeError, KeyError) as e:
        raise ValueError(f"cannot read the install manifest {path}: {e}") from None


def save(config_dir: Path, manifest: Manifest) -> Path:
    """Write the manifest (the config folder must exist); returns its path."""
    data = asdict(replace(manifest, kritarc=()))
    data["kritarc"] = [{**asdict(c), "path": str(c.path)} for c in manifest.kritarc]
    data["format_version"] = FORMAT_VERSION
    path = manifest_path(config_dir)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def missing_dirs(path: Path) -> list[Path]:
    """`path` and its ancestors that do not exist yet, outermost first."""
    missing: list[Path] = []
    while not path.exists() and path.parent != path:
        missing.append(path)
        path = path.parent
    return missing[::-1]


def remove_path(path: Path) -> bool:
    """Delete a file, link or whole folder; False when nothing was there."""
    if path.is_symlink() or path.is_file():
        path.unlink()
        return True
    if path.is_dir():
        shutil.rmtree(path)
        return True
    return False


def remove_empty_dirs(dirs: tuple[str, ...]) -> list[Path]:
    """Remove the recorded folders that are empty, deepest first; the ones removed."""
    removed = []
    for name in sorted(dirs, key=lambda d: len(Path(d).parts), reverse=True):
        folder = Path(name)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            removed.append(folder)
    return removed
