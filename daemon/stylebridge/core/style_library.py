"""The bundled style images: list them, and turn a style name or a path into a file."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def styles_dir() -> Path:
    """The folder of bundled styles inside the installed package."""
    return Path(str(importlib.resources.files("stylebridge") / "data" / "styles"))


def list_styles() -> dict[str, Path]:
    """{name: path} of the bundled styles, sorted by name (name = file name without suffix)."""
    folder = styles_dir()
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    return {p.stem: p for p in files}


def resolve_style(name_or_path: str | Path) -> Path:
    """An existing file as given, else the bundled style of that name, else FileNotFoundError."""
    path = Path(name_or_path)
    if path.exists():
        return path
    bundled = list_styles().get(str(name_or_path))
    if bundled is not None:
        return bundled
    raise FileNotFoundError(
        f"style {str(name_or_path)!r} is neither a file nor a bundled style "
        f"({', '.join(list_styles())})"
    )
