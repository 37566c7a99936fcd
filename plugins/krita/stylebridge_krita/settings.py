"""Plugin settings: Krita's own settings (group "stylebridge") over the installer's settings.json
(written next to this file by `stylebridge install --krita`) over defaults."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from krita import Krita
from PyQt5.QtCore import QByteArray
from stylebridge.editor.daemon_launch import default_command
from stylebridge.editor.request_params import DialogValues, values_from_json, values_to_json

GROUP = "stylebridge"
ANNOTATION = "stylebridge-settings"  # a document annotation: the last settings used on it
INSTALLER_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "settings.json")
# Krita's sys.executable is Krita itself, so the default names python3; the installer records
# the interpreter that has stylebridge in settings.json.
DEFAULT_PYTHON = "python3"


@dataclass(frozen=True)
class PluginSettings:
    """How to reach the daemon: endpoint ("" = the per-user default), start command, timeout;
    and the network model whose styles the dialog offers."""

    daemon_command: str
    endpoint: str
    timeout_s: float
    model: str


def _installer_settings() -> dict:
    try:
        with open(INSTALLER_FILE, encoding="utf-8") as f:
            data = json.load(f)
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def load_settings() -> PluginSettings:
    """The settings in force now (read each time: the user may edit them between runs)."""
    app = Krita.instance()
    installed = _installer_settings()
    python = str(installed.get("python") or DEFAULT_PYTHON)
    fallback = {
        "daemon_command": str(installed.get("daemon_command") or default_command(python)),
        "endpoint": str(installed.get("endpoint") or ""),
        "timeout_s": str(installed.get("timeout_s") or "10"),
        "model": str(installed.get("model") or "default"),
    }
    values = {key: app.readSetting(GROUP, key, "") or default for key, default in fallback.items()}
    try:
        timeout_s = max(1.0, float(values["timeout_s"]))
    except ValueError:
        timeout_s = 10.0
    return PluginSettings(values["daemon_command"], values["endpoint"], timeout_s, values["model"])


def last_values(doc=None) -> DialogValues | None:
    """The settings of the last Apply on `doc` (kept in the document, .kra files included),
    else of the last Apply anywhere, or None."""
    if doc is not None:
        kept = values_from_json(bytes(doc.annotation(ANNOTATION)).decode("utf-8", "replace"))
        if kept is not None:
            return kept
    return values_from_json(Krita.instance().readSetting(GROUP, "last_values", ""))


def save_last_values(values: DialogValues, doc=None) -> None:
    """Remember `values` for 'Apply Neural Style Again' and for `doc`'s next dialog."""
    text = values_to_json(values)
    Krita.instance().writeSetting(GROUP, "last_values", text)
    if doc is not None:
        doc.setAnnotation(ANNOTATION, "Neural style transfer settings", QByteArray(text.encode()))
