"""Ask an editor's Python what it is and what it imports; vendor pyzmq + msgpack wheels for it.

Wheels are fetched with `pip download` for the target's version and platform at install time only
(it reaches PyPI); the plugins never download anything when they run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from stylebridge_installer.detect import PythonCommand

TRANSPORT_MODULES: tuple[str, ...] = ("zmq", "msgpack")
WHEEL_PROJECTS: tuple[str, ...] = ("pyzmq", "msgpack")
PROBE_TIMEOUT_S = 120.0

# Runs inside the editor's Python (3.8+, stdlib only): facts + which modules import, from where.
_PROBE_CODE = """
import importlib, json, platform, sys
sys.path[:0] = json.loads(sys.argv[1])
out = {"version": list(sys.version_info[:2]), "system": sys.platform,
       "machine": platform.machine(), "libc": list(platform.libc_ver()),
       "mac": platform.mac_ver()[0], "modules": {}}
for name in json.loads(sys.argv[2]):
    try:
        module = importlib.import_module(name)
        out["modules"][name] = getattr(module, "__file__", None) or "built-in"
    except Exception as e:
        out["modules"][name] = None
        out.setdefault("errors", {})[name] = type(e).__name__ + ": " + str(e)
print(json.dumps(out))
"""


class ProbeError(RuntimeError):
    """The editor's Python could not be run or gave no answer."""


class VendorError(RuntimeError):
    """pip could not download or the wheels could not be unpacked."""


@dataclass(frozen=True)
class PythonFacts:
    """What an interpreter reported about itself and the modules it was asked to import."""

    version: tuple[int, int]
    system: str
    machine: str
    libc: tuple[str, str]
    mac: str
    modules: dict[str, str | None]
    errors: dict[str, str]

    @property
    def missing(self) -> list[str]:
        return [name for name, where in self.modules.items() if where is None]


def probe(
    python: PythonCommand, modules: Sequence[str] = TRANSPORT_MODULES, path: Sequence[Path] = ()
) -> PythonFacts:
    """Run `python -c` with `path` first on sys.path and report its facts and `modules`' origins."""
    argv = [*python, "-c", _PROBE_CODE, json.dumps([str(p) for p in path]), json.dumps(modules)]
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=PROBE_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.SubprocessError) as e:
        raise ProbeError(f"cannot run {' '.join(python)}: {e}") from None
    lines = done.stdout.strip().splitlines()
    try:
        data = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        tail = (done.stderr or done.stdout).strip()[-500:]
        raise ProbeError(f"{' '.join(python)} exited {done.returncode}: {tail}") from None
    return PythonFacts(
        version=(int(data["version"][0]), int(data["version"][1])),
        system=data["system"],
        machine=data["machine"],
        libc=(data["libc"][0], data["libc"][1]),
        mac=data["mac"],
        modules=data["modules"],
        errors=data.get("errors", {}),
    )


def _linux_tags(facts: PythonFacts) -> list[str]:
    arch = {"amd64": "x86_64", "arm64": "aarch64"}.get(facts.machine.lower(), facts.machine)
    kind, version = facts.libc
    if kind != "glibc":
        return [f"musllinux_1_{minor}_{arch}" for minor in (2, 1)]
    glibc_minor = int(version.split(".")[1]) if version.count(".") else 17
    # pip matches --platform tags literally, so every older manylinux level is listed.
    tags = [f"manylinux_2_{minor}_{arch}" for minor in range(glibc_minor, 16, -1)]
    return [*tags, f"manylinux2014_{arch}", f"manylinux2010_{arch}", f"manylinux1_{arch}"]


def _mac_tags(facts: PythonFacts) -> list[str]:
    arch = "arm64" if facts.machine == "arm64" else "x86_64"
    major = int(facts.mac.split(".")[0]) if facts.mac else 11
    versions = [f"{m}_0" for m in range(major, 10, -1)]
    if arch == "x86_64":
        versions += [f"10_{minor}" for minor in range(15, 8, -1)]
    return [f"macosx_{v}_{tag}" for v in versions for tag in (arch, "universal2")]


def pip_platforms(facts: PythonFacts) -> list[str]:
    """The `pip download --platform` tags a wheel for this interpreter may carry, best first."""
    if facts.system == "win32":
        machine = facts.machine.lower()
        return (
            ["win_arm64"] if machine == "arm64" else ["win_amd64" if "64" in machine else "win32"]
        )
    if facts.system == "darwin":
        return _mac_tags(facts)
    return _linux_tags(facts)


def download_command(facts: PythonFacts, dest: Path, pip: PythonCommand) -> list[str]:
    """The pip command that fetches binary pyzmq + msgpack wheels for `facts`' Python."""
    version = f"{facts.version[0]}.{facts.version[1]}"
    platform_args = [arg for tag in pip_platforms(facts) for arg in ("--platform", tag)]
    return [
        *pip, "download", "--only-binary=:all:", "--no-deps", "--no-cache-dir",
        "--python-version", version,
        *platform_args, "--dest", str(dest), *WHEEL_PROJECTS,
    ]  # fmt: skip


def unpack_wheel(wheel: Path, target: Path) -> None:
    """Unzip a wheel into `target` (a sys.path folder), keeping POSIX permission bits."""
    with zipfile.ZipFile(wheel) as archive:
        for info in archive.infolist():
            written = Path(archive.extract(info, target))
            mode = info.external_attr >> 16
            if mode and not info.is_dir():
                written.chmod(mode & 0o777)


def vendor_wheels(
    facts: PythonFacts, vendor_dir: Path, pip: PythonCommand = (sys.executable, "-m", "pip")
) -> list[str]:
    """Download and unpack pyzmq + msgpack for `facts`' Python into vendor_dir; the wheel names."""
    with tempfile.TemporaryDirectory(prefix="stylebridge-wheels-") as tmp:
        command = download_command(facts, Path(tmp), pip)
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        wheels = sorted(Path(tmp).glob("*.whl"))
        if done.returncode != 0 or len(wheels) != len(WHEEL_PROJECTS):
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise VendorError(
                f"pip download of {', '.join(WHEEL_PROJECTS)} for Python "
                f"{facts.version[0]}.{facts.version[1]} ({facts.system} {facts.machine}) failed: "
                + " / ".join(tail)
            )
        vendor_dir.mkdir(parents=True, exist_ok=True)
        for wheel in wheels:
            unpack_wheel(wheel, vendor_dir)
        return [w.name for w in wheels]
