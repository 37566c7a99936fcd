"""Enable or disable a pykrita plugin in kritarc (KConfig: `[group]` lines, then `key=value` lines).

Only the one key line changes; every other byte of the file stays as it was, so a revert with
the recorded previous line restores the file exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

GROUP = "[python]"


@dataclass(frozen=True)
class KritarcChange:
    """What `enable` did, enough for `revert`: the previous key line (None: absent), group, file."""

    path: Path
    key: str
    previous_line: str | None
    added_group: bool
    created_file: bool
    glue: str = ""  # text added before our line (a line end, a blank line): removed again


def enable_key(plugin: str) -> str:
    """The kritarc key that enables pykrita plugin `plugin` (its X-KDE-Library name)."""
    return f"enable_{plugin}"


def _read_lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return path.read_bytes().decode("utf-8", "surrogateescape").splitlines(keepends=True)


def _write_lines(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes("".join(lines).encode("utf-8", "surrogateescape"))


def _group_span(lines: list[str]) -> tuple[int, int] | None:
    """(header index, end index exclusive) of the [python] group, or None."""
    for start, line in enumerate(lines):
        if line.strip() == GROUP:
            end = start + 1
            while end < len(lines) and not lines[end].lstrip().startswith("["):
                end += 1
            return start, end
    return None


def _key_index(lines: list[str], span: tuple[int, int], key: str) -> int | None:
    for index in range(span[0] + 1, span[1]):
        if lines[index].split("=", 1)[0].strip() == key:
            return index
    return None


def _newline_of(lines: list[str]) -> str:
    return "\r\n" if lines and lines[0].endswith("\r\n") else "\n"


def _glue(before: str, nl: str, separate: bool) -> str:
    """What goes between existing text and a new line: end its last line, then maybe a blank."""
    glue = nl if before and not before.endswith("\n") else ""
    last_line = before.splitlines()[-1] if before else ""
    return glue + nl if separate and last_line.strip() else glue


def enable(path: Path, plugin: str) -> KritarcChange:
    """Set `enable_<plugin>=true` in [python], creating the group or the file when missing."""
    lines, key, created_file = _read_lines(path), enable_key(plugin), not path.exists()
    nl = _newline_of(lines)
    span = _group_span(lines)
    new_line = f"{key}=true{nl}"
    if span is None:
        glue = _glue("".join(lines), nl, separate=True)
        _write_lines(path, [*lines, glue, GROUP + nl, new_line])
        return KritarcChange(path, key, None, True, created_file, glue)
    index = _key_index(lines, span, key)
    if index is not None:
        previous = lines[index]
        lines[index] = new_line if previous.endswith("\n") else new_line.rstrip("\r\n")
        _write_lines(path, lines)
        return KritarcChange(path, key, previous, False, created_file)
    insert_at = span[1]
    while insert_at - 1 > span[0] and not lines[insert_at - 1].strip():
        insert_at -= 1  # keep the blank line that separates groups after our key
    glue = _glue(lines[insert_at - 1], nl, separate=False)
    lines[insert_at - 1] += glue
    lines.insert(insert_at, new_line)
    _write_lines(path, lines)
    return KritarcChange(path, key, None, False, created_file, glue)


def is_enabled(path: Path, plugin: str) -> bool:
    """Whether kritarc enables `plugin` (KConfig booleans: true/1/on/yes)."""
    lines = _read_lines(path)
    span = _group_span(lines)
    index = _key_index(lines, span, enable_key(plugin)) if span else None
    if index is None:
        return False
    return lines[index].split("=", 1)[1].strip().lower() in ("true", "1", "on", "yes")


def revert(change: KritarcChange) -> bool:
    """Undo `enable`: restore the previous line or drop ours (and our group / file); changed?"""
    lines = _read_lines(change.path)
    span = _group_span(lines)
    index = _key_index(lines, span, change.key) if span else None
    if span is None or index is None:
        return False
    if change.previous_line is not None:
        lines[index] = change.previous_line
    else:
        others = [lines[i] for i in range(span[0] + 1, span[1]) if i != index]
        only_ours = not "".join(others).strip()
        cut = span[0] if change.added_group and only_ours else index
        del lines[index]
        head, tail = "".join(lines[:cut]), lines[cut + 1 if cut != index else cut :]
        # The glue sat right before what is removed: our header, or our key in a group not ours.
        removed_glue_spot = cut == span[0] or not change.added_group
        if change.glue and removed_glue_spot and head.endswith(change.glue):
            head = head[: -len(change.glue)]
        lines = [head, *tail]
    if change.created_file and not "".join(lines).strip():
        change.path.unlink()
        return True
    _write_lines(change.path, lines)
    return True
