"""Temporary files written beside their target and renamed over it, named after the process that
writes them, so a later run can tell the leftovers of a killed process (`kill -9`, a power cut)
from a file another live process is still writing, and remove only the former."""

from __future__ import annotations

import glob
import os
import re
import tempfile
import time
from pathlib import Path

# "<target name>.pid<N>.<random>.tmp", as temporary_beside names them.
TAGGED = re.compile(r".+\.pid(\d+)\.[A-Za-z0-9_]+\.tmp")
# Names of the same files from before they carried a pid (mkstemp's 8 random characters).
UNTAGGED = re.compile(r".+\.[A-Za-z0-9_]{8}\.tmp|.+\.tmp\.npy")
STALE_AFTER_S = 3600.0  # nobody writes one file for an hour: its writer is gone


def temporary_beside(target: Path) -> Path:
    """A new empty file in `target`'s folder to write and then os.replace onto `target`."""
    fd, name = tempfile.mkstemp(prefix=f"{target.name}.pid{os.getpid()}.", suffix=".tmp",
                                dir=target.parent)  # fmt: skip
    os.close(fd)
    return Path(name)


def _is_running(pid: int) -> bool:
    """POSIX only (on Windows os.kill(pid, 0) would send CTRL_C_EVENT)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _is_stale(path: Path) -> bool:
    tagged = TAGGED.fullmatch(path.name)
    if tagged and os.name == "posix":
        return not _is_running(int(tagged.group(1)))
    if tagged or UNTAGGED.fullmatch(path.name):  # no pid, or no way to ask about it: its age
        return time.time() - path.stat().st_mtime > STALE_AFTER_S
    return False


def remove_stale_temporaries(folder: Path, prefix: str) -> list[Path]:
    """Remove the temporary files in `folder` whose names start with `prefix` (e.g. the target's
    name: never anyone else's files) and whose writer is gone; returns them."""
    removed = []
    pattern = glob.escape(prefix) + "*.tmp*"
    for path in sorted(folder.glob(pattern)) if folder.is_dir() else ():
        try:
            if path.is_file() and _is_stale(path):
                path.unlink()
                removed.append(path)
        except FileNotFoundError:  # its writer renamed or removed it meanwhile
            continue
    return removed
